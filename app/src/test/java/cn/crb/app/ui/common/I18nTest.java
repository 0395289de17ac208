package cn.crb.app.ui.common;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Filling in a text's arguments, and dates as each language writes them. */
class I18nTest {
    @Test
    void argumentsAreFilledInOnceEvenWhenOneContainsAPlaceholder() {
        assertThat(I18n.fill("文件 {0} 的第 {1} 行", "名单{1}.csv", 5)).isEqualTo("文件 名单{1}.csv 的第 5 行");
        assertThat(I18n.fill("{1} before {0}, {0} again", "a", "b")).isEqualTo("b before a, a again");
        assertThat(I18n.fill("{0} and {3}, {x}, {} and {", "a")).isEqualTo("a and {3}, {x}, {} and {");
        assertThat(I18n.fill("no arguments here", "a")).isEqualTo("no arguments here");
        assertThat(I18n.fill("{10}", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, "ten")).isEqualTo("ten");
        assertThat(new I18n(Locale.ENGLISH).text("bulk.already", 7, "{2}", "{0}"))
                .isEqualTo("This file (same SM3) was imported on {2} as import no. 7 ({0}); it will not be imported again.");
    }

    @Test
    void datesAsEachLanguageWritesThem() {
        LocalDate d = LocalDate.of(2026, 11, 27);
        assertThat(new I18n(Locale.SIMPLIFIED_CHINESE).date(d)).isEqualTo("2026年11月27日");
        assertThat(new I18n(Locale.ENGLISH).date(d)).isEqualTo("Nov 27, 2026");
    }

    @Test
    void aRoleNotHeldIsNamedAsThePersonKnowsIt() {
        var e = new cn.crb.app.profile.ProfileException(cn.crb.app.profile.ProfileException.Reason.ROLE_NOT_HELD, "CLERK", null);
        assertThat(ErrorMessages.of(e, new I18n(Locale.SIMPLIFIED_CHINESE))).isEqualTo("您没有“机构经办人”角色，不能签署此文件。");
        assertThat(ErrorMessages.of(e, new I18n(Locale.ENGLISH))).isEqualTo("You do not hold the role \"Institution clerk\" needed to sign this.");
    }
}
