package cn.crb.app.print;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a written PDF back as a person and a scanner would: its text, its pages as images, the QR code on them. */
final class PdfChecks {
    /** What was read back from one file. */
    record Read(String text, List<BufferedImage> pages, List<String> fonts, List<Boolean> embedded) {}

    private PdfChecks() {}

    static Read read(Path pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            String text = new PDFTextStripper().getText(doc);
            PDFRenderer r = new PDFRenderer(doc);
            List<BufferedImage> pages = new ArrayList<>();
            for (int i = 0; i < doc.getNumberOfPages(); i++) pages.add(r.renderImageWithDPI(i, 150, ImageType.RGB));
            List<String> fonts = new ArrayList<>();
            List<Boolean> embedded = new ArrayList<>();
            for (PDPage p : doc.getPages()) {
                for (COSName n : p.getResources().getFontNames()) {
                    PDFont f = p.getResources().getFont(n);
                    if (!fonts.contains(f.getName())) {
                        fonts.add(f.getName());
                        embedded.add(f.isEmbedded());
                    }
                }
            }
            return new Read(text, pages, fonts, embedded);
        }
    }

    /** Share of pixels that are not white: a blank page gives 0. */
    static double inked(BufferedImage img) {
        long dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int lum = ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
                if (lum < 128) dark++;
            }
        }
        return (double) dark / ((long) img.getWidth() * img.getHeight());
    }

    /** The QR code found anywhere on the rendered page, decoded. */
    static String decodeQr(BufferedImage img) throws NotFoundException {
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        BinaryBitmap bmp = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(img.getWidth(), img.getHeight(), px)));
        return new MultiFormatReader().decode(bmp, Map.of(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE),
                DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    }

    static Path savePng(BufferedImage img, String name) throws IOException {
        Path dir = Path.of(System.getProperty("crb.screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
