package cn.crb.app.print;

import cn.crb.app.arbitration.ArbitrationService;
import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.sync.SyncService;
import cn.crb.domain.arbitration.Position;
import cn.crb.domain.crypto.Envelope;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.CancellationToken;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.ProgressListener;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo platform's arbitration held on the chair's workstation (one member recused by institution, three vote with
 * their own key files, the chair signs); its minutes are written as PDF and read back: the ids, the panel, each vote's
 * SM3 and signer's key id, the minutes text as signed, and the QR code decoding to the SM3 of the result.
 */
class ArbitrationMinutesTest {
    private static final List<String> VOTERS = List.of("王建国", "刘洋", "赵敏");
    private static final String NOTES = "会议于本机进行，三位成员到场，陈静因所在机构回避。";

    @Test
    void theMinutesOfAClosedArbitrationPrintWithEveryVoteAndTheResultsSm3(@TempDir Path dir) throws Exception {
        Clock clock = Clock.systemUTC();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             HttpTransport http = new HttpTransport()) {
            Map<String, Path> keyFile = new HashMap<>();
            Map<String, char[]> pass = new HashMap<>();
            ProfileSession chairSession = null;
            ProfileService chairProfiles = null;
            for (String name : VOTERS) {
                PlatformSim.DemoPerson p = sim.demoPeople().stream().filter(x -> x.displayName().equals(name)).findFirst().orElseThrow();
                char[] pw = ("口令 of " + name + " 2026 secure").toCharArray();
                ProfileService profiles = new ProfileService(WorkstationHome.resolve(dir.resolve("home-" + name), Map.of()), http, clock, 1000);
                ProfileSession s = profiles.create(sim.baseUrl().toString(), p.enrolmentCode(), pw.clone(), pw.clone(), name, x -> { });
                keyFile.put(name, s.dir().resolve("keystore.p12"));
                pass.put(name, pw);
                if (name.equals("王建国")) {
                    chairSession = s;
                    chairProfiles = profiles;
                } else {
                    s.close();
                }
            }
            try (ProfileSession chair = chairSession) {
                new SyncService(http, clock).sync(chair, chairProfiles.openSigningKey(chair.summary().id(), pass.get("王建国").clone()),
                        ProgressListener.NONE, new CancellationToken());
                ArbitrationService service = new ArbitrationService(chair, clock);
                String caseId = service.list().getFirst().caseId();
                ArbitrationService.View v = service.open(caseId);
                NoticeService notices = new NoticeService(chair, clock, Map.of());
                assertThatThrownBy(() -> notices.arbitrationMinutes(caseId, Locale.SIMPLIFIED_CHINESE, dir.resolve("early.pdf")))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.MINUTES_NOT_CLOSED);

                var before = new cn.crb.app.ui.arbitration.ArbitrationViewModel(service, cn.crb.app.ui.common.Background.sameThread(),
                        new cn.crb.app.ui.common.I18n(Locale.SIMPLIFIED_CHINESE), () -> { });
                before.load();
                assertThat(before.minutesAvailableProperty().get()).isFalse();
                Map<String, String> id = new HashMap<>();
                v.panel().forEach(m -> id.put(m.member().displayName(), m.member().keyId()));
                for (String name : VOTERS) {
                    service.vote(caseId, id.get(name), keyFile.get(name), pass.get(name).clone(), Position.UPHOLD, Map.of(),
                            name + "：原决定依据充分，维持。");
                }
                Envelope result = service.close(caseId, keyFile.get("王建国"), pass.get("王建国").clone(), NOTES);

                Path pdf = dir.resolve("仲裁记录.pdf");
                NoticeService.Printed printed = notices.arbitrationMinutes(caseId, Locale.SIMPLIFIED_CHINESE, pdf);
                assertThat(printed.envelopeSm3()).isEqualTo(result.sm3());

                PdfChecks.Read r = PdfChecks.read(pdf);
                JsonNode p = result.payload();
                assertThat(r.text().lines().map(String::strip).toList()).contains("仲裁记录");
                assertThat(r.text()).contains(caseId, p.path("arbitrationId").asText(), "陈静", "回避（所在机构与本案有关）", "组长", "维持", NOTES,
                        "王建国：原决定依据充分，维持。", "赵敏：原决定依据充分，维持。");
                // the minutes as signed, line by line (each short enough to stay on one printed line or wrapped at a character)
                // (the footer of each page left out: a page break may fall inside the minutes)
                String flat = r.text().lines().filter(l -> !l.startsWith("仲裁记录 · 案件")).collect(java.util.stream.Collectors.joining()).replaceAll("\\s", "");
                for (String line : p.path("minutes").asText().split("\n")) assertThat(flat).contains(line.replaceAll("\\s", ""));
                // the result's SM3 and the chair's key id, each vote's SM3 and its member's key id
                assertThat(flat).contains(result.sm3(), result.signatures().getFirst().keyId());
                assertThat(p.path("votes")).hasSize(3);
                for (JsonNode vote : p.path("votes")) {
                    Envelope e = Envelope.fromJson(vote);
                    assertThat(flat).contains(e.sm3(), e.signatures().getFirst().keyId());
                }
                assertThat(r.embedded()).containsOnly(true);
                assertThat(PdfChecks.inked(r.pages().getFirst())).isGreaterThan(0.01);
                // the QR code sits with the signature, on the last page
                assertThat(PdfChecks.decodeQr(r.pages().getLast())).isEqualTo(result.sm3());
                for (int i = 0; i < r.pages().size(); i++) PdfChecks.savePng(r.pages().get(i), "notice-minutes-zh-" + (i + 1));

                // the arbitration screen's export (view model): offered once the result is kept here, written in English on request
                var vm = new cn.crb.app.ui.arbitration.ArbitrationViewModel(service, cn.crb.app.ui.common.Background.sameThread(),
                        new cn.crb.app.ui.common.I18n(Locale.ENGLISH), () -> { });
                vm.load();
                assertThat(vm.minutesAvailableProperty().get()).isTrue();
                Path en = dir.resolve(vm.minutesFileName());
                vm.exportMinutes(en);
                assertThat(vm.messageProperty().get()).startsWith("Exported arbitration-minutes-" + caseId + ".pdf (");
                PdfChecks.Read re = PdfChecks.read(en);
                assertThat(re.text().replaceAll("\\s+", " ")).contains("Arbitration Minutes", caseId, "Recused (institution involved in the case)", NOTES);
                assertThat(PdfChecks.decodeQr(re.pages().getLast())).isEqualTo(result.sm3());
            }
        }
    }
}
