package cn.crb.app.ui.inbox;

import cn.crb.app.cases.InboxService;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.cases.Deadlines;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.StandardsRepository;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbox over the worked examples: time left from the bundle's deadlines, recommendations equal to the examples'. */
class InboxViewModelTest {
    private static final char[] PASS = "收件箱 Test-Passphrase 42".toCharArray();

    private static JsonNode resource(String path) throws Exception {
        try (InputStream in = InboxViewModelTest.class.getResourceAsStream(path)) {
            return Json.parse(in.readAllBytes());
        }
    }

    @Test
    void sortsByTimeLeftAndShowsTheEnginesTotals(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-10-20T02:00:00Z"), ZoneOffset.UTC);
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("REVIEWER", "JSOU", "审核"),
                    PASS, PASS, "t", s -> { })) {
                new StandardsRepository(session.database(), clock).install(
                        StandardsBundle.fromPayload(resource("/examples/standards-2026.1.json")), null, session.summary().keyId());
                List<CaseRepository.Assignment> page = new ArrayList<>();
                Map<String, String> expectedTotals = new java.util.HashMap<>();
                String[] starts = {"2026-10-08T02:00:00Z", "2026-10-01T02:00:00Z", "2026-10-19T02:00:00Z", "2026-10-06T03:00:00Z",
                        "2026-10-10T02:00:00Z", "2026-10-12T02:00:00Z", "2026-10-15T02:00:00Z"};
                for (int i = 1; i <= 7; i++) {
                    ObjectNode c = (ObjectNode) resource("/examples/cases/C-EX-0" + i + ".json");
                    expectedTotals.put(c.path("caseId").asText(), c.path("expected").path("total").asText());
                    c.put("step", "REVIEW").put("stepStartedAt", starts[i - 1]);
                    page.add(new CaseRepository.Assignment(false, c.path("caseId").asText(), c));
                }
                new CaseRepository(session.database(), clock).applyPage(page, "c1", session.summary().keyId());

                InboxViewModel vm = new InboxViewModel(new InboxService(session, clock), Background.sameThread(), new I18n(Locale.SIMPLIFIED_CHINESE));
                vm.load();
                assertThat(vm.items()).hasSize(7);
                // C-EX-02 started 2026-10-01: deadline 10-16, overdue by 4 days on 10-20 — first
                InboxService.Item first = vm.items().getFirst();
                assertThat(first.row().caseId()).isEqualTo("C-EX-02");
                assertThat(first.timeLeft().urgency()).isEqualTo(Deadlines.Urgency.OVERDUE);
                assertThat(vm.timeLeftText(first.timeLeft())).isEqualTo("逾期 4 天 0 小时");
                // C-EX-04 started 10-06 03:00: deadline 10-21 03:00, 1 day 1 hour left — due soon, second
                assertThat(vm.items().get(1).row().caseId()).isEqualTo("C-EX-04");
                assertThat(vm.items().get(1).timeLeft().urgency()).isEqualTo(Deadlines.Urgency.DUE_SOON);
                assertThat(vm.items().getLast().row().caseId()).isEqualTo("C-EX-03");
                for (InboxService.Item item : vm.items()) {
                    assertThat(vm.creditsText(item)).as(item.row().caseId()).isEqualTo(expectedTotals.get(item.row().caseId()));
                }
                // a second load reads the stored recommendations (same values)
                vm.load();
                assertThat(vm.items()).allSatisfy(i -> assertThat(i.row().recommendedTotal()).isNotNull());

                // next / previous case follow the order shown (Ctrl+] / Ctrl+[ in a case)
                assertThat(vm.neighbour("C-EX-02", +1)).contains("C-EX-04");
                assertThat(vm.neighbour("C-EX-04", -1)).contains("C-EX-02");
                assertThat(vm.neighbour("C-EX-02", -1)).isEmpty();
                assertThat(vm.neighbour("C-EX-03", +1)).isEmpty();
                assertThat(vm.neighbour("C-NOPE", +1)).isEmpty();

                vm.searchProperty().set("C-EX-05");
                assertThat(vm.neighbour("C-EX-05", +1)).isEmpty();
                assertThat(vm.neighbour("C-EX-02", +1)).as("a case filtered out has no neighbours").isEmpty();
                assertThat(vm.items()).singleElement().satisfies(i -> assertThat(i.row().caseId()).isEqualTo("C-EX-05"));
                vm.searchProperty().set("");
                vm.stepProperty().set("CONVERSION");
                assertThat(vm.items()).isEmpty();
            }
        }
    }
}
