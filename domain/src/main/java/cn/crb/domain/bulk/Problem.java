package cn.crb.domain.bulk;

import java.util.Objects;

/**
 * One problem of a bulk file: the row number as the clerk sees it in Excel (header = row 1), the 1-based column
 * number (0 when the problem concerns the whole row), the column's header as written in the file (empty when none),
 * a stable code and a message already in the clerk's language.
 */
public record Problem(long row, int columnNumber, String column, ProblemCode code, String message) {
    public Problem {
        Objects.requireNonNull(code, "code");
        column = column == null ? "" : column;
        message = message == null ? "" : message;
    }

    @Override
    public String toString() {
        return (column.isEmpty() ? "" : column + ": ") + message + " [" + code + "]";
    }
}
