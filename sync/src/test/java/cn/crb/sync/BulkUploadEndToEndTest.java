package cn.crb.sync;

import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.bulk.ResidentId;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.localdb.BulkImportService;
import cn.crb.localdb.BulkJob;
import cn.crb.localdb.BulkJobState;
import cn.crb.localdb.BulkRepository;
import cn.crb.localdb.LocalDatabase;
import cn.crb.sim.PlatformSim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Import a file, upload it to the in-process reference platform through injected faults, resume, and check every row arrived once. */
class BulkUploadEndToEndTest {
    static final String HEADER = "身份证号,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,证书编码,等级,取得日期,质量等级";
    static final RetryPolicy FAST = new RetryPolicy(6, Duration.ofMillis(20), Duration.ofSeconds(2));

    @TempDir
    Path dir;
    PlatformSim sim;
    java.security.PublicKey platformKey;
    LocalDatabase db;
    HttpTransport transport;
    BulkRepository repo;
    BulkImportService importer;
    StandardsBundle bundle;
    KeyPair clerkKey;
    String token;

    @BeforeEach
    void setUp() throws Exception {
        sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
        transport = new HttpTransport();
        clerkKey = Sm2.generate();
        String code = sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷");
        Enrolment enrolled = new PlatformClient(sim.baseUrl(), transport).enrol(code, Sm2.toPem(clerkKey.getPublic()), "bulk-test");
        token = enrolled.token();
        platformKey = Sm2.fromPem(enrolled.platformPublicKeyPem());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        db = LocalDatabase.open(dir.resolve("db"), key);
        repo = new BulkRepository(db);
        importer = new BulkImportService(repo, Clock.systemUTC(), "c1e4".repeat(16));
        try (InputStream in = PlatformSim.class.getResourceAsStream("/cn/crb/sim/standards-2026.1.json")) {
            bundle = StandardsBundle.fromPayload(Json.parse(in.readAllBytes()));
        }
    }

    @AfterEach
    void tearDown() {
        db.close();
        transport.close();
        sim.close();
    }

    static String id(int n) {
        String first = String.format("3201021985%02d%02d%03d", 1 + n % 12, 1 + n % 28, n % 1000);
        return first + ResidentId.checkCharacter(first);
    }

    Path file(String name, int from, int to) throws Exception {
        StringBuilder b = new StringBuilder(HEADER).append("\r\n");
        for (int i = from; i < to; i++) {
            if (i % 2 == 0) b.append(id(i)).append(",学员").append(i).append(",学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n");
            else b.append(id(i)).append(",欧阳").append(i).append(",职业技能,VC-WEB-FE,Web前端,,,,WEB-FE-1X,中级,2024年5月1日,B\r\n");
        }
        return Files.write(dir.resolve(name), b.toString().getBytes(Charset.forName("GBK")));
    }

    BulkJob importFile(Path f) throws Exception {
        return importer.importFile(new BulkImportService.ImportRequest(f, ReadOptions.DEFAULT, "TRN-0042", bundle, null, ImportMode.PARTIAL,
                Locale.SIMPLIFIED_CHINESE), ImportProgress.NONE, () -> false).job();
    }

    BulkUploader.Signer signer() {
        return env -> env.sign(clerkKey.getPrivate(), clerkKey.getPublic(), "CLERK", Instant.now());
    }

    /** The clerk's signer, counting its signatures in {@code signatures}. */
    BulkUploader.Signer counting(AtomicInteger signatures) {
        return env -> {
            signatures.incrementAndGet();
            return signer().sign(env);
        };
    }

    void faults(String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/admin/v1/faults"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isLessThan(300);
    }

    com.fasterxml.jackson.databind.JsonNode faultsNow() throws Exception {
        return Json.parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/admin/v1/faults")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void uploadThroughDroppedConnectionsAndACrashResumesAndSendsEveryRowOnce() throws Exception {
        BulkJob job = importFile(file("a.csv", 0, 2300));
        assertThat(job.batchRows()).isEqualTo(2300);
        assertThat(job.chunkCount()).isEqualTo(3);
        BatchClient client = new BatchClient(sim.baseUrl(), transport, token, FAST);

        // first attempt: the clerk's laptop "crashes" (cancel) after the first chunk was sent
        AtomicInteger puts = new AtomicInteger();
        BulkUploader.Result partial = new BulkUploader(repo, client, Clock.systemUTC(), platformKey)
                .upload(job.id(), signer(), (held, total) -> puts.set(held), () -> puts.get() >= 1);
        assertThat(partial.state()).isEqualTo(BulkJobState.UPLOADING);
        assertThat(client.status(job.batchId()).received()).containsExactly(0);

        // resume; once the platform said what it holds, the next three responses (both PUTs and the completion) are cut
        // off mid-body after the platform processed the request: the retries change nothing there
        AtomicInteger calls = new AtomicInteger();
        BulkUploader.Progress injectOnce = (held, total) -> {
            if (calls.getAndIncrement() == 0) {
                try {
                    faults("{\"dropMidResponse\":3}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        BulkUploader.Result done = new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), signer(), injectOnce, () -> false);
        assertThat(faultsNow().path("dropMidResponse").asInt()).isZero();
        assertThat(done.state()).isEqualTo(BulkJobState.COMPLETE);
        assertThat(done.accepted()).isEqualTo(2300);
        assertThat(done.refused()).isZero();
        assertThat(done.refusedRows()).isEmpty();
        List<Long> rowNumbers = repo.results(job.id()).stream().map(BulkRepository.RowResult::rowNumber).toList();
        List<Long> expected = new ArrayList<>();
        for (long r = 2; r <= 2301; r++) expected.add(r);
        assertThat(rowNumbers).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(repo.job(job.id()).orElseThrow().state()).isEqualTo(BulkJobState.COMPLETE);
        assertThat(repo.chunkStates(job.id())).containsOnlyKeys(0, 1, 2).allSatisfy((n, s) -> assertThat(s).isEqualTo("ACKNOWLEDGED"));
        assertThat(client.status(job.batchId()).state()).isEqualTo("COMPLETE");

        // uploading the completed job again asks nothing new of the platform and returns the stored results
        BulkUploader.Result again = new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), signer(), BulkUploader.Progress.NONE, () -> false);
        assertThat(again.accepted()).isEqualTo(2300);

        // the same file again: recognised locally, nothing queued
        Path same = dir.resolve("a.csv");
        BulkImportService.ImportOutcome twice = importer.importFile(new BulkImportService.ImportRequest(same, null, "TRN-0042", bundle, null, null, null),
                ImportProgress.NONE, () -> false);
        assertThat(twice.alreadyImported()).isTrue();

        // a new file overlapping the submitted rows: only the new rows are queued and sent
        BulkJob next = importFile(file("b.csv", 2200, 2310));
        assertThat(next).extracting(BulkJob::skippedRows, BulkJob::batchRows).containsExactly(100L, 10L);
        BulkUploader.Result nextDone = new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(next.id(), signer(), BulkUploader.Progress.NONE, () -> false);
        assertThat(nextDone.accepted()).isEqualTo(10);
    }

    @Test
    void retriesHonourRetryAfterAndTheEnvelopeMustBeSignedByTheClerk() throws Exception {
        BulkJob job = importFile(file("c.csv", 5000, 5003));
        BatchClient client = new BatchClient(sim.baseUrl(), transport, token, FAST);
        faults("{\"fail429\":1,\"fail503\":1,\"retryAfterSeconds\":1}");
        long t0 = System.nanoTime();
        BulkUploader.Signer wrongRole = env -> env.sign(clerkKey.getPrivate(), clerkKey.getPublic(), "REVIEWER", Instant.now());
        assertThatThrownBy(() -> new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), wrongRole, BulkUploader.Progress.NONE, () -> false))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("ROLE_NOT_ALLOWED"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        BulkUploader.Result done = new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), signer(), BulkUploader.Progress.NONE, () -> false);
        assertThat(done.accepted()).isEqualTo(3);

        // a Retry-After longer than the policy waits: the platform is not asked again before it, the failure says when
        BulkJob later = importFile(file("e.csv", 6000, 6002));
        faults("{\"fail503\":1,\"retryAfterSeconds\":120}");
        long t1 = System.nanoTime();
        assertThatThrownBy(() -> new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(later.id(), signer(), BulkUploader.Progress.NONE, () -> false))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PlatformException.Kind.SERVER);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120));
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(20));
        assertThat(faultsNow().path("fail503").asInt()).as("the one 503 was served; the upload stopped there instead of asking again").isZero();
        assertThat(repo.job(later.id()).orElseThrow().state()).isEqualTo(BulkJobState.UPLOADING);
        assertThat(new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(later.id(), signer(), BulkUploader.Progress.NONE, () -> false).accepted())
                .isEqualTo(2);
        BatchClient stranger = new BatchClient(sim.baseUrl(), transport, "not-a-token", RetryPolicy.DEFAULT);
        assertThatThrownBy(() -> stranger.status(job.batchId())).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.kind()).isEqualTo(PlatformException.Kind.UNAUTHORIZED));
    }

    @Test
    void aCancelWhileTheUploadWaitsOutARetryAfterEndsTheWaitAndLeavesTheJobToResume() throws Exception {
        BulkJob job = importFile(file("f.csv", 8000, 8003));
        AtomicBoolean cancel = new AtomicBoolean();
        // a policy that waits out the platform's 30 s, as the workstation's default does
        BatchClient client = new BatchClient(sim.baseUrl(), transport, token, new RetryPolicy(6, Duration.ofMillis(20), Duration.ofSeconds(30)), cancel::get);
        faults("{\"fail503\":1,\"retryAfterSeconds\":30}");
        java.util.concurrent.CompletableFuture<BulkUploader.Result> running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), signer(), BulkUploader.Progress.NONE, cancel::get);
            } catch (PlatformException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        // the 503 has been served: the upload is in its 30 s pause
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (faultsNow().path("fail503").asInt() != 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(faultsNow().path("fail503").asInt()).isZero();
        Thread.sleep(300);
        assertThat(running).as("still waiting out the Retry-After").isNotDone();
        cancel.set(true);
        // ends with the pause, not 30 s later (the bound is generous for a loaded machine; the pause is 30 s)
        BulkUploader.Result cancelled = running.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(cancelled.state()).isEqualTo(BulkJobState.UPLOADING);
        assertThat(repo.job(job.id()).orElseThrow().state()).isEqualTo(BulkJobState.UPLOADING);
        assertThat(repo.results(job.id())).isEmpty();

        cancel.set(false);
        BulkUploader.Result done = new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), signer(), BulkUploader.Progress.NONE, cancel::get);
        assertThat(done.state()).isEqualTo(BulkJobState.COMPLETE);
        assertThat(done.accepted()).isEqualTo(3);
    }

    @Test
    void theCompletionIsSignedOnceStoredAndAuditedAndItsReceiptMustVerifyForThatEnvelope() throws Exception {
        BulkJob job = importFile(file("d.csv", 7000, 7004));
        BatchClient client = new BatchClient(sim.baseUrl(), transport, token, FAST);
        AtomicInteger signatures = new AtomicInteger();
        BulkUploader.Signer counting = counting(signatures);
        // a receipt that does not verify against the pinned key (here: the key of another platform) is not kept
        java.security.PublicKey other = Sm2.generate().getPublic();
        assertThatThrownBy(() -> new BulkUploader(repo, client, Clock.systemUTC(), other).upload(job.id(), counting, BulkUploader.Progress.NONE, () -> false))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PlatformException.Kind.PROTOCOL);
                    assertThat(e.code()).isEqualTo(BulkUploader.RECEIPT_UNVERIFIED);
                    assertThat(e.getMessage()).contains("receipt").contains(job.batchId());
                });
        assertThat(repo.job(job.id()).orElseThrow().state()).isEqualTo(BulkJobState.UPLOADING);
        assertThat(repo.results(job.id())).isEmpty();
        String stored = repo.completionEnvelope(job.id()).orElseThrow();
        assertThat(db.dsl().fetchCount(db.dsl().selectFrom(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY)
                .where(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ACTION.eq("BATCH_SUBMITTED")))).isEqualTo(1);

        // the platform completed the batch; the next attempt sends the stored envelope, not a new signature, and the
        // platform's receipt (for the envelope it took the first time) verifies against it
        BulkUploader.Result done = new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), counting, BulkUploader.Progress.NONE, () -> false);
        assertThat(done.state()).isEqualTo(BulkJobState.COMPLETE);
        assertThat(done.accepted()).isEqualTo(4);
        assertThat(signatures.get()).as("signed once").isEqualTo(1);
        assertThat(repo.completionEnvelope(job.id())).contains(stored);

        // a job completed on the platform by a completion this workstation does not hold (one signed before the
        // envelopes were stored, whose answer was lost): the results are kept all the same, not waited for forever
        db.dsl().execute("UPDATE BULK_JOB SET STATE = 'UPLOADING', COMPLETION_ENVELOPE = NULL WHERE ID = " + job.id());
        db.dsl().execute("DELETE FROM BULK_RESULT WHERE JOB_ID = " + job.id());
        BulkUploader.Result again = new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), counting, BulkUploader.Progress.NONE, () -> false);
        assertThat(again.state()).isEqualTo(BulkJobState.COMPLETE);
        assertThat(again.accepted()).isEqualTo(4);
        assertThat(signatures.get()).isEqualTo(2);
        assertThat(new cn.crb.localdb.ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).isTrue();
    }

    @Test
    void aStoredCompletionAlteredInTheDatabaseIsNotSentButSetAsideAuditedAndSignedAnew() throws Exception {
        BulkJob job = importFile(file("e.csv", 7100, 7104));
        BatchClient client = new BatchClient(sim.baseUrl(), transport, token, FAST);
        AtomicInteger signatures = new AtomicInteger();
        BulkUploader.Signer counting = counting(signatures);
        // the completion is signed and stored; its answer is not kept (a receipt under another platform's key)
        java.security.PublicKey other = Sm2.generate().getPublic();
        assertThatThrownBy(() -> new BulkUploader(repo, client, Clock.systemUTC(), other).upload(job.id(), counting, BulkUploader.Progress.NONE, () -> false))
                .isInstanceOf(PlatformException.class);
        String stored = repo.completionEnvelope(job.id()).orElseThrow();
        assertThat(stored).contains("\"rowCount\":4");
        // one byte of the stored envelope changed directly in the database
        db.dsl().execute("UPDATE BULK_JOB SET COMPLETION_ENVELOPE = REPLACE(COMPLETION_ENVELOPE, '\"rowCount\":4', '\"rowCount\":5') WHERE ID = " + job.id());

        assertThatThrownBy(() -> new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), counting, BulkUploader.Progress.NONE, () -> false))
                .isInstanceOfSatisfying(BulkUploader.CompletionAlteredException.class, e -> {
                    assertThat(e.jobId()).isEqualTo(job.id());
                    assertThat(e.getMessage()).contains("altered").contains("not sent");
                });
        assertThat(repo.completionEnvelope(job.id())).as("set aside").isEmpty();
        assertThat(repo.job(job.id()).orElseThrow().state()).isEqualTo(BulkJobState.UPLOADING);
        var refused = db.dsl().selectFrom(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY)
                .where(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ACTION.eq("ENVELOPE_REFUSED")).fetch();
        assertThat(refused).hasSize(1);
        assertThat(refused.getFirst().getEntityId()).isEqualTo(cn.crb.domain.crypto.Envelope.fromJson(Json.parse(stored)).sm3());
        assertThat(signatures.get()).isEqualTo(1);

        // the next attempt signs a new completion from the job's rows; the batch the platform completed keeps its results
        BulkUploader.Result done = new BulkUploader(repo, client, Clock.systemUTC(), platformKey).upload(job.id(), counting, BulkUploader.Progress.NONE, () -> false);
        assertThat(done.state()).isEqualTo(BulkJobState.COMPLETE);
        assertThat(done.accepted()).isEqualTo(4);
        assertThat(signatures.get()).isEqualTo(2);
        assertThat(new cn.crb.localdb.ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).isTrue();
    }
}
