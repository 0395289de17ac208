package cn.crb.app.dashboard;

import cn.crb.app.bulk.BulkService;
import cn.crb.app.cases.CaseService;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.ReadOptions;
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
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The overview's figures from a real encrypted profile: cases by step and deadline, signatures per day, credits by class. */
class DashboardServiceTest {
    private static final char[] PASS = "概览 Dashboard Test 2026".toCharArray();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static final String HEADER = "身份证号,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,证书编码,等级,取得日期,质量等级";

    private static String id(int n) {
        String first = String.format("3301061988%02d%02d%03d", 1 + n % 12, 1 + n % 28, n % 1000);
        return first + cn.crb.domain.bulk.ResidentId.checkCharacter(first);
    }

    private static String row(int n) { return id(n) + ",学员" + n + ",学历教育,AC-CS-110,程序设计,理论,48,80,,,2024/6/30,A"; }

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
                // first by id (the inbox's order), last in the workflow's
                conv.put("caseId", "C-AA-05").put("step", "CONVERSION").put("stepStartedAt", now.toString());
                page.add(new CaseRepository.Assignment(false, "C-AA-05", conv));
                new CaseRepository(session.database(), clock).applyPage(page, "x", me);

                // one decision signed as recommended
                CaseService cases = new CaseService(session, profiles, clock);
                Decision d = cases.open("C-EX-01").decision().orElseThrow();
                cases.sign(d, PASS.clone());

                DashboardService.Dashboard dash = new DashboardService(session, clock, SHANGHAI).load();
                assertThat(dash.cases()).isEqualTo(5);
                assertThat(dash.byStep()).containsEntry("REVIEW", 4).containsEntry("CONVERSION", 1);
                assertThat(dash.byStep().keySet()).containsExactly("REVIEW", "CONVERSION"); // the workflow's order, whatever the inbox's
                assertThat(dash.clerk()).isFalse();
                assertThat(dash.reviewer()).isTrue();
                assertThat(dash.casework()).isTrue();
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

    @Test
    void aClerkSeesTheBatchesToSendAndTheBadRowsOfTheLastImport(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"),
                    PASS, PASS, "t", s -> { })) {
                new StandardsRepository(session.database(), clock).install(StandardsBundle.fromPayload(res("/examples/standards-2026.1.json")),
                        null, session.summary().keyId());
                DashboardService dashboards = new DashboardService(session, clock, SHANGHAI);
                assertThat(dashboards.load().bulk()).isEqualTo(new DashboardService.Bulk(0, 0, null, 0));

                BulkService bulk = new BulkService(session, profiles, http, clock);
                String bad = id(9).substring(0, 17) + (id(9).charAt(17) == '1' ? '2' : '1');
                Path first = java.nio.file.Files.writeString(home.resolve("春季.csv"), HEADER + "\n"
                        + row(1) + "\n" + row(2) + "\n" + bad + ",王五,学历教育,AC-CS-110,程序设计,理论,48,70,,,2024/6/30,A\n");
                bulk.importFile(first, ReadOptions.DEFAULT, ImportMode.PARTIAL, Locale.SIMPLIFIED_CHINESE, ImportProgress.NONE, () -> false);
                assertThat(dashboards.load().bulk()).isEqualTo(new DashboardService.Bulk(1, 2, "春季.csv", 1));

                Path second = java.nio.file.Files.writeString(home.resolve("秋季.csv"), HEADER + "\n"
                        + row(3) + "\n" + row(4) + "\n" + row(5) + "\n");
                bulk.importFile(second, ReadOptions.DEFAULT, ImportMode.PARTIAL, Locale.SIMPLIFIED_CHINESE, ImportProgress.NONE, () -> false);
                DashboardService.Dashboard dash = dashboards.load();
                assertThat(dash.clerk()).isTrue();
                assertThat(dash.bulk()).isEqualTo(new DashboardService.Bulk(2, 5, "秋季.csv", 0));
                // a training institution's clerk has no cases and decides none: the overview's case part is not theirs
                assertThat(dash.reviewer()).isFalse();
                assertThat(dash.cases()).isZero();
                assertThat(dash.casework()).isFalse();
            }
        }
    }
}
