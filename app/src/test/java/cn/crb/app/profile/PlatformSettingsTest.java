package cn.crb.app.profile;

import cn.crb.app.sync.SyncService;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.CancellationToken;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.ProgressListener;
import cn.crb.sync.SyncReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A production platform: its URL and certificate pins come from the deployment (file, environment, options). */
class PlatformSettingsTest {
    private static final String WRONG = "sha256/" + "A".repeat(43) + "=";
    private static final char[] PASS = "正式平台的测试口令 Pinned 2026".toCharArray();

    @Test
    void optionsWinOverTheEnvironmentWhichWinsOverTheFile(@TempDir Path dir) throws Exception {
        WorkstationHome home = new WorkstationHome(dir);
        Files.writeString(dir.resolve(PlatformSettings.FILE), "url=https://file.example.cn\npins=sha256/F1, sha256/F2\n");
        assertThat(PlatformSettings.resolve(home, null, null, Map.of()))
                .isEqualTo(new PlatformSettings("https://file.example.cn", List.of("sha256/F1", "sha256/F2")));
        assertThat(PlatformSettings.resolve(home, null, List.of(), Map.of("CRB_PLATFORM", "https://env.example.cn", "CRB_PLATFORM_PINS", "sha256/E1,sha256/E2")))
                .isEqualTo(new PlatformSettings("https://env.example.cn", List.of("sha256/E1", "sha256/E2")));
        assertThat(PlatformSettings.resolve(home, "https://opt.example.cn", List.of("sha256/O1"), Map.of("CRB_PLATFORM_PINS", "sha256/E1")))
                .isEqualTo(new PlatformSettings("https://opt.example.cn", List.of("sha256/O1")));
        assertThat(PlatformSettings.resolve(new WorkstationHome(dir.resolve("empty")), null, null, Map.of()))
                .isEqualTo(new PlatformSettings(null, List.of()));
    }

    @Test
    void aWorkstationDeployedWithThePinsEnrolsAndSyncsOverTlsAndOneWithoutIsToldWhatIsMissing(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()).withTls())) {
            Path homeDir = dir.resolve("home");
            Files.createDirectories(homeDir);
            // the platform moved to its backup key: the primary pin no longer matches, the backup does
            Files.writeString(homeDir.resolve(PlatformSettings.FILE), "url=" + sim.baseUrl() + "\npins=" + WRONG + ", " + sim.tlsPin().orElseThrow() + "\n");
            WorkstationHome home = new WorkstationHome(homeDir);
            PlatformSettings settings = PlatformSettings.resolve(home, null, null, Map.of());
            assertThat(settings.url()).startsWith("https://");
            PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
            try (HttpTransport http = settings.transport()) {
                ProfileService profiles = new ProfileService(home, http, Clock.systemUTC(), 1000);
                try (ProfileSession s = profiles.create(settings.url(), reviewer.enrolmentCode(), PASS, PASS, "test", x -> { })) {
                    SyncReport r = new SyncService(http, Clock.systemUTC()).sync(s, null, ProgressListener.NONE, new CancellationToken());
                    assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
                    assertThat(r.casesInserted()).isPositive();
                }
            }
            // only pins that do not match: refused in the handshake, and nothing is left behind
            Path other = dir.resolve("other");
            try (HttpTransport wrong = new PlatformSettings(sim.baseUrl().toString(), List.of(WRONG)).transport()) {
                ProfileService profiles = new ProfileService(new WorkstationHome(other), wrong, Clock.systemUTC(), 1000);
                String code = sim.demoPeople().stream().filter(p -> p.roles().contains("CLERK")).findFirst().orElseThrow().enrolmentCode();
                assertThatThrownBy(() -> profiles.create(sim.baseUrl().toString(), code, PASS, PASS, "test", x -> { }))
                        .isInstanceOf(ProfileException.class);
                assertThat(profiles.list()).isEmpty();
            }
        }
        // a real platform without pins, or over plain http: said before any key is made
        try (HttpTransport plain = new PlatformSettings("https://platform.example.cn", List.of()).transport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(dir.resolve("third")), plain, Clock.systemUTC(), 1000);
            assertThatThrownBy(() -> profiles.create("https://platform.example.cn", "EC-XXXX", PASS, PASS, "test", x -> { }))
                    .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.reason()).isEqualTo(ProfileException.Reason.PLATFORM_PINS_MISSING));
            assertThatThrownBy(() -> profiles.create("http://platform.example.cn", "EC-XXXX", PASS, PASS, "test", x -> { }))
                    .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.reason()).isEqualTo(ProfileException.Reason.PLATFORM_PLAIN_HTTP));
            assertThat(Files.exists(dir.resolve("third").resolve("profiles")) ? Files.list(dir.resolve("third").resolve("profiles")).toList() : List.of()).isEmpty();
        }
    }
}
