package cn.crb.domain.bulk;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The clerk-facing messages of the bulk import, from {@code cn/crb/domain/bulk/messages.properties} (Chinese, the
 * default) and {@code messages_en.properties} (English). Bundles are loaded without falling back to the JVM's
 * default locale, so the language shown is exactly the one asked for: English for {@code en}, Chinese otherwise.
 * Immutable and thread-safe.
 */
public final class Messages {
    private static final String BASE = "cn.crb.domain.bulk.messages";
    private final ResourceBundle bundle;
    private final Locale locale;

    private Messages(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
    }

    /** The messages for a locale: English when its language is {@code en}, Chinese otherwise. */
    public static Messages of(Locale locale) {
        Locale l = "en".equals(locale.getLanguage()) ? Locale.ENGLISH : Locale.ROOT;
        ResourceBundle b = ResourceBundle.getBundle(BASE, l, Messages.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return new Messages(b, l == Locale.ROOT ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH);
    }

    public Locale locale() { return locale; }

    /** The message for a code, with its arguments ({0}, {1} …). */
    public String format(ProblemCode code, Object... args) {
        return text(code.name(), args);
    }

    /** Any message by key ({@code ProblemCode} names, or the few other keys of the bundle). */
    public String text(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("no message " + key + " for " + locale, e);
        }
        return new MessageFormat(pattern, locale).format(args);
    }
}
