package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.localdb.LocalDatabase;
import cn.crb.localdb.OutboxRepository;
import cn.crb.localdb.ProfileRepository;
import cn.crb.sim.PlatformSim;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Faults of the platform itself, against a real platform-sim on loopback: it crashes and comes back mid-sync; the
 * connection closes after it committed a push but before a byte of the answer (so that OkHttp silently retries the
 * POST); the same request is replayed under the same and under a new Idempotency-Key. Each ends with the platform's
 * log holding every envelope exactly once and the outbox empty.
 */
class PlatformFaultsTest {
    /** Patient enough to wait out a platform restart (a few hundred ms here). */
    static final Backoff.Policy PATIENT = new Backoff.Policy(Duration.ofMillis(50), Duration.ofMillis(400), 200, Duration.ofSeconds(5));

    static List<Envelope> queue(Station st, int n, int from) {
        List<Envelope> list = new ArrayList<>();
        OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
        st.db().inTransaction(tx -> {
            for (int i = from; i < from + n; i++) {
                Envelope e = st.checkpoint(i);
                list.add(e);
                outbox.enqueue(tx, e, null, st.keyId());
            }
            return null;
        });
        return list;
    }

    static long platformTreeSize(PlatformSim sim, LocalDatabase db) throws Exception {
        try (HttpTransport http = new HttpTransport()) {
            String token = new ProfileRepository(db, Clock.systemUTC()).token().orElseThrow();
            return new PlatformClient(sim.baseUrl(), http, token).treeHead().path("payload").path("treeSize").asLong();
        }
    }

    static void assertExactlyOnce(LocalDatabase db, List<Envelope> queued, long expectedTreeSize) {
        OutboxRepository o = new OutboxRepository(db, Clock.systemUTC());
        assertThat(o.pendingCount()).as("outbox empty").isZero();
        var counts = o.counts();
        assertThat(counts.get(OutboxRepository.State.ACCEPTED) + counts.get(OutboxRepository.State.DUPLICATE)).isEqualTo(queued.size());
        Set<Long> indexes = new HashSet<>();
        for (Envelope e : queued) indexes.add(o.receipt(e.sm3()).orElseThrow().path("logIndex").asLong());
        assertThat(indexes).as("a distinct log index per envelope").hasSize(queued.size())
                .allSatisfy(i -> assertThat(i).isBetween(0L, expectedTreeSize - 1));
    }

    @ParameterizedTest(name = "crash at {0}")
    @ValueSource(strings = {"ARRIVAL", "AFTER_COMMIT"})
    void thePlatformCrashesMidPushAndComesBackEveryEnvelopeOnce(String point, @TempDir Path dir) throws Exception {
        PlatformSim.Options options = new PlatformSim.Options(0, dir.resolve("sim"), true, List.of());
        PlatformSim sim = PlatformSim.start(options);
        PlatformSim again = null;
        try (Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            assertThat(st.sync().complete()).isTrue();
            List<Envelope> queued = queue(st, 1000, 0);
            new SimAdmin(sim.baseUrl()).crashOn(2, "POST /api/v1/envelopes", point);
            SyncOptions opts = SyncOptions.defaults().withBackoff(PATIENT).withSizes(100, 250);
            CompletableFuture<SyncReport> run = CompletableFuture.supplyAsync(
                    () -> st.engine().run(opts, ProgressListener.NONE, CancellationToken.none()));

            assertThat(sim.awaitCrash(Duration.ofSeconds(60))).as("the platform crashed on the second push").isTrue();
            Thread.sleep(300); // the platform is down for a moment: the workstation keeps retrying
            again = PlatformSim.start(options.withPort(sim.port()));

            SyncReport r = run.get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as(r.problem()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(r.retries()).as("the outage was felt and retried").isPositive();
            assertThat(r.pendingLeft()).isZero();
            assertExactlyOnce(st.db(), queued, 1000);
            assertThat(platformTreeSize(again, st.db())).as("the platform's log holds each envelope once").isEqualTo(1000);
            assertThat(new ProfileRepository(st.db(), Clock.systemUTC()).verifyAudit().ok()).isTrue();
        } finally {
            sim.close();
            if (again != null) again.close();
        }
    }

    @Test
    void thePlatformCrashesMidPullAndThePullResumesFromTheStoredCursor(@TempDir Path dir) throws Exception {
        PlatformSim.Options options = new PlatformSim.Options(0, dir.resolve("sim"), true, List.of());
        PlatformSim sim = PlatformSim.start(options);
        PlatformSim again = null;
        try (Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            new SimAdmin(sim.baseUrl()).crashOn(3, "GET /api/v1/assignments", "ARRIVAL");
            SyncOptions opts = SyncOptions.defaults().withBackoff(PATIENT).withSizes(20, 500);
            CompletableFuture<SyncReport> run = CompletableFuture.supplyAsync(
                    () -> st.engine().run(opts, ProgressListener.NONE, CancellationToken.none()));
            assertThat(sim.awaitCrash(Duration.ofSeconds(60))).isTrue();
            Thread.sleep(300);
            again = PlatformSim.start(options.withPort(sim.port()));
            SyncReport r = run.get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as(r.problem()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(r.retries()).isPositive();
            assertThat(r.casesInserted()).as("every assigned case once").isEqualTo(143);
            SyncReport next = st.sync();
            assertThat(next.casesInserted() + next.casesUpdated()).as("nothing pulled twice").isZero();
        } finally {
            sim.close();
            if (again != null) again.close();
        }
    }

    @Test
    void okHttpSilentlyRetriesAPostWhoseConnectionClosedAfterTheCommitAndThePushStaysExactlyOnce(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            assertThat(st.sync().complete()).isTrue(); // the connection is now pooled
            List<Envelope> queued = queue(st, 40, 0);
            SimAdmin admin = new SimAdmin(sim.baseUrl());
            // armed when the push starts, so that it is the POST whose connection closes after the commit
            SyncOptions opts = SyncOptions.defaults().withBackoff(Station.FAST);
            SyncReport r = st.engine().run(opts, new ProgressListener() {
                boolean armed;

                @Override
                public void onProgress(Progress p) {
                    if (p.phase() == Phase.PUSH && !armed) {
                        armed = true;
                        try {
                            admin.dropBeforeResponse(1);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }, CancellationToken.none());
            assertThat(r.outcome()).as(r.problem()).isEqualTo(SyncReport.Outcome.COMPLETE);
            List<String> pushKeys = new ArrayList<>();
            for (JsonNode q : admin.requests()) {
                if (q.path("method").asText().equals("POST") && q.path("path").asText().equals("/api/v1/envelopes")) {
                    pushKeys.add(q.path("idempotencyKey").asText());
                }
            }
            assertThat(pushKeys).as("OkHttp sent the POST twice, under the same key").hasSize(2);
            assertThat(pushKeys.get(0)).isEqualTo(pushKeys.get(1));
            assertThat(r.retries()).as("the engine itself did not retry: OkHttp did, silently").isZero();
            assertThat(r.envelopesAccepted()).isEqualTo(40);
            assertExactlyOnce(st.db(), queued, 40);
            assertThat(platformTreeSize(sim, st.db())).isEqualTo(40);
        }
    }

    @Test
    void theSameRequestReplayedUnderTheSameAndUnderANewKeyChangesNothing(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()))) {
            Station st = Station.enrol(sim, dir.resolve("ws"), "张明");
            assertThat(st.sync().complete()).isTrue();
            List<Envelope> queued = queue(st, 120, 0);
            Path queuedCopy = dir.resolve("copy-queued");
            Path keyedCopy = dir.resolve("copy-keyed");
            // a copy of the workstation with the envelopes queued, and one with their request keyed but unanswered
            st.db().close();
            copy(st.dbDir(), queuedCopy);
            try (LocalDatabase db = LocalDatabase.open(st.dbDir(), st.dbKey())) {
                new OutboxRepository(db, Clock.systemUTC()).assignBatchKey(st.keyId(), 500);
            }
            copy(st.dbDir(), keyedCopy);

            String firstKey;
            try (LocalDatabase db = LocalDatabase.open(st.dbDir(), st.dbKey())) {
                firstKey = new OutboxRepository(db, Clock.systemUTC()).openBatches().getFirst().idempotencyKey();
                SyncReport r = engine(db, sim, st).run(st.options(), ProgressListener.NONE, CancellationToken.none());
                assertThat(r.envelopesAccepted()).isEqualTo(120);
                assertExactlyOnce(db, queued, 120);
            }
            // the same request again, under the same key (the answer was lost with the local commit): the stored answer
            replaceWith(st.dbDir(), keyedCopy);
            try (LocalDatabase db = LocalDatabase.open(st.dbDir(), st.dbKey())) {
                assertThat(new OutboxRepository(db, Clock.systemUTC()).openBatches().getFirst().idempotencyKey()).isEqualTo(firstKey);
                SyncReport r = engine(db, sim, st).run(st.options(), ProgressListener.NONE, CancellationToken.none());
                assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
                assertThat(r.envelopesAccepted()).as("the stored answer, replayed").isEqualTo(120);
                assertExactlyOnce(db, queued, 120);
                assertThat(platformTreeSize(sim, db)).isEqualTo(120);
            }
            // the same envelopes under a new key: every one DUPLICATE with its original receipt
            replaceWith(st.dbDir(), queuedCopy);
            try (LocalDatabase db = LocalDatabase.open(st.dbDir(), st.dbKey())) {
                SyncReport r = engine(db, sim, st).run(st.options(), ProgressListener.NONE, CancellationToken.none());
                assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
                assertThat(r.envelopesDuplicate()).isEqualTo(120);
                assertThat(r.envelopesAccepted()).isZero();
                assertExactlyOnce(db, queued, 120);
                assertThat(platformTreeSize(sim, db)).as("no envelope twice in the log").isEqualTo(120);
                List<String> keys = new ArrayList<>();
                for (JsonNode q : new SimAdmin(sim.baseUrl()).requests()) {
                    if (q.path("path").asText().equals("/api/v1/envelopes")) keys.add(q.path("idempotencyKey").asText());
                }
                assertThat(keys).hasSize(3);
                assertThat(keys.get(1)).isEqualTo(firstKey);
                assertThat(keys.get(2)).isNotEqualTo(firstKey);
            }
            st.http().close();
        }
    }

    private static SyncEngine engine(LocalDatabase db, PlatformSim sim, Station st) {
        return new SyncEngine(db, new PlatformClient(sim.baseUrl(), st.http()), Clock.systemUTC(), new Random(3), Backoff.Sleeper.REAL);
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    private static void replaceWith(Path dbDir, Path copy) throws Exception {
        try (var s = Files.walk(dbDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        copy(copy, dbDir);
    }

    @Test
    void aRedirectIsNotFollowedNeitherWithTheEnrolmentCodeNorForThePullAndTheUploadAndIsAProtocolFailure(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             PlatformSim elsewhere = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("elsewhere"), true, List.of()));
             HttpTransport http = new HttpTransport()) {
            SimAdmin admin = new SimAdmin(sim.baseUrl());
            // a gateway in front of the platform sends clients to another address (plain HTTP, say), with a 307 that
            // would have the POST's body — the enrolment code — sent there again
            admin.send("POST", "/admin/v1/faults", cn.crb.domain.json.Json.object().put("redirect", 3).put("redirectTo", elsewhere.baseUrl().toString()));
            String code = sim.demoPeople().getFirst().enrolmentCode();
            PlatformClient client = new PlatformClient(sim.baseUrl(), http);
            assertThatThrownBy(() -> client.enrol(code, cn.crb.domain.crypto.Sm2.toPem(cn.crb.domain.crypto.Sm2.generate().getPublic()), "test"))
                    .isInstanceOfSatisfying(PlatformException.class, e -> {
                        assertThat(e.kind()).isEqualTo(PlatformException.Kind.PROTOCOL);
                        assertThat(e.httpStatus()).isEqualTo(307);
                        assertThat(e.getMessage()).contains(elsewhere.baseUrl().getPort() + "/api/").contains("redirects are not followed");
                    });
            assertThatThrownBy(() -> new PlatformClient(sim.baseUrl(), http, "token").listStandards())
                    .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.kind()).isEqualTo(PlatformException.Kind.PROTOCOL));
            BatchClient batches = new BatchClient(sim.baseUrl(), http, "token", new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10)));
            assertThatThrownBy(() -> batches.status("batch-1"))
                    .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.kind()).as("not retried, not refused").isEqualTo(PlatformException.Kind.PROTOCOL));
            assertThat(new SimAdmin(elsewhere.baseUrl()).requests()).as("nothing reached the other address").isEmpty();
            assertThat(admin.requests()).hasSize(3);
            // the code was not spent: once the gateway is fixed, it enrols
            assertThat(client.enrol(code, cn.crb.domain.crypto.Sm2.toPem(cn.crb.domain.crypto.Sm2.generate().getPublic()), "test").personId()).isNotBlank();
        }
    }
}
