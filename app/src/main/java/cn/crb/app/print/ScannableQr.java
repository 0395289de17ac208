package cn.crb.app.print;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The QR code printed on a notice, checked to read back before it is printed. ZXing's encoder picks the mask pattern
 * with the lowest penalty score; for about one SM3 value in 200 that is a mask (2, in the cases found) whose code ZXing's
 * own detector cannot find at some or all sizes (one of 3.3 modules a pixel on a notice printed at 200 dpi, say), however
 * cleanly drawn — and many phone scanners are built on ZXing. So the code is decoded from an image of itself at the
 * module sizes a scan of the printed 38 mm square gives (whole and fractional pixels), and when any of them does not
 * read back the same text, the other masks are tried in turn (all eight are equally valid QR codes of the same text).
 * About ten milliseconds a notice.
 */
final class ScannableQr {
    /**
     * Pixels per module of the images the code is read back from: 5 and 6.67 are a notice rendered at 150 and 200 dpi;
     * the fractional ones make some modules a pixel wider than their neighbours, as a scan does.
     */
    private static final double[] CHECKED_MODULE_PIXELS = {3, 4, 5, 5.5, 6, 6.67, 7.5, 8, 10};

    private ScannableQr() {}

    /** The modules of the code (no quiet zone: the caller leaves four modules blank around it). */
    static BitMatrix encode(String content) throws WriterException {
        BitMatrix chosen = encode(content, -1);
        if (readsBack(chosen, content)) return chosen;
        for (int mask = 0; mask < 8; mask++) {
            BitMatrix m = encode(content, mask);
            if (readsBack(m, content)) return m;
        }
        return chosen; // no mask reads back (not seen): the encoder's own choice, still a valid code
    }

    static BitMatrix encode(String content, int mask) throws WriterException {
        Map<EncodeHintType, Object> hints = new HashMap<>();
        hints.put(EncodeHintType.MARGIN, 0);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        if (mask >= 0) hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
        return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0, hints);
    }

    /** Whether the code, drawn black on white with a four-module quiet zone, decodes to {@code content} at every checked size. */
    static boolean readsBack(BitMatrix m, String content) {
        for (double px : CHECKED_MODULE_PIXELS) {
            try {
                String text = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new Drawn(m, px))),
                        Map.of(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE), DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
                if (!content.equals(text)) return false;
            } catch (ReaderException e) {
                return false;
            }
        }
        return true;
    }

    /** The code as a grey image: {@code px} pixels a module (each pixel takes the module its left or top edge falls in), four blank modules around. */
    private static final class Drawn extends LuminanceSource {
        private final BitMatrix m;
        private final double px;

        Drawn(BitMatrix m, double px) {
            super((int) ((m.getWidth() + 8) * px), (int) ((m.getHeight() + 8) * px));
            this.m = m;
            this.px = px;
        }

        private byte at(int x, int y) {
            int mx = (int) (x / px) - 4;
            int my = (int) (y / px) - 4;
            boolean dark = mx >= 0 && my >= 0 && mx < m.getWidth() && my < m.getHeight() && m.get(mx, my);
            return dark ? 0 : (byte) 255;
        }

        @Override
        public byte[] getRow(int y, byte[] row) {
            if (row == null || row.length < getWidth()) row = new byte[getWidth()];
            for (int x = 0; x < getWidth(); x++) row[x] = at(x, y);
            return row;
        }

        @Override
        public byte[] getMatrix() {
            byte[] all = new byte[getWidth() * getHeight()];
            for (int y = 0; y < getHeight(); y++) for (int x = 0; x < getWidth(); x++) all[y * getWidth() + x] = at(x, y);
            return all;
        }
    }
}
