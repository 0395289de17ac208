package cn.crb.localdb;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxRepositoryTest {
    private static final String ACTOR = "b".repeat(64);
    private final KeyPair key = Sm2.generate();

    private final List<Envelope> envelopes = java.util.stream.IntStream.range(0, 3).mapToObj(this::make).toList();

    /** SM2 signatures are randomised: each envelope is made once and reused. */
    private Envelope envelope(int n) {
        return envelopes.get(n);
    }

    private Envelope make(int n) {
        return Envelope.unsigned("creditbank.objection/1", Json.object().put("caseId", "C-" + n).put("reason", "test " + n).put("at", "2026-11-25T00:00:00.000Z"))
                .sign(key.getPrivate(), key.getPublic(), "REVIEWER", Instant.parse("2026-11-25T00:00:00Z"));
    }

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-11-25T08:00:00Z");
        @Override public java.time.ZoneOffset getZone() { return java.time.ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void twoCheckpointsOfOneEntryThatDisagreeAreReportedWhicheverOfThemIsRight(@TempDir Path dir) {
        HandClock clock = new HandClock();
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            OutboxRepository outbox = new OutboxRepository(db, clock);
            outbox.enqueue(envelope(0), "C-0", ACTOR);
            outbox.queueCheckpoint(key.getPrivate(), key.getPublic(), "REVIEWER", ACTOR, java.time.Duration.ZERO).orElseThrow();
            outbox.enqueue(envelope(1), "C-1", ACTOR);
            cn.crb.domain.audit.AuditEntry head = new ProfileRepository(db, clock).auditHead().orElseThrow();
            outbox.queueCheckpoint(key.getPrivate(), key.getPublic(), "REVIEWER", ACTOR, java.time.Duration.ZERO).orElseThrow();
            assertThat(new ProfileRepository(db, clock).verifyAudit().ok()).isTrue();

            // the first checkpoint rewritten to name the second's entry with another hash: the second, right, one came
            // later and replaced it in the checks (the chain verified); both now name the entry, which is reported
            var first = db.dsl().select(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ID, cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ENVELOPE)
                    .from(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE).join(cn.crb.localdb.jooq.Tables.OUTBOX)
                    .on(cn.crb.localdb.jooq.Tables.OUTBOX.ID.eq(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ID))
                    .where(cn.crb.localdb.jooq.Tables.OUTBOX.ENVELOPE_TYPE.eq(AuditLog.CHECKPOINT_TYPE))
                    .orderBy(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ID).limit(1).fetchOne();
            com.fasterxml.jackson.databind.node.ObjectNode env = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(first.value2());
            ((com.fasterxml.jackson.databind.node.ObjectNode) env.get("payload")).put("seq", head.seq()).put("hash", "0".repeat(64));
            db.dsl().update(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE).set(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ENVELOPE, Json.write(env))
                    .where(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ID.eq(first.value1())).execute();
            var r = new ProfileRepository(db, clock).verifyAudit();
            assertThat(r.ok()).isFalse();
            assertThat(r.firstBadSeq()).isEqualTo(head.seq());
            assertThat(r.problem()).contains("checkpoint");
        }
    }

    @Test
    void aDailyCheckpointSignsTheChainsHeadOnceADayAndARefusedOneDoesNotCount(@TempDir Path dir) {
        HandClock clock = new HandClock();
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            OutboxRepository outbox = new OutboxRepository(db, clock);
            java.time.Duration day = java.time.Duration.ofDays(1);
            assertThat(outbox.checkpointDue(day)).isTrue();
            assertThat(outbox.queueCheckpoint(key.getPrivate(), key.getPublic(), "REVIEWER", ACTOR, day)).as("an empty chain has no head").isEmpty();

            outbox.enqueue(envelope(0), "C-0", ACTOR);
            cn.crb.domain.audit.AuditEntry head = new ProfileRepository(db, clock).auditHead().orElseThrow();
            OutboxRepository.Entry first = outbox.queueCheckpoint(key.getPrivate(), key.getPublic(), "REVIEWER", ACTOR, day).orElseThrow();
            assertThat(first.type()).isEqualTo(AuditLog.CHECKPOINT_TYPE);
            Envelope signed = Envelope.fromJson(outbox.pending(10).getLast().envelope());
            assertThat(signed.payload().path("seq").asLong()).isEqualTo(head.seq());
            assertThat(signed.payload().path("hash").asText()).isEqualTo(head.hash());
            assertThat(signed.signatures().getFirst().role()).isEqualTo("REVIEWER");

            // within the day: none due, none made; a sync's checkpoint (age zero) is made whatever the age
            clock.now = clock.now.plus(java.time.Duration.ofHours(23));
            assertThat(outbox.checkpointDue(day)).isFalse();
            assertThat(outbox.queueCheckpoint(key.getPrivate(), key.getPublic(), "REVIEWER", ACTOR, day)).isEmpty();
            assertThat(outbox.queueCheckpoint(key.getPrivate(), key.getPublic(), "REVIEWER", ACTOR, java.time.Duration.ZERO)).isPresent();
            // a day after the last one, the next is due
            clock.now = clock.now.plus(day);
            assertThat(outbox.queueCheckpoint(key.getPrivate(), key.getPublic(), "REVIEWER", ACTOR, day)).isPresent();
            assertThat(outbox.checkpointDue(day)).isFalse();

            // the platform refused every checkpoint held: the next sign-in makes one again
            OutboxRepository.Batch b = outbox.assignBatchKey(ACTOR, 10);
            outbox.recordResults(b.idempotencyKey(), b.items().stream().map(i -> new OutboxRepository.Result(i.envelopeSm3(), "REJECTED",
                    "BAD_SIGNATURE", "test", null)).toList(), ACTOR);
            assertThat(outbox.checkpointDue(day)).isTrue();
            assertThat(new ProfileRepository(db, clock).verifyAudit().ok()).isTrue();
        }
    }

    @Test
    void keyIsCommittedBeforeSendingAndResultsLeaveTheOutboxOrStayVisible(@TempDir Path dir) {
        byte[] dbKey = KeyWrap.randomKey();
        String batchKey;
        try (LocalDatabase db = LocalDatabase.open(dir, dbKey)) {
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            for (int i = 0; i < 3; i++) outbox.enqueue(envelope(i), "C-" + i, ACTOR);
            assertThat(outbox.enqueue(envelope(0), "C-0", ACTOR).state()).isEqualTo(OutboxRepository.State.QUEUED);
            assertThat(outbox.pending(10)).hasSize(3);
            long auditBeforeKey = new ProfileRepository(db, Clock.systemUTC()).auditEntries();
            OutboxRepository.Batch b = outbox.assignBatchKey(ACTOR, 2);
            batchKey = b.idempotencyKey();
            assertThat(b.items()).extracting(OutboxRepository.Item::envelopeSm3).containsExactly(envelope(0).sm3(), envelope(1).sm3());
            // the first send is recorded with the key: attempts 1 and one ENVELOPE_SENT entry per envelope
            assertThat(new ProfileRepository(db, Clock.systemUTC()).auditEntries()).isEqualTo(auditBeforeKey + 2);
            outbox.recordFailure(batchKey, "connection reset", null);
        }
        // "crash": reopen; the same key and the same rows in the same order come back
        try (LocalDatabase db = LocalDatabase.open(dir, dbKey)) {
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            List<OutboxRepository.Batch> open = outbox.openBatches();
            assertThat(open).hasSize(1);
            assertThat(open.getFirst().idempotencyKey()).isEqualTo(batchKey);
            assertThat(open.getFirst().items()).extracting(OutboxRepository.Item::envelopeSm3).containsExactly(envelope(0).sm3(), envelope(1).sm3());
            assertThat(outbox.pending(10)).extracting(OutboxRepository.Item::envelopeSm3).containsExactly(envelope(2).sm3());
            assertThat(outbox.list(false)).filteredOn(e -> e.state() == OutboxRepository.State.SENDING)
                    .allSatisfy(e -> {
                        assertThat(e.attempts()).isEqualTo(1);
                        assertThat(e.lastError()).isEqualTo("connection reset");
                    });

            assertThatThrownBy(() -> outbox.recordResults(batchKey, List.of(
                    new OutboxRepository.Result(envelope(1).sm3(), "ACCEPTED", null, null, Json.object()),
                    new OutboxRepository.Result(envelope(0).sm3(), "ACCEPTED", null, null, Json.object())), ACTOR))
                    .isInstanceOf(IllegalArgumentException.class);
            long auditBefore = new ProfileRepository(db, Clock.systemUTC()).auditEntries();
            outbox.recordResults(batchKey, List.of(
                    new OutboxRepository.Result(envelope(0).sm3(), "ACCEPTED", null, null, Json.object().put("logIndex", 7)),
                    new OutboxRepository.Result(envelope(1).sm3(), "CONFLICT", "STALE_REVISION", "revision 2 is current", null)), ACTOR);
            assertThat(new ProfileRepository(db, Clock.systemUTC()).auditEntries()).isEqualTo(auditBefore + 2);
            assertThat(outbox.openBatches()).isEmpty();
            assertThat(outbox.receipt(envelope(0).sm3()).orElseThrow().path("logIndex").asLong()).isEqualTo(7);
            List<OutboxRepository.Entry> visible = outbox.list(false);
            assertThat(visible).extracting(OutboxRepository.Entry::state)
                    .containsExactly(OutboxRepository.State.QUEUED, OutboxRepository.State.CONFLICT);
            OutboxRepository.Entry conflict = visible.get(1);
            assertThat(conflict.resultCode()).isEqualTo("STALE_REVISION");
            assertThat(conflict.resultDetail()).isEqualTo("revision 2 is current");
            assertThat(conflict.caseId()).isEqualTo("C-1");
            assertThat(outbox.counts().get(OutboxRepository.State.ACCEPTED)).isEqualTo(1);

            assertThatThrownBy(() -> outbox.discard(conflict.id(), " ", ACTOR)).isInstanceOf(IllegalArgumentException.class);
            outbox.discard(conflict.id(), "re-decided on revision 2", ACTOR);
            assertThat(outbox.list(false)).extracting(OutboxRepository.Entry::state).containsExactly(OutboxRepository.State.QUEUED);
            assertThat(new ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).isTrue();
        }
    }

    @Test
    void enqueueSharesTheCallersTransaction(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            assertThatThrownBy(() -> db.inTransaction(tx -> {
                outbox.enqueue(tx, envelope(1), null, ACTOR);
                throw new IllegalStateException("the local change failed");
            })).hasMessageContaining("the local change failed");
            assertThat(outbox.list(true)).isEmpty();
            assertThat(new ProfileRepository(db, Clock.systemUTC()).auditEntries()).isZero();
        }
    }

    @Test
    void treeHeadNeverMovesBackwards(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            TreeHeadRepository heads = new TreeHeadRepository(db, Clock.systemUTC());
            assertThat(heads.held()).isEmpty();
            assertThat(heads.save(5, "a".repeat(64), Json.object())).isTrue();
            assertThat(heads.save(3, "c".repeat(64), Json.object())).isFalse();
            assertThat(heads.save(9, "d".repeat(64), Json.object().put("x", 1))).isTrue();
            assertThat(heads.held().orElseThrow().treeSize()).isEqualTo(9);
            assertThat(heads.held().orElseThrow().rootHash()).isEqualTo("d".repeat(64));
        }
    }
}
