package cn.crb.app.print;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An evidence file as pages to show inside the workstation: a PDF rendered page by page (PDFBox, at most
 * {@link #MAX_PAGES}), an image as it is. Returns PNG or the image's own bytes; the caller only shows files whose SM3
 * was checked. Plain Java (no JavaFX), so it runs in a background task.
 */
public final class EvidencePages {
    public static final int MAX_PAGES = 30;

    /** The pages and whether more pages were left out. */
    public record Pages(List<byte[]> images, int totalPages) {}

    private EvidencePages() {}

    public static Pages render(String mediaType, byte[] bytes, float dpi) throws IOException {
        if (mediaType != null && mediaType.startsWith("image/")) return new Pages(List.of(bytes), 1);
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            PDFRenderer r = new PDFRenderer(doc);
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < Math.min(doc.getNumberOfPages(), MAX_PAGES); i++) {
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(r.renderImageWithDPI(i, dpi, ImageType.RGB), "png", png);
                out.add(png.toByteArray());
            }
            return new Pages(out, doc.getNumberOfPages());
        }
    }
}
