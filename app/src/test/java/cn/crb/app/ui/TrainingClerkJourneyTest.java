package cn.crb.app.ui;

import cn.crb.app.ui.bulk.BulkViewModel;
import cn.crb.domain.bulk.ProblemCode;
import cn.crb.domain.bulk.ResidentId;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training institution's clerk from a fresh profile, under Xvfb, against the real platform-sim: a 10,000-row GBK
 * file whose ID column is headed 证件号码 (not a known header) with a remarks column, 37 rows bad in five ways. The
 * clerk maps the columns in the preview, imports, reads the counts and the error table (filtered by code), exports
 * the rejects (GBK, with an 错误 column), submits the good rows, fixes the 37 bad cells in the rejects file, imports it
 * (mapping again), submits it, and the platform holds all 10,000 outcomes, each once, all accepted.
 */
class TrainingClerkJourneyTest extends JourneyBase {
    private static final String PASS = "经办口令 Correct Horse 2026";
    private static final Charset GBK = Charset.forName("GBK");
    private static final String HEADER = "证件号码,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,证书编码,等级,取得日期,质量等级,备注";
    private static final int ROWS = 10_000;
    private static final int ID = 0, CODE = 3, HOURS = 6, DATE = 10, GRADE = 11;
    @TempDir Path files;

    private static String id(int n) {
        String first = String.format("3301061990%02d%02d%03d", 1 + n % 12, 1 + n % 28, n % 1000);
        return first + ResidentId.checkCharacter(first);
    }

    /** The kinds of bad rows, in turn: the k-th bad row (data row 137 + 263 k) is of kind k % 5. */
    private static final ProblemCode[] KINDS = {ProblemCode.ID_CHECKSUM, ProblemCode.CATALOGUE_UNKNOWN, ProblemCode.DATE_INVALID,
            ProblemCode.GRADE_INVALID, ProblemCode.NUMBER_INVALID};

    private static ProblemCode badKind(int n) {
        return n >= 137 && (n - 137) % 263 == 0 && (n - 137) / 263 < 37 ? KINDS[((n - 137) / 263) % 5] : null;
    }

    private static Path bigFile(Path dir) throws Exception {
        StringBuilder b = new StringBuilder(ROWS * 100).append(HEADER).append("\r\n");
        for (int n = 1; n <= ROWS; n++) {
            String[] cells = {id(n), "学员" + n, "学历教育", "AC-CS-110", "程序设计", "理论", "48", "88", "", "", "2024/6/30", "A", "第" + (1 + n % 4) + "期"};
            ProblemCode bad = badKind(n);
            if (bad != null) {
                switch (bad) {
                    case ID_CHECKSUM -> cells[ID] = cells[ID].substring(0, 17) + (cells[ID].charAt(17) == '1' ? '2' : '1');
                    case CATALOGUE_UNKNOWN -> cells[CODE] = "XX-NOPE-1";
                    case DATE_INVALID -> cells[DATE] = "2024-13-45";
                    case GRADE_INVALID -> cells[GRADE] = "D";
                    case NUMBER_INVALID -> cells[HOURS] = "四十八";
                    default -> throw new IllegalStateException();
                }
            }
            b.append(String.join(",", cells)).append("\r\n");
        }
        return Files.write(dir.resolve("结业学员.csv"), b.toString().getBytes(GBK));
    }

    /** Opens the mapping ChoiceBox of file column {@code position} (scrolled into view) and clicks the item with {@code item}. */
    private void map(int position, String item) {
        @SuppressWarnings("unchecked")
        TableView<Object> preview = lookup("#previewTable").queryAs(TableView.class);
        interact(() -> preview.scrollToColumn(preview.getColumns().get(position + 1)));
        clickOn("#map" + position);
        Node menuItem = lookup(".menu-item").match((Node n) -> n.isVisible()
                && n.lookupAll(".label").stream().anyMatch(l -> l instanceof Labeled x && item.equals(x.getText()))).query();
        clickOn(menuItem);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lookup("#map" + position).queryAs(ChoiceBox.class).getSelectionModel().getSelectedItem()).isNotNull();
    }

    private void choose(Path file) throws Exception {
        clickOn("#pathField").push(KeyCode.CONTROL, KeyCode.A).write(file.toString()).type(KeyCode.ENTER);
        FxWait.until(60, () -> !text("#previewLabel").isEmpty());
    }

    private void submit(String expected) throws Exception {
        clickOn("#submitButton");
        FxWait.until(10, () -> lookup("#bulkPassphrase").tryQuery().isPresent());
        clickOn("#bulkPassphrase").write(PASS).type(KeyCode.ENTER);
        FxWait.until(120, () -> text("#messageLabel").startsWith("提交完成"));
        assertThat(text("#messageLabel")).isEqualTo(expected);
    }

    @Test
    void tenThousandRowsThirtySevenBadExportFixResubmitAllAccepted() throws Exception {
        Path big = bigFile(files);
        startApp();
        enrol(sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"), PASS);
        waitForStandards();
        navigate("#navBulk");
        FxWait.until(10, () -> lookup("#pathField").tryQuery().isPresent());

        // preview: detected encoding, the first 20 rows, the columns as detected; 证件号码 and 备注 not recognised
        choose(big);
        assertThat(text("#formatLabel")).contains("识别的编码：GB18030/GBK");
        assertThat(text("#previewLabel")).isEqualTo("前 20 行（后面还有更多行） · 编码：GB18030/GBK · 分隔符：逗号");
        TableView<?> preview = lookup("#previewTable").queryAs(TableView.class);
        assertThat(preview.getItems()).hasSize(20);
        assertThat(preview.getColumns()).hasSize(14);
        assertThat(lookup("#map1").queryAs(ChoiceBox.class).getValue().toString()).contains("NAME");
        assertThat(text("#mappingLabel")).isEqualTo("无法识别的列“证件号码”，已忽略\n无法识别的列“备注”，已忽略\n缺少必填列“身份证号”");
        Screenshots.save(preview.getScene(), "bulk-preview-zh");

        // the clerk maps 证件号码 to the ID field and ignores the remarks
        map(0, "身份证号（id_number）");
        map(12, "忽略此列");
        assertThat(text("#mappingLabel")).isEqualTo("每一列都已对应到字段或已忽略，可以导入。");

        clickOn("#importButton");
        FxWait.until(120, () -> text("#summaryLabel").contains("无效 37 行"));
        assertThat(text("#summaryLabel")).isEqualTo("结业学员.csv：共 10,000 行，有效 9,963 行，无效 37 行，已提交过而跳过 0 行 · 待提交");
        TableView<?> problems = lookup("#problemTable").queryAs(TableView.class);
        FxWait.until(20, () -> problems.getItems().size() == 37);
        assertThat(problems.isVisible()).as("the wizard moved on to the problems").isTrue();
        ComboBox<BulkViewModel.CodeChoice> codes = lookup("#codeFilter").queryComboBox();
        Map<ProblemCode, Long> byCode = new EnumMap<>(ProblemCode.class);
        codes.getItems().stream().filter(c -> c.code() != null).forEach(c -> byCode.put(c.code(), c.count()));
        assertThat(byCode).containsExactlyInAnyOrderEntriesOf(Map.of(ProblemCode.ID_CHECKSUM, 8L, ProblemCode.CATALOGUE_UNKNOWN, 8L,
                ProblemCode.DATE_INVALID, 7L, ProblemCode.GRADE_INVALID, 7L, ProblemCode.NUMBER_INVALID, 7L));
        interact(() -> codes.getSelectionModel().select(codes.getItems().stream().filter(c -> c.code() == ProblemCode.ID_CHECKSUM).findFirst().orElseThrow()));
        FxWait.until(10, () -> problems.getItems().size() == 8);
        assertThat(problems.getItems().toString()).contains("身份证号校验位错误").doesNotContain("XX-NOPE-1");
        assertThat(((cn.crb.domain.bulk.Problem) problems.getItems().getFirst()).row()).isEqualTo(138); // data row 137, header = row 1
        interact(() -> codes.getSelectionModel().selectFirst());
        FxWait.until(10, () -> problems.getItems().size() == 37);

        // export the rejects where suggested: next to the file, in GBK, with the 错误 column
        Path rejects = files.resolve("结业学员_错误行.csv");
        assertThat(lookup("#exportPathField").queryAs(TextField.class).getText()).isEqualTo(rejects.toString());
        clickOn("#exportButton");
        FxWait.until(30, () -> text("#messageLabel").startsWith("已导出"));
        assertThat(text("#messageLabel")).isEqualTo("已导出 37 行错误行到 结业学员_错误行.csv。");
        String exported = GBK.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(Files.readAllBytes(rejects))).toString();
        assertThat(exported).startsWith(HEADER + ",错误\r\n");

        // the overview shows the clerk's own work: one batch to submit, 37 bad rows in the last import; a tile opens the import
        navigate("#navDashboard");
        clickOn("#refreshButton");
        FxWait.until(20, () -> lookup("#tileToSend").tryQuery().map(n -> ((Labeled) n).getText().startsWith("1\n")).orElse(false));
        assertThat(text("#tileToSend")).isEqualTo("1\n待提交的批次");
        assertThat(text("#tileRejected")).isEqualTo("37\n上次导入的错误行");
        // a training institution's clerk has no cases: no case tiles, no charts of cases and decisions
        assertThat(lookup("#tileOverdue").tryQuery()).isEmpty();
        assertThat(lookup("#tileReview").tryQuery()).isEmpty();
        assertThat(lookup("#charts").query().isVisible()).isFalse();
        assertThat(lookup("#tileArbitrations").tryQuery()).isEmpty(); // no panel role: no arbitrations
        Screenshots.save(lookup("#tileToSend").query().getScene(), "dashboard-clerk-zh");
        clickOn("#tileRejected");
        FxWait.until(10, () -> lookup("#submitButton").tryQuery().map(Node::isVisible).orElse(false));

        submit("提交完成：平台受理 9,963 行，退回 0 行。");

        // the clerk fixes the 37 bad cells in the rejects file (the 错误 column stays; it is ignored on import)
        Path fixed = files.resolve("结业学员_错误行_已改.csv");
        List<CSVRecord> records;
        try (Reader r = Files.newBufferedReader(rejects, GBK)) {
            records = CSVFormat.RFC4180.parse(r).getRecords();
        }
        assertThat(records).hasSize(38);
        Map<ProblemCode, Integer> fixedByCode = new EnumMap<>(ProblemCode.class);
        try (Writer w = Files.newBufferedWriter(fixed, GBK); CSVPrinter out = new CSVPrinter(w, CSVFormat.RFC4180)) {
            out.printRecord(records.getFirst().toList());
            for (CSVRecord rec : records.subList(1, records.size())) {
                // as Excel shows and saves them: an ID number written as ="320102…" is its digits
                List<String> cells = new ArrayList<>(rec.stream().map(v -> v.startsWith("=\"") ? v.substring(2, v.length() - 1) : v).toList());
                String errors = cells.getLast();
                ProblemCode code = List.of(KINDS).stream().filter(k -> errors.contains("[" + k.name() + "]")).findFirst().orElseThrow();
                switch (code) {
                    case ID_CHECKSUM -> cells.set(ID, cells.get(ID).substring(0, 17) + ResidentId.checkCharacter(cells.get(ID).substring(0, 17)));
                    case CATALOGUE_UNKNOWN -> cells.set(CODE, "AC-CS-110");
                    case DATE_INVALID -> cells.set(DATE, "2024/6/30");
                    case GRADE_INVALID -> cells.set(GRADE, "A");
                    case NUMBER_INVALID -> cells.set(HOURS, "48");
                    default -> throw new IllegalStateException();
                }
                fixedByCode.merge(code, 1, Integer::sum);
                out.printRecord(cells);
            }
        }
        assertThat(fixedByCode.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(37);

        // import the fixed file: the preview ignores the 错误 column by itself; the clerk maps 证件号码 and 备注 again
        choose(fixed);
        assertThat(lookup("#map13").queryAs(ChoiceBox.class).getValue()).isEqualTo(cn.crb.domain.bulk.ColumnMapping.IGNORE);
        assertThat(text("#previewLabel")).isEqualTo("前 20 行（后面还有更多行） · 编码：GB18030/GBK · 分隔符：逗号");
        map(0, "身份证号（id_number）");
        map(12, "忽略此列");
        assertThat(text("#mappingLabel")).isEqualTo("每一列都已对应到字段或已忽略，可以导入。");
        clickOn("#importButton");
        FxWait.until(60, () -> text("#summaryLabel").startsWith("结业学员_错误行_已改.csv"));
        assertThat(text("#summaryLabel")).isEqualTo("结业学员_错误行_已改.csv：共 37 行，有效 37 行，无效 0 行，已提交过而跳过 0 行 · 待提交");
        submit("提交完成：平台受理 37 行，退回 0 行。");
        assertThat(lookup("#jobList").queryAs(ListView.class).getItems()).hasSize(2);

        // the platform holds all 10,000 outcomes, each once, every row accepted
        JsonNode held = Json.parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/admin/v1/batches")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
        assertThat(held.path("accountOutcomes").asLong()).isEqualTo(ROWS);
        List<JsonNode> batches = new ArrayList<>();
        held.path("batches").forEach(batches::add);
        assertThat(batches).hasSize(2).allSatisfy(b -> {
            assertThat(b.path("institution").asText()).isEqualTo("TRN-0042");
            assertThat(b.path("state").asText()).isEqualTo("COMPLETE");
            assertThat(b.path("refused").asLong()).isZero();
            assertThat(b.path("rowsReceived").asLong()).isEqualTo(b.path("rowCount").asLong());
            assertThat(b.path("accepted").asLong()).isEqualTo(b.path("rowCount").asLong()).isEqualTo(b.path("accountOutcomes").asLong());
        });
        assertThat(batches.stream().mapToLong(b -> b.path("accepted").asLong()).sorted().boxed().toList()).containsExactly(37L, 9_963L);

        // in English: the first job's results (2,000 of 9,963 listed, each with its masked learner), and the overview
        FxWait.until(20, () -> !((org.controlsfx.control.NotificationPane) lookup("#jobList").query().getScene().getRoot()).isShowing());
        clickOn("#languageChoice").clickOn("English");
        FxWait.until(10, () -> lookup("#navBulk").tryQuery().map(n -> ((Labeled) n).getText()).orElse("").equals("Bulk submission"));
        navigate("#navBulk");
        FxWait.until(10, () -> lookup("#jobList").tryQuery().map(n -> ((ListView<?>) n).getItems().size() == 2).orElse(false));
        interact(() -> lookup("#jobList").queryAs(ListView.class).getSelectionModel().select(1));
        FxWait.until(30, () -> lookup("#resultTable").queryAs(TableView.class).getItems().size() == 2_000);
        interact(() -> lookup("#bulkTabs").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().select(2));
        WaitForAsyncUtils.waitForFxEvents();
        Screenshots.save(lookup("#resultTable").query().getScene(), "bulk-results-en");
        navigate("#navDashboard");
        clickOn("#refreshButton");
        FxWait.until(20, () -> lookup("#tileToSend").tryQuery().map(n -> ((Labeled) n).getText().equals("0\nbatches to submit")).orElse(false));
        assertThat(text("#tileRejected")).isEqualTo("0\nbad rows, last import");
        Screenshots.save(lookup("#tileToSend").query().getScene(), "dashboard-clerk-en");
    }
}
