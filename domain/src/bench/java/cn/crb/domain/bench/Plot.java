package cn.crb.domain.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small headless plotter for the scale notes of scripts/bench-report.sh (no plotting library here): log-log line
 * charts, one panel per data file, side by side in one PNG.
 * <p>Usage: {@code Plot OUT.png "title|x label|y label|data.tsv" ...}; each data line is {@code series<TAB>x<TAB>y}
 * (lines starting with {@code #} are skipped). Points are labelled with their y value.
 */
public final class Plot {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};
    private static final int W = 600, H = 420, LEFT = 78, RIGHT = 64, TOP = 40, BOTTOM = 58;

    private Plot() {}

    record Point(double x, double y) {}

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (args.length < 2) throw new IllegalArgumentException("usage: Plot OUT.png \"title|x|y|data.tsv\" ...");
        int panels = args.length - 1;
        BufferedImage img = new BufferedImage(W * panels, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), H);
        for (int i = 0; i < panels; i++) {
            String[] spec = args[i + 1].split("\\|", -1);
            if (spec.length != 4) throw new IllegalArgumentException("panel spec is title|x label|y label|file: " + args[i + 1]);
            Graphics2D p = (Graphics2D) g.create(i * W, 0, W, H);
            panel(p, spec[0], spec[1], spec[2], read(Path.of(spec[3])));
            p.dispose();
        }
        g.dispose();
        Path out = Path.of(args[0]);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        ImageIO.write(img, "png", out.toFile());
    }

    static Map<String, List<Point>> read(Path file) throws IOException {
        Map<String, List<Point>> series = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length != 3) throw new IllegalArgumentException(file + ": expected series<TAB>x<TAB>y: " + line);
            series.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Point(Double.parseDouble(f[1]), Double.parseDouble(f[2])));
        }
        return series;
    }

    private static void panel(Graphics2D g, String title, String xLabel, String yLabel, Map<String, List<Point>> series) {
        double minX = Double.MAX_VALUE, maxX = 0, minY = Double.MAX_VALUE, maxY = 0;
        for (List<Point> s : series.values()) {
            for (Point p : s) {
                if (p.x() <= 0 || p.y() <= 0) continue;
                minX = Math.min(minX, p.x());
                maxX = Math.max(maxX, p.x());
                minY = Math.min(minY, p.y());
                maxY = Math.max(maxY, p.y());
            }
        }
        if (maxX == 0) { minX = 1; maxX = 10; minY = 1; maxY = 10; }
        double lx0 = Math.floor(Math.log10(minX)), lx1 = Math.max(lx0 + 1, Math.ceil(Math.log10(maxX)));
        double ly0 = Math.floor(Math.log10(minY)), ly1 = Math.max(ly0 + 1, Math.ceil(Math.log10(maxY)));
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        java.util.function.DoubleUnaryOperator sx = x -> LEFT + (Math.log10(x) - lx0) / (lx1 - lx0) * pw;
        java.util.function.DoubleUnaryOperator sy = y -> TOP + ph - (Math.log10(y) - ly0) / (ly1 - ly0) * ph;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // grid and decade labels
        for (double d = lx0; d <= lx1 + 1e-9; d++) {
            int x = (int) sx.applyAsDouble(Math.pow(10, d));
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, TOP, x, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            String t = human(Math.pow(10, d));
            g.drawString(t, x - g.getFontMetrics().stringWidth(t) / 2, TOP + ph + 16);
        }
        for (double d = ly0; d <= ly1 + 1e-9; d++) {
            int y = (int) sy.applyAsDouble(Math.pow(10, d));
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            String t = human(Math.pow(10, d));
            g.drawString(t, LEFT - 6 - g.getFontMetrics().stringWidth(t), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString(xLabel + " (log scale)", LEFT + pw / 2 - g.getFontMetrics().stringWidth(xLabel + " (log scale)") / 2, H - 18);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        String yl = yLabel + " (log scale)";
        r.drawString(yl, -(TOP + ph / 2) - r.getFontMetrics().stringWidth(yl) / 2, 16);
        r.dispose();

        int c = 0, legendY = TOP + 16;
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            Color col = COLORS[c++ % COLORS.length];
            g.setColor(col);
            g.setStroke(new BasicStroke(2f));
            List<Point> pts = e.getValue().stream().filter(p -> p.x() > 0 && p.y() > 0).sorted((a, b) -> Double.compare(a.x(), b.x())).toList();
            for (int i = 1; i < pts.size(); i++) {
                g.drawLine((int) sx.applyAsDouble(pts.get(i - 1).x()), (int) sy.applyAsDouble(pts.get(i - 1).y()),
                        (int) sx.applyAsDouble(pts.get(i).x()), (int) sy.applyAsDouble(pts.get(i).y()));
            }
            for (Point p : pts) {
                int x = (int) sx.applyAsDouble(p.x()), y = (int) sy.applyAsDouble(p.y());
                g.fillOval(x - 4, y - 4, 8, 8);
                g.drawString(human(p.y()), x + 6, y - 6);
            }
            g.fillRect(LEFT + 10, legendY - 8, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), LEFT + 26, legendY + 1);
            legendY += 16;
        }
    }

    /** 1500 → "1.5k", 2.0E6 → "2M", 0.25 → "0.25". */
    static String human(double v) {
        if (v >= 1e9) return trim(v / 1e9) + "G";
        if (v >= 1e6) return trim(v / 1e6) + "M";
        if (v >= 1e3) return trim(v / 1e3) + "k";
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
