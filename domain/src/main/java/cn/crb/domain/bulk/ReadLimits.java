package cn.crb.domain.bulk;

/**
 * Caps that keep a hostile or damaged file from exhausting memory: file size, characters per field, columns per
 * row, and for XLSX the total inflated size and the inflation ratio (checked on the real inflated bytes, not on
 * what the zip directory claims).
 */
public record ReadLimits(long maxFileBytes, int maxFieldChars, int maxColumns, long maxXlsxInflatedBytes, int maxXlsxRatio) {
    public static final ReadLimits DEFAULT = new ReadLimits(200L * 1024 * 1024, 10_000, 64, 2L * 1024 * 1024 * 1024, 100);

    public ReadLimits {
        if (maxFileBytes <= 0 || maxFieldChars <= 0 || maxColumns <= 0 || maxXlsxInflatedBytes <= 0 || maxXlsxRatio <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public ReadLimits withMaxFileBytes(long bytes) { return new ReadLimits(bytes, maxFieldChars, maxColumns, maxXlsxInflatedBytes, maxXlsxRatio); }

    public ReadLimits withXlsx(long inflatedBytes, int ratio) { return new ReadLimits(maxFileBytes, maxFieldChars, maxColumns, inflatedBytes, ratio); }
}
