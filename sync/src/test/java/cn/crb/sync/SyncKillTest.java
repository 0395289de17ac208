package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.localdb.LocalDatabase;
import cn.crb.localdb.OutboxRepository;
import cn.crb.localdb.ProfileRepository;
import cn.crb.sim.PlatformSim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once in effect, however the workstation dies: a separate JVM syncs a queued outbox against the platform
 * (with latency injected) and is killed with SIGKILL at random moments, ten times; after a final clean sync every
 * envelope is ACCEPTED or DUPLICATE locally, with a distinct log index, and the platform's log holds each exactly once.
 */
class SyncKillTest {
    private static final int CYCLES = 10;
    private static final int ENVELOPES = 300;

    @Test
    void killedSyncsConvergeToExactlyOnce(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()))) {
            Station st = Station.enrol(sim, dir.resolve("ws"), "张明");
            List<Envelope> queued = new ArrayList<>();
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            for (int i = 0; i < ENVELOPES; i++) {
                Envelope e = st.checkpoint(i);
                queued.add(e);
                outbox.enqueue(e, null, st.keyId());
            }
            st.close();
            SimAdmin admin = new SimAdmin(sim.baseUrl());
            admin.faults(60, 0, 0, 0, 1);

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("java.class.path");
            Random random = new Random(42);
            int killedWithOpenRequest = 0;
            int finishedBeforeKill = 0;
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                Process p = new ProcessBuilder(java, "-cp", cp, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                        SyncKillMain.class.getName(), st.dbDir().toString(), HexFormat.of().formatHex(st.dbKey()))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                AtomicBoolean started = new AtomicBoolean();
                AtomicBoolean pushing = new AtomicBoolean();
                AtomicBoolean done = new AtomicBoolean();
                List<String> lines = Collections.synchronizedList(new ArrayList<>());
                Thread reader = Thread.ofPlatform().daemon().start(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                            if (line.equals("STARTED")) started.set(true);
                            if (line.startsWith("PUSH")) pushing.set(true);
                            if (line.equals("DONE")) done.set(true);
                        }
                    } catch (Exception ignored) {
                        // the stream ends when the process is killed
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!started.get() && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
                assertThat(started).as("cycle %d: the sync process started (%s)", cycle, lines).isTrue();
                // every other cycle dies anywhere in the run; the others while envelopes are being pushed
                if (cycle % 2 == 1) {
                    while (!pushing.get() && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
                }
                Thread.sleep(random.nextInt(0, 1200));
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                reader.join(10_000);
                if (done.get()) finishedBeforeKill++;
                try (LocalDatabase db = LocalDatabase.open(st.dbDir(), st.dbKey())) {
                    OutboxRepository o = new OutboxRepository(db, Clock.systemUTC());
                    if (!o.openBatches().isEmpty()) killedWithOpenRequest++;
                    assertThat(o.list(true)).as("cycle %d: nothing queued is lost", cycle).hasSize(ENVELOPES);
                }
            }
            assertThat(killedWithOpenRequest).as("kills that left a request whose answer was never recorded (%d finished early)", finishedBeforeKill).isPositive();
            assertThat(finishedBeforeKill).isLessThan(CYCLES);

            admin.clearFaults();
            try (LocalDatabase db = LocalDatabase.open(st.dbDir(), st.dbKey()); HttpTransport http = new HttpTransport()) {
                SyncEngine engine = new SyncEngine(db, new PlatformClient(sim.baseUrl(), http), Clock.systemUTC(), new Random(1), Backoff.Sleeper.REAL);
                SyncReport last = engine.run(SyncOptions.defaults().withBackoff(Station.FAST), ProgressListener.NONE, CancellationToken.none());
                assertThat(last.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
                assertThat(last.pendingLeft()).isZero();
                OutboxRepository o = new OutboxRepository(db, Clock.systemUTC());
                var counts = o.counts();
                assertThat(counts.get(OutboxRepository.State.ACCEPTED) + counts.get(OutboxRepository.State.DUPLICATE)).isEqualTo(ENVELOPES);
                Set<Long> indexes = new HashSet<>();
                for (Envelope e : queued) indexes.add(o.receipt(e.sm3()).orElseThrow().path("logIndex").asLong());
                assertThat(indexes).hasSize(ENVELOPES).allSatisfy(i -> assertThat(i).isBetween(0L, ENVELOPES - 1L));
                assertThat(last.treeSize()).isEqualTo(ENVELOPES);
                String token = new ProfileRepository(db, Clock.systemUTC()).token().orElseThrow();
                long platformSize = new PlatformClient(sim.baseUrl(), http, token).treeHead().path("payload").path("treeSize").asLong();
                assertThat(platformSize).as("the platform's log holds each envelope exactly once").isEqualTo(ENVELOPES);
                assertThat(new ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).isTrue();
            }
        }
    }
}
