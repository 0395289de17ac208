package cn.crb.app.ui;

import cn.crb.sim.PlatformSim;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real application, driven like a person would under Xvfb: a fresh home, create a profile with a demo enrolment code
 * of the reference platform, land in the shell showing the person's name and roles; lock, unlock with a wrong then the
 * right passphrase; switch to English.
 */
class FirstStartJourneyTest extends FxRobot {
    private static final String PASS = "评审口令 Correct Horse 2026";
    @TempDir Path home;
    @TempDir Path simDir;
    private PlatformSim sim;
    private WorkstationApp app;

    @BeforeEach
    void start() throws Exception {
        sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        sim.close();
    }

    private WorkstationApp launch() throws Exception {
        app = (WorkstationApp) FxToolkit.setupApplication(WorkstationApp.class,
                "--home", home.toString(), "--platform", sim.baseUrl().toString());
        return app;
    }

    @Test
    void createProfileEnrolAndSeeTheShellThenUnlockAgain() throws Exception {
        PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
        WorkstationApp first = launch();
        Screenshots.save(lookup("#codeField").query().getScene(), "onboarding-empty");
        clickOn("#codeField").write(reviewer.enrolmentCode());
        clickOn("#passphraseField").write(PASS);
        assertThat(lookup("#strengthLabel").queryAs(Label.class).getText()).contains("强");
        clickOn("#confirmField").write(PASS);
        clickOn("#createButton");
        FxWait.until(60, () -> lookup("#personLabel").tryQuery().isPresent());
        Label person = lookup("#personLabel").queryAs(Label.class);
        assertThat(person.getText()).contains(reviewer.displayName()).contains("审核员");
        assertThat(lookup("#navDashboard").queryAs(ToggleButton.class).isSelected()).isTrue();
        // the first sync runs by itself: the demo reviewer's cases arrive without any action, and the overview counts them
        FxWait.until(90, () -> lookup("#summaryLabel").tryQuery()
                .map(n -> ((Label) n).getText().matches("本机缓存 [1-9][0-9,]* 件案件")).orElse(false));
        FxWait.until(20, () -> lookup("#tileReview").tryQuery().isPresent());
        Screenshots.save(lookup("#summaryLabel").query().getScene(), "dashboard-zh");
        clickOn("#tileReview");
        FxWait.until(10, () -> lookup("#navInbox").queryAs(ToggleButton.class).isSelected());
        FxWait.until(30, () -> lookup("#countLabel").queryAs(Label.class).getText().matches("共 [1-9][0-9,]* 件"));
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableView<cn.crb.app.cases.InboxService.Item> inboxTable = lookup("#table").queryAs(javafx.scene.control.TableView.class);
        assertThat(inboxTable.getItems()).isNotEmpty().allSatisfy(i -> assertThat(i.row().step()).isEqualTo("REVIEW"));
        assertThat(lookup("#emptyBox").query().isVisible()).isFalse();
        FxWait.until(20, () -> "在线".equals(lookup("#onlineLabel").queryAs(Label.class).getText()));
        assertThat(lookup("#outboxLabel").queryAs(Label.class).getText()).isEqualTo("发件箱：0");

        Screenshots.save(person.getScene(), "shell-zh");
        clickOn("#navAudit");
        FxWait.until(20, () -> lookup("#statusLabel").queryAs(Label.class).getText().contains("完整"));
        assertThat(lookup("#statusLabel").queryAs(Label.class).getText()).startsWith("本机审计日志共");

        // the language switch: English, everything relabelled, the person still there (once the notice shown over the
        // title bar after the first sync has gone away by itself)
        FxWait.until(20, () -> !((org.controlsfx.control.NotificationPane) person.getScene().getRoot()).isShowing());
        clickOn("#languageChoice").clickOn("English");
        FxWait.until(10, () -> lookup("#navInbox").tryQuery()
                .map(n -> ((ToggleButton) n).getText()).orElse("").equals("Inbox"));
        assertThat(lookup("#personLabel").queryAs(Label.class).getText()).contains("Reviewer");
        FxWait.until(20, () -> lookup("#statusLabel").queryAs(Label.class).getText().contains("intact"));
        Screenshots.save(lookup("#personLabel").query().getScene(), "shell-audit-en");

        // restart: the unlock screen; a wrong passphrase is refused with a clear message, the right one opens the shell
        FxToolkit.cleanupApplication(first);
        app = null;
        FxToolkit.cleanupStages();
        FxToolkit.registerPrimaryStage();
        launch();
        FxWait.until(20, () -> lookup("#unlockButton").tryQuery().isPresent());
        clickOn("#passphraseField").write("this is not it, sorry");
        clickOn("#unlockButton");
        FxWait.until(20, () -> lookup("#errorLabel").queryAs(Label.class).isVisible());
        // the language chosen before the restart is kept (preferences), so the message is in English
        assertThat(lookup("#errorLabel").queryAs(Label.class).getText()).isEqualTo("Wrong passphrase. Nothing was changed.");
        Screenshots.save(lookup("#errorLabel").query().getScene(), "unlock-wrong-passphrase");
        clickOn("#passphraseField").write(PASS);
        clickOn("#unlockButton");
        FxWait.until(30, () -> lookup("#personLabel").tryQuery().isPresent());
        assertThat(lookup("#personLabel").queryAs(Label.class).getText()).contains(reviewer.displayName());
        assertThat(listWindows().stream().filter(w -> w.isShowing() && w instanceof Stage).map(w -> ((Stage) w).getTitle()))
                .contains("Credit Recognition Reviewer Workstation");
    }
}
