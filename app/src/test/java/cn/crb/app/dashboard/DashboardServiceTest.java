package cn.crb.app.dashboard;

import cn.crb.app.cases.CaseService;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.OutboxRepository;
import cn.crb.localdb.StandardsRepository;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The overview's figures from a real encrypted profile: cases by step and deadline, signatures per day, credits by class. */
class DashboardServiceTest {
    private static final char[] PASS = "概览 Dashboard Test 2026".toCharArray();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static JsonNode res(String p) throws Exception {
        try (InputStream in = DashboardServiceTest.class.getResourceAsStream(p)) { return Json.parse(in.readAllBytes()); }
    }

    @Test
    void figuresCountWhatTheWorkstationHolds(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("REVIEWER", null, "钱进"),
                    PASS, PASS, "t", s -> { })) {
                String me = session.summary().keyId();
                StandardsBundle bundle = StandardsBundle.fromPayload(res("/examples/standards-2026.1.json"));
                new StandardsRepository(session.database(), clock).install(bundle, null, me);
                int reviewDays = bundle.workflow().deadlineDays().get("REVIEW");
                Instant now = clock.instant();
                // REVIEW cases: one overdue, one due within the day, one due in 5 days, one with plenty of time; one in CONVERSION
                List<CaseRepository.Assignment> page = new ArrayList<>();
                Duration[] leftOver = {Duration.ofHours(-5), Duration.ofHours(6), Duration.ofDays(5), Duration.ofDays(reviewDays - 1)};
                for (int i = 0; i < leftOver.length; i++) {
                    ObjectNode c = (ObjectNode) res("/examples/cases/C-EX-0" + (i + 1) + ".json");
                    c.put("step", "REVIEW").put("stepStartedAt", now.minus(Duration.ofDays(reviewDays)).plus(leftOver[i]).toString());
                    page.add(new CaseRepository.Assignment(false, c.path("caseId").asText(), c));
                }
                ObjectNode conv = (ObjectNode) res("/examples/cases/C-EX-05.json");
                conv.put("step", "CONVERSION").put("stepStartedAt", now.toString());
                page.add(new CaseRepository.Assignment(false, "C-EX-05", conv));
                new CaseRepository(session.database(), clock).applyPage(page, "x", me);

                // one decision signed as recommended
                CaseService cases = new CaseService(session, profiles, clock);
                Decision d = cases.open("C-EX-01").decision().orElseThrow();
                cases.sign(d, PASS.clone());

                DashboardService.Dashboard dash = new DashboardService(session, clock, SHANGHAI).load();
                assertThat(dash.cases()).isEqualTo(5);
                assertThat(dash.byStep()).containsEntry("REVIEW", 4).containsEntry("CONVERSION", 1);
                assertThat(dash.overdue()).isEqualTo(1);
                assertThat(dash.dueToday()).isEqualTo(1);
                assertThat(dash.dueThisWeek()).isEqualTo(2);
                assertThat(dash.signedPerDay()).hasSize(7).containsEntry(LocalDate.now(SHANGHAI), 1);
                assertThat(dash.signedPerDay().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
                BigDecimal recommended = d.lines().stream().map(l -> l.recommendedCredits()).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(dash.creditsByClass().values().stream().map(DashboardService.Credits::recommended).reduce(BigDecimal.ZERO, BigDecimal::add))
                        .isEqualByComparingTo(recommended);
                assertThat(dash.creditsByClass().values().stream().map(DashboardService.Credits::granted).reduce(BigDecimal.ZERO, BigDecimal::add))
                        .isEqualByComparingTo(d.totalGranted());
                assertThat(dash.creditsByClass()).containsKey(OutcomeCategory.valueOf(cases.open("C-EX-01").recognitionCase().outcomes().getFirst().category().name()));
                assertThat(dash.outbox()).containsEntry(OutboxRepository.State.QUEUED, 1);
                assertThat(dash.arbitrations()).isEmpty();
            }
        }
    }
}
