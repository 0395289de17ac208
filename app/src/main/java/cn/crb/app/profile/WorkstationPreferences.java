package cn.crb.app.profile;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * How this workstation looks for whoever sits at it: language, theme and text size, in a small properties file in the
 * workstation home ({@code preferences.properties}). Nothing secret lives here, so it stays outside the encrypted
 * profile databases and is read before anyone unlocks. Unknown or damaged values fall back to the defaults.
 */
public final class WorkstationPreferences {
    public static final String FILE = "preferences.properties";
    public static final int DEFAULT_SCALE = 100;
    public static final int MIN_SCALE = 80;
    public static final int MAX_SCALE = 200;

    /** The stored choices; {@code language} and {@code theme} may be null (not chosen yet). */
    public record Values(String language, String theme, int scalePercent) {
        public Values {
            scalePercent = Math.clamp(scalePercent, MIN_SCALE, MAX_SCALE);
        }
        public Values withLanguage(String l) { return new Values(l, theme, scalePercent); }
        public Values withTheme(String t) { return new Values(language, t, scalePercent); }
        public Values withScale(int s) { return new Values(language, theme, s); }
    }

    private final Path file;

    public WorkstationPreferences(Path homeDir) {
        this.file = homeDir.resolve(FILE);
    }

    public Path file() { return file; }

    public Values load() {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                p.clear();
            }
        }
        int scale;
        try {
            scale = Integer.parseInt(p.getProperty("text.scale", String.valueOf(DEFAULT_SCALE)).strip());
        } catch (NumberFormatException e) {
            scale = DEFAULT_SCALE;
        }
        return new Values(blankToNull(p.getProperty("language")), blankToNull(p.getProperty("theme")), scale);
    }

    /** Writes the file whole (a temporary file moved into place, so a crash leaves the old or the new one). */
    public void save(Values v) {
        Properties p = new Properties();
        if (v.language() != null) p.setProperty("language", v.language());
        if (v.theme() != null) p.setProperty("theme", v.theme());
        p.setProperty("text.scale", String.valueOf(v.scalePercent()));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "crb workstation display preferences");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
