package cn.crb.app.ui.common;

import cn.crb.app.ui.help.HelpDialog;
import cn.crb.app.ui.shell.ShellViewModel;
import cn.crb.ui.resources.UiResources;
import javafx.scene.input.KeyCodeCombination;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.ResourceBundle;

import static org.assertj.core.api.Assertions.assertThat;

/** The shortcut table: every shortcut described in both languages, no key given twice, a section key per section. */
class ShortcutTest {
    private static final ResourceBundle ZH = UiResources.bundle(UiResources.CHINESE);
    private static final ResourceBundle EN = UiResources.bundle(UiResources.ENGLISH);

    @Test
    void everyShortcutIsDescribedInBothLanguages() {
        for (Shortcut s : Shortcut.values()) {
            assertThat(ZH.containsKey(s.messageKey())).as("zh " + s).isTrue();
            assertThat(EN.containsKey(s.messageKey())).as("en " + s).isTrue();
            assertThat(ZH.getString(s.messageKey())).as(s.name()).isNotEqualTo(EN.getString(s.messageKey()));
            assertThat(s.keys()).as(s.name()).isNotEmpty();
            assertThat(s.keysText()).as(s.name()).isNotBlank().doesNotContain("Undefined");
        }
        for (Shortcut.Scope sc : Shortcut.Scope.values()) {
            assertThat(ZH.containsKey("shortcut.scope." + sc.name()) && EN.containsKey("shortcut.scope." + sc.name())).as(sc.name()).isTrue();
        }
    }

    @Test
    void noKeyIsGivenTwice() {
        // a global key would shadow a screen's key; two screens may reuse a key only if they are never shown together
        Map<String, Shortcut> seen = new HashMap<>();
        for (Shortcut s : Shortcut.values()) {
            for (KeyCodeCombination k : s.keys()) {
                Shortcut before = seen.put(k.getName(), s);
                assertThat(before).as("%s given to %s and %s", k.getName(), before, s).isNull();
            }
        }
    }

    @Test
    void keysReadTheSameInEveryLocale() {
        assertThat(Shortcut.NEXT_CASE.keysText()).isEqualTo("Ctrl+] / Alt+→");
        assertThat(Shortcut.CASE_SIGN.keysText()).isEqualTo("Ctrl+Enter");
        assertThat(Shortcut.TEXT_LARGER.keysText()).isEqualTo("Ctrl+= / Ctrl+Num +");
        assertThat(Shortcut.HELP.keysText()).isEqualTo("F1");
        assertThat(Shortcut.SECTION_3.keysText()).isEqualTo("Ctrl+3");
    }

    @Test
    void everySectionHasAKeyAndEveryScreenAHelpPage() {
        long sectionKeys = java.util.Arrays.stream(Shortcut.values()).filter(s -> s.sectionIndex() >= 0).count();
        assertThat(sectionKeys).isEqualTo(ShellViewModel.SECTIONS.size());
        assertThat(HelpDialog.TOPICS).containsAll(ShellViewModel.SECTIONS).contains("case");
        for (String t : HelpDialog.TOPICS) {
            for (ResourceBundle b : new ResourceBundle[]{ZH, EN}) {
                assertThat(b.getString("help." + t + ".title")).isNotBlank();
                assertThat(b.getString("help." + t + ".body")).as(t).hasSizeGreaterThan(80);
            }
        }
    }
}
