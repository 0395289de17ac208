package cn.crb.domain.bulk;

import cn.crb.domain.crypto.Sm3;
import org.bouncycastle.crypto.digests.SM3Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Inspects a file in one streaming pass (constant memory): its SM3, its format (XLSX by the zip signature, else CSV)
 * and, for CSV, its encoding in the order of contract 05: a byte-order mark (UTF-8, UTF-16LE/BE); else UTF-8 when
 * the whole file decodes as strict UTF-8; else GB18030 (a superset of GBK). When GB18030 does not decode strictly
 * either, GB18030 is still proposed with {@link FileFacts#encodingStrict()} false: the undecodable cells are then
 * reported per row as {@link ProblemCode#ENCODING_INVALID}. A file that is UTF-8 but for a last character cut short is
 * UTF-8 too, not strict.
 */
public final class EncodingDetector {
    private EncodingDetector() {}

    /** Inspects {@code file}; a file over {@link ReadLimits#maxFileBytes()} is refused before it is read. */
    public static FileFacts inspect(Path file, ReadLimits limits, Messages messages) throws BulkFileException, IOException {
        long size = Files.size(file);
        if (size > limits.maxFileBytes()) {
            throw new BulkFileException(ProblemCode.FILE_TOO_LARGE, messages.format(ProblemCode.FILE_TOO_LARGE, size, limits.maxFileBytes()), null);
        }
        SM3Digest sm3 = new SM3Digest();
        byte[] buf = new byte[64 * 1024];
        byte[] head = new byte[4];
        int headLen = 0;
        Strict utf8 = new Strict(TextEncoding.UTF_8.charset().newDecoder());
        Strict gb = new Strict(TextEncoding.GB18030.charset().newDecoder());
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            boolean first = true;
            while ((n = in.read(buf)) > 0) {
                sm3.update(buf, 0, n);
                int off = 0;
                if (first) {
                    headLen = Math.min(n, 4);
                    System.arraycopy(buf, 0, head, 0, headLen);
                    first = false;
                }
                utf8.feed(buf, off, n, false);
                gb.feed(buf, off, n, false);
            }
        }
        // a UTF-8 file cut short (a copy stopped, an export truncated) ends in part of a character: the rest of it
        // is still UTF-8, and read as GB18030 every Chinese character would turn into others, accepted as valid text
        boolean utf8CutShort = utf8.ok && truncatedUtf8(utf8.pending);
        utf8.feed(buf, 0, 0, true);
        gb.feed(buf, 0, 0, true);
        byte[] digest = new byte[32];
        sm3.doFinal(digest, 0);
        String hex = HexFormat.of().formatHex(digest);
        boolean zip = headLen == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        if (zip || file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xlsx")) {
            return new FileFacts(file, FileFormat.XLSX, size, hex, null, true);
        }
        TextEncoding bom = TextEncoding.fromBom(head, headLen);
        if (bom != null) return new FileFacts(file, FileFormat.CSV, size, hex, bom, true);
        if (utf8.ok) return new FileFacts(file, FileFormat.CSV, size, hex, TextEncoding.UTF_8, true);
        // its last row then holds an undecodable character, reported as ENCODING_INVALID like any other
        if (utf8CutShort) return new FileFacts(file, FileFormat.CSV, size, hex, TextEncoding.UTF_8, false);
        return new FileFacts(file, FileFormat.CSV, size, hex, TextEncoding.GB18030, gb.ok);
    }

    /** The SM3 of a file, streamed. */
    public static String sm3(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Sm3.hex(in);
        }
    }

    /** Whether {@code tail} (1 to 3 bytes) is the start of a UTF-8 sequence that lacks its last byte(s). */
    static boolean truncatedUtf8(ByteBuffer tail) {
        int n = tail.remaining();
        if (n < 1 || n > 3) return false;
        int lead = tail.get(tail.position()) & 0xFF;
        int length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
        if (n >= length) return false;
        for (int i = 1; i < n; i++) {
            if ((tail.get(tail.position() + i) & 0xC0) != 0x80) return false;
        }
        return true;
    }

    /** A strict decoder fed in pieces; remembers whether all input so far was valid. */
    private static final class Strict {
        private final CharsetDecoder decoder;
        private final CharBuffer out = CharBuffer.allocate(64 * 1024);
        private ByteBuffer pending = ByteBuffer.allocate(0);
        boolean ok = true;

        Strict(CharsetDecoder decoder) {
            this.decoder = decoder.onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        }

        void feed(byte[] b, int off, int len, boolean end) {
            if (!ok) return;
            ByteBuffer in = ByteBuffer.allocate(pending.remaining() + len);
            in.put(pending).put(b, off, len).flip();
            while (true) {
                out.clear();
                CoderResult r = decoder.decode(in, out, end);
                if (r.isError()) {
                    ok = false;
                    return;
                }
                if (r.isUnderflow()) break;
            }
            if (end) {
                out.clear();
                if (decoder.flush(out).isError()) ok = false;
                if (in.hasRemaining()) ok = false;
            }
            pending = in.slice();
        }
    }
}
