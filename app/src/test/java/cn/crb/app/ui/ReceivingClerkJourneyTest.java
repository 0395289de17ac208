package cn.crb.app.ui;

import cn.crb.app.cases.InboxService;
import cn.crb.domain.cases.Deadlines;
import cn.crb.domain.decision.Verdict;
import cn.crb.domain.json.Json;
import cn.crb.sim.PlatformSim;
import com.fasterxml.jackson.databind.JsonNode;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiving institution's clerk (吴磊 of JSOU, from the demo people) from a fresh profile, under Xvfb, against the
 * real platform-sim: enrol, the first sync brings the conversions of JSOU's programmes; open one, see the time left
 * before deemed consent, confirm it and sign; open another, decline it — the empty reason is refused at the field —
 * give the reason and sign; sync; the platform recorded the confirmation (the case moved to public notice) and the
 * decline with its reason.
 */
class ReceivingClerkJourneyTest extends JourneyBase {
    private static final String PASS = "接收机构经办 Journey 2026";
    private static final String REASON = "本校该专业已停止招生，无法接收转换学分。";

    @SuppressWarnings("unchecked")
    private TableView<InboxService.Item> inbox() { return lookup("#table").queryAs(TableView.class); }

    private void open(InboxService.Item wanted) throws Exception {
        TableView<InboxService.Item> t = inbox();
        String caseId = wanted.row().caseId();
        FxWait.until(20, () -> t.getItems().stream().anyMatch(i -> i.row().caseId().equals(caseId)));
        InboxService.Item item = t.getItems().stream().filter(i -> i.row().caseId().equals(caseId)).findFirst().orElseThrow();
        interact(() -> {
            t.getSelectionModel().select(item);
            t.scrollTo(item);
            t.requestFocus();
        });
        type(KeyCode.ENTER);
        FxWait.until(30, () -> lookup("#titleLabel").tryQuery()
                .map(n -> ((Label) n).getText().startsWith(caseId)).orElse(false));
        FxWait.until(10, () -> !text("#timeLeftLabel").isEmpty());
    }

    private void sign() throws Exception {
        FxWait.until(10, () -> !lookup("#signButton").query().isDisabled());
        clickOn("#signButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#signPassphrase").write(PASS);
        clickOn(dialogButton("签名"));
        FxWait.until(60, () -> text("#messageLabel").startsWith("已签名并放入发件箱"));
    }

    private static JsonNode adminCase(PlatformSim sim, String caseId) throws Exception {
        return Json.parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/admin/v1/cases/" + caseId)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    @Test
    void confirmOneDeclineOneWithAReasonAndThePlatformRecordsBoth() throws Exception {
        PlatformSim.DemoPerson clerk = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("CLERK")) && "JSOU".equals(p.institution()))
                .findFirst().orElseThrow();
        startApp();
        enrol(clerk.enrolmentCode(), PASS);
        assertThat(text("#personLabel")).contains("吴磊");

        // the first sync runs by itself after enrolment and brings the conversions awaiting JSOU's answer
        navigate("#navInbox");
        FxWait.until(90, () -> lookup("#table").tryQuery().isPresent()
                && inbox().getItems().stream().filter(i -> i.row().step().equals("CONVERSION")).count() >= 2);
        List<InboxService.Item> open = inbox().getItems().stream()
                .filter(i -> i.row().step().equals("CONVERSION") && i.timeLeft().urgency() != Deadlines.Urgency.OVERDUE)
                .sorted(Comparator.comparing((InboxService.Item i) -> i.timeLeft().left()).reversed()).toList();
        assertThat(open).hasSizeGreaterThanOrEqualTo(2);
        InboxService.Item toConfirm = open.get(0);
        InboxService.Item toDecline = open.get(1);

        // confirm: the answer the form starts with; the time left before deemed consent is shown
        open(toConfirm);
        assertThat(lookup("#timeLeftLabel").query().isVisible()).isTrue();
        assertThat(text("#timeLeftLabel")).startsWith("逾期未答复视为同意：").doesNotContain("已逾期");
        @SuppressWarnings("unchecked")
        ComboBox<Verdict> verdict = lookup("#verdictChoice").queryAs(ComboBox.class);
        assertThat(verdict.getItems()).containsExactly(Verdict.CONFIRM, Verdict.DECLINE);
        assertThat(verdict.getValue()).isEqualTo(Verdict.CONFIRM);
        Screenshots.save(verdict.getScene(), "conversion-zh");
        sign();
        clickOn("#backButton");

        // decline: without a reason the field itself says what is missing and signing is refused
        FxWait.until(20, () -> lookup("#table").tryQuery().map(Node::isVisible).orElse(false));
        open(toDecline);
        assertThat(text("#timeLeftLabel")).startsWith("逾期未答复视为同意：");
        @SuppressWarnings("unchecked")
        ComboBox<Verdict> verdict2 = lookup("#verdictChoice").queryAs(ComboBox.class);
        clickOn(verdict2);
        Node declineCell = lookup(".list-cell").match((javafx.scene.control.ListCell<?> c) -> "拒绝转换".equals(c.getText()) && c.isVisible()).query();
        clickOn(declineCell);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(verdict2.getValue()).isEqualTo(Verdict.DECLINE);
        TextArea comment = lookup("#commentArea").queryAs(TextArea.class);
        assertThat(comment.getText()).isEmpty();
        assertThat(comment.getStyleClass()).as("the reason field is marked").contains("field-invalid");
        assertThat(comment.getTooltip().getText()).isEqualTo("拒绝转换须说明理由");
        assertThat(text("#problemsLabel")).isEqualTo("拒绝转换须说明理由");
        assertThat(lookup("#signButton").query().isDisabled()).isTrue();
        Screenshots.save(comment.getScene(), "conversion-decline-zh");
        clickOn(comment).write("   ");
        assertThat(comment.getStyleClass()).as("blanks are no reason").contains("field-invalid");
        assertThat(lookup("#signButton").query().isDisabled()).isTrue();
        clickOn(comment).push(KeyCode.CONTROL, KeyCode.A).write(REASON);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(comment.getStyleClass()).doesNotContain("field-invalid");
        assertThat(text("#problemsLabel")).isEmpty();
        sign();
        clickOn("#backButton");

        // a conversion past its time to answer: the platform has recorded deemed consent and refuses an answer, so
        // the form is read-only and says why
        FxWait.until(20, () -> lookup("#table").tryQuery().map(Node::isVisible).orElse(false));
        InboxService.Item late = inbox().getItems().stream()
                .filter(i -> i.row().step().equals("CONVERSION") && i.timeLeft().urgency() == Deadlines.Urgency.OVERDUE).findFirst().orElseThrow();
        open(late);
        FxWait.until(10, () -> text("#problemsLabel").startsWith("确认时限已过"));
        assertThat(text("#problemsLabel")).isEqualTo("确认时限已过，按标准视为接收院校默认同意，由平台记录；无需再确认或拒绝。");
        assertThat(lookup("#signButton").query().isDisabled()).isTrue();
        Screenshots.save(lookup("#signButton").query().getScene(), "conversion-deemed-zh");
        clickOn("#backButton");

        // sync: both responses go out and the platform accepts them
        navigate("#navSync");
        FxWait.until(20, () -> lookup("#syncButton").tryQuery().map(n -> !n.isDisabled()).orElse(false));
        clickOn("#syncButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#syncPassphrase").write(PASS);
        clickOn(dialogButton("立即同步"));
        FxWait.until(90, () -> text("#reportLabel").startsWith("同步完成"));
        assertThat(text("#reportLabel")).containsPattern("平台受理 [2-9] 份").contains("退回 0 份").contains("待发送 0 份");

        JsonNode confirmed = adminCase(sim, toConfirm.row().caseId());
        assertThat(confirmed.path("step").asText()).isEqualTo("PUBLIC_NOTICE");
        JsonNode lastConfirmed = confirmed.path("history").get(confirmed.path("history").size() - 1);
        assertThat(lastConfirmed.path("event").asText()).isEqualTo("CONFIRMED");
        assertThat(lastConfirmed.path("by").asText()).isEqualTo(clerk.personId());

        JsonNode declined = adminCase(sim, toDecline.row().caseId());
        assertThat(declined.path("closedReason").asText()).isEqualTo("DECLINED");
        assertThat(declined.path("declineReason").asText()).isEqualTo(REASON);
        JsonNode lastDeclined = declined.path("history").get(declined.path("history").size() - 1);
        assertThat(lastDeclined.path("event").asText()).isEqualTo("DECLINED");
        assertThat(lastDeclined.path("by").asText()).isEqualTo(clerk.personId());
    }
}
