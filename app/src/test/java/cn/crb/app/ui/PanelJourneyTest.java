package cn.crb.app.ui;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.ui.arbitration.ArbitrationViewModel;
import cn.crb.domain.json.Json;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import com.fasterxml.jackson.databind.JsonNode;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
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
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A panel of five around the chair's laptop, through the real window: the chair enrols and syncs, the arbitration
 * shows 陈静 recused by her institution, each of the other four members votes (two against two, the chair's vote breaks the tie) by choosing their own key file and typing
 * their own passphrase, the chair writes notes and signs the result, the screen shows it final, and after a sync the
 * platform holds the arbitration as final.
 */
class PanelJourneyTest extends FxRobot {
    private static final String CHAIR_PASS = "组长的口令 Panel 2026 journey";
    @TempDir Path home;
    @TempDir Path others;
    @TempDir Path simDir;
    private PlatformSim sim;
    private WorkstationApp app;
    private final Map<String, Path> keyFile = new HashMap<>();
    private final Map<String, String> pass = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
        // the other members enrolled earlier on their own workstations; their key files are with them (e.g. on a USB stick)
        try (HttpTransport http = new HttpTransport()) {
            for (String name : List.of("陈静", "刘洋", "赵敏", "孙伟")) {
                PlatformSim.DemoPerson p = sim.demoPeople().stream().filter(x -> x.displayName().equals(name)).findFirst().orElseThrow();
                String pw = name + "的口令 own key 2026";
                ProfileService profiles = new ProfileService(WorkstationHome.resolve(others.resolve(p.personId()), Map.of()), http, Clock.systemUTC(), 1000);
                try (ProfileSession s = profiles.create(sim.baseUrl().toString(), p.enrolmentCode(), pw.toCharArray(), pw.toCharArray(), name, x -> { })) {
                    keyFile.put(name, s.dir().resolve("keystore.p12"));
                    pass.put(name, pw);
                }
            }
        }
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
    void aPanelOfFiveWithOneRecusedHoldsASessionAndTheChairClosesIt() throws Exception {
        PlatformSim.DemoPerson chair = sim.demoPeople().stream().filter(p -> p.displayName().equals("王建国")).findFirst().orElseThrow();
        clickOn("#codeField").write(chair.enrolmentCode());
        clickOn("#passphraseField").write(CHAIR_PASS);
        clickOn("#confirmField").write(CHAIR_PASS);
        clickOn("#createButton");
        FxWait.until(60, () -> lookup("#personLabel").tryQuery().isPresent());
        // the first sync runs by itself; wait until it has brought the arbitration case in
        FxWait.until(90, () -> lookup("#outboxLabel").tryQuery().isPresent()
                && lookup("#navArbitration").tryQuery().map(n -> n.getScene() != null && n.isVisible()).orElse(false));
        clickOn("#navArbitration");
        FxWait.until(90, () -> lookup("#sessionList").tryQuery().map(n -> !((ListView<?>) n).getItems().isEmpty()).orElse(false));
        FxWait.until(30, () -> members().size() == 5);
        assertThat(standing("陈静")).isEqualTo("回避（所在机构与本案有关）");
        // institutions by name, as the standards list them (the code after it)
        assertThat(members().stream().filter(m -> m.name().equals("陈静")).findFirst().orElseThrow().institution()).isEqualTo("南京大学继续教育学院（NJU-CE）");
        assertThat(lookup("#quorumLabel").queryAs(Label.class).getText()).contains("可投票成员 4 人");

        vote("王建国", null, CHAIR_PASS, "维持", "原认定符合标准，学时计算无误。");
        vote("刘洋", keyFile.get("刘洋"), pass.get("刘洋"), "维持", "同意组长意见。");
        vote("赵敏", keyFile.get("赵敏"), pass.get("赵敏"), "撤销", "部分课程学时证明不充分。");
        vote("孙伟", keyFile.get("孙伟"), pass.get("孙伟"), "撤销", "学时证明与成绩单不一致。");
        // 2 : 2 — the chair voted UPHOLD and breaks the tie
        FxWait.until(20, () -> lookup("#resultLabel").queryAs(Label.class).getText().equals("结果：维持（票数相同，由组长裁决）"));
        assertThat(standing("陈静")).startsWith("回避");
        assertThat(lookup("#recordList").queryAs(ListView.class).getItems()).hasSize(4);

        clickOn("#notesArea").write("全体成员到场；陈静因所在机构颁发了本案成果而回避。");
        Screenshots.save(lookup("#memberTable").query().getScene(), "arbitration-zh");
        clickOn("#closeButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lookup("#memberKeyFile").queryAs(TextField.class).getText()).endsWith("keystore.p12"); // the chair's own key, offered
        clickOn("#memberPassphrase").write(CHAIR_PASS);
        clickOn(dialogButton("签署结果"));
        FxWait.until(60, () -> lookup("#messageLabel").queryAs(Label.class).getText().startsWith("组长已签署仲裁结果"));
        assertThat(lookup("#resultLabel").queryAs(Label.class).getText()).startsWith("终局结果：维持");
        FxWait.until(10, () -> lookup("#outboxLabel").queryAs(Label.class).getText().equals("发件箱：1"));
        assertThat(lookup("#closeButton").query().isVisible()).isFalse();
        assertThat(lookup("#exportMinutesButton").query().isVisible()).isTrue(); // the minutes can be printed now
        interact(() -> lookup("#memberTable").queryAs(TableView.class).getSelectionModel().select(0));
        assertThat(lookup("#voteButton").query().isDisabled()).isTrue();
        Screenshots.save(lookup("#memberTable").query().getScene(), "arbitration-final-zh");

        @SuppressWarnings("unchecked")
        String caseId = ((ListView<cn.crb.app.arbitration.ArbitrationService.Summary>) lookup("#sessionList").query()).getItems().getFirst().caseId();
        // the result reaches the platform with the next sync
        clickOn("#navSync");
        FxWait.until(20, () -> lookup("#syncButton").tryQuery().map(n -> !n.isDisabled()).orElse(false));
        clickOn("#syncButton");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#syncPassphrase").write(CHAIR_PASS);
        clickOn(dialogButton("立即同步"));
        FxWait.until(90, () -> lookup("#reportLabel").queryAs(Label.class).getText().startsWith("同步完成"));
        JsonNode onPlatform = admin("/admin/v1/cases/" + caseId);
        assertThat(onPlatform.path("arbitration").path("state").asText()).isEqualTo("FINAL");
        assertThat(onPlatform.path("arbitration").path("outcome").asText()).isEqualTo("UPHOLD");
    }

    private void vote(String name, Path key, String passphrase, String position, String reason) throws Exception {
        ArbitrationViewModel.MemberRow row = members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
        interact(() -> {
            TableView<ArbitrationViewModel.MemberRow> t = lookup("#memberTable").queryAs(TableView.class);
            t.getSelectionModel().select(row);
        });
        FxWait.until(10, () -> !lookup("#voteButton").query().isDisabled());
        clickOn("#voteButton");
        WaitForAsyncUtils.waitForFxEvents();
        if (key != null) {
            TextField f = lookup("#memberKeyFile").queryAs(TextField.class);
            interact(f::clear);
            clickOn(f).write(key.toString());
        }
        clickOn("#memberPassphrase").write(passphrase);
        clickOn("#votePosition");
        javafx.scene.Node cell = lookup(".list-cell").match((javafx.scene.control.ListCell<?> c) -> position.equals(c.getText())).query();
        clickOn(cell);
        clickOn("#voteReason").write(reason);
        clickOn(dialogButton("签名投票"));
        FxWait.until(60, () -> lookup("#messageLabel").queryAs(Label.class).getText().startsWith(name + " 已签名投票"));
    }

    @SuppressWarnings("unchecked")
    private List<ArbitrationViewModel.MemberRow> members() {
        return lookup("#memberTable").tryQuery().map(n -> ((TableView<ArbitrationViewModel.MemberRow>) n).getItems().stream().toList()).orElse(List.of());
    }

    private String standing(String name) {
        return members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().standing();
    }

    private javafx.scene.Node dialogButton(String text) {
        return lookup(".dialog-pane .button").match((javafx.scene.control.Button b) -> text.equals(b.getText())).query();
    }

    private JsonNode admin(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sim.baseUrl().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.parse(r.body());
    }
}
