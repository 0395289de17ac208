package cn.crb.app.ui;

import cn.crb.app.ui.shell.ShellViewModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each role sees the screens it may use, and only those. */
class ShellSectionsTest {
    @Test
    void sectionsFollowRoles() {
        assertThat(ShellViewModel.sectionsFor(List.of("REVIEWER"))).containsExactly("dashboard", "inbox", "standards", "sync", "audit");
        assertThat(ShellViewModel.sectionsFor(List.of("PANEL_MEMBER", "PANEL_CHAIR"))).containsExactly("dashboard", "arbitration", "standards", "sync", "audit");
        assertThat(ShellViewModel.sectionsFor(List.of("CLERK"))).containsExactly("dashboard", "inbox", "bulk", "standards", "sync", "audit");
        assertThat(ShellViewModel.sectionsFor(List.of("REVIEWER", "PANEL_MEMBER"))).contains("inbox", "arbitration").doesNotContain("bulk");
    }
}
