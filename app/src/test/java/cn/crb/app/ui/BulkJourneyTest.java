package cn.crb.app.ui;

import cn.crb.domain.bulk.ResidentId;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A training institution's clerk, under Xvfb: enrol, wait for the standards of the first sync, open Bulk submission,
 * take a GBK CSV with two bad rows, import it, see the problems in Chinese, submit with the passphrase and see the
 * platform's per-row results.
 */
class BulkJourneyTest extends JourneyBase {
    private static final String PASS = "经办口令 Correct Horse 2026";
    private static final String HEADER = "身份证号,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,证书编码,等级,取得日期,质量等级";
    @TempDir Path files;

    private static String id(int n) {
        String first = String.format("3301061990%02d%02d%03d", 1 + n % 12, 1 + n % 28, n % 1000);
        return first + ResidentId.checkCharacter(first);
    }

    @Test
    void clerkImportsSeesProblemsAndSubmits() throws Exception {
        String bad = id(4).substring(0, 17) + (id(4).charAt(17) == '1' ? '2' : '1');
        String csv = HEADER + "\r\n"
                + id(1) + ",张三,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n"
                + id(2) + ",欧阳娜娜,职业技能,VC-WEB-FE,Web前端,,,,WEB-FE-1X,中级,2024年5月1日,B\r\n"
                + id(3) + ",李四,学历教育,AC-CS-110,程序设计,理论,48,90,,,2024/6/30,A\r\n"
                + bad + ",王五,学历教育,AC-CS-110,程序设计,理论,48,70,,,2024/6/30,A\r\n"
                + id(5) + ",赵六,学历教育,XX-NOPE-1,不存在的成果,理论,48,70,,,2024/6/30,A\r\n";
        Path file = Files.write(files.resolve("graduates.csv"), csv.getBytes(Charset.forName("GBK")));

        startApp();
        enrol(sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"), PASS);
        assertThat(lookup("#personLabel").queryAs(Label.class).getText()).contains("周婷");
        assertThat(lookup("#navBulk").queryAs(ToggleButton.class).isVisible()).isTrue();

        // the first sync brings the standards the rows are checked against
        waitForStandards();

        navigate("#navBulk");
        FxWait.until(10, () -> lookup("#pathField").tryQuery().isPresent());
        clickOn("#pathField").write(file.toString()).type(KeyCode.ENTER);
        FxWait.until(20, () -> lookup("#formatLabel").queryAs(Label.class).getText().contains("GB18030/GBK"));
        clickOn("#importButton");
        FxWait.until(60, () -> lookup("#summaryLabel").queryAs(Label.class).getText().contains("无效 2 行"));
        assertThat(lookup("#summaryLabel").queryAs(Label.class).getText()).isEqualTo("graduates.csv：共 5 行，有效 3 行，无效 2 行，已提交过而跳过 0 行 · 待提交");
        TableView<?> problems = lookup("#problemTable").queryAs(TableView.class);
        FxWait.until(10, () -> problems.getItems().size() == 2);
        assertThat(problems.getItems().toString()).contains("身份证号校验位错误").contains("XX-NOPE-1");
        assertThat(lookup("#jobList").queryAs(ListView.class).getItems()).hasSize(1);
        Screenshots.save(problems.getScene(), "bulk-zh");

        clickOn("#submitButton");
        FxWait.until(10, () -> lookup("#bulkPassphrase").tryQuery().isPresent());
        // the dialog's own buttons in the interface's language too, whatever the system's (JavaFX's ButtonType.CANCEL is not)
        assertThat(lookup(".dialog-pane .button").queryAllAs(javafx.scene.control.Button.class).stream().map(javafx.scene.control.Button::getText).toList())
                .containsExactlyInAnyOrder("提交", "取消");
        clickOn("#bulkPassphrase").write(PASS).type(KeyCode.ENTER);
        FxWait.until(60, () -> lookup("#messageLabel").queryAs(Label.class).getText().startsWith("提交完成"));
        assertThat(lookup("#messageLabel").queryAs(Label.class).getText()).isEqualTo("提交完成：平台受理 3 行，退回 0 行。");
        TabPane tabs = lookup("#bulkTabs").queryAs(TabPane.class);
        interact(() -> tabs.getSelectionModel().select(2)); // preview, problems, platform results
        TableView<?> results = lookup("#resultTable").queryAs(TableView.class);
        FxWait.until(10, () -> results.getItems().size() == 3);
        assertThat(lookup("#resultsLabel").queryAs(Label.class).getText()).isEqualTo("平台受理 3 行，退回 0 行。");
        Screenshots.save(results.getScene(), "bulk-results-zh");

        // the focus often lands on the header's language choice (the window's first control) when the focused button
        // is disabled; ↓ there opens the list instead of switching the whole interface to English, Esc leaves it
        javafx.scene.control.ComboBox<?> language = lookup("#languageChoice").queryAs(javafx.scene.control.ComboBox.class);
        Object before = language.getValue();
        interact(language::requestFocus);
        type(KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(language.isShowing()).isTrue();
        // and the open list has room for both its items (a focus border made every drop-down scroll by a few pixels)
        javafx.scene.Node list = ((javafx.scene.control.skin.ComboBoxListViewSkin<?>) language.getSkin()).getPopupContent();
        assertThat(list.lookupAll(".scroll-bar").stream().map(n -> (javafx.scene.control.ScrollBar) n)
                .filter(b -> b.getOrientation() == javafx.geometry.Orientation.VERTICAL && b.isVisible())).isEmpty();
        type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(language.getValue()).isEqualTo(before);
        assertThat(lookup("#resultsLabel").queryAs(Label.class).getText()).isEqualTo("平台受理 3 行，退回 0 行。");
    }

    /**
     * A clerk starts a 60,000-row file, changes their mind and clicks 取消 while it is read: nothing is queued, and the
     * same file imports in full afterwards. Cancel is offered only while rows are read — never while the last rows are
     * stored and registered ("已读完 … 正在保存并登记…"), which cannot be stopped — checked on every text the progress
     * line shows.
     */
    @Test
    void clerkCancelsALargeImportThenImportsTheSameFileInFull() throws Exception {
        int rows = 60_000;
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        java.time.LocalDate day = java.time.LocalDate.of(1970, 1, 1);
        for (int n = 0; n < rows; n++) {
            String first = "330106" + day.plusDays(n % 12_000).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                    + String.format("%03d", n / 12_000);
            csv.append(first).append(ResidentId.checkCharacter(first)).append(",学员").append(n).append(",学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n");
        }
        Path file = Files.write(files.resolve("term-graduates.csv"), csv.toString().getBytes(Charset.forName("GBK")));

        startApp();
        enrol(sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"), PASS);
        waitForStandards();
        navigate("#navBulk");
        FxWait.until(10, () -> lookup("#pathField").tryQuery().isPresent());
        clickOn("#pathField").write(file.toString()).type(KeyCode.ENTER);
        FxWait.until(20, () -> lookup("#formatLabel").queryAs(Label.class).getText().contains("GB18030/GBK"));

        Label progress = lookup("#progressLabel").queryAs(Label.class);
        javafx.scene.control.Button cancel = lookup("#cancelButton").queryAs(javafx.scene.control.Button.class);
        List<String> whileReading = new java.util.concurrent.CopyOnWriteArrayList<>();   // "enabled" or "disabled", per text shown
        List<String> whileFinishing = new java.util.concurrent.CopyOnWriteArrayList<>();
        interact(() -> progress.textProperty().addListener((o, was, now) -> {
            String state = cancel.isDisabled() ? "disabled" : "enabled";
            if (now.startsWith("已读取")) whileReading.add(state);
            if (now.startsWith("已读完")) whileFinishing.add(state);
        }));
        assertThat(cancel.isDisabled()).as("nothing to cancel before an import").isTrue();

        clickOn("#importButton");
        FxWait.until(30, () -> !cancel.isDisabled() && progress.getText().matches("已读取 [1-9].*"));
        clickOn("#cancelButton");
        FxWait.until(30, () -> lookup("#messageLabel").queryAs(Label.class).getText().equals("导入已取消，未排队任何行。"));
        assertThat(whileFinishing).as("a cancelled import never reached its end").isEmpty();
        assertThat(cancel.isDisabled()).isTrue();

        whileReading.clear();
        clickOn("#importButton");
        FxWait.until(120, () -> lookup("#messageLabel").queryAs(Label.class).getText().equals("导入完成，有效行已排队等待提交。"));
        assertThat(lookup("#summaryLabel").queryAs(Label.class).getText())
                .isEqualTo("term-graduates.csv：共 60,000 行，有效 60,000 行，无效 0 行，已提交过而跳过 0 行 · 待提交");
        assertThat(whileReading).as("Cancel offered while the rows are read").contains("enabled");
        assertThat(whileFinishing).as("the end of the import was shown, and Cancel was never offered then").isNotEmpty().containsOnly("disabled");
        assertThat(cancel.isDisabled()).isTrue();
    }
}
