package cn.crb.sync;

import cn.crb.sim.PlatformSim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS with certificate pinning against platform-sim serving HTTPS with its self-signed certificate. */
class TlsPinningTest {
    static final String WRONG = "sha256/" + Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void theRightPinWorksAWrongOneIsRefusedClearlyAndTheBackupPinTakesOver(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()).withTls())) {
            URI url = sim.baseUrl();
            assertThat(url.getScheme()).isEqualTo("https");
            String pin = sim.tlsPin().orElseThrow();
            String code = sim.demoPeople().getFirst().enrolmentCode();

            try (HttpTransport right = HttpTransport.pinned(url.getHost(), List.of(pin, WRONG))) {
                assertThat(new PlatformClient(url, right).reachable()).isTrue();
            }
            try (HttpTransport wrong = HttpTransport.pinned(url.getHost(), List.of(WRONG))) {
                assertThatThrownBy(() -> new PlatformClient(url, wrong).enrol(code, "unused", "test"))
                        .isInstanceOf(PlatformException.class)
                        .satisfies(e -> assertThat(((PlatformException) e).kind()).isEqualTo(PlatformException.Kind.UNTRUSTED))
                        .hasMessageContaining("matches none of the pinned keys").hasMessageContaining(pin);
            }
            // the primary no longer matches (say the platform moved to its backup key): the backup pin works
            try (HttpTransport backup = HttpTransport.pinned(url.getHost(), List.of(WRONG, pin));
                 Station st = Station.enrolWithTransport(url, code, "REVIEWER", dir.resolve("ws"), backup)) {
                SyncReport r = st.sync();
                assertThat(r.outcome()).as(r.problem()).isEqualTo(SyncReport.Outcome.COMPLETE);
                assertThat(r.casesInserted()).isPositive();
            }
        }
    }

    @Test
    void aSyncAgainstAPlatformWhoseKeyIsNotPinnedStopsAsUntrusted(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("sim");
        String code;
        URI url;
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, data, true, List.of()).withTls());
             HttpTransport ok = HttpTransport.pinned("127.0.0.1", List.of(sim.tlsPin().orElseThrow()));
             Station st = Station.enrolWithTransport(sim.baseUrl(), sim.demoPeople().getFirst().enrolmentCode(), "REVIEWER", dir.resolve("ws"), ok)) {
            url = sim.baseUrl();
            try (HttpTransport wrong = HttpTransport.pinned(url.getHost(), List.of(WRONG))) {
                SyncEngine engine = new SyncEngine(st.db(), new PlatformClient(url, wrong), java.time.Clock.systemUTC(), new java.util.Random(1), Backoff.Sleeper.REAL);
                SyncReport r = engine.run(st.options(), ProgressListener.NONE, CancellationToken.none());
                assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.PLATFORM_UNTRUSTED);
                assertThat(r.retries()).as("a pin mismatch is not retried").isZero();
                assertThat(r.problem()).contains("matches none of the pinned keys");
            }
        }
    }

    @Test
    void aBatchUploadToAPlatformWhoseKeyIsNotPinnedIsUntrustedAtOnceNotRetriedAsUnreachable(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()).withTls());
             HttpTransport wrong = HttpTransport.pinned(sim.baseUrl().getHost(), List.of(WRONG))) {
            // a retry would wait at least 5 s (half of 10 s, jittered) if a pin mismatch were taken for a network failure
            BatchClient client = new BatchClient(sim.baseUrl(), wrong, "token", new RetryPolicy(6, java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(10)));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> client.status("batch-1")).isInstanceOf(PlatformException.class)
                    .satisfies(e -> assertThat(((PlatformException) e).kind()).isEqualTo(PlatformException.Kind.UNTRUSTED))
                    .hasMessageContaining("matches none of the pinned keys");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(5));
        }
        try (HttpTransport plain = new HttpTransport()) {
            assertThatThrownBy(() -> new BatchClient(URI.create("https://credit.example.gov.cn"), plain, "token", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pins");
            assertThatThrownBy(() -> new BatchClient(URI.create("http://credit.example.gov.cn"), plain, "token", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        }
    }

    @Test
    void plainHttpIsForLoopbackOnlyAndHttpsNeedsPins() {
        try (HttpTransport plain = new HttpTransport()) {
            assertThatThrownBy(() -> new PlatformClient(URI.create("http://credit.example.gov.cn"), plain))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
            assertThatThrownBy(() -> new PlatformClient(URI.create("https://credit.example.gov.cn"), plain))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pins");
            new PlatformClient(URI.create("http://127.0.0.1:8765"), plain);
            new PlatformClient(URI.create("http://localhost:8765"), plain);
            new PlatformClient(URI.create("http://[::1]:8765"), plain);
        }
        assertThat(HttpTransport.isLoopback("127.0.0.2")).isTrue();
        assertThat(HttpTransport.isLoopback("10.0.0.1")).isFalse();
        assertThat(HttpTransport.isLoopback("127.0.0.1.example.com")).isFalse();
        assertThatThrownBy(() -> HttpTransport.pinned("x", List.of("sha1/AAAA"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpTransport.pinned("x", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHostNameIsNotTakenForLoopbackBecauseItResolvesThereNow() throws Exception {
        // this machine's own name resolves to 127.0.0.1 here (/etc/hosts); DNS could answer otherwise when connecting
        String name = java.net.InetAddress.getLocalHost().getHostName();
        org.junit.jupiter.api.Assumptions.assumeTrue(java.net.InetAddress.getByName(name).isLoopbackAddress() && !name.equalsIgnoreCase("localhost"));
        try (HttpTransport plain = new HttpTransport()) {
            assertThatThrownBy(() -> new PlatformClient(URI.create("http://" + name + ":8765"), plain))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        }
    }
}
