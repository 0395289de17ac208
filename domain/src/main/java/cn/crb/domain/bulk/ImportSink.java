package cn.crb.domain.bulk;

import java.util.List;

/**
 * Where an import pushes its results, one row at a time, in file order (so that a million rows never sit in
 * memory). Called on the importing thread only. A row is either accepted or rejected, never both, never dropped.
 */
public interface ImportSink {
    /** Called once, before any row, with the header and its problems. */
    default void header(HeaderMap header) {}

    /** A row that passed every check (and is not a duplicate of an earlier row of the file). */
    void accepted(BulkRow row);

    /** A row with at least one problem, with its cells as read (for the rejects file). */
    void rejected(RawRow row, List<Problem> problems);
}
