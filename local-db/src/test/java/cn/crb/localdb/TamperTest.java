package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.audit.AuditVerifier;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Changes made to the database file behind the repositories' back are found: in the audit chain, and in the outbox before sending. */
class TamperTest {
    private static final KeyPair KEY = Sm2.generate();
    private static final String ACTOR = Sm2.keyId(KEY.getPublic());

    private static LocalDatabase withChain(Path dir, int entries) {
        LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey());
        AuditLog log = new AuditLog(Clock.systemUTC());
        for (int i = 0; i < entries; i++) {
            int n = i;
            db.transaction(c -> log.append(c.dsl(), ACTOR, AuditAction.EVALUATION_RUN, "case", "C-" + n, Json.object().put("n", n)));
        }
        return db;
    }

    private static AuditVerifier.Result tamperAndVerify(Path dir, BiConsumer<LocalDatabase, Long> tamper, long seq) {
        try (LocalDatabase db = withChain(dir, 10)) {
            assertThat(new AuditLog(Clock.systemUTC()).verify(db.dsl()).ok()).isTrue();
            tamper.accept(db, seq);
            return new AuditLog(Clock.systemUTC()).verify(db.dsl());
        }
    }

    @Test
    void aChangedEntryIsNamed(@TempDir Path dir) {
        AuditVerifier.Result r = tamperAndVerify(dir, Tamper::changeAuditEntry, 4);
        assertThat(r.ok()).isFalse();
        assertThat(r.firstBadSeq()).isEqualTo(4);
        assertThat(r.problem()).contains("content does not match its hash");
        assertThat(r.entries()).isEqualTo(3);
    }

    @Test
    void aDeletedEntryIsNamed(@TempDir Path dir) {
        AuditVerifier.Result r = tamperAndVerify(dir, Tamper::deleteAuditEntry, 6);
        assertThat(r.firstBadSeq()).isEqualTo(7);
        assertThat(r.problem()).contains("expected seq 6 but found 7");
    }

    @Test
    void anInsertedEntryIsNamed(@TempDir Path dir) {
        // the forged entry 5 links to 4 with a correct hash of its own; the displaced old entry 5 (now 6) gives it away
        AuditVerifier.Result r = tamperAndVerify(dir, Tamper::insertAuditEntry, 5);
        assertThat(r.firstBadSeq()).isEqualTo(6);
        assertThat(r.problem()).contains("prevHash");
    }

    @Test
    void reorderedEntriesAreNamed(@TempDir Path dir) {
        AuditVerifier.Result r = tamperAndVerify(dir, (db, seq) -> Tamper.swapAuditEntries(db, seq, seq + 1), 3);
        assertThat(r.firstBadSeq()).isEqualTo(3);
    }

    private static Envelope signed(String caseId) {
        return Envelope.unsigned("creditbank.decision/1", Json.object().put("caseId", caseId).put("caseRevision", 1).put("verdict", "APPROVE"))
                .sign(KEY.getPrivate(), KEY.getPublic(), "REVIEWER", Instant.now());
    }

    private static final OutboxRepository.Check SIGNATURES = e -> {
        Envelope.Verification v = e.verify((id, role) -> id.equals(ACTOR) ? KEY.getPublic() : null);
        return v.ok() ? null : v.code() + ": " + v.detail();
    };

    @Test
    void anEnvelopeChangedByOneByteIsRefusedBeforeSendingAndTheOthersGo(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            Envelope a = signed("C-1"), b = signed("C-2"), c = signed("C-3");
            queuedCases(db, "C-1", "C-2", "C-3");
            for (Envelope e : new Envelope[]{a, b, c}) outbox.enqueue(e, e.payload().path("caseId").asText(), ACTOR);
            Tamper.changeOneByteOfEnvelope(db, b.sm3());

            OutboxRepository.Batch batch = outbox.assignBatchKey("0".repeat(64), 10, SIGNATURES);
            assertThat(batch.items()).extracting(OutboxRepository.Item::envelopeSm3).containsExactly(a.sm3(), c.sm3());
            OutboxRepository.Entry refused = outbox.list(false).stream().filter(x -> x.envelopeSm3().equals(b.sm3())).findFirst().orElseThrow();
            assertThat(refused.state()).isEqualTo(OutboxRepository.State.REJECTED);
            assertThat(refused.state().needsPerson()).isTrue();
            assertThat(refused.resultCode()).isEqualTo(OutboxRepository.LOCAL_INTEGRITY);
            assertThat(refused.resultDetail()).contains("altered").contains(b.sm3());
            assertThat(refused.sentAt()).isNull();
            // the inbox shows the refused case REJECTED and the sent ones SENT (the cases changed in the order of their ids)
            assertThat(caseStates(db)).containsExactlyInAnyOrderEntriesOf(Map.of("C-1", "SENT", "C-2", "REJECTED", "C-3", "SENT"));
            assertThat(new AuditLog(Clock.systemUTC()).verify(db.dsl()).ok()).isTrue();
            // the refusal is audited (the two sends that follow it in the same transaction are audited after it)
            assertThat(new ProfileRepository(db, Clock.systemUTC()).recentAudit(3)).extracting(e -> e.action())
                    .containsExactly("ENVELOPE_SENT", "ENVELOPE_SENT", "ENVELOPE_REFUSED");
        }
    }

    @Test
    void aForgerWhoAlsoRewritesTheRecordedSm3IsCaughtByTheAuditAndTheSignature(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            Envelope a = signed("C-1");
            outbox.enqueue(a, "C-1", ACTOR);
            // the verdict changed, the signature kept, and the recorded identity recomputed to match
            var changed = (com.fasterxml.jackson.databind.node.ObjectNode) a.payload().deepCopy();
            changed.put("verdict", "REJECT");
            Envelope forged = new Envelope(a.type(), changed, a.signatures());
            Tamper.replaceEnvelope(db, a.sm3(), Json.write(forged.toJson()), forged.sm3());

            assertThat(outbox.assignBatchKey("0".repeat(64), 10, SIGNATURES).isEmpty()).isTrue();
            OutboxRepository.Entry refused = outbox.list(false).getFirst();
            assertThat(refused.state()).isEqualTo(OutboxRepository.State.REJECTED);
            assertThat(refused.resultDetail()).contains("no audit entry");
        }
        // and with the audit check passed (a forged envelope under an audited identity), the signature refuses it
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("2"), KeyWrap.randomKey())) {
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            Envelope a = signed("C-1");
            var changed = (com.fasterxml.jackson.databind.node.ObjectNode) a.payload().deepCopy();
            changed.put("verdict", "REJECT");
            outbox.enqueue(new Envelope(a.type(), changed, a.signatures()), "C-1", ACTOR);
            assertThat(outbox.assignBatchKey("0".repeat(64), 10, SIGNATURES).isEmpty()).isTrue();
            assertThat(outbox.list(false).getFirst().resultDetail()).contains("BAD_SIGNATURE");
        }
    }

    @Test
    void aRowOfAnOpenRequestAlteredAfterItsKeyWasCommittedIsRefusedAndTheRestReQueued(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            Envelope a = signed("C-1"), b = signed("C-2");
            queuedCases(db, "C-1", "C-2");
            outbox.enqueue(a, "C-1", ACTOR);
            outbox.enqueue(b, "C-2", ACTOR);
            assertThat(outbox.assignBatchKey("0".repeat(64), 10, SIGNATURES).items()).hasSize(2);
            Tamper.changeOneByteOfEnvelope(db, a.sm3());
            assertThat(outbox.openBatches(SIGNATURES)).isEmpty();
            assertThat(caseStates(db)).containsExactlyInAnyOrderEntriesOf(Map.of("C-1", "REJECTED", "C-2", "SENT"));
            // the refusal is audited once, after the rows it changed, and the chain still verifies
            assertThat(new ProfileRepository(db, Clock.systemUTC()).recentAudit(1)).extracting(e -> e.action()).containsExactly("ENVELOPE_REFUSED");
            assertThat(db.dsl().fetchCount(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY, cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ACTION.eq("ENVELOPE_REFUSED"))).isEqualTo(1);
            assertThat(new AuditLog(Clock.systemUTC()).verify(db.dsl()).ok()).isTrue();
            assertThat(outbox.pending(10)).extracting(OutboxRepository.Item::envelopeSm3).containsExactly(b.sm3());
            assertThat(outbox.assignBatchKey("0".repeat(64), 10, SIGNATURES).items()).extracting(OutboxRepository.Item::envelopeSm3).containsExactly(b.sm3());
        }
    }

    /** Cases in the inbox, each waiting for its queued decision to be sent. */
    private static void queuedCases(LocalDatabase db, String... ids) {
        new CaseRepository(db, Clock.systemUTC()).applyPage(java.util.Arrays.stream(ids)
                .map(id -> new CaseRepository.Assignment(false, id, RepositoriesTest.caseDoc(id, 1, "REVIEW"))).toList(), "cur-1", ACTOR);
        db.dsl().execute("UPDATE CASE_CACHE SET LOCAL_STATE = 'QUEUED'");
    }

    private static Map<String, String> caseStates(LocalDatabase db) {
        return db.dsl().fetch("SELECT CASE_ID, LOCAL_STATE FROM CASE_CACHE").intoMap(r -> r.get(0, String.class), r -> r.get(1, String.class));
    }

    /** Long chains are walked in parallel seq ranges: each tampering gives the result of one walk, at any cut. */
    @Test
    void theParallelWalkNamesTheSameFirstBadEntryAsOneWalk(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            AuditLog log = new AuditLog(Clock.systemUTC());
            db.transaction(c -> {
                for (int i = 0; i < 400; i++) log.append(c.dsl(), ACTOR, AuditAction.EVALUATION_RUN, "case", "C-" + i, Json.object().put("n", i));
                return null;
            });
            for (int runs = 1; runs <= 5; runs++) assertThat(log.verify(db.dsl(), runs)).isEqualTo(log.verify(db.dsl(), 1)).matches(AuditVerifier.Result::ok);
            // at a cut point of 4 runs (seq 101, 201, 301) and inside a run
            Tamper.deleteAuditEntry(db, 201);
            Tamper.changeAuditEntry(db, 250);
            AuditVerifier.Result one = log.verify(db.dsl(), 1);
            assertThat(one.firstBadSeq()).isEqualTo(202);
            for (int runs = 2; runs <= 5; runs++) assertThat(log.verify(db.dsl(), runs)).as("%d runs", runs).isEqualTo(one);
        }
        try (LocalDatabase db = withChain(dir.resolve("b"), 300)) {
            AuditLog log = new AuditLog(Clock.systemUTC());
            Tamper.swapAuditEntries(db, 150, 151);
            AuditVerifier.Result one = log.verify(db.dsl(), 1);
            assertThat(one.firstBadSeq()).isEqualTo(150);
            for (int runs = 2; runs <= 4; runs++) assertThat(log.verify(db.dsl(), runs)).as("%d runs", runs).isEqualTo(one);
        }
    }
}
