package cn.crb.app.ui.casereview;

import cn.crb.app.cases.CaseService;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.sync.SyncService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.decision.Verdict;
import cn.crb.domain.json.Json;
import cn.crb.localdb.CaseRepository;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.CancellationToken;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.ProgressListener;
import cn.crb.sync.SyncReport;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A random inspection (contract 03): an archived case re-opened; the reviewer finds it IRREGULAR with findings, signed; the platform records it. */
class InspectionTest {
    @Test
    void anInspectionIsFoundIrregularWithFindingsSignedAndRecordedByThePlatform(@TempDir Path dir) throws Exception {
        Clock clock = Clock.systemUTC();
        char[] pass = "抽检的口令 Inspection 2026".toCharArray();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(WorkstationHome.resolve(dir.resolve("home"), Map.of()), http, clock, 1000);
            PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), reviewer.enrolmentCode(), pass.clone(), pass.clone(), "t", s -> { })) {
                SyncService sync = new SyncService(http, clock);
                assertThat(sync.sync(session, null, ProgressListener.NONE, new CancellationToken()).outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
                String caseId = new CaseRepository(session.database(), clock).inbox().stream().filter(r -> r.step().equals("INSPECTION"))
                        .findFirst().orElseThrow().caseId();

                CaseViewModel vm = new CaseViewModel(new CaseService(session, profiles, clock), Background.sameThread(),
                        new I18n(Locale.SIMPLIFIED_CHINESE), caseId);
                vm.load();
                assertThat(vm.inspectionProperty().get()).isTrue();
                assertThat(vm.linesFixed().get()).isTrue();
                assertThat(vm.verdictChoices()).containsExactly(Verdict.CONFIRMED, Verdict.IRREGULAR);
                assertThat(vm.verdictProperty().get()).isEqualTo(Verdict.CONFIRMED);
                vm.verdictProperty().set(Verdict.IRREGULAR);
                assertThat(vm.canSignProperty().get()).isFalse();
                assertThat(vm.problemsProperty().get()).contains("须写明检查发现");
                vm.commentProperty().set("证书编号与发证机构的记录不符。");
                assertThat(vm.canSignProperty().get()).isTrue();
                vm.sign(pass.clone());
                assertThat(vm.signedProperty().get()).isTrue();

                SyncReport pushed = sync.sync(session, null, ProgressListener.NONE, new CancellationToken());
                assertThat(pushed.envelopesAccepted()).isEqualTo(1);
                assertThat(pushed.envelopesRejected()).isZero();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sim.baseUrl().resolve("/admin/v1/cases/" + caseId)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode onPlatform = Json.parse(r.body());
                assertThat(onPlatform.path("step").asText()).isEqualTo("ARCHIVE");
                assertThat(onPlatform.path("decision").path("verdict").asText()).isEqualTo("IRREGULAR");
            }
        }
    }
}
