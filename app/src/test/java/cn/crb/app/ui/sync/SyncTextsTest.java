package cn.crb.app.ui.sync;

import cn.crb.app.ui.common.I18n;
import cn.crb.sync.SyncReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The standards a sync refused, said in the person's language, not in the engine's English. */
class SyncTextsTest {
    private static final List<SyncReport.StandardsRefusal> REFUSED = List.of(
            new SyncReport.StandardsRefusal("2027.1", "BAD_SIGNATURE", "BAD_SIGNATURE: the signature does not verify"),
            new SyncReport.StandardsRefusal("2027.2", "NOT_SERVED", "the platform did not serve it: 404"),
            new SyncReport.StandardsRefusal("2026.1", "REFUSED_EQUIVOCATION", "REFUSED_EQUIVOCATION: version 2026.1 is already held with different content"),
            new SyncReport.StandardsRefusal("2028.1", "SOMETHING_NEW", "a reason of a later version"));

    @Test
    void eachRefusedVersionWithWhyInChinese() {
        assertThat(SyncViewModel.standardsRefusedText(new I18n(Locale.SIMPLIFIED_CHINESE), REFUSED)).isEqualTo(
                "拒绝的标准：2027.1（签名验证失败）、2027.2（平台未提供该版本）、2026.1（同一版本号内容不同，拒绝（平台可能存在篡改））、2028.1（SOMETHING_NEW）。");
    }

    @Test
    void andInEnglish() {
        String en = SyncViewModel.standardsRefusedText(new I18n(Locale.ENGLISH), REFUSED);
        assertThat(en).startsWith("Standards refused: 2027.1 (").contains(", 2027.2 (the platform did not serve it), 2026.1 (")
                .doesNotContain("（").doesNotContain("、").doesNotContain("BAD_SIGNATURE:");
    }

    @Test
    void casesWhoseDocumentsCouldNotBeReadByIdTheFirstFive() {
        List<SyncReport.CaseRefusal> two = List.of(new SyncReport.CaseRefusal("C-1", "appliedOn is not a date: \"\""),
                new SyncReport.CaseRefusal("C-2", "step is missing"));
        assertThat(SyncViewModel.casesRefusedText(new I18n(Locale.SIMPLIFIED_CHINESE), two))
                .isEqualTo("2 个案件的文档无法读取，未收下（已记入审计日志，请联系平台）：C-1、C-2。");
        List<SyncReport.CaseRefusal> seven = java.util.stream.IntStream.rangeClosed(1, 7)
                .mapToObj(i -> new SyncReport.CaseRefusal("C-" + i, "step is missing")).toList();
        String en = SyncViewModel.casesRefusedText(new I18n(Locale.ENGLISH), seven);
        assertThat(en).startsWith("The documents of 7 cases could not be read").contains("C-5").doesNotContain("C-6").endsWith(" and 2 more.");
    }
}
