package cn.crb.domain.bulk;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The header row mapped to columns: which position holds which {@link BulkColumn}, and the header problems
 * (missing required columns, unknown and repeated columns; the {@code errors} column of a rejects file is ignored
 * silently). {@link #usable()} is false when a column every row needs is missing: then no row is read.
 */
public final class HeaderMap {
    private final List<String> header;
    private final Map<BulkColumn, Integer> positions;
    private final List<Problem> problems;

    private HeaderMap(List<String> header, Map<BulkColumn, Integer> positions, List<Problem> problems) {
        this.header = List.copyOf(header);
        this.positions = positions;
        this.problems = List.copyOf(problems);
    }

    /** The header mapped by its names alone. */
    public static HeaderMap of(List<String> header, Messages messages) {
        return of(header, ColumnMapping.AUTOMATIC, messages);
    }

    /**
     * The header mapped as the clerk chose: the positions assigned to a field first (a second position assigned to the
     * same field is a {@link ProblemCode#COLUMN_DUPLICATE}), then the other positions by their names, ignored ones
     * skipped silently.
     */
    /**
     * Whether a first row is a row of data rather than a header (a file without its header row): one of its cells holds
     * an ID, or most of one. Its cells are then personal data and are quoted masked ({@link #storable}).
     */
    public static boolean looksLikeData(List<String> header) {
        return header.stream().anyMatch(PersonalText::hasIdLikeDigits);
    }

    /**
     * The first row as it may be stored with the job and written back as the rejects file's header: as read when it
     * is a header; masked when it is a row of data ({@link #looksLikeData}) — a name masked as names are, ID-like
     * digits but for their first 6 and last 4.
     */
    public static List<String> storable(List<String> header) {
        if (header == null || !looksLikeData(header)) return header;
        return header.stream().map(h -> quotable(h, true)).toList();
    }

    private static String quotable(String cell, boolean data) {
        String masked = PersonalText.maskDigitRuns(cell);
        // in a row of data, a cell without an ID may be the name: kept to its first character, as names are masked
        return data && masked.equals(cell) ? NameMasking.mask(cell) : masked;
    }

    public static HeaderMap of(List<String> header, ColumnMapping mapping, Messages messages) {
        Map<BulkColumn, Integer> positions = new EnumMap<>(BulkColumn.class);
        List<Problem> problems = new ArrayList<>();
        boolean data = looksLikeData(header);
        for (int i = 0; i < header.size(); i++) {
            BulkColumn forced = mapping.assigned().get(i);
            if (forced == null) continue;
            if (positions.containsKey(forced)) {
                String shown = quotable(header.get(i), data);
                problems.add(new Problem(1, i + 1, shown, ProblemCode.COLUMN_DUPLICATE, messages.format(ProblemCode.COLUMN_DUPLICATE, shown)));
            } else {
                positions.put(forced, i);
            }
        }
        for (int i = 0; i < header.size(); i++) {
            if (mapping.assigned().containsKey(i) || mapping.ignored().contains(i)) continue;
            String h = header.get(i);
            if (h.isBlank() || BulkColumn.isErrorsHeader(h)) continue;
            String shown = quotable(h, data);
            if (h.indexOf('\uFFFD') >= 0) {
                problems.add(new Problem(1, i + 1, shown, ProblemCode.ENCODING_INVALID, messages.format(ProblemCode.ENCODING_INVALID, shown, messages.text("encoding.chosen"))));
                continue;
            }
            Optional<BulkColumn> c = BulkColumn.byHeader(h);
            if (c.isEmpty()) {
                problems.add(new Problem(1, i + 1, shown, ProblemCode.COLUMN_UNKNOWN, messages.format(ProblemCode.COLUMN_UNKNOWN, shown)));
            } else if (positions.containsKey(c.get())) {
                problems.add(new Problem(1, i + 1, shown, ProblemCode.COLUMN_DUPLICATE, messages.format(ProblemCode.COLUMN_DUPLICATE, shown)));
            } else {
                positions.put(c.get(), i);
            }
        }
        problems.sort(java.util.Comparator.comparingInt(Problem::columnNumber));
        for (BulkColumn c : BulkColumn.values()) {
            if (c.alwaysRequired() && !positions.containsKey(c)) {
                String name = c.header(messages.locale());
                problems.add(new Problem(1, 0, name, ProblemCode.COLUMN_MISSING, messages.format(ProblemCode.COLUMN_MISSING, name)));
            }
        }
        // the labels every row's problems carry: a first row of data (a file without its header, mapped by hand) masked
        return new HeaderMap(storable(header), positions, problems);
    }

    public List<String> header() { return header; }

    public List<Problem> problems() { return problems; }

    public boolean usable() { return problems.stream().noneMatch(p -> p.code() == ProblemCode.COLUMN_MISSING); }

    /** The 0-based position of a column, or -1 when the file has none. */
    public int position(BulkColumn c) { return positions.getOrDefault(c, -1); }

    /** The column's header as written in the file, masked when it is a row of data ({@link #storable}); its name in English when absent. */
    public String label(BulkColumn c) {
        int p = position(c);
        return p >= 0 ? header.get(p) : c.english();
    }
}
