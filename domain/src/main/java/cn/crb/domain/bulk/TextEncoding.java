package cn.crb.domain.bulk;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A text encoding of a CSV file as shown to the clerk, with whether the file starts with a byte-order mark (which
 * is skipped when reading and written again when exporting rejects).
 */
public enum TextEncoding {
    UTF_8(StandardCharsets.UTF_8, false, new byte[0]),
    UTF_8_BOM(StandardCharsets.UTF_8, true, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}),
    UTF_16LE_BOM(StandardCharsets.UTF_16LE, true, new byte[] {(byte) 0xFF, (byte) 0xFE}),
    UTF_16BE_BOM(StandardCharsets.UTF_16BE, true, new byte[] {(byte) 0xFE, (byte) 0xFF}),
    GB18030(Charset.forName("GB18030"), false, new byte[0]);

    private final Charset charset;
    private final boolean bom;
    private final byte[] bomBytes;

    TextEncoding(Charset charset, boolean bom, byte[] bomBytes) {
        this.charset = charset;
        this.bom = bom;
        this.bomBytes = bomBytes;
    }

    public Charset charset() { return charset; }

    public boolean hasBom() { return bom; }

    /** The byte-order mark written first (empty when none). */
    public byte[] bomBytes() { return bomBytes.clone(); }

    /** The name shown to the clerk, e.g. {@code UTF-8 (BOM)} or {@code GB18030/GBK}. */
    public String displayName() {
        return switch (this) {
            case UTF_8 -> "UTF-8";
            case UTF_8_BOM -> "UTF-8 (BOM)";
            case UTF_16LE_BOM -> "UTF-16LE (BOM)";
            case UTF_16BE_BOM -> "UTF-16BE (BOM)";
            case GB18030 -> "GB18030/GBK";
        };
    }

    /** The encoding a byte-order mark at the start of {@code head} announces, or null. */
    static TextEncoding fromBom(byte[] head, int len) {
        if (len >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) return UTF_8_BOM;
        if (len >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) return UTF_16LE_BOM;
        if (len >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) return UTF_16BE_BOM;
        return null;
    }
}
