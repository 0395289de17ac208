package cn.crb.domain.bulk;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The columns of a bulk submission file (contract 05), each with its English and Chinese header. Header matching
 * ignores case, surrounding blanks and inner spaces; either language is accepted, in any order.
 */
public enum BulkColumn {
    ID_NUMBER("id_number", "身份证号", true),
    NAME("name", "姓名", true),
    CATEGORY("category", "成果类别", true),
    CATALOGUE_CODE("catalogue_code", "成果编码", true),
    TITLE("title", "成果名称", true),
    COURSE_TYPE("course_type", "课程类型", false),
    HOURS("hours", "学时", false),
    SCORE("score", "成绩", false),
    CERTIFICATE_CODE("certificate_code", "证书编码", false),
    LEVEL("level", "等级", false),
    AUTHORITY_CERTIFIED("authority_certified", "行业权威认证", false),
    SCENARIO("scenario", "学习场景", false),
    ACHIEVED_ON("achieved_on", "取得日期", true),
    EXPIRES_ON("expires_on", "有效期至", false),
    QUALITY_GRADE("quality_grade", "质量等级", true),
    EVIDENCE("evidence", "佐证材料", false);

    /** The column a rejects file adds; it is recognised and ignored when such a file is imported again. */
    public static final String ERRORS_EN = "errors";
    /** The Chinese name of {@link #ERRORS_EN}. */
    public static final String ERRORS_ZH = "错误";

    private static final Map<String, BulkColumn> BY_HEADER = Stream.of(values())
            .flatMap(c -> Stream.of(Map.entry(normalise(c.english), c), Map.entry(normalise(c.chinese), c)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final String english;
    private final String chinese;
    private final boolean alwaysRequired;

    BulkColumn(String english, String chinese, boolean alwaysRequired) {
        this.english = english;
        this.chinese = chinese;
        this.alwaysRequired = alwaysRequired;
    }

    public String english() { return english; }

    public String chinese() { return chinese; }

    /** The header in the clerk's language. */
    public String header(Locale locale) { return "zh".equals(locale.getLanguage()) ? chinese : english; }

    /** True when every row needs this column whatever its category. */
    public boolean alwaysRequired() { return alwaysRequired; }

    /** The column a header names, if any. */
    public static Optional<BulkColumn> byHeader(String header) {
        return Optional.ofNullable(BY_HEADER.get(normalise(header)));
    }

    /** True when the header is the {@code errors} column of a rejects file. */
    public static boolean isErrorsHeader(String header) {
        String h = normalise(header);
        return h.equals(ERRORS_EN) || h.equals(ERRORS_ZH);
    }

    static String normalise(String header) {
        return header == null ? "" : header.strip().replace(" ", "").replace("\u3000", "").toLowerCase(Locale.ROOT);
    }
}
