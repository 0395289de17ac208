package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.json.Json;
import org.jooq.DSLContext;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import static cn.crb.localdb.jooq.Tables.CASE_CACHE;
import static cn.crb.localdb.jooq.Tables.DECISION;

/**
 * Reviewers' decisions per case revision: drafts saved as the person types, and signing, which writes the signed
 * decision, its envelope in the outbox, the case's local state and the audit entries in one transaction — all or
 * nothing — then forces the file to disk so a signed act survives even a power cut.
 */
public final class DecisionRepository {
    /** DRAFT while editable; SIGNED once signed (never edited again). */
    public enum State { DRAFT, SIGNED }

    /** A stored decision and its state. */
    public record Stored(Decision decision, State state, String envelopeSm3) {}

    private final LocalDatabase db;
    private final AuditLog audit;
    private final OutboxRepository outbox;
    private final Clock clock;

    public DecisionRepository(LocalDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.audit = new AuditLog(clock);
        this.outbox = new OutboxRepository(db, clock);
    }

    public Optional<Stored> find(String caseId, int revision) {
        return db.dsl().selectFrom(DECISION).where(DECISION.CASE_ID.eq(caseId).and(DECISION.CASE_REVISION.eq(revision))).fetchOptional()
                .map(r -> new Stored(Decision.fromDraftJson(Json.parse(r.getDraftJson())), State.valueOf(r.getState()), r.getEnvelopeSm3()));
    }

    /** The signed decision of the case's latest revision that has one (what a printed notice shows), or empty. */
    public Optional<Stored> latestSigned(String caseId) {
        return db.dsl().selectFrom(DECISION).where(DECISION.CASE_ID.eq(caseId).and(DECISION.STATE.eq(State.SIGNED.name())))
                .orderBy(DECISION.CASE_REVISION.desc()).limit(1).fetchOptional()
                .map(r -> new Stored(Decision.fromDraftJson(Json.parse(r.getDraftJson())), State.SIGNED, r.getEnvelopeSm3()));
    }

    /**
     * The draft of the newest revision of the case older than {@code revision} that has a decision row, when that row
     * is still a draft; empty when it was signed (a draft of a revision before that one is past, not to be carried).
     */
    public Optional<Stored> latestDraftBefore(String caseId, int revision) {
        return db.dsl().selectFrom(DECISION).where(DECISION.CASE_ID.eq(caseId)).and(DECISION.CASE_REVISION.lt(revision))
                .orderBy(DECISION.CASE_REVISION.desc()).limit(1).fetchOptional()
                .filter(r -> State.DRAFT.name().equals(r.getState()))
                .map(r -> new Stored(Decision.fromDraftJson(Json.parse(r.getDraftJson())), State.DRAFT, null));
    }

    /** Saves a draft (refused once the decision is signed). The first draft of a revision is audited. */
    public void saveDraft(Decision d, String actorKeyId) {
        if (d.verdict() == null) throw new IllegalArgumentException("a draft names a verdict");
        // saved as the reviewer types, in the background: a sync or an import holding the case's row or the audit
        // chain's head longer than H2's lock timeout must not lose the edit, so the save waits and tries again
        LocalDatabase.retryingLockConflicts("saving the draft of " + d.caseId(), DRAFT_ATTEMPTS, () -> {
            saveDraftOnce(d, actorKeyId);
            return null;
        });
    }

    /** Attempts of a draft's save that meet a lock held too long before the save fails. */
    static final int DRAFT_ATTEMPTS = 5;

    private void saveDraftOnce(Decision d, String actorKeyId) {
        db.inTransaction(tx -> {
            DSLContext x = tx.dsl();
            OffsetDateTime now = now();
            boolean created = x.connectionResult(c -> lockOrCreateDraft(c, d, Json.write(d.draftJson()), now));
            if (created) {
                setCaseState(x, d.caseId(), "DRAFT", now);
                audit.append(x, actorKeyId, AuditAction.DECISION_DRAFTED, "case", d.caseId(), Json.object().put("revision", d.caseRevision()));
            } else {
                x.update(DECISION).set(DECISION.VERDICT, d.verdict().name()).set(DECISION.DRAFT_JSON, Json.write(d.draftJson()))
                        .set(DECISION.UPDATED_AT, now)
                        .where(DECISION.CASE_ID.eq(d.caseId()).and(DECISION.CASE_REVISION.eq(d.caseRevision()))).execute();
            }
            return null;
        });
    }

    /**
     * Records a signed decision: the decision row, the envelope in the outbox, the case's local state (QUEUED) and the
     * audit entries, in one transaction. {@code signed} must be the envelope of {@code d}'s payload.
     */
    public void sign(Decision d, Envelope signed, String actorKeyId) {
        if (!d.problems().isEmpty()) throw new IllegalArgumentException("the decision cannot be signed: " + d.problems());
        String sm3 = signed.sm3();
        String draft = Json.write(d.signedJson()); // the row keeps what was signed (the notice is printed from it)
        OffsetDateTime now = now();
        // plain JDBC with statements rendered once (LocalDatabase.sql): this is the transaction a reviewer waits for;
        // run again when a sync's page or the inbox's recommendations held a row or the chain head too long
        LocalDatabase.retryingLockConflicts("signing the decision of " + d.caseId(), DRAFT_ATTEMPTS, () -> db.jdbcTransaction(c -> {
            lockOrCreateDraft(c, d, draft, now); // signed without a saved draft: the row is created, then signed
            try (var update = c.prepareStatement(Sign.UPDATE)) {
                update.setString(1, State.SIGNED.name());
                update.setString(2, d.verdict().name());
                update.setString(3, draft);
                update.setString(4, sm3);
                update.setObject(5, now);
                update.setObject(6, now);
                update.setString(7, d.caseId());
                update.setInt(8, d.caseRevision());
                update.executeUpdate();
            }
            // the envelope's SM3 computed once, and both audit entries appended with one read of the chain head
            OutboxRepository.Inserted queued = OutboxRepository.insertRows(c, signed, sm3, d.caseId(), actorKeyId, now);
            AuditLog.Pending decided = new AuditLog.Pending(actorKeyId, AuditAction.DECISION_SIGNED, "case", d.caseId(),
                    Json.object().put("revision", d.caseRevision()).put("verdict", d.verdict().name()).put("envelopeSm3", sm3));
            try (var cs = c.prepareStatement(Sign.CASE_STATE)) {
                cs.setString(1, "QUEUED");
                cs.setObject(2, now);
                cs.setString(3, d.caseId());
                cs.executeUpdate();
            }
            // the chain head is locked last, as every transaction does (AuditLog): one that holds it never waits for a row
            audit.appendAll(c, queued.audit() == null ? java.util.List.of(decided) : java.util.List.of(decided, queued.audit()));
            return null;
        }));
        db.checkpointSync();
    }

    /** The statements of {@link #sign} (the lock and insert also of {@link #saveDraft}), rendered once from the generated schema. */
    private static final class Sign {
        private static final org.jooq.Condition ROW = DECISION.CASE_ID.eq(LocalDatabase.param(DECISION.CASE_ID))
                .and(DECISION.CASE_REVISION.eq(LocalDatabase.param(DECISION.CASE_REVISION)));
        // only the state is read: the whole row would copy its DRAFT_JSON CLOB into the result
        static final String LOCK = LocalDatabase.sql(LocalDatabase.render().select(DECISION.STATE).from(DECISION).where(ROW).forUpdate());
        static final String INSERT = LocalDatabase.sql(LocalDatabase.render()
                .insertInto(DECISION, DECISION.CASE_ID, DECISION.CASE_REVISION, DECISION.STATE, DECISION.VERDICT, DECISION.DRAFT_JSON,
                        DECISION.CREATED_AT, DECISION.UPDATED_AT)
                .values(LocalDatabase.param(DECISION.CASE_ID), LocalDatabase.param(DECISION.CASE_REVISION), LocalDatabase.param(DECISION.STATE),
                        LocalDatabase.param(DECISION.VERDICT), LocalDatabase.param(DECISION.DRAFT_JSON), LocalDatabase.param(DECISION.CREATED_AT),
                        LocalDatabase.param(DECISION.UPDATED_AT)));
        static final String UPDATE = LocalDatabase.sql(LocalDatabase.render().update(DECISION)
                .set(DECISION.STATE, LocalDatabase.param(DECISION.STATE)).set(DECISION.VERDICT, LocalDatabase.param(DECISION.VERDICT))
                .set(DECISION.DRAFT_JSON, LocalDatabase.param(DECISION.DRAFT_JSON)).set(DECISION.ENVELOPE_SM3, LocalDatabase.param(DECISION.ENVELOPE_SM3))
                .set(DECISION.SIGNED_AT, LocalDatabase.param(DECISION.SIGNED_AT)).set(DECISION.UPDATED_AT, LocalDatabase.param(DECISION.UPDATED_AT))
                .where(ROW));
        static final String CASE_STATE = LocalDatabase.sql(LocalDatabase.render().update(CASE_CACHE)
                .set(CASE_CACHE.LOCAL_STATE, LocalDatabase.param(CASE_CACHE.LOCAL_STATE)).set(CASE_CACHE.UPDATED_AT, LocalDatabase.param(CASE_CACHE.UPDATED_AT))
                .where(CASE_CACHE.CASE_ID.eq(LocalDatabase.param(CASE_CACHE.CASE_ID))));

        private Sign() {}
    }

    /**
     * Locks the decision row of {@code d}'s case revision, creating it as a draft when absent (returns true then).
     * A signed decision is final: it is never edited or signed again.
     */
    private static boolean lockOrCreateDraft(java.sql.Connection c, Decision d, String draftJson, OffsetDateTime now) throws java.sql.SQLException {
        String existing = null;
        try (var lock = c.prepareStatement(Sign.LOCK)) {
            lock.setString(1, d.caseId());
            lock.setInt(2, d.caseRevision());
            try (var rs = lock.executeQuery()) {
                if (rs.next()) existing = rs.getString(1);
            }
        }
        if (existing != null && State.valueOf(existing) == State.SIGNED) {
            throw new IllegalStateException("decision on " + d.caseId() + " revision " + d.caseRevision() + " is already signed");
        }
        if (existing != null) return false;
        try (var insert = c.prepareStatement(Sign.INSERT)) {
            insert.setString(1, d.caseId());
            insert.setInt(2, d.caseRevision());
            insert.setString(3, State.DRAFT.name());
            insert.setString(4, d.verdict().name());
            insert.setString(5, draftJson);
            insert.setObject(6, now);
            insert.setObject(7, now);
            insert.executeUpdate();
        }
        return true;
    }

    private static void setCaseState(DSLContext x, String caseId, String state, OffsetDateTime now) {
        x.update(CASE_CACHE).set(CASE_CACHE.LOCAL_STATE, state).set(CASE_CACHE.UPDATED_AT, now).where(CASE_CACHE.CASE_ID.eq(caseId)).execute();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** A signed decision and when it was signed. */
    public record Signed(Decision decision, java.time.Instant signedAt) {}

    /** Every decision signed on this workstation since {@code since}, oldest first. */
    public java.util.List<Signed> signedSince(java.time.Instant since) {
        return db.dsl().select(DECISION.DRAFT_JSON, DECISION.SIGNED_AT).from(DECISION)
                .where(DECISION.STATE.eq(State.SIGNED.name()).and(DECISION.SIGNED_AT.ge(since.atOffset(ZoneOffset.UTC))))
                .orderBy(DECISION.SIGNED_AT)
                .fetch(r -> new Signed(Decision.fromDraftJson(Json.parse(r.value1())), r.value2().toInstant()));
    }
}
