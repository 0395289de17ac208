package cn.crb.domain.bulk;

/**
 * Caps that keep a hostile or damaged file from exhausting memory: file size, characters per field, columns per
 * row, and for XLSX the total inflated size and the inflation ratio (checked on the real inflated bytes, not on
 * what the zip directory claims), and the memory the reader would take for what it keeps for the whole workbook —
 * its shared texts and its styles ({@code maxXlsxHeldBytes}, estimated by {@link XlsxMarkupGuard}).
 */
public record ReadLimits(long maxFileBytes, int maxFieldChars, int maxColumns, long maxXlsxInflatedBytes, int maxXlsxRatio,
                         long maxXlsxHeldBytes) {
    public static final ReadLimits DEFAULT = new ReadLimits(200L * 1024 * 1024, 10_000, 64, 2L * 1024 * 1024 * 1024, 100, defaultHeldBytes());

    public ReadLimits {
        if (maxFileBytes <= 0 || maxFieldChars <= 0 || maxColumns <= 0 || maxXlsxInflatedBytes <= 0 || maxXlsxRatio <= 0 || maxXlsxHeldBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * A quarter of the heap this JVM may use, at least 64 MB: the reader keeps a workbook's shared texts and styles
     * for the whole sheet, beside everything else an import holds (128 MB with the 512 MB of the import benchmark;
     * a 100,000-row workbook with unique names and IDs as text needs about 30 MB).
     */
    static long defaultHeldBytes() {
        long max = Runtime.getRuntime().maxMemory();
        return Math.max(64L * 1024 * 1024, Math.min(max, 64L * 1024 * 1024 * 1024) / 4);
    }

    public ReadLimits withMaxFileBytes(long bytes) { return new ReadLimits(bytes, maxFieldChars, maxColumns, maxXlsxInflatedBytes, maxXlsxRatio, maxXlsxHeldBytes); }

    public ReadLimits withXlsx(long inflatedBytes, int ratio) { return new ReadLimits(maxFileBytes, maxFieldChars, maxColumns, inflatedBytes, ratio, maxXlsxHeldBytes); }

    public ReadLimits withXlsxHeldBytes(long bytes) { return new ReadLimits(maxFileBytes, maxFieldChars, maxColumns, maxXlsxInflatedBytes, maxXlsxRatio, bytes); }
}
