package cn.crb.app.print;

import cn.crb.ui.resources.UiResources;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The words of a printed document, from the same message bundles as the screens ({@code print.*}), in Chinese unless
 * English is asked for. Times are Beijing time, the platform's, whatever the machine's zone.
 */
final class PrintTexts {
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private final Locale locale;
    private final ResourceBundle bundle;

    PrintTexts(Locale requested) {
        this.locale = requested != null && requested.getLanguage().equals("en") ? UiResources.ENGLISH : UiResources.CHINESE;
        this.bundle = UiResources.bundle(locale);
    }

    Locale locale() { return locale; }

    /** The message {@code key} with {@code {0}}, {@code {1}} … replaced literally (as the screens do). */
    String text(String key, Object... args) {
        String s = bundle.containsKey(key) ? bundle.getString(key) : key;
        for (int i = 0; i < args.length; i++) s = s.replace("{" + i + "}", String.valueOf(args[i]));
        return s;
    }

    /** A moment as the document's readers say it: {@code 2026年11月23日 16:15:02（北京时间）}. */
    String dateTime(Instant at) {
        return at == null ? "—" : DateTimeFormatter.ofPattern(text("print.dateTime"), locale).withZone(BEIJING).format(at);
    }

    /** A hex digest in groups of eight, {@code perLine} groups to a line: easy to read aloud and compare on paper. */
    static String grouped(String hex, int perLine) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 8) {
            if (i > 0) b.append(i / 8 % perLine == 0 ? '\n' : ' ');
            b.append(hex, i, Math.min(hex.length(), i + 8));
        }
        return b.toString();
    }
}
