package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.OutboxRepository;
import cn.crb.localdb.ProfileRepository;
import cn.crb.localdb.StandardsRepository;
import cn.crb.localdb.TreeHeadRepository;
import cn.crb.sim.PlatformSim;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The sync engine end to end against an in-process platform-sim; no mocks. */
class SyncEngineTest {

    private static PlatformSim start(Path dir, List<Path> extra) throws Exception {
        return PlatformSim.start(new PlatformSim.Options(0, dir, true, extra));
    }

    /** The cases assigned to the station, straight from the platform (one page of up to 500). */
    private static Set<String> assignedOnPlatform(Station st) throws Exception {
        String token = new ProfileRepository(st.db(), Clock.systemUTC()).token().orElseThrow();
        Set<String> ids = new HashSet<>();
        PlatformClient.AssignmentsPage p = new PlatformClient(st.platform(), st.http(), token).assignments(null, 500);
        assertThat(p.hasMore()).isFalse();
        p.items().forEach(i -> ids.add(i.caseId()));
        return ids;
    }

    @Test
    void firstSyncPullsEverythingSecondChangesNothingWithdrawnLeavesTheInbox(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = start(dir.resolve("sim"), List.of()); Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            List<ProgressListener.Progress> seen = new ArrayList<>();
            SyncReport first = st.engine().run(st.options().withSizes(10, 500), seen::add, CancellationToken.none());
            assertThat(first.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(first.standardsInstalled()).containsExactlyInAnyOrder("2025.2", "2026.1");
            assertThat(first.standardsRefused()).isEmpty();
            StandardsRepository standards = new StandardsRepository(st.db(), Clock.systemUTC());
            assertThat(standards.list()).extracting(StandardsRepository.Held::version).containsExactly("2025.2", "2026.1");
            assertThat(standards.list()).allSatisfy(h -> assertThat(h.verified()).isTrue());

            Set<String> assigned = assignedOnPlatform(st);
            assertThat(assigned).hasSizeGreaterThan(50);
            CaseRepository cases = new CaseRepository(st.db(), Clock.systemUTC());
            assertThat(first.casesInserted()).isEqualTo(assigned.size());
            assertThat(cases.count()).isEqualTo(assigned.size());
            assertThat(first.pages()).isGreaterThanOrEqualTo(assigned.size() / 10);
            assertThat(seen).extracting(ProgressListener.Progress::phase).contains(ProgressListener.Phase.STANDARDS,
                    ProgressListener.Phase.ASSIGNMENTS, ProgressListener.Phase.DONE);
            assertThat(first.treeSize()).isGreaterThanOrEqualTo(0);

            long audit = new ProfileRepository(st.db(), Clock.systemUTC()).auditEntries();
            SyncReport second = st.sync();
            assertThat(second.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(second.standardsInstalled()).isEmpty();
            assertThat(second.casesInserted() + second.casesUpdated() + second.casesWithdrawn()).isZero();
            assertThat(new ProfileRepository(st.db(), Clock.systemUTC()).auditEntries()).isEqualTo(audit);

            String gone = cases.inbox().getFirst().caseId();
            new SimAdmin(sim.baseUrl()).withdraw(gone);
            SyncReport third = st.sync();
            assertThat(third.casesWithdrawn()).isEqualTo(1);
            assertThat(cases.inbox()).extracting(CaseRepository.InboxRow::caseId).doesNotContain(gone);
            assertThat(cases.caseJson(gone)).isPresent();
            assertThat(new ProfileRepository(st.db(), Clock.systemUTC()).verifyAudit().ok()).isTrue();
        }
    }

    @Test
    void aTamperedStandardsBundleIsRefusedAndTheHeldVersionsStay(@TempDir Path dir) throws Exception {
        Path simDir = dir.resolve("sim");
        Path ws = dir.resolve("ws");
        Station st;
        try (PlatformSim sim = start(simDir, List.of())) {
            st = Station.enrol(sim, ws, "张明");
            assertThat(st.sync().standardsInstalled()).hasSize(2);
        }
        // the platform publishes 2027.1 …
        ObjectNode next = (ObjectNode) Json.parse(new String(SyncEngineTest.class.getResourceAsStream("/cn/crb/sim/standards-2026.1.json").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        next.put("version", "2027.1").put("effectiveFrom", "2027-01-01").put("supersedes", "2026.1");
        next.remove("effectiveUntil");
        Path file = dir.resolve("standards-2027.1.json");
        Files.writeString(file, Json.write(next));
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of(file)))) {
            assertThat(sim.platformKeyId()).isNotBlank();
        }
        // … and then serves it altered after signing (a broken or dishonest store)
        String stored = SimAdmin.query(simDir, "SELECT envelope FROM standards WHERE version = '2027.1'");
        assertThat(stored).contains("2027.1");
        ObjectNode env = (ObjectNode) Json.parse(stored);
        ((ObjectNode) env.get("payload")).put("effectiveFrom", "2026-12-01");
        assertThat(SimAdmin.tamper(simDir, "UPDATE standards SET envelope = ? WHERE version = '2027.1'", Json.write(env))).isEqualTo(1);
        try (PlatformSim sim = start(simDir, List.of())) {
            Station moved = new Station(st.dbDir(), st.dbKey(), st.db(), st.keys(), st.keyId(), st.personId(), st.role(), sim.baseUrl(), st.http());
            SyncReport r = moved.sync();
            assertThat(r.standardsInstalled()).isEmpty();
            assertThat(r.standardsRefused()).singleElement().satisfies(x -> {
                assertThat(x.version()).isEqualTo("2027.1");
                assertThat(x.reason()).startsWith("BAD_SIGNATURE");
                assertThat(x.code()).isEqualTo("BAD_SIGNATURE");
            });
            assertThat(new StandardsRepository(st.db(), Clock.systemUTC()).list()).extracting(StandardsRepository.Held::version)
                    .containsExactly("2025.2", "2026.1");
        } finally {
            st.close();
        }
    }

    /** A signed REQUEST_MATERIALS decision for {@code caseJson} at {@code revision}. */
    static Envelope decision(Station st, JsonNode caseJson, int revision) {
        ObjectNode p = Json.object();
        p.put("caseId", caseJson.path("caseId").asText());
        p.put("caseRevision", revision);
        p.put("standardsVersion", "2026.1");
        p.put("verdict", "REQUEST_MATERIALS");
        p.put("decidedAt", Envelope.timestamp(Instant.now()));
        p.putArray("lines");
        p.put("totalGranted", "0");
        p.put("comment", "成绩单不清晰，请补充材料");
        return Envelope.unsigned("creditbank.decision/1", p).sign(st.keys().getPrivate(), st.keys().getPublic(), "REVIEWER", Instant.now());
    }

    static List<JsonNode> openReviewCases(Station st) {
        CaseRepository cases = new CaseRepository(st.db(), Clock.systemUTC());
        List<JsonNode> out = new ArrayList<>();
        for (CaseRepository.InboxRow r : cases.inbox()) {
            JsonNode c = cases.caseJson(r.caseId()).orElseThrow();
            if (r.step().equals("REVIEW") && !c.path("closed").asBoolean(false) && !c.path("awaitingMaterials").asBoolean(false)) out.add(c);
        }
        return out;
    }

    @Test
    void aQueuedEnvelopeChangedByOneByteIsRefusedBeforeSendingAndNeedsAPerson(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = start(dir.resolve("sim"), List.of()); Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            st.sync();
            List<JsonNode> open = openReviewCases(st);
            JsonNode c1 = open.get(0);
            JsonNode c2 = open.get(1);
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            Envelope d1 = decision(st, c1, c1.path("revision").asInt());
            Envelope d2 = decision(st, c2, c2.path("revision").asInt());
            outbox.enqueue(d1, c1.path("caseId").asText(), st.keyId());
            outbox.enqueue(d2, c2.path("caseId").asText(), st.keyId());
            cn.crb.localdb.Tamper.changeOneByteOfEnvelope(st.db(), d2.sm3());
            long sizeBefore = new TreeHeadRepository(st.db(), Clock.systemUTC()).held().orElseThrow().treeSize();

            SyncReport r = st.engine().run(st.options().withSigner(st.signer()), ProgressListener.NONE, CancellationToken.none());
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(r.envelopesAccepted()).isEqualTo(2); // d1 and the checkpoint; d2 never left
            assertThat(r.treeSize()).isEqualTo(sizeBefore + 2);
            assertThat(r.pendingLeft()).isZero();
            OutboxRepository.Entry refused = outbox.list(false).stream().filter(e -> e.envelopeSm3().equals(d2.sm3())).findFirst().orElseThrow();
            assertThat(refused.state()).isEqualTo(OutboxRepository.State.REJECTED);
            assertThat(refused.state().needsPerson()).isTrue();
            assertThat(refused.resultCode()).isEqualTo(OutboxRepository.LOCAL_INTEGRITY);
            assertThat(refused.resultDetail()).contains("altered");
            assertThat(refused.sentAt()).isNull();
            assertThat(refused.attempts()).isZero();
            assertThat(new CaseRepository(st.db(), Clock.systemUTC()).inbox().stream()
                    .filter(x -> x.caseId().equals(c2.path("caseId").asText())).findFirst().orElseThrow().localState())
                    .as("refused, not a conflict: the act itself was altered").isEqualTo("REJECTED");
            // the untouched original would still be accepted: the platform never saw the altered one
            Envelope again = Envelope.fromJson(d2.toJson());
            String token = new ProfileRepository(st.db(), Clock.systemUTC()).token().orElseThrow();
            List<PlatformClient.PushResult> direct = new PlatformClient(st.platform(), st.http(), token)
                    .pushEnvelopes(java.util.UUID.randomUUID().toString(), List.of(again.toJson()));
            assertThat(direct.getFirst().status()).isEqualTo("ACCEPTED");
            assertThat(new ProfileRepository(st.db(), Clock.systemUTC()).verifyAudit().ok()).isTrue();
        }
    }

    @Test
    void decisionsAreAcceptedWithVerifiedReceiptsAndStaleOnesStayVisibleAsConflicts(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = start(dir.resolve("sim"), List.of()); Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            st.sync();
            List<JsonNode> open = openReviewCases(st);
            JsonNode c1 = open.get(0);
            JsonNode c2 = open.get(1);
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            Envelope d1 = decision(st, c1, c1.path("revision").asInt());
            Envelope d2 = decision(st, c2, c2.path("revision").asInt());
            outbox.enqueue(d1, c1.path("caseId").asText(), st.keyId());
            outbox.enqueue(d2, c2.path("caseId").asText(), st.keyId());
            long sizeBefore = new TreeHeadRepository(st.db(), Clock.systemUTC()).held().orElseThrow().treeSize();

            SyncReport r = st.engine().run(st.options().withSigner(st.signer()), ProgressListener.NONE, CancellationToken.none());
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(r.checkpointQueued()).isTrue();
            assertThat(r.envelopesAccepted()).isEqualTo(3); // two decisions and the checkpoint
            assertThat(r.treeSize()).isEqualTo(sizeBefore + 3);
            assertThat(r.pendingLeft()).isZero();
            JsonNode receipt = outbox.receipt(d1.sm3()).orElseThrow();
            assertThat(receipt.path("treeHead").path("type").asText()).isEqualTo(TransparencyVerifier.TREE_HEAD);
            assertThat(receipt.path("inclusionProof").isArray()).isTrue();

            // the same case decided again on the revision that is now stale
            Envelope stale = decision(st, c1, c1.path("revision").asInt());
            outbox.enqueue(stale, c1.path("caseId").asText(), st.keyId());
            SyncReport r2 = st.sync();
            assertThat(r2.envelopesConflict()).isEqualTo(1);
            assertThat(r2.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(outbox.list(false)).singleElement().satisfies(e -> {
                assertThat(e.state()).isEqualTo(OutboxRepository.State.CONFLICT);
                assertThat(e.resultCode()).isEqualTo("STALE_REVISION");
                assertThat(e.resultDetail()).isNotBlank();
                assertThat(e.envelopeSm3()).isEqualTo(stale.sm3());
            });
            // the pulls after the push brought the new revision of the decided case
            assertThat(new CaseRepository(st.db(), Clock.systemUTC()).caseJson(c1.path("caseId").asText()).orElseThrow()
                    .path("revision").asInt()).isGreaterThan(c1.path("revision").asInt());
        }
    }

    @Test
    void faultsAreRetriedAndEveryEnvelopeIsHeldExactlyOnce(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = start(dir.resolve("sim"), List.of()); Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            SimAdmin admin = new SimAdmin(sim.baseUrl());
            st.sync();
            long size0 = new TreeHeadRepository(st.db(), Clock.systemUTC()).held().orElseThrow().treeSize();
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            int n = 60;
            List<Envelope> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) sent.add(st.checkpoint(i));
            sent.forEach(e -> outbox.enqueue(e, null, st.keyId()));

            // 503 bursts with Retry-After, then responses cut off mid-body (the platform did the work; the answer is lost)
            admin.faults(0, 3, 1, 3, 1);
            SyncReport r = st.engine().run(st.options().withSizes(100, 25), ProgressListener.NONE, CancellationToken.none());
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(r.retries()).isGreaterThanOrEqualTo(7);
            assertThat(r.envelopesAccepted() + r.envelopesDuplicate()).isEqualTo(n);
            assertThat(admin.faults().path("fail503").asInt()).isZero();
            assertThat(admin.faults().path("dropMidResponse").asInt()).isZero();
            assertThat(r.treeSize()).isEqualTo(size0 + n);
            assertThat(outbox.counts().get(OutboxRepository.State.ACCEPTED) + outbox.counts().get(OutboxRepository.State.DUPLICATE)).isEqualTo(n);

            Set<Long> indexes = new HashSet<>();
            for (Envelope e : sent) indexes.add(outbox.receipt(e.sm3()).orElseThrow().path("logIndex").asLong());
            assertThat(indexes).hasSize(n).allSatisfy(i -> assertThat(i).isBetween(size0, size0 + n - 1));

            // the same envelope under a new key (as after a lost local commit) is DUPLICATE with the original receipt, never a new leaf
            String token = new ProfileRepository(st.db(), Clock.systemUTC()).token().orElseThrow();
            PlatformClient api = new PlatformClient(st.platform(), st.http(), token);
            List<PlatformClient.PushResult> dup = api.pushEnvelopes(java.util.UUID.randomUUID().toString(), List.of(sent.get(7).toJson()));
            assertThat(dup.getFirst().status()).isEqualTo("DUPLICATE");
            assertThat(dup.getFirst().receipt().path("logIndex").asLong()).isEqualTo(outbox.receipt(sent.get(7).sm3()).orElseThrow().path("logIndex").asLong());
            assertThat(st.sync().treeSize()).isEqualTo(size0 + n);
        }
    }

    @Test
    void aRequestTooLargeForThePlatformGoesAgainInSmallerOnesAndAnEnvelopeTooLargeAloneIsRefusedVisibly(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = start(dir.resolve("sim"), List.of()); Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            SimAdmin admin = new SimAdmin(sim.baseUrl());
            st.sync();
            long size0 = new TreeHeadRepository(st.db(), Clock.systemUTC()).held().orElseThrow().treeSize();
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            List<Envelope> small = new ArrayList<>();
            for (int i = 0; i < 40; i++) small.add(st.checkpoint(i));
            // a request for materials with a long comment (a reviewer's list of what is missing, pasted in): alone too
            // large for the proxy in front of this platform
            JsonNode c = openReviewCases(st).getFirst();
            ObjectNode p = (ObjectNode) decision(st, c, c.path("revision").asInt()).payload().deepCopy();
            p.put("comment", "请补充以下材料：" + "成绩单原件扫描件、课程大纲、学时证明。".repeat(200));
            Envelope big = Envelope.unsigned("creditbank.decision/1", p).sign(st.keys().getPrivate(), st.keys().getPublic(), "REVIEWER", Instant.now());
            small.subList(0, 30).forEach(e -> outbox.enqueue(e, null, st.keyId()));
            outbox.enqueue(big, c.path("caseId").asText(), st.keyId());
            small.subList(30, 40).forEach(e -> outbox.enqueue(e, null, st.keyId()));
            int one = Json.canonical(small.getFirst().toJson()).length;
            assertThat(Json.canonical(big.toJson()).length).isGreaterThan(6 * one);
            admin.maxBodyBytes(5L * (one + 1) + 20); // about five checkpoints to a request

            SyncReport r = st.engine().run(st.options().withSizes(100, 25), ProgressListener.NONE, CancellationToken.none());
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(r.envelopesAccepted()).isEqualTo(40);
            assertThat(r.envelopesRejected()).isEqualTo(1);
            assertThat(r.pendingLeft()).isZero();
            assertThat(r.treeSize()).isEqualTo(size0 + 40);
            for (Envelope e : small) assertThat(outbox.state(e.sm3())).contains(OutboxRepository.State.ACCEPTED);
            OutboxRepository.Entry refused = outbox.list(false).stream().filter(e -> e.envelopeSm3().equals(big.sm3())).findFirst().orElseThrow();
            assertThat(refused.state()).isEqualTo(OutboxRepository.State.REJECTED);
            assertThat(refused.resultCode()).isEqualTo("TOO_LARGE");
            assertThat(refused.resultDetail()).contains("too large");
            assertThat(new CaseRepository(st.db(), Clock.systemUTC()).inbox().stream()
                    .filter(x -> x.caseId().equals(c.path("caseId").asText())).findFirst().orElseThrow().localState()).isEqualTo("REJECTED");
            // each request the platform answered carried at most the five that fit
            long pushes = 0;
            for (JsonNode q : admin.requests()) if (q.path("path").asText().equals("/api/v1/envelopes")) pushes++;
            assertThat(pushes).isGreaterThanOrEqualTo(40 / 5 + 1);

            // the next sync sends nothing again: the refused envelope waits for a person
            admin.clearFaults();
            SyncReport again = st.sync();
            assertThat(again.envelopesAccepted() + again.envelopesDuplicate() + again.envelopesRejected()).isZero();
            assertThat(outbox.state(big.sm3())).contains(OutboxRepository.State.REJECTED);

            // a proxy whose limit is smaller than any envelope: nothing is refused here, the run fails and all stays queued
            List<Envelope> more = new ArrayList<>();
            for (int i = 0; i < 3; i++) more.add(st.checkpoint(100 + i));
            more.forEach(e -> outbox.enqueue(e, null, st.keyId()));
            admin.maxBodyBytes(one / 2);
            SyncReport blocked = st.engine().run(st.options(), ProgressListener.NONE, CancellationToken.none());
            assertThat(blocked.outcome()).isEqualTo(SyncReport.Outcome.FAILED);
            assertThat(blocked.problem()).contains("too large").contains("outbox is kept");
            assertThat(blocked.envelopesRejected()).isZero();
            assertThat(blocked.pendingLeft()).isEqualTo(3);
            for (Envelope e : more) assertThat(outbox.state(e.sm3())).contains(OutboxRepository.State.QUEUED);
            admin.clearFaults();
            SyncReport after = st.sync();
            assertThat(after.envelopesAccepted()).isEqualTo(3);
            assertThat(after.pendingLeft()).isZero();
            assertThat(new ProfileRepository(st.db(), Clock.systemUTC()).verifyAudit().ok()).isTrue();
        }
    }

    @Test
    void aPullThePlatformRefusesDoesNotKeepTheOutboxFromLeaving(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = start(dir.resolve("sim"), List.of()); Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            st.sync();
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            for (int i = 0; i < 3; i++) outbox.enqueue(st.checkpoint(i), null, st.keyId());
            // a cursor the platform no longer knows (its database was rebuilt): the assignments are refused, 400
            st.db().dsl().update(cn.crb.localdb.jooq.Tables.KV_SETTING).set(cn.crb.localdb.jooq.Tables.KV_SETTING.V, "not-a-cursor")
                    .where(cn.crb.localdb.jooq.Tables.KV_SETTING.K.eq("sync.assignments.cursor")).execute();
            SyncReport r = st.sync();
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.FAILED);
            assertThat(r.problem()).contains("MALFORMED");
            assertThat(r.envelopesAccepted()).as("what people signed left all the same").isEqualTo(3);
            assertThat(r.pendingLeft()).isZero();
        }
    }

    @Test
    void aPlatformWhoseLogShrankIsNotTrustedAndNothingIsPushedToIt(@TempDir Path dir) throws Exception {
        Path simDir = dir.resolve("sim");
        Path backup = dir.resolve("sim-backup");
        Station st;
        try (PlatformSim sim = start(simDir, List.of())) {
            st = Station.enrol(sim, dir.resolve("ws"), "张明");
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            for (int i = 0; i < 5; i++) outbox.enqueue(st.checkpoint(i), null, st.keyId());
            assertThat(st.sync().treeSize()).isEqualTo(5);
        }
        copyTree(simDir, backup);
        try (PlatformSim sim = start(simDir, List.of())) {
            Station moved = new Station(st.dbDir(), st.dbKey(), st.db(), st.keys(), st.keyId(), st.personId(), st.role(), sim.baseUrl(), st.http());
            for (int i = 5; i < 12; i++) new OutboxRepository(st.db(), Clock.systemUTC()).enqueue(st.checkpoint(i), null, st.keyId());
            assertThat(moved.sync().treeSize()).isEqualTo(12);
        }
        // the platform comes back from an old backup: its signed heads are genuine, but its latest is smaller than the
        // one it signed to this workstation before — entries it accepted are gone from its log
        try (PlatformSim sim = start(backup, List.of())) {
            Station moved = new Station(st.dbDir(), st.dbKey(), st.db(), st.keys(), st.keyId(), st.personId(), st.role(), sim.baseUrl(), st.http());
            new OutboxRepository(st.db(), Clock.systemUTC()).enqueue(st.checkpoint(99), null, st.keyId());
            SyncReport r = moved.sync();
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.PLATFORM_UNTRUSTED);
            assertThat(r.problem()).contains("shrank");
            assertThat(r.treeSize()).as("the held head stays").isEqualTo(12);
            assertThat(new OutboxRepository(st.db(), Clock.systemUTC()).pendingCount()).as("nothing pushed").isEqualTo(1);
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) java.nio.file.Files.createDirectories(t);
                else java.nio.file.Files.copy(p, t);
            }
        }
    }

    @Test
    void aNewerHeadNeedsAConsistencyProofAndAForgedHeadIsRefused(@TempDir Path dir) throws Exception {
        Path simDir = dir.resolve("sim");
        Station st;
        try (PlatformSim sim = start(simDir, List.of())) {
            st = Station.enrol(sim, dir.resolve("ws"), "张明");
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            for (int i = 0; i < 5; i++) outbox.enqueue(st.checkpoint(i), null, st.keyId());
            assertThat(st.sync().treeSize()).isEqualTo(5);
            for (int i = 5; i < 12; i++) outbox.enqueue(st.checkpoint(i), null, st.keyId());
            SyncReport grown = st.sync();
            assertThat(grown.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(grown.treeSize()).isEqualTo(12);
        }
        // the platform rewrites an old entry of its log, then signs heads over the rewritten tree
        assertThat(SimAdmin.tamper(simDir, "UPDATE log_leaf SET leaf_hash = ? WHERE idx = 2", new byte[32])).isEqualTo(1);
        try (PlatformSim sim = start(simDir, List.of())) {
            Station moved = new Station(st.dbDir(), st.dbKey(), st.db(), st.keys(), st.keyId(), st.personId(), st.role(), sim.baseUrl(), st.http());
            new OutboxRepository(st.db(), Clock.systemUTC()).enqueue(st.checkpoint(99), null, st.keyId());
            SyncReport r = moved.sync();
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.PLATFORM_UNTRUSTED);
            assertThat(r.problem()).contains("not consistent");
            assertThat(r.treeSize()).isEqualTo(12);
            // the answer is not recorded: the envelope stays pending with its key
            assertThat(new OutboxRepository(st.db(), Clock.systemUTC()).pendingCount()).isEqualTo(1);
        }
        // a head not signed by the pinned key
        try (PlatformSim sim = start(simDir, List.of())) {
            assertThat(sim.platformKeyId()).isNotBlank();
        }
        var other = cn.crb.domain.crypto.Sm2.generate();
        String head = SimAdmin.query(simDir, "SELECT envelope FROM tree_head ORDER BY tree_size DESC LIMIT 1");
        Envelope real = Envelope.fromJson(Json.parse(head));
        Envelope forged = Envelope.unsigned(real.type(), real.payload()).sign(other.getPrivate(), other.getPublic(), "PLATFORM", Instant.now());
        assertThat(SimAdmin.tamper(simDir, "UPDATE tree_head SET envelope = ? WHERE tree_size = ?", Json.write(forged.toJson()),
                real.payload().path("treeSize").asLong())).isEqualTo(1);
        try (PlatformSim sim = start(simDir, List.of())) {
            Station moved = new Station(st.dbDir(), st.dbKey(), st.db(), st.keys(), st.keyId(), st.personId(), st.role(), sim.baseUrl(), st.http());
            SyncReport r = moved.sync();
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.PLATFORM_UNTRUSTED);
            assertThat(r.problem()).contains("pinned platform key");
            assertThat(new TreeHeadRepository(st.db(), Clock.systemUTC()).held().orElseThrow().treeSize()).isEqualTo(12);
        } finally {
            st.close();
        }
    }

    @Test
    void retriesAreCappedPerRunAndTheRestIsLeftForTheNextRun(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = start(dir.resolve("sim"), List.of()); Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            SimAdmin admin = new SimAdmin(sim.baseUrl());
            Envelope e = st.checkpoint(1);
            new OutboxRepository(st.db(), Clock.systemUTC()).enqueue(e, null, st.keyId());
            admin.faults(0, 50, 0, 0, 1);
            Backoff.Policy two = new Backoff.Policy(java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(50), 2, java.time.Duration.ofSeconds(5));
            long t0 = System.nanoTime();
            SyncReport r = st.engine().run(st.options().withBackoff(two), ProgressListener.NONE, CancellationToken.none());
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.RETRY_LATER);
            assertThat(r.retries()).isEqualTo(2);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).as("Retry-After: 1 honoured twice").isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(2));
            assertThat(r.problem()).contains("503");
            assertThat(r.pendingLeft()).isEqualTo(1);
            assertThat(r.notBefore()).as("retries used up on a Retry-After a run waits out: the next sync is not held back").isNull();

            admin.clearFaults();
            SyncReport next = st.sync();
            assertThat(next.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(next.envelopesAccepted()).isEqualTo(1);
            assertThat(next.pendingLeft()).isZero();
        }
    }

    @Test
    void a401AsksForEnrolmentAndLosesNothing(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = start(dir.resolve("sim"), List.of()); Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            ProfileRepository profiles = new ProfileRepository(st.db(), Clock.systemUTC());
            var stored = profiles.load().orElseThrow();
            profiles.saveEnrolment(stored, "not-a-valid-token", Json.object(), Json.object());
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            outbox.enqueue(st.checkpoint(1), null, st.keyId());
            SyncReport r = st.sync();
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.REENROL_NEEDED);
            assertThat(r.pendingLeft()).isEqualTo(1);
            assertThat(r.problem()).doesNotContain("not-a-valid-token");
        }
    }

    @Test
    void cancellingStopsBetweenRequests(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = start(dir.resolve("sim"), List.of()); Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            CancellationToken cancel = new CancellationToken();
            SyncReport r = st.engine().run(st.options().withSizes(5, 500), p -> {
                if (p.phase() == ProgressListener.Phase.ASSIGNMENTS && p.done() == 2) cancel.cancel();
            }, cancel);
            assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.CANCELLED);
            assertThat(r.pages()).isEqualTo(2);
            assertThat(new CaseRepository(st.db(), Clock.systemUTC()).count()).isEqualTo(r.casesInserted());
            SyncReport rest = st.sync();
            assertThat(rest.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            assertThat(r.casesInserted() + rest.casesInserted()).isEqualTo(assignedOnPlatform(st).size());
        }
    }
}
