package cn.crb.app.ui;

import cn.crb.app.cases.InboxService;
import cn.crb.app.profile.WorkstationPreferences;
import cn.crb.app.ui.common.Shortcut;
import cn.crb.app.ui.inbox.InboxViewModel;
import cn.crb.sim.PlatformSim;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reviewer who does not touch the mouse after enrolment: Ctrl+2 to the inbox, arrows and Enter to open a case,
 * Ctrl+] and Ctrl+[ to the next and previous case, Ctrl+R to accept the recommendation, Ctrl+Enter to sign, the
 * passphrase and Enter; F1 shows the help of the case screen with every shortcut. Then the looks: the dark theme and
 * a larger text size are applied to the window and the dialogs and are still there after a restart.
 */
class KeyboardJourneyTest extends FxRobot {
    private static final String PASS = "键盘审核员 Keyboard-Journey 2026";
    @TempDir Path home;
    @TempDir Path simDir;
    private PlatformSim sim;
    private WorkstationApp app;

    @BeforeEach
    void start() throws Exception {
        sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
        FxToolkit.registerPrimaryStage();
        app = launch();
    }

    private WorkstationApp launch() throws Exception {
        return (WorkstationApp) FxToolkit.setupApplication(WorkstationApp.class, "--home", home.toString(), "--platform", sim.baseUrl().toString());
    }

    @AfterEach
    void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        sim.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void reviewSignAndFindHelpWithTheKeyboardOnly() throws Exception {
        PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
        clickOn("#codeField").write(reviewer.enrolmentCode());
        clickOn("#passphraseField").write(PASS);
        clickOn("#confirmField").write(PASS);
        clickOn("#createButton");
        FxWait.until(60, () -> lookup("#personLabel").tryQuery().isPresent());
        // from here on: keys only. The first sync runs by itself after enrolment; the overview shows first, the inbox is Ctrl+2.
        FxWait.until(90, () -> lookup("#summaryLabel").tryQuery()
                .map(n -> ((Label) n).getText().matches("本机缓存 [1-9][0-9,]* 件案件")).orElse(false));
        // keys go to the focused window: make sure it is the workstation's (not a window left over by an earlier test)
        interact(() -> {
            javafx.stage.Window w = lookup("#personLabel").query().getScene().getWindow();
            ((javafx.stage.Stage) w).toFront();
            w.requestFocus();
            lookup("#nav").query().requestFocus();
        });
        WaitForAsyncUtils.waitForFxEvents();
        for (int attempt = 0; attempt < 5 && !FxWait.onFx(() -> lookup("#table").tryQuery().map(Node::isVisible).orElse(false)); attempt++) {
            push(KeyCode.CONTROL, KeyCode.DIGIT2); // again if the overview was still settling when the key came
            WaitForAsyncUtils.waitForFxEvents();
            Thread.sleep(500);
        }
        FxWait.until(90, () -> lookup("#table").tryQuery()
                .map(t -> ((TableView<InboxService.Item>) t).getItems().stream().anyMatch(KeyboardJourneyTest::reviewable)).orElse(false));
        TableView<InboxService.Item> inbox = lookup("#table").queryAs(TableView.class);
        FxWait.until(10, inbox::isFocused);

        List<InboxService.Item> items = List.copyOf(inbox.getItems());
        int j = java.util.stream.IntStream.range(0, items.size()).filter(i -> reviewable(items.get(i))).findFirst().orElseThrow();
        assertThat(items.size()).as("two cases at least, to move between them").isGreaterThan(1);
        int other = j + 1 < items.size() ? j + 1 : j - 1;
        String caseId = items.get(j).row().caseId();
        type(KeyCode.HOME);
        for (int i = 0; i < j; i++) type(KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(inbox.getSelectionModel().getSelectedIndex()).isEqualTo(j);
        type(KeyCode.ENTER);
        waitForCase(caseId);

        // next / previous in inbox order
        push(KeyCode.CONTROL, other > j ? KeyCode.CLOSE_BRACKET : KeyCode.OPEN_BRACKET);
        waitForCase(items.get(other).row().caseId());
        push(KeyCode.CONTROL, other > j ? KeyCode.OPEN_BRACKET : KeyCode.CLOSE_BRACKET);
        waitForCase(caseId);
        FxWait.until(30, () -> !lookup("#linesTable").queryAs(TableView.class).getItems().isEmpty());
        FxWait.until(10, () -> lookup("#linesTable").query().isFocused());

        // the lines open on the granted credits: F2 edits, Esc drops the edit and stays in the case
        type(KeyCode.F2);
        FxWait.until(5, () -> lookup("#linesTable").queryAs(TableView.class).getEditingCell() != null);
        assertThat(lookup("#linesTable").queryAs(TableView.class).getEditingCell().getTableColumn().getId()).isEqualTo("granted");
        type(KeyCode.ESCAPE);
        FxWait.until(5, () -> lookup("#linesTable").queryAs(TableView.class).getEditingCell() == null);
        assertThat(lookup("#titleLabel").queryAs(Label.class).getText()).startsWith(caseId);

        // accept the recommendation, then sign
        push(KeyCode.CONTROL, KeyCode.R);
        FxWait.until(10, () -> !lookup("#signButton").query().isDisabled()
                || !lookup("#problemsLabel").queryAs(Label.class).getText().isEmpty());
        assertThat(lookup("#verdictChoice").query().isFocused()).as("after Ctrl+R the verdict has the focus").isTrue();
        assertThat(lookup("#verdictChoice").queryAs(ComboBox.class).getValue()).isNotNull();
        if (lookup("#signButton").query().isDisabled()) {
            // nothing to grant: a rejection needs a comment; Tab past "accept" into the comment
            type(KeyCode.TAB);
            type(KeyCode.TAB);
            assertThat(lookup("#commentArea").query().isFocused()).isTrue();
            write("申请材料与认定标准不符。");
        }
        FxWait.until(10, () -> !lookup("#signButton").query().isDisabled());
        push(KeyCode.CONTROL, KeyCode.ENTER);
        // the passphrase field has the focus (not the dialog's default button)
        FxWait.until(10, () -> lookup("#signPassphrase").tryQuery().map(Node::isFocused).orElse(false));
        write(PASS);
        type(KeyCode.ENTER);
        FxWait.until(60, () -> lookup("#messageLabel").queryAs(Label.class).getText().startsWith("已签名并放入发件箱"));
        assertThat(lookup("#titleLabel").queryAs(Label.class).getText()).startsWith(caseId);
        FxWait.until(5, () -> lookup("#linesTable").query().isFocused());

        // F1: the help of the case screen and every shortcut this person has
        type(KeyCode.F1);
        FxWait.until(10, () -> lookup("#helpPane").tryQuery().isPresent());
        assertThat(lookup("#helpTopic").queryAs(ComboBox.class).getValue()).isEqualTo("case");
        assertThat(lookup("#helpBody").queryAs(Label.class).getText()).contains("Ctrl+Enter");
        Set<Object> listed = lookup("#shortcutSheet .shortcut-text").queryAll().stream().map(Node::getUserData).collect(Collectors.toSet());
        int sections = cn.crb.app.ui.shell.ShellViewModel.sectionsFor(List.of("REVIEWER")).size();
        Set<Shortcut> expected = java.util.Arrays.stream(Shortcut.values()).filter(s -> s.sectionIndex() < sections).collect(Collectors.toSet());
        assertThat(listed).as("Ctrl+1..%d for a reviewer's sections and all the others", sections).isEqualTo(Set.copyOf(expected));
        assertThat(lookup("#shortcutSheet .shortcut-keys").queryAll().stream().map(n -> ((Label) n).getText()))
                .contains("Ctrl+] / Alt+→", "Ctrl+Enter", "F1", "Ctrl+R", "Ctrl+D", "Esc");
        // About: this build's version and build time, in Chinese
        assertThat(lookup("#aboutText").queryAs(Label.class).getText())
                .contains("关于本工作站", "版本 " + System.getProperty("crb.project.version"), "构建于 ").doesNotContain("未知");
        Screenshots.save(lookup("#helpPane").query().getScene(), "help-case-zh");
        type(KeyCode.ESCAPE);
        FxWait.until(10, () -> lookup("#helpPane").tryQuery().isEmpty());

        // Esc: back to the inbox, on the case just signed
        type(KeyCode.ESCAPE);
        FxWait.until(10, () -> lookup("#table").tryQuery().map(Node::isFocused).orElse(false));
        TableView<InboxService.Item> back = lookup("#table").queryAs(TableView.class);
        FxWait.until(10, () -> back.getSelectionModel().getSelectedItem() != null
                && back.getSelectionModel().getSelectedItem().row().caseId().equals(caseId));

        // looks: text size by keys, theme by the shell's list; both reach the window and are saved
        Scene scene = back.getScene();
        double before = fontSize("#countLabel");
        push(KeyCode.CONTROL, KeyCode.EQUALS);
        FxWait.until(5, () -> fontSize("#countLabel") > before);
        assertThat(fontSize("#countLabel") / before).isCloseTo(1.10, org.assertj.core.data.Offset.offset(0.01));
        interact(() -> lookup("#themeChoice").queryAs(ComboBox.class).setValue(cn.crb.app.ui.common.Looks.Theme.DARK));
        assertThat(scene.getStylesheets()).anyMatch(s -> s.endsWith("/cn/crb/ui/theme-dark.css"));
        Screenshots.save(scene, "inbox-dark-zh");
        type(KeyCode.ENTER);
        waitForCase(caseId);
        FxWait.until(30, () -> !lookup("#linesTable").queryAs(TableView.class).getItems().isEmpty());
        Screenshots.save(scene, "case-dark-zh");
        type(KeyCode.ESCAPE);
        FxWait.until(10, () -> lookup("#table").tryQuery().map(Node::isFocused).orElse(false));
        type(KeyCode.F1);
        FxWait.until(10, () -> lookup("#helpPane").tryQuery().isPresent());
        Scene helpScene = lookup("#helpPane").query().getScene();
        assertThat(helpScene.getStylesheets()).as("dialogs follow the theme").anyMatch(s -> s.endsWith("/cn/crb/ui/theme-dark.css"));
        Screenshots.save(helpScene, "help-inbox-dark-zh");
        type(KeyCode.ESCAPE);
        interact(() -> lookup("#themeChoice").queryAs(ComboBox.class).setValue(cn.crb.app.ui.common.Looks.Theme.HIGH_CONTRAST));
        Screenshots.save(scene, "inbox-contrast-zh");
        interact(() -> lookup("#themeChoice").queryAs(ComboBox.class).setValue(cn.crb.app.ui.common.Looks.Theme.DARK));
        FxWait.until(20, () -> {
            WorkstationPreferences.Values v = new WorkstationPreferences(home).load();
            return "DARK".equals(v.theme()) && v.scalePercent() == 110;
        });

        // after a restart the unlock screen already has them
        FxToolkit.cleanupApplication(app);
        app = launch();
        FxWait.until(20, () -> Window.getWindows().stream().anyMatch(w -> w.getScene() != null
                && w.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("/cn/crb/ui/theme-dark.css"))));
        Scene unlock = Window.getWindows().stream().filter(w -> w.getScene() != null && w.isShowing()).findFirst().orElseThrow().getScene();
        WaitForAsyncUtils.waitForFxEvents();
        double root = WaitForAsyncUtils.asyncFx(() -> {
            unlock.getRoot().applyCss();
            Label probe = new Label("x");
            // the screen inside the window's notice pane
            javafx.scene.layout.Pane screen = (javafx.scene.layout.Pane) ((org.controlsfx.control.NotificationPane) unlock.getRoot()).getContent();
            screen.getChildren().add(probe);
            probe.applyCss();
            double px = probe.getFont().getSize();
            screen.getChildren().remove(probe);
            return px;
        }).get(10, TimeUnit.SECONDS);
        assertThat(root).isCloseTo(14 * 1.10, org.assertj.core.data.Offset.offset(0.05));
        Screenshots.save(unlock, "unlock-dark-zh");
    }

    private static boolean reviewable(InboxService.Item i) {
        return i.row().step().equals("REVIEW") && List.of("NEW", "DRAFT").contains(InboxViewModel.displayState(i.row()));
    }

    private double fontSize(String query) {
        return lookup(query).queryAs(Label.class).getFont().getSize();
    }

    private void waitForCase(String caseId) throws Exception {
        FxWait.until(30, () -> lookup("#titleLabel").tryQuery()
                .map(n -> ((Label) n).getText().startsWith(caseId)).orElse(false));
    }
}
