package cn.crb.app.ui;

import cn.crb.sim.PlatformSim;
import com.fasterxml.jackson.databind.JsonNode;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reviewer is made a panel member on the platform: the first sync after that is refused (nothing lost), a
 * notification says to sign in again, the Sync screen offers it; with the new code the window rebuilds itself with the
 * Arbitration section, and a notification names the old and new roles. New assignments were notified on the first sync.
 */
class RoleChangeJourneyTest extends JourneyBase {
    private static final String PASS = "角色变更旅程的口令 Journey 2026";

    @Test
    void aReviewerMadePanelMemberSignsInAgainAndGetsTheArbitrationSection() throws Exception {
        startApp();
        PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
        enrol(reviewer.enrolmentCode(), PASS);

        // the first sync pulls the reviewer's cases: told in a notification
        FxWait.until(90, () -> shown("平台新分配给您"));
        assertThat(visible("#navArbitration")).isFalse();

        JsonNode changed = admin("/admin/v1/people/" + reviewer.personId() + "/roles", "{\"roles\":[\"REVIEWER\",\"PANEL_MEMBER\"]}");
        navigate("#navSync");
        FxWait.until(120, () -> lookup("#syncButton").tryQuery().map(n -> !n.isDisabled()).orElse(false));
        clickOn("#syncButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#syncPassphrase").write(PASS);
        clickOn(dialogButton("立即同步"));
        FxWait.until(60, () -> visible("#signInButton"));
        assertThat(lookup("#reportLabel").queryAs(Labeled.class).getText()).startsWith("平台要求重新登录");
        FxWait.until(10, () -> shown("平台收回了本工作站的登录凭证"));
        Screenshots.save(lookup("#signInButton").query().getScene(), "sync-sign-in-again-zh");

        clickOn("#signInButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#signInCode").write(changed.path("enrolmentCode").asText());
        clickOn(dialogButton("重新登录"));
        FxWait.until(60, () -> visible("#navArbitration"));
        FxWait.until(10, () -> shown("平台变更了您的角色：审核员 → 审核员、仲裁专家"));
        assertThat(lookup("#personLabel").queryAs(Labeled.class).getText()).contains("审核员、仲裁专家");
    }

    /**
     * Whether a notice (or any label) on screen holds the text. Looked up on the FX thread: walking the scene graph
     * from the test thread while a notification is added failed now and then with an IndexOutOfBoundsException.
     */
    private boolean shown(String text) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> lookup((Node n) -> n instanceof Labeled l && l.getText() != null && l.getText().contains(text)
                && n.isVisible()).tryQuery().isPresent()).get(10, TimeUnit.SECONDS);
    }

}
