package cn.crb.domain.bulk;

/** Progress of an import, reported on the importing thread every few hundred rows and once at the end. */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (rows, bytes, total) -> {};

    /** {@code rows} data rows read so far; {@code bytesRead} of {@code totalBytes} consumed (an estimate for XLSX). */
    void update(long rows, long bytesRead, long totalBytes);

    /**
     * Called once on the importing thread when the file is read to its end, holding {@code rows} data rows (at least
     * one), and the import was not cancelled: what is left is storing the last batches and registering the rows (a
     * few seconds for a million rows). Not called for a file without data rows or a header that cannot be used.
     */
    default void finishing(long rows) {}
}
