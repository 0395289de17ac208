package cn.crb.app.ui;

import cn.crb.app.cases.InboxService;
import cn.crb.sim.PlatformSim;
import com.fasterxml.jackson.databind.JsonNode;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reviewer on a train: after one sync the platform is gone; they decide three cases — approve, approve in part with
 * a reason on the changed line, request materials — and sign each; a sync attempt says the platform cannot be
 * reached and nothing is lost; when the platform is back, one sync delivers all three and the platform records them.
 */
class OfflineReviewJourneyTest extends JourneyBase {
    private static final String PASS = "火车上的审核员 Offline 2026";

    @Test
    void threeDecisionsSignedOfflineReachThePlatformWhenItIsBack() throws Exception {
        startApp();
        PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
        enrol(reviewer.enrolmentCode(), PASS);
        // the overview comes first; go to the inbox once the shell has settled (the button in the window, not a stale copy)
        navigate("#navInbox");
        FxWait.until(90, () -> lookup("#table").tryQuery()
                .map(t -> ((TableView<?>) t).getItems().size() > 10).orElse(false));

        // the network is gone
        int port = sim.baseUrl().getPort();
        sim.close();
        sim = null;

        // the recommended totals fill in the background after the inbox shows
        java.util.function.Supplier<List<InboxService.Item>> reviewable = () -> List.copyOf(inbox().getItems()).stream()
                .filter(i -> i.row().step().equals("REVIEW") && i.recommendedTotal() != null && i.recommendedTotal().signum() > 0
                        && i.row().outcomeCount() >= 1)
                .limit(3).toList();
        FxWait.until(60, () -> WaitForAsyncUtils.asyncFx(reviewable::get).get().size() == 3);
        List<InboxService.Item> review = WaitForAsyncUtils.asyncFx(reviewable::get).get();
        assertThat(review).hasSize(3);

        // 1: approve as recommended — after a look at the learner's accumulation and planning view
        open(review.get(0));
        clickOn("#learnerButton");
        FxWait.until(10, () -> lookup("#learnerTable").tryQuery().isPresent());
        TableView<?> timeline = lookup("#learnerTable").queryAs(TableView.class);
        assertThat(timeline.getItems()).hasSize(review.get(0).row().outcomeCount());
        assertThat(lookup("#learnerSummary").queryAs(Label.class).getText()).contains("本案建议 " + review.get(0).recommendedTotal().stripTrailingZeros().toPlainString() + " 学分");
        Screenshots.save(timeline.getScene(), "learner-view-zh");
        interact(() -> ((javafx.stage.Stage) timeline.getScene().getWindow()).close());
        clickOn("#acceptButton");
        sign();
        // the Sign button is disabled once signed: the focus stays in the case, not on the header's language choice
        WaitForAsyncUtils.waitForFxEvents();
        Node focused = lookup("#signButton").query().getScene().getFocusOwner();
        assertThat(focused).isNotNull();
        assertThat(focused.getId()).isEqualTo("linesTable");

        // 2: approve in part — one line granted less, with the reason on that line
        open(review.get(1));
        @SuppressWarnings("unchecked")
        TableView<cn.crb.app.ui.casereview.CaseViewModel.Line> lines = lookup("#linesTable").queryAs(TableView.class);
        int line = -1;
        for (int i = 0; i < lines.getItems().size(); i++) {
            var rec = lines.getItems().get(i).recommendation;
            if (rec != null && rec.credits().signum() > 0) { line = i; break; }
        }
        assertThat(line).isNotNegative();
        // the issuing institution's name may be longer than its column: the whole name is the cell's tooltip
        javafx.scene.control.TableCell<?, ?> issuer = lines.lookupAll(".table-cell").stream()
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "case.col.issuer".equals(c.getTableColumn().getId()) && c.getIndex() == 0 && !c.isEmpty())
                .findFirst().orElseThrow();
        assertThat((String) issuer.getItem()).isNotBlank();
        assertThat(issuer.getTooltip()).isNotNull();
        assertThat(issuer.getTooltip().getText()).isEqualTo(issuer.getItem());
        // 部分同意 with every credit still as recommended may be signed, but the dialog first says what it looks like
        clickOn("#verdictChoice");
        clickOn(cell("部分同意"));
        FxWait.until(10, () -> !lookup("#signButton").query().isDisabled());
        clickOn("#signButton");
        FxWait.until(10, () -> lookup("#signWarning").tryQuery().isPresent());
        assertThat(lookup("#signWarning").queryAs(Label.class).getText()).startsWith("结论是“部分同意”，但每项认定学分都与建议相同。");
        Screenshots.save(lookup("#signWarning").query().getScene(), "sign-warning-zh");
        clickOn(dialogButton("取消"));
        BigDecimal recommended = lines.getItems().get(line).recommendation.credits();
        String less = recommended.subtract(new BigDecimal("0.5")).max(BigDecimal.ZERO).stripTrailingZeros().toPlainString();
        // a value off the standards' rounding step is pointed out and cannot be signed
        edit(line, "granted", recommended.subtract(new BigDecimal("0.25")).max(new BigDecimal("0.25")).toPlainString());
        FxWait.until(10, () -> lookup("#problemsLabel").queryAs(Label.class).getText().contains("整数倍"));
        assertThat(lookup("#signButton").query().isDisabled()).isTrue();
        // the total follows each keystroke (it showed the total of "0.7" after "0.75" was typed)
        BigDecimal typedTotal = BigDecimal.ZERO;
        for (var l : lines.getItems()) typedTotal = typedTotal.add(new BigDecimal(l.granted.get()));
        assertThat(lookup("#totalLabel").queryAs(Label.class).getText()).isEqualTo("认定合计 " + typedTotal.stripTrailingZeros().toPlainString() + " 学分");
        Screenshots.save(lines.getScene(), "case-limit-zh");
        edit(line, "granted", less);
        // the reason typed, and then the reviewer clicks elsewhere without pressing Enter: what was typed is kept
        int row = line;
        Node reasonCell = lookup("#linesTable .table-cell").match((TableCell<?, ?> c) -> c.getIndex() == row && c.getTableColumn() != null
                && "reason".equals(c.getTableColumn().getId())).query();
        doubleClickOn(reasonCell);
        WaitForAsyncUtils.waitForFxEvents();
        push(KeyCode.CONTROL, KeyCode.A);
        write("部分学时证明不足");
        clickOn("#commentArea");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lines.getItems().get(line).reason.get()).isEqualTo("部分学时证明不足");
        assertThat(WaitForAsyncUtils.asyncFx(() -> lines.getEditingCell() == null).get()).as("the edit ended with the click away").isTrue();
        clickOn("#verdictChoice");
        clickOn(cell("部分同意"));
        FxWait.until(10, () -> lookup("#problemsLabel").queryAs(Label.class).getText().isEmpty());
        Screenshots.save(lines.getScene(), "case-partial-zh");
        sign();

        // 3: request materials, with a comment to the learner
        open(review.get(2));
        clickOn("#verdictChoice");
        clickOn(cell("要求补充材料"));
        clickOn("#commentArea").write("请补充成绩单原件扫描件。");
        sign();

        FxWait.until(10, () -> lookup("#outboxLabel").queryAs(Label.class).getText().equals("发件箱：3"));

        // a sync now cannot reach the platform: nothing is lost
        sync();
        FxWait.until(120, () -> lookup("#reportLabel").queryAs(Label.class).getText().startsWith("暂时无法连接平台"));
        assertThat(lookup("#outboxLabel").queryAs(Label.class).getText()).isEqualTo("发件箱：3");

        // the platform is back
        sim = PlatformSim.start(new PlatformSim.Options(port, simDir, true, List.of()));
        sync();
        FxWait.until(120, () -> lookup("#reportLabel").queryAs(Label.class).getText().startsWith("同步完成"));
        assertThat(lookup("#reportLabel").queryAs(Label.class).getText()).as("outbox: %s", WaitForAsyncUtils.asyncFx(() -> String.valueOf(List.copyOf(lookup("#outboxTable").queryAs(TableView.class).getItems()))).get())
                .contains("退回 0 份").contains("待发送 0 份");
        FxWait.until(10, () -> lookup("#outboxLabel").queryAs(Label.class).getText().equals("发件箱：0"));
        assertThat(verdict(review.get(0))).isEqualTo("APPROVE");
        JsonNode partial = admin("/admin/v1/cases/" + review.get(1).row().caseId()).path("decision");
        assertThat(partial.path("verdict").asText()).isEqualTo("APPROVE_PARTIAL");
        assertThat(partial.path("lines").get(line).path("grantedCredits").asText()).isEqualTo(less);
        assertThat(partial.path("lines").get(line).path("reason").asText()).isEqualTo("部分学时证明不足");
        assertThat(verdict(review.get(2))).isEqualTo("REQUEST_MATERIALS");

        // the platform paused the REVIEW clock of the case awaiting materials (contract 03): from the next sync (which pulls
        // the revision the decision made) the inbox shows it paused, not counting down to overdue; once the materials
        // arrive (another revision), it counts down again
        String waiting = review.get(2).row().caseId();
        sync();
        FxWait.until(120, () -> lookup("#reportLabel").queryAs(Label.class).getText().startsWith("同步完成"));
        navigate("#navInbox");
        FxWait.until(30, () -> urgency(waiting) == cn.crb.domain.cases.Deadlines.Urgency.PAUSED);
        admin("/admin/v1/cases/" + waiting + "/materials", "{}");
        sync();
        FxWait.until(120, () -> lookup("#reportLabel").queryAs(Label.class).getText().startsWith("同步完成"));
        navigate("#navInbox");
        FxWait.until(30, () -> {
            var u = urgency(waiting);
            return u != null && u != cn.crb.domain.cases.Deadlines.Urgency.PAUSED && u != cn.crb.domain.cases.Deadlines.Urgency.NO_DEADLINE;
        });
    }

    /** The urgency the inbox shows for a case (null while the inbox is not shown or does not hold it). */
    private cn.crb.domain.cases.Deadlines.Urgency urgency(String caseId) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> lookup("#table").tryQuery().map(t -> inbox().getItems().stream()
                .filter(i -> i.row().caseId().equals(caseId)).findFirst().map(i -> i.timeLeft().urgency()).orElse(null)).orElse(null)).get();
    }

    @SuppressWarnings("unchecked")
    private TableView<InboxService.Item> inbox() {
        return lookup("#table").queryAs(TableView.class);
    }

    private void open(InboxService.Item item) throws Exception {
        if (FxWait.onFx(() -> lookup("#backButton").tryQuery().map(Node::isVisible).orElse(false))) clickOn("#backButton");
        FxWait.until(20, () -> lookup("#table").tryQuery().isPresent());
        // the inbox reloads after a case is closed; select and open once it holds the case (again if a reload cleared the selection)
        for (int attempt = 0; ; attempt++) {
            TableView<InboxService.Item> inbox = inbox();
            FxWait.until(20, () -> inbox.getItems().stream().anyMatch(i -> i.row().caseId().equals(item.row().caseId())));
            InboxService.Item current = inbox.getItems().stream().filter(i -> i.row().caseId().equals(item.row().caseId())).findFirst().orElseThrow();
            interact(() -> {
                inbox.getSelectionModel().select(current);
                inbox.scrollTo(current);
                inbox.requestFocus();
            });
            WaitForAsyncUtils.waitForFxEvents();
            // open it as a person with the mouse does: a double click on its row (the keyboard journey covers Enter)
            FxWait.onFx(() -> lookup(".table-row-cell").match((javafx.scene.control.TableRow<?> r) -> r.getItem() == current).tryQuery())
                    .ifPresent(n -> doubleClickOn(n));
            try {
                FxWait.until(10, () -> lookup("#titleLabel").tryQuery()
                        .map(n -> ((Label) n).getText().startsWith(item.row().caseId())).orElse(false));
                break;
            } catch (java.util.concurrent.TimeoutException e) {
                if (attempt == 3) throw e;
            }
        }
        FxWait.until(30, () -> !lookup("#linesTable").queryAs(TableView.class).getItems().isEmpty());
    }

    /** Edits a cell of the decision table as a person does: double-click, type, Enter. */
    private void edit(int row, String column, String text) {
        Node cell = lookup("#linesTable .table-cell").match((TableCell<?, ?> c) -> c.getIndex() == row && c.getTableColumn() != null
                && column.equals(c.getTableColumn().getId())).query();
        doubleClickOn(cell);
        WaitForAsyncUtils.waitForFxEvents();
        push(KeyCode.CONTROL, KeyCode.A);
        write(text);
        type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Node cell(String text) {
        return lookup(".list-cell").match((javafx.scene.control.ListCell<?> c) -> text.equals(c.getText())).query();
    }

    private void sign() throws Exception {
        FxWait.until(10, () -> !lookup("#signButton").query().isDisabled());
        clickOn("#signButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lookup("#signWarning").tryQuery()).as("a warning in the signing dialog").isEmpty();
        clickOn("#signPassphrase").write(PASS);
        clickOn(dialogButton("签名"));
        FxWait.until(60, () -> lookup("#messageLabel").queryAs(Label.class).getText().startsWith("已签名并放入发件箱"));
    }

    private void sync() throws Exception {
        if (lookup("#backButton").tryQuery().map(Node::isVisible).orElse(false)) clickOn("#backButton");
        navigate("#navSync");
        FxWait.until(120, () -> lookup("#syncButton").tryQuery().map(n -> !n.isDisabled()).orElse(false));
        clickOn("#syncButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#syncPassphrase").write(PASS);
        clickOn(dialogButton("立即同步"));
        WaitForAsyncUtils.waitForFxEvents();
        // the Sync button is disabled while it runs: the focus goes to the outbox's list, not to Cancel beside it (a
        // second Space would cancel the sync) nor to the header, and stays there when the sync ends
        assertThat(lookup("#syncButton").query().getScene().getFocusOwner()).extracting(Node::getId).isEqualTo("outboxTable");
        FxWait.until(120, () -> !lookup("#syncButton").query().isDisabled());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lookup("#syncButton").query().getScene().getFocusOwner()).extracting(Node::getId).isEqualTo("outboxTable");
    }

    private String verdict(InboxService.Item item) throws Exception {
        return admin("/admin/v1/cases/" + item.row().caseId()).path("decision").path("verdict").asText();
    }

    private JsonNode admin(String path) throws Exception {
        return admin(path, null);
    }
}
