package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.jooq.DSLContext;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static cn.crb.localdb.jooq.Tables.ARBITRATION_EVENT;
import static cn.crb.localdb.jooq.Tables.ARBITRATION_NOTES;
import static cn.crb.localdb.jooq.Tables.CASE_CACHE;
import static cn.crb.localdb.jooq.Tables.OUTBOX;

/**
 * Arbitration sessions held on this workstation, kept as their events. Each event is written with its audit entry in
 * one transaction; closing writes the chair's signed result, its outbox entry and the audit entry together, and a
 * closed session accepts nothing more.
 */
public final class ArbitrationRepository {
    /** What happened in a session. */
    public enum Kind { CONFLICT_DECLARED, VOTE, REVOTE, CLOSED }

    /** One event: {@code memberId} is the member's session identity; {@code envelope} the signed vote or result. */
    public record Event(int seq, Kind kind, int round, String memberId, Envelope envelope, JsonNode detail, Instant at) {}

    private final LocalDatabase db;
    private final Clock clock;
    private final AuditLog audit;
    private final OutboxRepository outbox;

    public ArbitrationRepository(LocalDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.audit = new AuditLog(clock);
        this.outbox = new OutboxRepository(db, clock);
    }

    public List<Event> events(String arbitrationId) {
        return events(db.dsl(), arbitrationId);
    }

    private static List<Event> events(DSLContext x, String arbitrationId) {
        return x.selectFrom(ARBITRATION_EVENT).where(ARBITRATION_EVENT.ARBITRATION_ID.eq(arbitrationId)).orderBy(ARBITRATION_EVENT.SEQ)
                .fetch(r -> new Event(r.getSeq(), Kind.valueOf(r.getKind()), r.getRound(), r.getMemberId(),
                        r.getEnvelopeJson() == null ? null : Envelope.fromJson(Json.parse(r.getEnvelopeJson())),
                        r.getDetailJson() == null ? Json.object() : Json.parse(r.getDetailJson()), r.getAt().toInstant()));
    }

    /**
     * Appends an event after {@code expectedLastSeq} (0 for none), with its audit entry signed off by
     * {@code actorKeyId}. Refused when the session is closed or someone appended in between: the caller re-reads and
     * re-checks its rules.
     */
    public Event append(String arbitrationId, String caseId, int expectedLastSeq, Kind kind, int round, String memberId, Envelope envelope,
                        JsonNode detail, String actorKeyId) {
        if (kind == Kind.CLOSED) throw new IllegalArgumentException("use close() for the result");
        Event e = db.inTransaction(tx -> insert(tx.dsl(), arbitrationId, caseId, expectedLastSeq, kind, round, memberId, envelope, detail,
                actorKeyId));
        db.checkpointSync();
        return e;
    }

    /** Closes the session: the chair's signed result, its outbox entry, the case's local state and the audit entry, all or nothing. */
    public Event close(String arbitrationId, String caseId, int expectedLastSeq, int round, Envelope result, String chairKeyId) {
        Event e = db.inTransaction(tx -> {
            // the case row before the chain head, as every transaction locks them (AuditLog)
            tx.dsl().update(CASE_CACHE).set(CASE_CACHE.LOCAL_STATE, "QUEUED").set(CASE_CACHE.UPDATED_AT, now())
                    .where(CASE_CACHE.CASE_ID.eq(caseId)).execute();
            Event ev = insert(tx.dsl(), arbitrationId, caseId, expectedLastSeq, Kind.CLOSED, round, chairKeyId, result,
                    Json.object().put("outcome", result.payload().path("outcome").asText()), chairKeyId);
            outbox.enqueue(tx, result, caseId, chairKeyId);
            return ev;
        });
        db.checkpointSync();
        return e;
    }

    private Event insert(DSLContext x, String arbitrationId, String caseId, int expectedLastSeq, Kind kind, int round, String memberId,
                         Envelope envelope, JsonNode detail, String actorKeyId) {
        var rows = x.selectFrom(ARBITRATION_EVENT).where(ARBITRATION_EVENT.ARBITRATION_ID.eq(arbitrationId)).forUpdate().fetch();
        List<Event> existing = rows.map(r -> new Event(r.getSeq(), Kind.valueOf(r.getKind()), r.getRound(), r.getMemberId(), null, null, null));
        if (rows.stream().anyMatch(r -> Kind.CLOSED.name().equals(r.getKind()) && standsByJson(x, r.getEnvelopeJson()))) {
            throw new IllegalStateException("arbitration " + arbitrationId + " is closed; its result is final");
        }
        int last = existing.stream().mapToInt(Event::seq).max().orElse(0);
        if (last != expectedLastSeq) throw new IllegalStateException("arbitration " + arbitrationId + " changed meanwhile; read it again");
        OffsetDateTime now = now();
        JsonNode d = detail == null ? Json.object() : detail;
        x.insertInto(ARBITRATION_EVENT).set(ARBITRATION_EVENT.ARBITRATION_ID, arbitrationId).set(ARBITRATION_EVENT.SEQ, last + 1)
                .set(ARBITRATION_EVENT.CASE_ID, caseId).set(ARBITRATION_EVENT.KIND, kind.name()).set(ARBITRATION_EVENT.ROUND, round)
                .set(ARBITRATION_EVENT.MEMBER_ID, memberId).set(ARBITRATION_EVENT.ENVELOPE_JSON, envelope == null ? null : Json.write(envelope.toJson()))
                .set(ARBITRATION_EVENT.DETAIL_JSON, Json.write(d)).set(ARBITRATION_EVENT.AT, now).execute();
        var auditDetail = Json.object().put("arbitrationId", arbitrationId).put("round", round);
        if (memberId != null) auditDetail.put("member", memberId);
        if (envelope != null) auditDetail.put("envelopeSm3", envelope.sm3());
        d.properties().forEach(p -> auditDetail.set(p.getKey(), p.getValue()));
        AuditAction action = switch (kind) {
            case CONFLICT_DECLARED -> AuditAction.CONFLICT_DECLARED;
            case VOTE -> AuditAction.VOTE_CAST;
            case REVOTE -> AuditAction.ARBITRATION_REVOTE;
            case CLOSED -> AuditAction.ARBITRATION_CLOSED;
        };
        audit.append(x, actorKeyId, action, "case", caseId, auditDetail);
        return new Event(last + 1, kind, round, memberId, envelope, d, now.toInstant());
    }

    /** Queues a signed objection with its audit entry in one transaction. */
    public void queueObjection(String caseId, Envelope objection, String actorKeyId) {
        db.inTransaction(tx -> {
            outbox.enqueue(tx, objection, caseId, actorKeyId);
            audit.append(tx.dsl(), actorKeyId, AuditAction.OBJECTION_RAISED, "case", caseId, Json.object().put("envelopeSm3", objection.sm3()));
            return null;
        });
        db.checkpointSync();
    }

    /** Whether an objection on the case is in the outbox (in any state but discarded). */
    public boolean objectionQueued(String caseId) {
        return db.dsl().fetchExists(OUTBOX, OUTBOX.CASE_ID.eq(caseId).and(OUTBOX.ENVELOPE_TYPE.eq("creditbank.objection/1"))
                .and(OUTBOX.STATE.ne("DISCARDED")));
    }

    /** Whether a result was signed on this workstation for an arbitration of the case, and stands ({@link #resultStands}). */
    public boolean closedHere(String caseId) {
        return db.dsl().select(ARBITRATION_EVENT.ENVELOPE_JSON).from(ARBITRATION_EVENT)
                .where(ARBITRATION_EVENT.CASE_ID.eq(caseId).and(ARBITRATION_EVENT.KIND.eq(Kind.CLOSED.name())))
                .fetch(ARBITRATION_EVENT.ENVELOPE_JSON).stream().anyMatch(j -> standsByJson(db.dsl(), j));
    }

    /**
     * Whether a signed result stands: unless the platform refused it (its outbox entry REJECTED, or DISCARDED by a
     * person after the platform refused it). A refused result leaves the session open — the platform holds it open
     * too — so that the chair can sign a corrected one; the refused one stays in the events and on the audit chain.
     */
    public boolean resultStands(Envelope result) {
        return standsBySm3(db.dsl(), result.sm3());
    }

    private static boolean standsByJson(DSLContext x, String envelopeJson) {
        return envelopeJson == null || standsBySm3(x, Envelope.fromJson(Json.parse(envelopeJson)).sm3());
    }

    private static boolean standsBySm3(DSLContext x, String sm3) {
        String state = x.select(OUTBOX.STATE).from(OUTBOX).where(OUTBOX.ENVELOPE_SM3.eq(sm3)).fetchOne(OUTBOX.STATE);
        return !(OutboxRepository.State.REJECTED.name().equals(state) || OutboxRepository.State.DISCARDED.name().equals(state));
    }

    public Optional<String> notes(String arbitrationId) {
        return db.dsl().select(ARBITRATION_NOTES.NOTES).from(ARBITRATION_NOTES).where(ARBITRATION_NOTES.ARBITRATION_ID.eq(arbitrationId))
                .fetchOptional(r -> r.value1());
    }

    /** The chair's notes for the minutes, saved as typed (not audited: they become part of the signed result). */
    public void saveNotes(String arbitrationId, String notes) {
        db.dsl().mergeInto(ARBITRATION_NOTES).using(db.dsl().selectOne())
                .on(ARBITRATION_NOTES.ARBITRATION_ID.eq(arbitrationId))
                .whenMatchedThenUpdate().set(ARBITRATION_NOTES.NOTES, notes).set(ARBITRATION_NOTES.UPDATED_AT, now())
                .whenNotMatchedThenInsert(ARBITRATION_NOTES.ARBITRATION_ID, ARBITRATION_NOTES.NOTES, ARBITRATION_NOTES.UPDATED_AT)
                .values(arbitrationId, notes, now()).execute();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
