package cn.crb.app.ui.common;

import cn.crb.domain.cases.Deadlines;

/** "剩 3 天 4 小时", "逾期 2 天 0 小时", "已暂停" … for a case's time left, in the current language. */
public final class TimeLeftText {
    private final I18n i18n;

    public TimeLeftText(I18n i18n) { this.i18n = i18n; }

    public String format(Deadlines.TimeLeft t) {
        return switch (t.urgency()) {
            case PAUSED -> i18n.text("inbox.paused");
            case NO_DEADLINE -> "—";
            // whole seconds, not Duration.negated(), which multiplies by -1 through BigDecimal (seen in the inbox's
            // longest FX-thread passes, where this runs for every visible row)
            case OVERDUE -> i18n.text("inbox.overdue", duration(-(t.left().getSeconds() + (t.left().getNano() > 0 ? 1 : 0))));
            default -> i18n.text("inbox.left", duration(t.left().getSeconds()));
        };
    }

    /** "3 天 4 小时" from whole seconds; under a day, "5 小时 20 分钟". */
    private String duration(long seconds) {
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        if (days > 0) return i18n.text("inbox.daysHours", days, hours);
        return i18n.text("inbox.hoursMinutes", seconds / 3_600, seconds % 3_600 / 60);
    }
}
