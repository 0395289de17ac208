package cn.crb.domain.bulk;

/** Progress of an import, reported on the importing thread every few hundred rows and once at the end. */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (rows, bytes, total) -> {};

    /** {@code rows} data rows read so far; {@code bytesRead} of {@code totalBytes} consumed (an estimate for XLSX). */
    void update(long rows, long bytesRead, long totalBytes);
}
