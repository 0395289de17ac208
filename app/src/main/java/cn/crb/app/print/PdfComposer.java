package cn.crb.app.print;

import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Lays out a printed document on A4 pages with PDFBox: title, labelled fields, tables with wrapped cells, paragraphs and
 * the QR code of the envelope's SM3, then a footer on every page. Text is set in embedded subsets of the fonts from
 * {@link PrintFonts}: each character in the first font that has it (Latin letters and digits from the Latin font), so
 * that every glyph is real and the text extracted from the file is the text written (ToUnicode).
 */
final class PdfComposer implements AutoCloseable {
    static final float MARGIN = 56;
    private static final float TOP = 60;
    private static final float BOTTOM = 64;
    static final float BODY = 10.5f;
    private static final float LEADING = 1.45f;
    private static final Color RULE = new Color(0x99, 0x99, 0x99);
    private static final Color SHADE = new Color(0xEE, 0xEE, 0xEE);
    private static final Color MUTED = new Color(0x55, 0x55, 0x55);

    private final PDDocument doc = new PDDocument();
    private final List<PrintFonts.Loaded> loaded;
    private final PDType0Font cjk;
    private final CmapLookup cjkMap;
    private final PDType0Font latin;
    private final CmapLookup latinMap;
    private final PDRectangle size = PDRectangle.A4;
    private PDPageContentStream cs;
    private float y;

    PdfComposer(List<PrintFonts.Loaded> fonts) throws IOException {
        this.loaded = fonts;
        try {
            cjk = PDType0Font.load(doc, fonts.getFirst().font(), true);
            cjkMap = fonts.getFirst().font().getUnicodeCmapLookup(false);
            latin = fonts.size() > 1 ? PDType0Font.load(doc, fonts.get(1).font(), true) : null;
            latinMap = fonts.size() > 1 ? fonts.get(1).font().getUnicodeCmapLookup(false) : null;
            newPage();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    float width() { return size.getWidth() - 2 * MARGIN; }

    // ---- text runs -------------------------------------------------------------------------------------------------

    /** A piece of text set in one font. */
    private record Run(PDType0Font font, String text) {}

    private PDType0Font fontFor(int cp) {
        boolean inLatin = latinMap != null && latinMap.getGlyphId(cp) > 0;
        boolean inCjk = cjkMap.getGlyphId(cp) > 0;
        if (inLatin && (cp < 0x2E80 || !inCjk)) return latin;
        if (inCjk) return cjk;
        return inLatin ? latin : null;
    }

    private List<Run> runs(String s) {
        List<Run> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        PDType0Font current = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\t') cp = ' ';
            if (Character.isISOControl(cp)) continue;
            PDType0Font f = fontFor(cp);
            if (f == null) {
                cp = '?'; // nothing on this machine can draw it; a visible mark rather than a blank
                f = fontFor(cp);
                if (f == null) continue;
            }
            if (f != current && !b.isEmpty()) {
                out.add(new Run(current, b.toString()));
                b.setLength(0);
            }
            current = f;
            b.appendCodePoint(cp);
        }
        if (!b.isEmpty()) out.add(new Run(current, b.toString()));
        return out;
    }

    float textWidth(String s, float pt) throws IOException {
        float w = 0;
        for (Run r : runs(s)) w += r.font().getStringWidth(r.text()) / 1000f * pt;
        return w;
    }

    void text(float x, float baseline, String s, float pt, boolean bold, Color color) throws IOException {
        cs.beginText();
        cs.setNonStrokingColor(color);
        if (bold) {
            cs.setStrokingColor(color);
            cs.setLineWidth(pt * 0.035f);
            cs.setRenderingMode(RenderingMode.FILL_STROKE);
        }
        cs.newLineAtOffset(x, baseline);
        for (Run r : runs(s)) {
            cs.setFont(r.font(), pt);
            cs.showText(r.text());
        }
        if (bold) cs.setRenderingMode(RenderingMode.FILL);
        cs.endText();
    }

    /** {@code s} broken into lines no wider than {@code max}: at spaces within Latin words, anywhere between CJK characters. */
    List<String> wrap(String s, float pt, float max) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String para : (s == null ? "" : s.replace("\r", "")).split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            int lastSpace = -1;
            for (int i = 0; i < para.length(); ) {
                int cp = para.codePointAt(i);
                i += Character.charCount(cp);
                line.appendCodePoint(cp);
                if (cp == ' ') lastSpace = line.length();
                if (textWidth(line.toString(), pt) > max && line.length() > Character.charCount(cp)) {
                    String rest;
                    if (lastSpace > 0 && cp < 0x2E80 && cp != ' ') {
                        rest = line.substring(lastSpace);
                        line.setLength(lastSpace);
                    } else {
                        rest = line.substring(line.length() - Character.charCount(cp));
                        line.setLength(line.length() - Character.charCount(cp));
                    }
                    lines.add(line.toString().stripTrailing());
                    line.setLength(0);
                    line.append(rest.stripLeading());
                    lastSpace = -1;
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }

    // ---- pages -----------------------------------------------------------------------------------------------------

    private void newPage() throws IOException {
        if (cs != null) cs.close();
        PDPage page = new PDPage(size);
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page);
        y = size.getHeight() - TOP;
    }

    /** Starts a new page unless {@code height} still fits on this one. */
    void ensure(float height) throws IOException {
        if (y - height < BOTTOM) newPage();
    }

    void space(float h) { y -= h; }

    // ---- blocks ----------------------------------------------------------------------------------------------------

    void title(String s, String subtitle) throws IOException {
        float pt = 20;
        ensure(pt * 3);
        y -= pt;
        text((size.getWidth() - textWidth(s, pt)) / 2, y, s, pt, true, Color.BLACK);
        y -= 8;
        if (subtitle != null) {
            y -= 10;
            text((size.getWidth() - textWidth(subtitle, 9)) / 2, y, subtitle, 9, false, MUTED);
            y -= 6;
        }
        rule();
        y -= 6;
    }

    void heading(String s) throws IOException {
        ensure(BODY * 5);
        y -= 8 + 12;
        text(MARGIN, y, s, 12, true, Color.BLACK);
        y -= 6;
    }

    private void rule() throws IOException {
        cs.setStrokingColor(RULE);
        cs.setLineWidth(0.6f);
        cs.moveTo(MARGIN, y);
        cs.lineTo(size.getWidth() - MARGIN, y);
        cs.stroke();
    }

    /** A label and its value side by side; the value wraps under itself. */
    void field(String label, String value, float labelWidth) throws IOException {
        field(label, value, labelWidth, BODY);
    }

    void field(String label, String value, float labelWidth, float pt) throws IOException {
        List<String> lines = wrap(value == null || value.isBlank() ? "—" : value, pt, width() - labelWidth);
        float lh = pt * LEADING;
        for (int i = 0; i < lines.size(); i++) {
            ensure(lh);
            y -= lh;
            if (i == 0) text(MARGIN, y, label, BODY, false, MUTED);
            text(MARGIN + labelWidth, y, lines.get(i), pt, false, Color.BLACK);
        }
    }

    void paragraph(String s, float pt) throws IOException {
        float lh = pt * LEADING;
        for (String line : wrap(s, pt, width())) {
            ensure(lh);
            y -= lh;
            text(MARGIN, y, line, pt, false, Color.BLACK);
        }
    }

    /**
     * A table with a shaded header row repeated on each page; {@code widths} are fractions of the text width. Cells
     * wrap; a row never splits across pages.
     */
    void table(List<String> headers, float[] widths, List<List<String>> rows, float pt) throws IOException {
        float pad = 4;
        float lh = pt * LEADING;
        float[] w = new float[widths.length];
        for (int i = 0; i < w.length; i++) w[i] = widths[i] * width();
        tableRow(headers, w, pt, pad, lh, true);
        for (List<String> r : rows) {
            float h = rowHeight(r, w, pt, pad, lh);
            if (y - h < BOTTOM) {
                newPage();
                tableRow(headers, w, pt, pad, lh, true);
            }
            tableRow(r, w, pt, pad, lh, false);
        }
    }

    private float rowHeight(List<String> cells, float[] w, float pt, float pad, float lh) throws IOException {
        int n = 1;
        for (int i = 0; i < w.length; i++) n = Math.max(n, wrap(cell(cells, i), pt, w[i] - 2 * pad).size());
        return n * lh + 2 * pad;
    }

    private static String cell(List<String> cells, int i) {
        String s = i < cells.size() ? cells.get(i) : "";
        return s == null ? "" : s;
    }

    private void tableRow(List<String> cells, float[] w, float pt, float pad, float lh, boolean header) throws IOException {
        float h = rowHeight(cells, w, pt, pad, lh);
        ensure(h);
        float top = y;
        if (header) {
            cs.setNonStrokingColor(SHADE);
            cs.addRect(MARGIN, top - h, width(), h);
            cs.fill();
        }
        float x = MARGIN;
        for (int i = 0; i < w.length; i++) {
            List<String> lines = wrap(cell(cells, i), pt, w[i] - 2 * pad);
            float by = top - pad;
            for (String line : lines) {
                by -= lh;
                text(x + pad, by + (lh - pt) / 2, line, pt, header, Color.BLACK);
            }
            x += w[i];
        }
        cs.setStrokingColor(RULE);
        cs.setLineWidth(0.5f);
        cs.addRect(MARGIN, top - h, width(), h);
        float cx = MARGIN;
        for (int i = 0; i < w.length - 1; i++) {
            cx += w[i];
            cs.moveTo(cx, top);
            cs.lineTo(cx, top - h);
        }
        cs.stroke();
        y = top - h;
    }

    /**
     * The block that ties paper to record: on the left the labelled lines (the SM3 in full, key ids), on the right the
     * QR code of {@code qrText}, with {@code caption} under it. Kept on one page.
     */
    void sealBlock(List<String[]> lines, float labelWidth, String qrText, String caption) throws IOException {
        float qr = 108;
        float lh = BODY * LEADING;
        float textWidth = width() - qr - 16 - labelWidth;
        int n = 0;
        for (String[] l : lines) n += wrap(l[1], 9, textWidth).size();
        float h = Math.max(n * lh, qr + 18) + 12;
        ensure(h);
        y -= 10;
        float top = y;
        drawQr(qrText, size.getWidth() - MARGIN - qr, top - qr, qr);
        text(size.getWidth() - MARGIN - qr + (qr - textWidth(caption, 7.5f)) / 2, top - qr - 11, caption, 7.5f, false, MUTED);
        for (String[] l : lines) {
            List<String> wrapped = wrap(l[1], 9, textWidth);
            for (int i = 0; i < wrapped.size(); i++) {
                y -= lh;
                if (i == 0) text(MARGIN, y, l[0], 9, false, MUTED);
                text(MARGIN + labelWidth, y, wrapped.get(i), 9, false, Color.BLACK);
            }
        }
        y = Math.min(y, top - qr - 18);
    }

    /**
     * The QR code (error correction M, checked to read back: {@link ScannableQr}; the quiet zone left white around it),
     * drawn as a black-and-white image of one pixel per module, scaled up without smoothing. Drawn as vector squares, one
     * per run of dark modules in a row, it showed light seams between rows once rendered at screen or scanner
     * resolutions (each row's edge anti-aliased on its own), and ZXing then failed on about one page in 200.
     */
    private void drawQr(String content, float x, float yBottom, float side) throws IOException {
        BitMatrix m;
        try {
            m = ScannableQr.encode(content);
        } catch (WriterException e) {
            throw new IOException("QR code: " + e.getMessage(), e);
        }
        // the quiet zone (4 modules) is inside the square so that nothing printed next to it can touch the code
        int quiet = 4;
        BufferedImage img = new BufferedImage(m.getWidth() + 2 * quiet, m.getHeight() + 2 * quiet, BufferedImage.TYPE_BYTE_BINARY);
        for (int row = 0; row < img.getHeight(); row++) {
            for (int col = 0; col < img.getWidth(); col++) {
                int mx = col - quiet, my = row - quiet;
                boolean dark = mx >= 0 && my >= 0 && mx < m.getWidth() && my < m.getHeight() && m.get(mx, my);
                img.setRGB(col, row, dark ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        PDImageXObject image = LosslessFactory.createFromImage(doc, img);
        image.setInterpolate(false);
        cs.drawImage(image, x, yBottom, side, side);
    }

    // ---- finishing -------------------------------------------------------------------------------------------------

    /** Writes {@code footer(page, pages)} at the foot of every page, sets the document information, saves. Returns the page count. */
    int save(OutputStream out, String title, String subject, BiFunction<Integer, Integer, String> footer, Calendar created) throws IOException {
        cs.close();
        cs = null;
        int pages = doc.getNumberOfPages();
        for (int i = 0; i < pages; i++) {
            PDPage page = doc.getPage(i);
            try (PDPageContentStream f = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, true, true)) {
                cs = f;
                String s = footer.apply(i + 1, pages);
                cs.setStrokingColor(RULE);
                cs.setLineWidth(0.4f);
                cs.moveTo(MARGIN, 44);
                cs.lineTo(size.getWidth() - MARGIN, 44);
                cs.stroke();
                text((size.getWidth() - textWidth(s, 8)) / 2, 32, s, 8, false, MUTED);
            } finally {
                cs = null;
            }
        }
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle(title);
        info.setSubject(subject);
        info.setCreator("crb workstation");
        info.setProducer("Apache PDFBox");
        info.setCreationDate(created);
        info.setModificationDate(created);
        doc.save(out);
        return pages;
    }

    @Override
    public void close() throws IOException {
        try {
            if (cs != null) cs.close();
            doc.close();
        } finally {
            for (PrintFonts.Loaded l : loaded) l.close();
        }
    }
}
