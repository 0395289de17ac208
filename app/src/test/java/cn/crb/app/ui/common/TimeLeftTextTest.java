package cn.crb.app.ui.common;

import cn.crb.domain.cases.Deadlines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class TimeLeftTextTest {
    private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");

    private static String left(Locale l, Duration d) {
        return new TimeLeftText(new I18n(l)).format(Deadlines.until(NOW.plus(d), NOW));
    }

    @Test
    void daysAndHoursThenHoursAndMinutesInEitherLanguage() {
        assertThat(left(Locale.CHINA, Duration.ofDays(3).plusHours(4).plusMinutes(59))).isEqualTo("剩 3 天 4 小时");
        assertThat(left(Locale.CHINA, Duration.ofHours(5).plusMinutes(20).plusSeconds(59))).isEqualTo("剩 5 小时 20 分");
        assertThat(left(Locale.ENGLISH, Duration.ofDays(1))).isEqualTo("1 d 0 h left");
        assertThat(left(Locale.ENGLISH, Duration.ofMinutes(1))).isEqualTo("0 h 1 min left");
    }

    @Test
    void overdueCountsTheWholeTimePastTheDeadlineDownToTheMinute() {
        assertThat(left(Locale.CHINA, Duration.ofDays(-2).minusHours(1))).isEqualTo("逾期 2 天 1 小时");
        assertThat(left(Locale.CHINA, Duration.ofMinutes(-90))).isEqualTo("逾期 1 小时 30 分");
        // 59.5 s past is not yet a minute past; 60 s is
        assertThat(left(Locale.ENGLISH, Duration.ofMillis(-59_500))).isEqualTo("overdue by 0 h 0 min");
        assertThat(left(Locale.ENGLISH, Duration.ofSeconds(-60))).isEqualTo("overdue by 0 h 1 min");
    }

    @Test
    void aPausedOrUnlimitedStepSaysSo() {
        assertThat(new TimeLeftText(new I18n(Locale.CHINA)).format(new Deadlines.TimeLeft(null, null, Deadlines.Urgency.PAUSED))).isEqualTo("已暂停（待补充材料）");
        assertThat(new TimeLeftText(new I18n(Locale.CHINA)).format(new Deadlines.TimeLeft(null, null, Deadlines.Urgency.NO_DEADLINE))).isEqualTo("—");
    }
}
