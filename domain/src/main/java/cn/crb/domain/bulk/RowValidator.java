package cn.crb.domain.bulk;

import cn.crb.domain.standards.CatalogueEntry;
import cn.crb.domain.standards.CatalogueStatus;
import cn.crb.domain.standards.CourseType;
import cn.crb.domain.standards.Equivalence;
import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.QualityGrade;
import cn.crb.domain.standards.SocialScenario;
import cn.crb.domain.standards.StandardsBundle;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one data row against the rules of contract 05 and the standards bundle in force, reporting every problem
 * of the row (not only the first), each with the row's Excel number, the column and a message in the clerk's
 * language. Duplicates across rows are the importer's concern. Immutable and thread-safe; {@code today} comes from
 * the injected clock.
 */
public final class RowValidator {
    private static final BigDecimal MAX_HOURS = new BigDecimal("2000");
    /** A date typed as Excel's serial number (String.matches compiled the expression again for every row). */
    private static final java.util.regex.Pattern FIVE_DIGITS = java.util.regex.Pattern.compile("\\d{5}");
    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final Map<String, OutcomeCategory> CATEGORIES = Map.of(
            "ACADEMIC", OutcomeCategory.ACADEMIC, "VOCATIONAL", OutcomeCategory.VOCATIONAL, "SOCIAL", OutcomeCategory.SOCIAL,
            "学历教育", OutcomeCategory.ACADEMIC, "职业技能", OutcomeCategory.VOCATIONAL, "社会学习", OutcomeCategory.SOCIAL);
    private static final Map<String, CourseType> COURSE_TYPES = Map.of(
            "THEORY", CourseType.THEORY, "PRACTICE", CourseType.PRACTICE, "MIXED", CourseType.MIXED,
            "理论", CourseType.THEORY, "实践", CourseType.PRACTICE, "理实一体", CourseType.MIXED);
    private static final Map<String, String> LEVELS = Map.of("初级", "JUNIOR", "中级", "MIDDLE", "高级", "SENIOR");

    private final StandardsBundle bundle;
    private final Clock clock;
    private final EvidenceSource evidence;
    private final Messages messages;
    private final int maxFieldChars;
    private final Map<String, Set<String>> levelsByCertificate;
    /** The equivalence table's certificate codes by their upper case: a code typed in other case is the same certificate. */
    private final Map<String, String> certificateByUpperCase;
    private final Map<String, String> scenarioByName;

    /** What one row came to: the normalised row when it has no problem, and its problems. */
    public record Result(BulkRow row, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean valid() { return problems.isEmpty(); }
    }

    public RowValidator(StandardsBundle bundle, Clock clock, EvidenceSource evidence, Messages messages, int maxFieldChars) {
        this.bundle = bundle;
        this.clock = clock;
        this.evidence = evidence;
        this.messages = messages;
        this.maxFieldChars = maxFieldChars;
        Map<String, Set<String>> levels = new HashMap<>();
        for (Equivalence e : bundle.vocational().equivalences()) {
            levels.computeIfAbsent(e.certificateCode(), k -> new LinkedHashSet<>()).add(e.level());
        }
        this.levelsByCertificate = Map.copyOf(levels);
        Map<String, String> certificates = new HashMap<>();
        for (String code : levels.keySet()) certificates.putIfAbsent(code.toUpperCase(Locale.ROOT), code);
        this.certificateByUpperCase = Map.copyOf(certificates);
        Map<String, String> byName = new HashMap<>();
        for (SocialScenario s : bundle.scenarios()) {
            byName.put(s.code().toUpperCase(Locale.ROOT), s.code());
            if (s.name() != null) byName.put(s.name().strip(), s.code());
        }
        this.scenarioByName = Map.copyOf(byName);
    }

    /** The date the checks take as today. */
    public LocalDate today() { return LocalDate.now(clock); }

    public Result validate(RawRow raw, HeaderMap header) {
        return validate(raw, header, true);
    }

    /**
     * Checks one row. {@code delimitedText}: the row was split from a line of text (CSV, TSV), where a value beyond
     * the header's last column means an unquoted delimiter moved the values ({@link ProblemCode#ROW_EXTRA_CELLS}); in
     * a worksheet no value can move, and a cell beyond the header (a clerk's note) is not part of the outcome.
     */
    public Result validate(RawRow raw, HeaderMap header, boolean delimitedText) {
        return new Check(raw, header, delimitedText).run();
    }

    /** The state of checking one row. */
    private final class Check {
        private final RawRow raw;
        private final HeaderMap header;
        private final List<Problem> problems = new ArrayList<>();
        private final LocalDate today = today();

        private final boolean delimitedText;

        Check(RawRow raw, HeaderMap header, boolean delimitedText) {
            this.raw = raw;
            this.header = header;
            this.delimitedText = delimitedText;
        }

        Result run() {
            for (BulkColumn c : BulkColumn.values()) {
                String t = text(c);
                if (t.indexOf('\uFFFD') >= 0) add(c, ProblemCode.ENCODING_INVALID, label(c), messages.text("encoding.chosen"));
                else if (t.length() > maxFieldChars) add(c, ProblemCode.FIELD_TOO_LONG, label(c), maxFieldChars);
            }
            // a value beyond the header's last column has no column to go to: the row's values have most likely moved
            // (an unquoted comma), and ignoring it would keep a row whose values are in the wrong columns
            for (int i = header.header().size(); delimitedText && i < raw.cells().size(); i++) {
                String extra = raw.cell(i).text().strip();
                if (extra.isEmpty()) continue;
                String column = messages.text("column.number", String.valueOf(i + 1));
                problems.add(new Problem(raw.rowNumber(), i + 1, column, ProblemCode.ROW_EXTRA_CELLS,
                        messages.format(ProblemCode.ROW_EXTRA_CELLS, quotable(new Object[] {column, extra}))));
                break;
            }
            String id = idNumber();
            String name = required(BulkColumn.NAME);
            if (name != null && name.codePointCount(0, name.length()) > 50) add(BulkColumn.NAME, ProblemCode.FIELD_TOO_LONG, label(BulkColumn.NAME), 50);
            OutcomeCategory category = category();
            String catalogueCode = catalogue(category);
            String title = required(BulkColumn.TITLE);
            if (title != null && title.codePointCount(0, title.length()) > 200) add(BulkColumn.TITLE, ProblemCode.FIELD_TOO_LONG, label(BulkColumn.TITLE), 200);
            boolean academic = category == OutcomeCategory.ACADEMIC;
            boolean vocational = category == OutcomeCategory.VOCATIONAL;
            boolean social = category == OutcomeCategory.SOCIAL;
            CourseType courseType = courseType(academic);
            BigDecimal hours = decimal(BulkColumn.HOURS, academic || social, true, MAX_HOURS, "range.hours");
            BigDecimal score = decimal(BulkColumn.SCORE, academic || social, false, HUNDRED, "range.score");
            String certificate = vocational ? required(BulkColumn.CERTIFICATE_CODE) : optional(BulkColumn.CERTIFICATE_CODE);
            if (certificate != null) certificate = certificateByUpperCase.getOrDefault(certificate.toUpperCase(Locale.ROOT), certificate);
            String level = level(vocational, certificate);
            Boolean authority = bool(BulkColumn.AUTHORITY_CERTIFIED);
            String scenario = scenario(social);
            LocalDate achieved = date(BulkColumn.ACHIEVED_ON, true);
            if (achieved != null && achieved.isAfter(today)) {
                add(BulkColumn.ACHIEVED_ON, ProblemCode.DATE_IN_FUTURE, achieved.toString());
            }
            LocalDate expires = date(BulkColumn.EXPIRES_ON, false);
            if (achieved != null && expires != null && !expires.isAfter(achieved)) {
                add(BulkColumn.EXPIRES_ON, ProblemCode.DATE_ORDER, expires.toString(), achieved.toString());
            }
            QualityGrade grade = grade();
            String ev = optional(BulkColumn.EVIDENCE);
            if (ev != null && !evidence.contains(ev)) add(BulkColumn.EVIDENCE, ProblemCode.EVIDENCE_MISSING, ev);
            if (!problems.isEmpty()) return new Result(null, problems);
            return new Result(new BulkRow(raw.rowNumber(), id, name, category, catalogueCode, title, academic ? courseType : null,
                    academic || social ? hours : null, academic || social ? score : null, certificate, vocational ? level : null,
                    authority, social ? scenario : null, achieved, expires, grade, ev), problems);
        }

        private String idNumber() {
            RawCell cell = cell(BulkColumn.ID_NUMBER);
            if (cell.isBlank()) {
                required(BulkColumn.ID_NUMBER);
                return null;
            }
            if (cell.kind() == RawCell.Kind.NUMBER || ResidentId.looksLikeExcelNumber(cell.text())) {
                problems.add(problem(BulkColumn.ID_NUMBER, ProblemCode.ID_FORMAT, messages.text("ID_FORMAT_NUMERIC", PersonalText.maskDigitRuns(cell.text().strip()))));
                return null;
            }
            Optional<ProblemCode> p = ResidentId.problem(cell.text(), today);
            if (p.isPresent()) {
                String id = ResidentId.normalise(cell.text());
                if (p.get() == ProblemCode.ID_CHECKSUM && id.endsWith("000")) {
                    // Excel keeps 15 significant digits: an ID it once held as a number comes back ending in 000, and the
                    // check digit a message would suggest is no repair (the three digits are lost)
                    problems.add(problem(BulkColumn.ID_NUMBER, ProblemCode.ID_CHECKSUM, messages.text("ID_CHECKSUM_ZEROED", PersonalText.maskDigitRuns(id))));
                    return null;
                }
                Object arg = p.get() == ProblemCode.ID_CHECKSUM ? String.valueOf(ResidentId.checkCharacter(id.substring(0, 17))) : "";
                add(BulkColumn.ID_NUMBER, p.get(), arg);
                return null;
            }
            return ResidentId.normalise(cell.text());
        }

        private OutcomeCategory category() {
            String t = required(BulkColumn.CATEGORY);
            if (t == null) return null;
            OutcomeCategory c = CATEGORIES.get(t.toUpperCase(Locale.ROOT));
            if (c == null) add(BulkColumn.CATEGORY, ProblemCode.CATEGORY_UNKNOWN, t);
            return c;
        }

        private String catalogue(OutcomeCategory category) {
            String t = required(BulkColumn.CATALOGUE_CODE);
            if (t == null) return null;
            String code = t.toUpperCase(Locale.ROOT);
            Optional<CatalogueEntry> e = bundle.catalogueEntry(code);
            if (e.isEmpty()) {
                add(BulkColumn.CATALOGUE_CODE, ProblemCode.CATALOGUE_UNKNOWN, t, bundle.version().toString());
                return null;
            }
            if (e.get().status() != CatalogueStatus.ACTIVE) {
                add(BulkColumn.CATALOGUE_CODE, ProblemCode.CATALOGUE_RETIRED, code, String.valueOf(e.get().retiredOn()));
                return null;
            }
            if (category != null && e.get().category() != category) {
                add(BulkColumn.CATALOGUE_CODE, ProblemCode.CATEGORY_MISMATCH, code, messages.text("category." + e.get().category().name()),
                        messages.text("category." + category.name()));
                return null;
            }
            return code;
        }

        private CourseType courseType(boolean needed) {
            String t = needed ? required(BulkColumn.COURSE_TYPE) : optional(BulkColumn.COURSE_TYPE);
            if (t == null) return null;
            CourseType c = COURSE_TYPES.get(t.toUpperCase(Locale.ROOT));
            if (c == null) add(BulkColumn.COURSE_TYPE, ProblemCode.COURSE_TYPE_UNKNOWN, t);
            return c;
        }

        private BigDecimal decimal(BulkColumn col, boolean needed, boolean exclusiveZero, BigDecimal max, String rangeKey) {
            String t = needed ? required(col) : optional(col);
            if (t == null) return null;
            Optional<BigDecimal> v = CellParsers.decimal(t);
            if (v.isEmpty()) {
                add(col, ProblemCode.NUMBER_INVALID, t);
                return null;
            }
            BigDecimal d = v.get();
            boolean low = exclusiveZero ? d.signum() <= 0 : d.signum() < 0;
            if (low || d.compareTo(max) > 0) {
                add(col, ProblemCode.NUMBER_OUT_OF_RANGE, t, messages.text(rangeKey));
                return null;
            }
            return d.stripTrailingZeros().scale() < 0 ? d.setScale(0) : d.stripTrailingZeros();
        }

        private String level(boolean needed, String certificate) {
            String t = needed ? required(BulkColumn.LEVEL) : optional(BulkColumn.LEVEL);
            if (t == null) return null;
            String level = LEVELS.getOrDefault(t, t.toUpperCase(Locale.ROOT));
            if (certificate != null) {
                Set<String> known = levelsByCertificate.get(certificate);
                if (known != null && !known.contains(level)) {
                    add(BulkColumn.LEVEL, ProblemCode.LEVEL_UNKNOWN, certificate, t, levelsText(known));
                    return null;
                }
            }
            return known(certificate) ? level : t;
        }

        /** A certificate's levels as the clerk may write them, lowest first (初级/中级/高级 in Chinese). */
        private String levelsText(Set<String> known) {
            List<String> order = List.of("JUNIOR", "MIDDLE", "SENIOR");
            return known.stream().sorted(java.util.Comparator.comparingInt((String l) -> order.contains(l) ? order.indexOf(l) : order.size())
                            .thenComparing(java.util.Comparator.naturalOrder()))
                    .map(l -> order.contains(l) ? messages.text("level." + l) : l).collect(java.util.stream.Collectors.joining("/"));
        }

        private boolean known(String certificate) {
            return certificate != null && levelsByCertificate.containsKey(certificate);
        }

        private Boolean bool(BulkColumn col) {
            String t = optional(col);
            if (t == null) return null;
            Optional<Boolean> b = CellParsers.bool(t);
            if (b.isEmpty()) add(col, ProblemCode.BOOLEAN_INVALID, t);
            return b.orElse(null);
        }

        private String scenario(boolean needed) {
            String t = needed ? required(BulkColumn.SCENARIO) : optional(BulkColumn.SCENARIO);
            if (t == null) return null;
            String code = scenarioByName.get(t.toUpperCase(Locale.ROOT));
            if (code == null) code = scenarioByName.get(t);
            if (code == null) {
                add(BulkColumn.SCENARIO, ProblemCode.SCENARIO_UNKNOWN, t,
                        String.join("/", bundle.scenarios().stream().map(SocialScenario::code).toList()));
            }
            return code;
        }

        private LocalDate date(BulkColumn col, boolean needed) {
            RawCell cell = cell(col);
            String t = needed ? required(col) : optional(col);
            if (t == null) return null;
            Optional<LocalDate> d = cell.kind() == RawCell.Kind.DATE ? CellParsers.date(t)
                    : CellParsers.dateOrSerial(t, cell.kind() == RawCell.Kind.NUMBER || FIVE_DIGITS.matcher(t).matches());
            if (d.isEmpty()) add(col, ProblemCode.DATE_INVALID, t);
            return d.orElse(null);
        }

        private QualityGrade grade() {
            String t = required(BulkColumn.QUALITY_GRADE);
            if (t == null) return null;
            return switch (t.toUpperCase(Locale.ROOT)) {
                case "A" -> QualityGrade.A;
                case "B" -> QualityGrade.B;
                case "C" -> QualityGrade.C;
                default -> {
                    add(BulkColumn.QUALITY_GRADE, ProblemCode.GRADE_INVALID, t);
                    yield null;
                }
            };
        }

        private RawCell cell(BulkColumn c) {
            int p = header.position(c);
            return p < 0 ? RawCell.EMPTY : raw.cell(p);
        }

        private String text(BulkColumn c) { return cell(c).text(); }

        private String optional(BulkColumn c) {
            String t = text(c);
            return t.isBlank() ? null : t;
        }

        private String required(BulkColumn c) {
            String t = optional(c);
            if (t == null) add(c, ProblemCode.FIELD_REQUIRED, label(c));
            return t;
        }

        private String label(BulkColumn c) {
            return header.position(c) >= 0 ? header.label(c) : c.header(messages.locale());
        }

        private void add(BulkColumn c, ProblemCode code, Object... args) {
            if (problems.stream().anyMatch(p -> p.code() == code && p.columnNumber() == header.position(c) + 1 && p.column().equals(label(c)))) return;
            problems.add(problem(c, code, messages.format(code, quotable(args))));
        }

        /**
         * The cells a message quotes, as it may quote them (problems are stored and shown without a reveal): an ID that
         * landed in another column (a row shifted by an unquoted comma) or turned into a number keeps only its first 6
         * and last 4 digits, and the row's name found in another column is masked as names are.
         */
        private Object[] quotable(Object[] args) {
            String name = text(BulkColumn.NAME).strip();
            Object[] out = args.clone();
            for (int k = 0; k < out.length; k++) {
                if (out[k] instanceof String s) out[k] = name.length() > 1 && s.strip().equals(name) ? NameMasking.mask(s) : PersonalText.maskDigitRuns(s);
            }
            return out;
        }

        private Problem problem(BulkColumn c, ProblemCode code, String message) {
            return new Problem(raw.rowNumber(), header.position(c) + 1, label(c), code, message);
        }
    }
}
