package cn.crb.app.print;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fonts printed documents embed, found on the machine at run time. PDFBox embeds (and subsets) TrueType fonts with
 * {@code glyf} outlines; the CFF-based Noto Sans CJK the screens use cannot be embedded that way, so a notice takes a
 * TrueType CJK font — Droid Sans Fallback (Debian {@code fonts-droid-fallback}, installed by {@code .ci/run} and
 * {@code run-tests}) first, then WenQuanYi, AR PL UMing, or the Windows SimSun / Microsoft YaHei — plus a Latin
 * TrueType font (DejaVu Sans, Liberation Sans, Arial) for letters and digits the CJK font lacks. {@code CRB_PRINT_FONT}
 * (or {@code -Dcrb.print.font}) names another TrueType CJK font file.
 */
public final class PrintFonts {
    /** Where Debian/Ubuntu, Fedora and Windows keep TrueType CJK fonts; the first usable one is taken. */
    static final List<String> CJK = List.of(
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
            "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
            "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
            "/usr/share/fonts/truetype/arphic/uming.ttc",
            "C:\\Windows\\Fonts\\simsun.ttc",
            "C:\\Windows\\Fonts\\msyh.ttc");
    /** Latin companions, for what the CJK font does not cover (Droid Sans Fallback has no Latin letters). */
    static final List<String> LATIN = List.of(
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
            "C:\\Windows\\Fonts\\arial.ttf");

    /** No embeddable CJK font was found: says what to install, in both languages (a CLI and a log read it as it is). */
    public static final class MissingFontException extends IOException {
        MissingFontException(String message) { super(message); }
    }

    /** A font that can be embedded: its file, the parsed font, and what to close once the document is saved. */
    public record Loaded(Path file, TrueTypeFont font, java.io.Closeable owner) implements java.io.Closeable {
        @Override public void close() throws IOException { owner.close(); }
    }

    private PrintFonts() {}

    /** The CJK font, then the Latin one when found (the CJK font alone when it covers Latin and no Latin font is there). */
    public static List<Loaded> load(Map<String, String> env) throws IOException {
        List<Loaded> out = new ArrayList<>();
        String override = System.getProperty("crb.print.font", env.get("CRB_PRINT_FONT"));
        Optional<Loaded> cjk = override != null && !override.isBlank() ? open(Path.of(override), '中')
                : firstUsable(CJK, '中');
        if (cjk.isEmpty()) {
            throw new MissingFontException(override != null && !override.isBlank()
                    ? "打印字体 " + override + " 不是含中文字形的 TrueType 字体 / the print font " + override + " is not a TrueType font with Chinese glyphs"
                    : "未找到可嵌入 PDF 的中文 TrueType 字体，请安装 fonts-droid-fallback（或 fonts-wqy-microhei），或用 CRB_PRINT_FONT 指定字体文件"
                    + " / no embeddable Chinese TrueType font found: install fonts-droid-fallback (or fonts-wqy-microhei), or name a font file in CRB_PRINT_FONT");
        }
        out.add(cjk.get());
        Optional<Loaded> latin = firstUsable(LATIN, 'A');
        if (latin.isPresent()) {
            out.add(latin.get());
        } else if (!covers(cjk.get().font(), "0123456789abcdefABCDEF")) {
            cjk.get().close();
            throw new MissingFontException("未找到拉丁字母字体，请安装 fonts-dejavu-core / no Latin TrueType font found: install fonts-dejavu-core");
        }
        return out;
    }

    private static Optional<Loaded> firstUsable(List<String> candidates, int probe) {
        for (String c : candidates) {
            Path p;
            try {
                p = Path.of(c);
            } catch (RuntimeException e) {
                continue; // a Windows path on Linux, or the reverse
            }
            if (!Files.isRegularFile(p)) continue;
            Optional<Loaded> l = open(p, probe);
            if (l.isPresent()) return l;
        }
        return Optional.empty();
    }

    /** The font in {@code file} (the first of a collection) with glyf outlines that maps {@code probe}, or empty. */
    static Optional<Loaded> open(Path file, int probe) {
        try {
            if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ttc")) {
                TrueTypeCollection ttc = new TrueTypeCollection(file.toFile());
                TrueTypeFont[] found = new TrueTypeFont[1];
                ttc.processAllFonts(f -> {
                    if (found[0] == null && usable(f, probe)) found[0] = f;
                });
                if (found[0] == null) {
                    ttc.close();
                    return Optional.empty();
                }
                return Optional.of(new Loaded(file, found[0], ttc));
            }
            TrueTypeFont f = new TTFParser().parse(new RandomAccessReadBufferedFile(file.toFile()));
            if (!usable(f, probe)) {
                f.close();
                return Optional.empty();
            }
            return Optional.of(new Loaded(file, f, f));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean usable(TrueTypeFont f, int probe) throws IOException {
        return f.getGlyph() != null && f.getUnicodeCmapLookup(false) != null && f.getUnicodeCmapLookup(false).getGlyphId(probe) > 0;
    }

    static boolean covers(TrueTypeFont f, String s) throws IOException {
        var cmap = f.getUnicodeCmapLookup(false);
        return s.codePoints().allMatch(cp -> cmap.getGlyphId(cp) > 0);
    }
}
