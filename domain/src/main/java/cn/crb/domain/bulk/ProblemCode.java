package cn.crb.domain.bulk;

/**
 * The codes of the problems found in a bulk submission file. Row-level codes are those of contract 05 and the
 * issue; the file-level codes ({@link #isFileLevel()}) stop the reading of a file that cannot be read safely.
 */
public enum ProblemCode {
    COLUMN_MISSING, COLUMN_UNKNOWN, COLUMN_DUPLICATE,
    FIELD_REQUIRED, FIELD_TOO_LONG,
    ID_FORMAT, ID_CHECKSUM, ID_BIRTHDATE,
    CATEGORY_UNKNOWN, CATALOGUE_UNKNOWN, CATALOGUE_RETIRED, CATEGORY_MISMATCH,
    COURSE_TYPE_UNKNOWN, BOOLEAN_INVALID,
    NUMBER_INVALID, NUMBER_OUT_OF_RANGE,
    DATE_INVALID, DATE_IN_FUTURE, DATE_ORDER,
    LEVEL_UNKNOWN, SCENARIO_UNKNOWN, GRADE_INVALID,
    DUPLICATE_ROW, EVIDENCE_MISSING, ENCODING_INVALID,
    /** A row with a value beyond the header's last column: usually a comma in a value not enclosed in quotes. */
    ROW_EXTRA_CELLS,
    /** File level: the file is larger than the configured cap. */
    FILE_TOO_LARGE,
    /** File level: a field is longer than the cap, usually a quote that is never closed. */
    FILE_FIELD_TOO_LONG,
    /** File level: a quote is opened and never closed before the end of the file. */
    FILE_UNCLOSED_QUOTE,
    /**
     * File level: a quoted value followed by other characters before the next delimiter ({@code "abc"def}): where
     * the value ends cannot be told, so nothing after it can be read safely.
     */
    FILE_STRAY_QUOTE,
    /** File level: a row has more columns than the cap. */
    FILE_TOO_MANY_COLUMNS,
    /** File level: an XLSX whose content inflates beyond the caps (a zip bomb or a damaged file). */
    FILE_XLSX_TOO_LARGE,
    /** File level: the file cannot be read in the chosen format (damaged, wrong format, unknown sheet). */
    FILE_UNREADABLE,
    /** File level: the file has no header row. */
    FILE_EMPTY;

    /** True for the codes that stop reading the file. */
    public boolean isFileLevel() { return name().startsWith("FILE_"); }
}
