package cn.crb.app.ui.sync;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.sync.SyncService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.SyncReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The Sync screen's view model against platform-sim: what a platform's Retry-After does to the automatic sync. */
class SyncViewModelTest {
    private static final char[] PASS = "同步测试 Test-Passphrase 7".toCharArray();

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        volatile Instant now = Instant.now();
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private static int post(URI base, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aRetryAfterLongerThanTheRunWaitsKeepsTheAutomaticSyncAwayUntilItHasPassedButNotAPersonsSync(@TempDir Path simDir, @TempDir Path home)
            throws Exception {
        HandClock clock = new HandClock();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, Clock.systemUTC(), 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("REVIEWER", "JSOU", "审核"),
                    PASS, PASS, "t", s -> { })) {
                List<SyncReport> reports = new ArrayList<>();
                SyncViewModel vm = new SyncViewModel(session, profiles, new SyncService(http, clock), Background.sameThread(),
                        new I18n(Locale.SIMPLIFIED_CHINESE), reports::add);
                // the platform is busy for an hour: far longer than a run waits (10 s for the screen's sync)
                assertThat(post(sim.baseUrl(), "/admin/v1/faults", "{\"fail429\":50,\"retryAfterSeconds\":3600}")).isEqualTo(200);
                assertThat(vm.syncAutomatically()).isTrue();
                SyncReport busy = reports.getLast();
                assertThat(busy.outcome()).isEqualTo(SyncReport.Outcome.RETRY_LATER);
                assertThat(busy.retries()).as("not retried within the run either").isEqualTo(0);
                assertThat(busy.notBefore()).isEqualTo(clock.now.plusSeconds(3600));
                assertThat(vm.reportProperty().get()).contains("平台要求在").contains("之后再同步");

                // ten and fifty minutes later the automatic sync leaves the platform alone
                clock.now = clock.now.plus(Duration.ofMinutes(10));
                assertThat(vm.syncAutomatically()).isFalse();
                clock.now = clock.now.plus(Duration.ofMinutes(40));
                assertThat(vm.syncAutomatically()).isFalse();
                assertThat(reports).hasSize(1);
                assertThat(vm.platformAskedToWait()).isTrue();
                // a person's sync still goes (and is told the same); its answer, an hour from now, is the one kept
                vm.syncNow(null);
                assertThat(reports).hasSize(2);
                assertThat(reports.getLast().notBefore()).isEqualTo(clock.now.plusSeconds(3600));
                clock.now = clock.now.plus(Duration.ofMinutes(15)); // past the first hour, not the second
                assertThat(vm.syncAutomatically()).isFalse();
                assertThat(reports).hasSize(2);

                // once the time the platform gave has passed, the automatic sync goes and, the platform well again, completes
                assertThat(post(sim.baseUrl(), "/admin/v1/faults", "{\"fail429\":0,\"retryAfterSeconds\":0}")).isEqualTo(200);
                clock.now = clock.now.plus(Duration.ofMinutes(46));
                assertThat(vm.platformAskedToWait()).isFalse();
                assertThat(vm.syncAutomatically()).isTrue();
                assertThat(reports.getLast().outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
                assertThat(reports.getLast().notBefore()).isNull();
                assertThat(vm.reportProperty().get()).doesNotContain("平台要求在");
                clock.now = clock.now.plus(Duration.ofMinutes(10));
                assertThat(vm.syncAutomatically()).isTrue();
            }
        }
    }
}
