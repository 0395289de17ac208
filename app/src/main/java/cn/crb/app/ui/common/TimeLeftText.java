package cn.crb.app.ui.common;

import cn.crb.domain.cases.Deadlines;

import java.time.Duration;

/** "剩 3 天 4 小时", "逾期 2 天 0 小时", "已暂停" … for a case's time left, in the current language. */
public final class TimeLeftText {
    private final I18n i18n;

    public TimeLeftText(I18n i18n) { this.i18n = i18n; }

    public String format(Deadlines.TimeLeft t) {
        return switch (t.urgency()) {
            case PAUSED -> i18n.text("inbox.paused");
            case NO_DEADLINE -> "—";
            case OVERDUE -> i18n.text("inbox.overdue", duration(t.left().negated()));
            default -> i18n.text("inbox.left", duration(t.left()));
        };
    }

    private String duration(Duration d) {
        long days = d.toDays();
        long hours = d.minusDays(days).toHours();
        if (days > 0) return i18n.text("inbox.daysHours", days, hours);
        long minutes = d.minusHours(d.toHours()).toMinutes();
        return i18n.text("inbox.hoursMinutes", d.toHours(), minutes);
    }
}
