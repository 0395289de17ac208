package cn.crb.app.ui.audit;

import cn.crb.app.ui.common.I18n;
import cn.crb.domain.audit.AuditEntry;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** How the audit screen writes an entry's time and subject (the entry itself keeps the UTC instant and the raw kind). */
class AuditTextsTest {
    private static AuditEntry entry(String at, String type, String id) {
        return new AuditEntry(7, at, "k1", "DECISION_SIGNED", type, id, "0".repeat(64), "0".repeat(64), "1".repeat(64));
    }

    @Test
    void theTimeIsShownInTheComputersZoneToTheSecond() {
        assertThat(AuditViewModel.atText(entry("2026-11-27T08:17:22.020Z", "case", "C-1"), ZoneId.of("Asia/Shanghai"))).isEqualTo("2026-11-27 16:17:22");
        assertThat(AuditViewModel.atText(entry("2026-12-31T23:59:59Z", "case", "C-1"), ZoneId.of("Asia/Shanghai"))).isEqualTo("2027-01-01 07:59:59");
        assertThat(AuditViewModel.atText(entry("not a time", "case", "C-1"), ZoneId.of("Asia/Shanghai"))).as("shown as stored").isEqualTo("not a time");
    }

    @Test
    void theSubjectsKindIsInTheInterfacesLanguage() {
        AuditViewModel zh = new AuditViewModel(null, null, new I18n(Locale.SIMPLIFIED_CHINESE));
        AuditViewModel en = new AuditViewModel(null, null, new I18n(Locale.ENGLISH));
        assertThat(zh.entityText(entry("2026-11-27T08:17:22Z", "case", "C-2026-0001"))).isEqualTo("案件 C-2026-0001");
        assertThat(en.entityText(entry("2026-11-27T08:17:22Z", "case", "C-2026-0001"))).isEqualTo("Case C-2026-0001");
        assertThat(zh.entityText(entry("2026-11-27T08:17:22Z", "standards", "2026.1"))).isEqualTo("标准 2026.1");
        assertThat(zh.entityText(entry("2026-11-27T08:17:22Z", "bulk-row", "3:17"))).isEqualTo("批量行 3:17");
        assertThat(zh.entityText(entry("2026-11-27T08:17:22Z", "something-new", "x"))).as("an unknown kind as stored").isEqualTo("something-new x");
    }
}
