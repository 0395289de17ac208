package cn.crb.app.ui.common;

import cn.crb.ui.resources.UiResources;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;

import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The current language and its messages. Simplified Chinese by default; English on request. Placeholders
 * {@code {0}}, {@code {1}} are replaced literally (no MessageFormat quoting rules to trip over apostrophes).
 */
public final class I18n {
    private final ObjectProperty<Locale> locale = new SimpleObjectProperty<>(UiResources.CHINESE);

    public I18n(Locale initial) {
        locale.set(normalize(initial));
    }

    public static Locale normalize(Locale l) {
        return l != null && l.getLanguage().equals("en") ? UiResources.ENGLISH : UiResources.CHINESE;
    }

    public ObjectProperty<Locale> localeProperty() { return locale; }
    public Locale locale() { return locale.get(); }
    public ResourceBundle bundle() {
        Locale l = locale.get();
        Loaded b = loaded;
        if (b == null || !b.locale().equals(l)) loaded = b = new Loaded(l, UiResources.bundle(l));
        return b.bundle();
    }

    /**
     * The bundle of the current language, kept: {@code ResourceBundle.getBundle} walks the caller's stack and searches
     * its cache on every call, and the inbox asks for three or four texts per row each time a screenful of rows changes.
     * With the time-left text no longer going through BigDecimal, what the inbox's cell values cost went from about 1 ms
     * of a 7-8 ms pass (warm) to within the harness's noise (InboxPassHarness, docs/performance.md).
     */
    private record Loaded(Locale locale, ResourceBundle bundle) {}
    private volatile Loaded loaded;

    public String text(String key, Object... args) {
        ResourceBundle b = bundle();
        String s = b.containsKey(key) ? b.getString(key) : key;
        return args.length == 0 ? s : fill(s, args);
    }

    /**
     * {@code {0}}, {@code {1}}, … of {@code pattern} replaced by the arguments, in one pass: an argument that itself
     * contains "{1}" (a file name, a comment) is put in as it is, not filled in again.
     */
    static String fill(String pattern, Object... args) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = pattern.indexOf('{'); i >= 0; i = pattern.indexOf('{', i + 1)) {
            int j = i + 1;
            int n = 0;
            while (j < pattern.length() && j - i <= 3 && Character.isDigit(pattern.charAt(j))) n = n * 10 + (pattern.charAt(j++) - '0');
            if (j == i + 1 || j >= pattern.length() || pattern.charAt(j) != '}' || n >= args.length) continue;
            if (out == null) out = new StringBuilder(pattern.length() + 32);
            out.append(pattern, copied, i).append(args[n]);
            copied = j + 1;
            i = j;
        }
        return out == null ? pattern : out.append(pattern, copied, pattern.length()).toString();
    }

    /** A date as the person's language writes it (2026年11月27日, Nov 27, 2026). */
    public String date(java.time.LocalDate d) {
        return java.time.format.DateTimeFormatter.ofLocalizedDate(java.time.format.FormatStyle.MEDIUM).withLocale(locale()).format(d);
    }

    /**
     * A dialog's Cancel button in the interface's language. JavaFX's own {@code ButtonType.CANCEL} and {@code CLOSE}
     * take their text from the system's language when first used, so a Chinese interface on an English system (or
     * the other way round) showed "Cancel" among Chinese buttons.
     */
    public ButtonType cancelButton() {
        return new ButtonType(text("common.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
    }

    /** A dialog's Close button in the interface's language (see {@link #cancelButton}). */
    public ButtonType closeButton() {
        return new ButtonType(text("common.close"), ButtonBar.ButtonData.CANCEL_CLOSE);
    }

    /** A count as the person's language writes it, digits grouped ("10,000"). */
    public String count(long n) {
        return java.text.NumberFormat.getIntegerInstance(locale()).format(n);
    }

    public String roles(List<String> roles) {
        return list(roles.stream().map(r -> text("role." + r)).toList());
    }

    /** Clauses one after the other in the person's language ("缺少理由；学分超出", "a reason is missing; too many credits"). */
    public String clauses(List<String> items) {
        return String.join(locale().getLanguage().equals("zh") ? "；" : "; ", items);
    }

    /** Items as a list in the person's language ("身份证号、姓名", "ID number, name"). */
    public String list(List<String> items) {
        return String.join(locale().getLanguage().equals("zh") ? "、" : ", ", items);
    }
}
