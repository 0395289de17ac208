package cn.crb.app.ui;

import cn.crb.domain.json.Json;
import cn.crb.sim.PlatformSim;
import com.fasterxml.jackson.databind.JsonNode;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reviewer is made a panel member on the platform: the first sync after that is refused (nothing lost), a
 * notification says to sign in again, the Sync screen offers it; with the new code the window rebuilds itself with the
 * Arbitration section, and a notification names the old and new roles. New assignments were notified on the first sync.
 */
class RoleChangeJourneyTest extends FxRobot {
    private static final String PASS = "角色变更旅程的口令 Journey 2026";
    @TempDir Path home;
    @TempDir Path simDir;
    private PlatformSim sim;
    private WorkstationApp app;

    @BeforeEach
    void start() throws Exception {
        sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
        FxToolkit.registerPrimaryStage();
        app = (WorkstationApp) FxToolkit.setupApplication(WorkstationApp.class, "--home", home.toString(), "--platform", sim.baseUrl().toString());
    }

    @AfterEach
    void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        sim.close();
    }

    @Test
    void aReviewerMadePanelMemberSignsInAgainAndGetsTheArbitrationSection() throws Exception {
        PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
        clickOn("#codeField").write(reviewer.enrolmentCode());
        clickOn("#passphraseField").write(PASS);
        clickOn("#confirmField").write(PASS);
        clickOn("#createButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> lookup("#personLabel").tryQuery().isPresent());

        // the first sync pulls the reviewer's cases: told in a notification
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> shown("平台新分配给您"));
        assertThat(visible("#navArbitration")).isFalse();

        JsonNode changed = admin("/admin/v1/people/" + reviewer.personId() + "/roles", "{\"roles\":[\"REVIEWER\",\"PANEL_MEMBER\"]}");
        navigate("#navSync");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> lookup("#syncButton").tryQuery().map(n -> !n.isDisabled()).orElse(false));
        clickOn("#syncButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#syncPassphrase").write(PASS);
        clickOn(dialogButton("立即同步"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> visible("#signInButton"));
        assertThat(lookup("#reportLabel").queryAs(Labeled.class).getText()).startsWith("平台要求重新登录");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> shown("平台收回了本工作站的登录凭证"));
        Screenshots.save(lookup("#signInButton").query().getScene(), "sync-sign-in-again-zh");

        clickOn("#signInButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#signInCode").write(changed.path("enrolmentCode").asText());
        clickOn(dialogButton("重新登录"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> visible("#navArbitration"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> shown("平台变更了您的角色：审核员 → 审核员、仲裁专家"));
        assertThat(lookup("#personLabel").queryAs(Labeled.class).getText()).contains("审核员、仲裁专家");
    }

    /** Whether a notification (or any label) on screen holds the text. */
    private boolean shown(String text) {
        return lookup((Node n) -> n instanceof Labeled l && l.getText() != null && l.getText().contains(text) && n.isVisible()).tryQuery().isPresent();
    }

    private boolean visible(String id) {
        return lookup(id).queryAll().stream().anyMatch(n -> n.getScene() != null && n.isVisible());
    }

    private void navigate(String id) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> visible(id));
        clickOn(lookup(id).queryAll().stream().filter(n -> n.getScene() != null && n.isVisible()).findFirst().orElseThrow());
    }

    private Node dialogButton(String text) {
        return lookup(".dialog-pane .button").match((javafx.scene.control.Button b) -> text.equals(b.getText())).query();
    }

    private JsonNode admin(String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sim.baseUrl().resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return Json.parse(r.body());
    }
}
