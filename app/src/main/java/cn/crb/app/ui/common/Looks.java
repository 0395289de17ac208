package cn.crb.app.ui.common;

import cn.crb.app.profile.WorkstationPreferences;
import cn.crb.ui.resources.UiResources;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The window's theme and text size, applied to every window of the application (the main window and each dialog) as
 * style sheets: {@code app.css}, the theme's sheet, then a one-rule sheet that sets the root font size. All sizes in
 * the sheets are relative ({@code em}), so the whole interface follows. Each change is saved to the workstation's
 * preferences on a worker thread.
 */
public final class Looks {
    private static final Logger LOG = LoggerFactory.getLogger(Looks.class);
    /** The base font size in px at 100 %. */
    public static final double BASE_FONT_PX = 14;
    /** The text sizes offered, in percent. */
    public static final List<Integer> SCALES = List.of(80, 90, 100, 110, 125, 150, 175, 200);

    /** The themes: the calm light one, a dark one for dim rooms, a high-contrast one for tired or weak eyes. */
    public enum Theme {
        LIGHT(null), DARK("theme-dark.css"), HIGH_CONTRAST("theme-contrast.css");

        private final String sheet;

        Theme(String sheet) { this.sheet = sheet; }

        public String messageKey() { return "theme." + name(); }

        static Theme parse(String s) {
            if (s != null) for (Theme t : values()) if (t.name().equalsIgnoreCase(s)) return t;
            return LIGHT;
        }
    }

    private final WorkstationPreferences preferences;
    private final Background background;
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(Theme.LIGHT);
    private final IntegerProperty scale = new SimpleIntegerProperty(WorkstationPreferences.DEFAULT_SCALE);
    private volatile WorkstationPreferences.Values saved;

    public Looks(WorkstationPreferences preferences, Background background) {
        this.preferences = preferences;
        this.background = background;
        this.saved = preferences.load();
        theme.set(Theme.parse(saved.theme()));
        scale.set(nearest(saved.scalePercent()));
        theme.addListener((o, a, b) -> changed());
        scale.addListener((o, a, b) -> changed());
    }

    /** The language stored last time, or null. */
    public String savedLanguage() { return saved.language(); }

    /** Remembers the language chosen in the window. */
    public void saveLanguage(Locale l) {
        saved = saved.withLanguage(l.getLanguage());
        save();
    }

    public ObjectProperty<Theme> themeProperty() { return theme; }
    public IntegerProperty scaleProperty() { return scale; }

    /** One step larger / smaller / back to 100 %. */
    public void larger() { step(+1); }
    public void smaller() { step(-1); }
    public void resetScale() { scale.set(WorkstationPreferences.DEFAULT_SCALE); }

    private void step(int d) {
        int i = SCALES.indexOf(nearest(scale.get()));
        scale.set(SCALES.get(Math.clamp(i + d, 0, SCALES.size() - 1)));
    }

    static int nearest(int percent) {
        int best = SCALES.getFirst();
        for (int s : SCALES) if (Math.abs(s - percent) < Math.abs(best - percent)) best = s;
        return best;
    }

    /** The root font size in px for the current scale. */
    public double fontPx() { return BASE_FONT_PX * scale.get() / 100.0; }

    /** Applies the looks to every window now showing and to each window shown later (dialogs included). */
    public void followAllWindows() {
        if (following != null) return;
        Window.getWindows().forEach(w -> { if (w.getScene() != null) apply(w.getScene()); });
        following = c -> {
            while (c.next()) for (Window w : c.getAddedSubList()) {
                if (w.getScene() != null) apply(w.getScene());
                w.sceneProperty().addListener((o, a, s) -> { if (s != null && following != null) apply(s); });
            }
        };
        Window.getWindows().addListener(following);
    }

    private ListChangeListener<Window> following;

    /** Stops styling new windows (the application is stopping; another instance in the same JVM has its own looks). */
    public void stopFollowing() {
        if (following != null) Window.getWindows().removeListener(following);
        following = null;
    }

    /** Puts this application's sheets, in order, after any other sheet the scene has. */
    public void apply(Scene scene) {
        List<String> sheets = new ArrayList<>(scene.getStylesheets());
        sheets.removeIf(Looks::ours);
        sheets.addAll(sheets());
        scene.getStylesheets().setAll(sheets);
    }

    /** The application's sheets for the current theme and text size. */
    public List<String> sheets() {
        List<String> out = new ArrayList<>();
        out.add(UiResources.stylesheet().toExternalForm());
        if (theme.get().sheet != null) out.add(UiResources.stylesheet(theme.get().sheet).toExternalForm());
        String css = "/* crb-text-size */ .root { -fx-font-size: " + String.format(Locale.ROOT, "%.1f", fontPx()) + "px; }";
        out.add("data:text/css;base64," + Base64.getEncoder().encodeToString(css.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private static boolean ours(String sheet) {
        return sheet.equals(UiResources.stylesheet().toExternalForm()) || sheet.contains("/cn/crb/ui/theme-")
                || sheet.startsWith("data:text/css");
    }

    private void changed() {
        Window.getWindows().forEach(w -> { if (w.getScene() != null) apply(w.getScene()); });
        saved = saved.withTheme(theme.get().name()).withScale(scale.get());
        save();
    }

    private void save() {
        // the latest values win even when two saves overlap on the workers
        background.run(() -> {
            synchronized (preferences) {
                WorkstationPreferences.Values v = saved;
                preferences.save(v);
                return v;
            }
        }, x -> { }, t -> LOG.warn("preferences not saved: {}", t.toString()));
    }
}
