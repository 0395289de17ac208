package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import static cn.crb.localdb.jooq.Tables.AUDIT_ENTRY;
import static cn.crb.localdb.jooq.Tables.OUTBOX;
import static cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE;

/**
 * The local outbox: every signed envelope goes here in the transaction of the local change it belongs to, and is
 * sent from here only. Guarantees:
 * <ul>
 *   <li>an envelope is held at most once (identified by the SM3 of its canonical bytes); queueing it again is a no-op;</li>
 *   <li>the {@code Idempotency-Key} of a request and the exact rows (and their order) it carries are committed
 *       by {@link #assignBatchKey} <em>before</em> the request is sent, so a crash or timeout re-sends the same body
 *       under the same key ({@link #openBatches});</li>
 *   <li>ACCEPTED and DUPLICATE rows leave the pending set with their receipt kept; CONFLICT and REJECTED rows stay
 *       visible with the platform's code and detail until a person discards them with a reason;</li>
 *   <li>every change is audited (ENVELOPE_QUEUED / SENT / ACCEPTED / REFUSED) in the transaction that makes it; the
 *       rows and audit entries of a whole request or answer go in as batched statements;</li>
 *   <li>an envelope is given to a request only after it is checked again ({@link #integrityProblem}): its stored bytes
 *       must still be an envelope whose SM3 is the one recorded when it was queued, with its ENVELOPE_QUEUED audit
 *       entry, and pass the caller's {@link Check} (signatures). One that fails is never sent: it is marked REJECTED
 *       with code {@value #LOCAL_INTEGRITY} and the reason, for a person to see.</li>
 * </ul>
 * Nothing of the SQL layer appears in this API; {@link LocalDatabase.Tx} lets other repositories' changes share a
 * transaction with {@link #enqueue(LocalDatabase.Tx, Envelope, String, String)}.
 */
public final class OutboxRepository {
    /** The columns of an {@link Entry}. */
    private static final List<org.jooq.Field<?>> ENTRY_FIELDS = List.of(OUTBOX.ID, OUTBOX.ENVELOPE_SM3, OUTBOX.ENVELOPE_TYPE, OUTBOX.CASE_ID,
            OUTBOX.STATE, OUTBOX.ATTEMPTS, OUTBOX.LAST_ERROR, OUTBOX.RESULT_CODE, OUTBOX.RESULT_DETAIL, OUTBOX.CREATED_AT, OUTBOX.SENT_AT,
            OUTBOX.ACKNOWLEDGED_AT);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutboxRepository.class);
    /** At most this many envelopes in one request (contract 04). */
    public static final int MAX_BATCH = 500;

    /** Where an outbox row stands. QUEUED and SENDING are pending; CONFLICT and REJECTED need a person. */
    public enum State {
        QUEUED, SENDING, ACCEPTED, DUPLICATE, CONFLICT, REJECTED, DISCARDED;

        public boolean pending() { return this == QUEUED || this == SENDING; }

        public boolean needsPerson() { return this == CONFLICT || this == REJECTED; }
    }

    /** The result code of an envelope refused on this workstation before sending (its stored bytes were altered). */
    public static final String LOCAL_INTEGRITY = "LOCAL_INTEGRITY";

    /** A further check of an envelope about to be sent (e.g. its signatures): the reason it may not be sent, or null. */
    @FunctionalInterface
    public interface Check {
        String problem(Envelope envelope);

        Check NONE = e -> null;
    }

    /** An envelope as held, for export: its row, the envelope as stored, and the platform's receipt when accepted. */
    public record Held(Entry entry, String storedJson, JsonNode receipt) {}

    /** A row as the UI lists it. {@code resultCode}/{@code resultDetail} are the platform's, when it answered. */
    public record Entry(long id, String envelopeSm3, String type, String caseId, State state, int attempts, String lastError,
                        String resultCode, String resultDetail, OffsetDateTime createdAt, OffsetDateTime sentAt,
                        OffsetDateTime acknowledgedAt) {}

    /** One envelope to send, with its position in its request. */
    public record Item(long id, String envelopeSm3, JsonNode envelope) {}

    /** The rows of one request and its Idempotency-Key, in request order. Empty when nothing was queued. */
    public record Batch(String idempotencyKey, List<Item> items) {
        public Batch {
            items = List.copyOf(items);
        }

        public boolean isEmpty() { return items.isEmpty(); }
    }

    /**
     * The platform's verdict on one item. {@code status} is ACCEPTED, DUPLICATE, CONFLICT or REJECTED;
     * {@code receipt} (already verified by the caller) is required for ACCEPTED and DUPLICATE.
     */
    public record Result(String envelopeSm3, String status, String code, String detail, JsonNode receipt) {}

    private final LocalDatabase db;
    private final AuditLog audit;
    private final Clock clock;

    public OutboxRepository(LocalDatabase db, Clock clock) {
        this.db = db;
        this.audit = new AuditLog(clock);
        this.clock = clock;
    }

    /** Queues {@code envelope} inside the caller's transaction; returns the row (the existing one if already held). */
    public Entry enqueue(LocalDatabase.Tx tx, Envelope envelope, String caseId, String actorKeyId) {
        Queued q = enqueueRows(tx, envelope, envelope.sm3(), caseId, actorKeyId);
        if (q.audit() != null) audit.appendAll(tx.dsl(), List.of(q.audit()));
        return q.entry();
    }

    /** An envelope put in the outbox, and the ENVELOPE_QUEUED audit entry the caller appends (null when already queued). */
    record Queued(Entry entry, AuditLog.Pending audit) {}

    /**
     * The outbox rows of {@link #enqueue(LocalDatabase.Tx, Envelope, String, String)} given the envelope's SM3 already
     * computed, without the audit entry: a caller that appends entries of its own in the same transaction appends them
     * all at once (one read of the chain head; see DecisionRepository.sign).
     */
    Queued enqueueRows(LocalDatabase.Tx tx, Envelope envelope, String sm3, String caseId, String actorKeyId) {
        DSLContext d = tx.dsl();
        OffsetDateTime now = now();
        Inserted in = d.connectionResult(c -> insertRows(c, envelope, sm3, caseId, actorKeyId, now));
        return new Queued(entry(d.select(ENTRY_FIELDS).from(OUTBOX).where(OUTBOX.ID.eq(in.id())).fetchOne()), in.audit());
    }

    private static final String ID_BY_SM3 = LocalDatabase.sql(LocalDatabase.render().select(OUTBOX.ID).from(OUTBOX)
            .where(OUTBOX.ENVELOPE_SM3.eq(LocalDatabase.param(OUTBOX.ENVELOPE_SM3))));
    private static final String INSERT_ROW = LocalDatabase.sql(LocalDatabase.render()
            .insertInto(OUTBOX, OUTBOX.ENVELOPE_SM3, OUTBOX.ENVELOPE_TYPE, OUTBOX.STATE, OUTBOX.CASE_ID, OUTBOX.ATTEMPTS, OUTBOX.CREATED_AT)
            .values(LocalDatabase.param(OUTBOX.ENVELOPE_SM3), LocalDatabase.param(OUTBOX.ENVELOPE_TYPE), LocalDatabase.param(OUTBOX.STATE),
                    LocalDatabase.param(OUTBOX.CASE_ID), LocalDatabase.param(OUTBOX.ATTEMPTS), LocalDatabase.param(OUTBOX.CREATED_AT)));
    private static final String INSERT_ENVELOPE = LocalDatabase.sql(LocalDatabase.render()
            .insertInto(OUTBOX_ENVELOPE, OUTBOX_ENVELOPE.ID, OUTBOX_ENVELOPE.ENVELOPE)
            .values(LocalDatabase.param(OUTBOX_ENVELOPE.ID), LocalDatabase.param(OUTBOX_ENVELOPE.ENVELOPE)));

    /** The outbox row of an envelope, and the ENVELOPE_QUEUED entry to append when it was queued just now (else null). */
    record Inserted(long id, AuditLog.Pending audit) {}

    /**
     * The rows of an envelope queued in the caller's transaction, on its JDBC connection: nothing new when an envelope
     * with this SM3 is already in the outbox (queuing is idempotent), else the OUTBOX row (QUEUED) and its envelope.
     */
    static Inserted insertRows(java.sql.Connection c, Envelope envelope, String sm3, String caseId, String actorKeyId, OffsetDateTime now)
            throws java.sql.SQLException {
        try (var find = c.prepareStatement(ID_BY_SM3)) {
            find.setString(1, sm3);
            try (var rs = find.executeQuery()) {
                if (rs.next()) return new Inserted(rs.getLong(1), null);
            }
        }
        long id;
        try (var row = c.prepareStatement(INSERT_ROW, new String[] {OUTBOX.ID.getName()})) {
            row.setString(1, sm3);
            row.setString(2, envelope.type());
            row.setString(3, State.QUEUED.name());
            row.setString(4, caseId);
            row.setInt(5, 0);
            row.setObject(6, now);
            row.executeUpdate();
            try (var keys = row.getGeneratedKeys()) {
                if (!keys.next()) throw new java.sql.SQLException("no id generated for the outbox row of " + sm3);
                id = keys.getLong(1);
            }
        }
        try (var body = c.prepareStatement(INSERT_ENVELOPE)) {
            body.setLong(1, id);
            body.setString(2, Json.write(envelope.toJson()));
            body.executeUpdate();
        }
        ObjectNode detail = Json.object().put("type", envelope.type()).put("envelopeSm3", sm3);
        if (caseId != null) detail.put("caseId", caseId);
        return new Inserted(id, new AuditLog.Pending(actorKeyId, AuditAction.ENVELOPE_QUEUED, "envelope", sm3, detail));
    }

    /**
     * Whether no audit checkpoint still standing (not refused or discarded) was queued less than {@code maxAge} ago
     * ({@link java.time.Duration#ZERO}: always due).
     */
    public boolean checkpointDue(java.time.Duration maxAge) {
        if (!maxAge.isPositive()) return true;
        OffsetDateTime last = db.dsl().select(org.jooq.impl.DSL.max(OUTBOX.CREATED_AT)).from(OUTBOX)
                .where(OUTBOX.ENVELOPE_TYPE.eq(AuditLog.CHECKPOINT_TYPE))
                .and(OUTBOX.STATE.notIn(State.REJECTED.name(), State.DISCARDED.name())).fetchOne(0, OffsetDateTime.class);
        return last == null || !last.plus(maxAge).isAfter(now());
    }

    /**
     * Signs the audit chain's head as a {@code creditbank.audit-checkpoint/1} {@code {seq, hash, at}} (contract 06) with
     * the person's key and queues it, unless a checkpoint still standing (not refused or discarded) was queued less
     * than {@code maxAge} ago ({@link java.time.Duration#ZERO}: always). Empty when none was due or the chain is empty.
     */
    public Optional<Entry> queueCheckpoint(java.security.PrivateKey privateKey, java.security.PublicKey publicKey, String role,
                                           String actorKeyId, java.time.Duration maxAge) {
        if (!checkpointDue(maxAge)) return Optional.empty();
        OffsetDateTime now = now();
        Optional<cn.crb.domain.audit.AuditEntry> head = audit.head(db.dsl());
        if (head.isEmpty()) return Optional.empty();
        java.time.Instant at = now.toInstant();
        ObjectNode payload = Json.object().put("seq", head.get().seq()).put("hash", head.get().hash()).put("at", Envelope.timestamp(at));
        Envelope env = Envelope.unsigned(AuditLog.CHECKPOINT_TYPE, payload).sign(privateKey, publicKey, role, at);
        return Optional.of(enqueue(env, null, actorKeyId));
    }

    /** Queues {@code envelope} in a transaction of its own and forces it to disk (a signed act survives a power cut). */
    public Entry enqueue(Envelope envelope, String caseId, String actorKeyId) {
        Entry e = db.inTransaction(tx -> enqueue(tx, envelope, caseId, actorKeyId));
        db.checkpointSync();
        return e;
    }

    /** QUEUED rows not yet given to a request, oldest first. */
    public List<Item> pending(int limit) {
        DSLContext d = db.dsl();
        return withEnvelopes(d, d.select(OUTBOX.ID).from(OUTBOX).where(OUTBOX.STATE.eq(State.QUEUED.name())).orderBy(OUTBOX.ID).limit(limit).fetch(r -> r.value1()));
    }

    /**
     * The items of the given rows, in the given order. The envelopes (in OUTBOX_ENVELOPE, written once, so that the
     * OUTBOX rows updated on the way stay small) are read only for these rows: picking the rows in the same query
     * made H2 read the envelope of every QUEUED row before sorting and limiting, which made draining a large outbox
     * quadratic.
     */
    private static List<Item> withEnvelopes(DSLContext d, List<Long> ids) {
        if (ids.isEmpty()) return List.of();
        Map<Long, Item> byId = new java.util.HashMap<>();
        d.select(OUTBOX.ID, OUTBOX.ENVELOPE_SM3, OUTBOX_ENVELOPE.ENVELOPE).from(OUTBOX).join(OUTBOX_ENVELOPE).on(OUTBOX_ENVELOPE.ID.eq(OUTBOX.ID))
                .where(OUTBOX.ID.in(ids))
                .forEach(r -> byId.put(r.value1(), new Item(r.value1(), r.value2(), Json.parse(r.value3()))));
        List<Item> out = new ArrayList<>(ids.size());
        for (Long id : ids) out.add(byId.get(id));
        return out;
    }

    /**
     * Takes up to {@code limit} (≤ {@value #MAX_BATCH}) QUEUED rows, oldest first, gives them one new Idempotency-Key
     * and their request positions, and commits that before returning: the request may be sent only afterwards.
     * The same transaction records the first send ({@code attempts} 1, {@code sent_at}, one ENVELOPE_SENT audit entry
     * per envelope), so the first attempt needs no {@link #markSending}; a re-send of the batch does.
     * Each row is checked first ({@link #integrityProblem} and {@code check}); a row that fails is marked REJECTED
     * ({@value #LOCAL_INTEGRITY}, with the reason, audited) in the same transaction and is not in the batch.
     */
    public Batch assignBatchKey(String actorKeyId, int limit) {
        return assignBatchKey(actorKeyId, limit, Check.NONE);
    }

    public Batch assignBatchKey(String actorKeyId, int limit, Check check) {
        return assignBatchKey(actorKeyId, limit, check, java.util.Set.of());
    }

    /** As {@link #assignBatchKey(String, int, Check)}, leaving the rows of {@code skip} (ids) in the queue. */
    public Batch assignBatchKey(String actorKeyId, int limit, Check check, java.util.Set<Long> skip) {
        if (limit < 1 || limit > MAX_BATCH) throw new IllegalArgumentException("batch size must be within 1.." + MAX_BATCH);
        return db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            List<Item> items = new ArrayList<>();
            java.util.Set<String> sentCases = new java.util.TreeSet<>();
            java.util.Set<String> rejectedCases = new java.util.TreeSet<>();
            List<AuditLog.Pending> refused = new ArrayList<>();
            while (true) {
                // pick the rows, then lock just those (H2 locks every row a FOR UPDATE query reads, before the LIMIT).
                // They are locked by their id range, not by "ID IN (500 ids)": H2 checks an IN list of parameters
                // against every QUEUED row one by one (a fifth of a push's time was spent there with 10,000 queued).
                org.jooq.Condition queued = skip.isEmpty() ? OUTBOX.STATE.eq(State.QUEUED.name())
                        : OUTBOX.STATE.eq(State.QUEUED.name()).and(OUTBOX.ID.notIn(skip));
                List<Long> candidates = d.select(OUTBOX.ID).from(OUTBOX)
                        .where(queued).orderBy(OUTBOX.ID).limit(limit).fetch(r -> r.value1());
                if (candidates.isEmpty()) break;
                java.util.Set<Long> picked = new java.util.HashSet<>(candidates);
                List<Long> ids = new ArrayList<>(d.select(OUTBOX.ID).from(OUTBOX)
                        .where(OUTBOX.STATE.eq(State.QUEUED.name()))
                        .and(OUTBOX.ID.between(candidates.getFirst(), candidates.getLast())).orderBy(OUTBOX.ID).forUpdate()
                        .fetch(r -> r.value1()));
                ids.removeIf(id -> !picked.contains(id)); // a row queued meanwhile inside the range waits for the next request
                int refusedNow = 0;
                for (RawRow r : rawRows(d, ids)) {
                    String problem = integrityProblem(d, r.sm3(), r.envelope(), check);
                    if (problem != null) {
                        refused.add(refuseLocally(d, r.id(), r.sm3(), r.caseId(), problem, rejectedCases));
                        refusedNow++;
                    } else {
                        items.add(new Item(r.id(), r.sm3(), Json.parse(r.envelope())));
                        if (r.caseId() != null) sentCases.add(r.caseId());
                    }
                }
                if (refusedNow == 0 || !items.isEmpty()) break; // all refused: take the next ones
            }
            if (items.isEmpty()) {
                markCases(d, rejectedCases, java.util.Set.of(), now());
                audit.appendAll(d, refused);
                return new Batch(null, List.of());
            }
            String key = UUID.randomUUID().toString();
            OffsetDateTime now = now();
            org.jooq.BatchBindStep batch = d.batch(d.update(OUTBOX).set(OUTBOX.STATE, (String) null).set(OUTBOX.IDEMPOTENCY_KEY, (String) null)
                    .set(OUTBOX.BATCH_INDEX, (Integer) null).set(OUTBOX.ATTEMPTS, OUTBOX.ATTEMPTS.plus(org.jooq.impl.DSL.inline(1)))
                    .set(OUTBOX.SENT_AT, (OffsetDateTime) null).where(OUTBOX.ID.eq((Long) null)));
            List<AuditLog.Pending> sent = new ArrayList<>(refused);
            for (int i = 0; i < items.size(); i++) {
                batch.bind(State.SENDING.name(), key, i, now, items.get(i).id());
                sent.add(new AuditLog.Pending(actorKeyId, AuditAction.ENVELOPE_SENT, "envelope", items.get(i).envelopeSm3(),
                        Json.object().put("idempotencyKey", key)));
            }
            batch.execute();
            // the inbox says "sent" until the platform's answer is recorded (an answer lost on the way leaves it so)
            markCases(d, rejectedCases, sentCases, now);
            audit.appendAll(d, sent); // the chain head last (AuditLog)
            return new Batch(key, items);
        });
    }

    /**
     * Why the stored envelope of a row may not be sent, or null: it must still parse as an envelope, its SM3 must be the
     * one recorded when it was queued, that SM3 must have its ENVELOPE_QUEUED audit entry, and {@code check} must pass.
     */
    private static String integrityProblem(DSLContext d, String recordedSm3, String stored, Check check) {
        Envelope env;
        try {
            env = Envelope.fromJson(Json.parse(stored));
        } catch (RuntimeException e) {
            return "the stored envelope is no longer a readable envelope: " + e.getMessage();
        }
        String sm3 = env.sm3();
        if (!sm3.equals(recordedSm3)) {
            return "the stored envelope was altered: its SM3 is " + sm3 + ", " + recordedSm3 + " was recorded when it was queued";
        }
        boolean audited = d.fetchExists(d.selectOne().from(AUDIT_ENTRY)
                .where(AUDIT_ENTRY.ACTION.eq(AuditAction.ENVELOPE_QUEUED.name())).and(AUDIT_ENTRY.ENTITY_ID.eq(sm3)));
        if (!audited) return "no audit entry records the queueing of envelope " + sm3;
        String problem;
        try {
            problem = check.problem(env);
        } catch (RuntimeException e) {
            problem = "the envelope could not be checked: " + e.getMessage();
        }
        return problem;
    }

    /**
     * A decision on a revision older than the one held now (its answer came after a pull brought the case's next
     * revision, e.g. a request re-sent after its answer was lost), taken or in conflict, says nothing about the revision
     * shown: the case keeps the state it has, and one still marked as waiting for that answer (QUEUED, SENT) with no
     * decision on its current revision is open (NEW), as it would be had the answer come before the pull
     * ({@link CaseRepository#applyPage} reopens an ACCEPTED or CONFLICT case on a new revision). A refusal is shown on
     * the case whatever its revision: the person must see it in the outbox.
     */
    private static void reopenMovedOn(DSLContext d, Map<String, String> caseStates, Map<String, String> caseActs, OffsetDateTime now) {
        if (caseStates.isEmpty()) return;
        var dec = cn.crb.localdb.jooq.Tables.DECISION;
        var cc = cn.crb.localdb.jooq.Tables.CASE_CACHE;
        Map<String, Integer> actRevision = d.select(dec.ENVELOPE_SM3, dec.CASE_REVISION).from(dec)
                .where(dec.ENVELOPE_SM3.in(caseActs.values())).fetchMap(dec.ENVELOPE_SM3, dec.CASE_REVISION);
        if (actRevision.isEmpty()) return;
        Map<String, Integer> held = d.select(cc.CASE_ID, cc.REVISION).from(cc).where(cc.CASE_ID.in(caseStates.keySet())).fetchMap(cc.CASE_ID, cc.REVISION);
        List<String> movedOn = new ArrayList<>();
        caseStates.forEach((caseId, state) -> {
            Integer act = actRevision.get(caseActs.get(caseId));
            Integer current = held.get(caseId);
            if (act != null && current != null && act < current && !"REJECTED".equals(state)) movedOn.add(caseId);
        });
        if (movedOn.isEmpty()) return;
        movedOn.forEach(caseStates::remove);
        d.update(cc).set(cc.LOCAL_STATE, "NEW").set(cc.UPDATED_AT, now).where(cc.CASE_ID.in(movedOn)).and(cc.LOCAL_STATE.in("QUEUED", "SENT"))
                .andNotExists(d.selectOne().from(dec).where(dec.CASE_ID.eq(cc.CASE_ID)).and(dec.CASE_REVISION.eq(cc.REVISION))).execute();
    }

    /**
     * Marks a row REJECTED on this workstation (never sent); its case, to be shown REJECTED, goes into
     * {@code rejectedCases} ({@link #markCases}). Returns its audit entry, which the caller appends once its other rows
     * are changed (the chain head last, AuditLog).
     */
    private AuditLog.Pending refuseLocally(DSLContext d, long id, String sm3, String caseId, String problem, java.util.Set<String> rejectedCases) {
        OffsetDateTime now = now();
        d.update(OUTBOX).set(OUTBOX.STATE, State.REJECTED.name()).set(OUTBOX.RESULT_STATUS, State.REJECTED.name())
                .set(OUTBOX.RESULT_CODE, LOCAL_INTEGRITY).set(OUTBOX.RESULT_DETAIL, truncate(problem, 2000))
                .set(OUTBOX.IDEMPOTENCY_KEY, (String) null).set(OUTBOX.BATCH_INDEX, (Integer) null)
                .set(OUTBOX.ACKNOWLEDGED_AT, now).where(OUTBOX.ID.eq(id)).execute();
        if (caseId != null) rejectedCases.add(caseId);
        LOG.warn("outbox entry {} refused before sending: {}", id, problem);
        return new AuditLog.Pending(actorOf(d), AuditAction.ENVELOPE_REFUSED, "envelope", sm3,
                Json.object().put("code", LOCAL_INTEGRITY).put("local", true).put("detail", truncate(problem, 2000)));
    }

    /**
     * Shows the cases of refused rows REJECTED, and those of sent rows SENT (when still QUEUED; a case with both is
     * REJECTED), locking the case rows in the order of their ids, as every transaction that changes several cases
     * does (ARCHITECTURE.md, the lock order): one statement each while nothing was refused, case by case otherwise.
     */
    private static void markCases(DSLContext d, java.util.Set<String> rejected, java.util.Set<String> sent, OffsetDateTime now) {
        var cc = cn.crb.localdb.jooq.Tables.CASE_CACHE;
        if (rejected.isEmpty()) {
            if (!sent.isEmpty()) {
                d.update(cc).set(cc.LOCAL_STATE, "SENT").set(cc.UPDATED_AT, now).where(cc.CASE_ID.in(sent)).and(cc.LOCAL_STATE.eq("QUEUED")).execute();
            }
            return;
        }
        java.util.SortedSet<String> all = new java.util.TreeSet<>(rejected);
        all.addAll(sent);
        for (String caseId : all) {
            if (rejected.contains(caseId)) {
                d.update(cc).set(cc.LOCAL_STATE, "REJECTED").set(cc.UPDATED_AT, now).where(cc.CASE_ID.eq(caseId)).execute();
            } else {
                d.update(cc).set(cc.LOCAL_STATE, "SENT").set(cc.UPDATED_AT, now).where(cc.CASE_ID.eq(caseId)).and(cc.LOCAL_STATE.eq("QUEUED")).execute();
            }
        }
    }

    /** The profile's own key id (the actor of a refusal the workstation itself makes), or 64 zeros without a profile. */
    static String actorOf(DSLContext d) {
        String k = d.select(cn.crb.localdb.jooq.Tables.PROFILE_INFO.KEY_ID).from(cn.crb.localdb.jooq.Tables.PROFILE_INFO)
                .fetchOne(cn.crb.localdb.jooq.Tables.PROFILE_INFO.KEY_ID);
        return k == null ? "0".repeat(64) : k;
    }

    /** A row as stored, its envelope text unparsed (it is checked before it is trusted). */
    private record RawRow(long id, String sm3, String envelope, String caseId) {}

    private static List<RawRow> rawRows(DSLContext d, List<Long> ids) {
        if (ids.isEmpty()) return List.of();
        Map<Long, RawRow> byId = new java.util.HashMap<>();
        d.select(OUTBOX.ID, OUTBOX.ENVELOPE_SM3, OUTBOX_ENVELOPE.ENVELOPE, OUTBOX.CASE_ID).from(OUTBOX).join(OUTBOX_ENVELOPE).on(OUTBOX_ENVELOPE.ID.eq(OUTBOX.ID))
                .where(OUTBOX.ID.in(ids)).forEach(r -> byId.put(r.value1(), new RawRow(r.value1(), r.value2(), r.value3(), r.value4())));
        List<RawRow> out = new ArrayList<>(ids.size());
        for (Long id : ids) out.add(byId.get(id));
        return out;
    }

    /** As {@link #openBatches(Check)} with the integrity checks only. */
    public List<Batch> openBatches() {
        return openBatches(Check.NONE);
    }

    /**
     * Requests whose key was committed but whose answer was never recorded (crash, timeout): re-send them as they are.
     * Each row is checked again first; when a row of a request fails, it is marked REJECTED ({@value #LOCAL_INTEGRITY})
     * and the request is not re-sent: its other rows go back to QUEUED, to be sent under a new key (the platform
     * answers DUPLICATE for any it already holds).
     */
    public List<Batch> openBatches(Check check) {
        return db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            Map<String, List<Record>> byKey = new LinkedHashMap<>();
            d.select(OUTBOX.IDEMPOTENCY_KEY, OUTBOX.ID, OUTBOX.ENVELOPE_SM3, OUTBOX_ENVELOPE.ENVELOPE, OUTBOX.CASE_ID).from(OUTBOX)
                    .join(OUTBOX_ENVELOPE).on(OUTBOX_ENVELOPE.ID.eq(OUTBOX.ID))
                    .where(OUTBOX.STATE.eq(State.SENDING.name())).orderBy(OUTBOX.IDEMPOTENCY_KEY, OUTBOX.BATCH_INDEX).forUpdate()
                    .forEach(r -> byKey.computeIfAbsent(r.get(OUTBOX.IDEMPOTENCY_KEY), k -> new ArrayList<>()).add(r));
            List<Batch> out = new ArrayList<>();
            List<AuditLog.Pending> refused = new ArrayList<>();
            java.util.Set<String> rejectedCases = new java.util.TreeSet<>();
            byKey.forEach((k, rows) -> {
                boolean intact = true;
                for (Record r : rows) {
                    String problem = integrityProblem(d, r.get(OUTBOX.ENVELOPE_SM3), r.get(OUTBOX_ENVELOPE.ENVELOPE), check);
                    if (problem != null) {
                        refused.add(refuseLocally(d, r.get(OUTBOX.ID), r.get(OUTBOX.ENVELOPE_SM3), r.get(OUTBOX.CASE_ID), problem, rejectedCases));
                        intact = false;
                    }
                }
                if (intact) {
                    out.add(new Batch(k, rows.stream().map(r -> new Item(r.get(OUTBOX.ID), r.get(OUTBOX.ENVELOPE_SM3),
                            Json.parse(r.get(OUTBOX_ENVELOPE.ENVELOPE)))).toList()));
                } else {
                    d.update(OUTBOX).set(OUTBOX.STATE, State.QUEUED.name()).set(OUTBOX.IDEMPOTENCY_KEY, (String) null)
                            .set(OUTBOX.BATCH_INDEX, (Integer) null)
                            .where(OUTBOX.IDEMPOTENCY_KEY.eq(k)).and(OUTBOX.STATE.eq(State.SENDING.name())).execute();
                }
            });
            markCases(d, rejectedCases, java.util.Set.of(), now());
            audit.appendAll(d, refused); // the chain head last (AuditLog)
            out.sort(java.util.Comparator.comparingLong(b -> b.items().getFirst().id()));
            return out;
        });
    }

    /**
     * Records that the request of {@code key} is about to be sent once more (a retry, or a re-send of an
     * {@linkplain #openBatches open batch}); a send not recorded before is audited.
     */
    public void markSending(String key, String actorKeyId) {
        db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            OffsetDateTime now = now();
            List<AuditLog.Pending> sent = new ArrayList<>();
            for (var r : d.select(OUTBOX.ENVELOPE_SM3).from(OUTBOX).where(OUTBOX.IDEMPOTENCY_KEY.eq(key))
                    .and(OUTBOX.STATE.eq(State.SENDING.name())).and(OUTBOX.SENT_AT.isNull()).orderBy(OUTBOX.BATCH_INDEX).fetch()) {
                sent.add(new AuditLog.Pending(actorKeyId, AuditAction.ENVELOPE_SENT, "envelope", r.value1(), Json.object().put("idempotencyKey", key)));
            }
            d.update(OUTBOX).set(OUTBOX.ATTEMPTS, OUTBOX.ATTEMPTS.plus(1)).set(OUTBOX.SENT_AT, org.jooq.impl.DSL.coalesce(OUTBOX.SENT_AT, now))
                    .where(OUTBOX.IDEMPOTENCY_KEY.eq(key)).and(OUTBOX.STATE.eq(State.SENDING.name())).execute();
            audit.appendAll(d, sent); // the chain head last (AuditLog)
            return null;
        });
    }

    /**
     * Puts the rows of the request {@code key} back in the queue, unkeyed, with {@code why} as their last error: the
     * platform refused the request as a whole without taking any of it (413, too large), and its envelopes go again in
     * smaller requests under new keys (an envelope the platform held after all comes back DUPLICATE). Returns the
     * number of rows released.
     */
    public int release(String key, String why, String actorKeyId) {
        String e = why == null ? "released" : why.length() > 1000 ? why.substring(0, 1000) : why;
        return db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            List<Record> rows = new ArrayList<>(d.select(OUTBOX.ID, OUTBOX.ENVELOPE_SM3, OUTBOX.CASE_ID).from(OUTBOX)
                    .where(OUTBOX.IDEMPOTENCY_KEY.eq(key)).and(OUTBOX.STATE.eq(State.SENDING.name())).orderBy(OUTBOX.BATCH_INDEX).forUpdate().fetch());
            if (rows.isEmpty()) return 0;
            d.update(OUTBOX).set(OUTBOX.STATE, State.QUEUED.name()).set(OUTBOX.IDEMPOTENCY_KEY, (String) null)
                    .set(OUTBOX.BATCH_INDEX, (Integer) null).set(OUTBOX.LAST_ERROR, e)
                    .where(OUTBOX.IDEMPOTENCY_KEY.eq(key)).and(OUTBOX.STATE.eq(State.SENDING.name())).execute();
            // the request was refused as a whole (the envelopes themselves were not judged): one entry for the request
            // whose sends were audited under its key, and the cases say "queued" again, not "sent"
            java.util.Set<String> caseIds = new java.util.LinkedHashSet<>();
            for (Record r : rows) if (r.get(OUTBOX.CASE_ID) != null) caseIds.add(r.get(OUTBOX.CASE_ID));
            if (!caseIds.isEmpty()) {
                d.update(cn.crb.localdb.jooq.Tables.CASE_CACHE).set(cn.crb.localdb.jooq.Tables.CASE_CACHE.LOCAL_STATE, "QUEUED")
                        .where(cn.crb.localdb.jooq.Tables.CASE_CACHE.CASE_ID.in(caseIds))
                        .and(cn.crb.localdb.jooq.Tables.CASE_CACHE.LOCAL_STATE.eq("SENT")).execute();
            }
            audit.append(d, actorKeyId, AuditAction.REQUEST_RELEASED, "request", key,
                    Json.object().put("envelopes", rows.size()).put("detail", e));
            return rows.size();
        });
    }

    /**
     * Marks a QUEUED row REJECTED with the platform's {@code code} and {@code detail}, audited, and shows it on its
     * case: for an envelope the platform refused without a per-item result (a request of it alone refused as too large).
     * Returns false, changing nothing, when the row is no longer QUEUED.
     */
    public boolean refuseQueued(long id, String code, String detail, String actorKeyId) {
        return db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            Record r = d.select(OUTBOX.ENVELOPE_SM3, OUTBOX.CASE_ID, OUTBOX.STATE).from(OUTBOX).where(OUTBOX.ID.eq(id)).forUpdate().fetchOne();
            if (r == null || !State.QUEUED.name().equals(r.get(OUTBOX.STATE))) return false;
            OffsetDateTime now = now();
            d.update(OUTBOX).set(OUTBOX.STATE, State.REJECTED.name()).set(OUTBOX.RESULT_STATUS, State.REJECTED.name())
                    .set(OUTBOX.RESULT_CODE, code).set(OUTBOX.RESULT_DETAIL, truncate(detail, 2000)).set(OUTBOX.ACKNOWLEDGED_AT, now)
                    .where(OUTBOX.ID.eq(id)).execute();
            if (r.get(OUTBOX.CASE_ID) != null) {
                d.update(cn.crb.localdb.jooq.Tables.CASE_CACHE).set(cn.crb.localdb.jooq.Tables.CASE_CACHE.LOCAL_STATE, "REJECTED")
                        .set(cn.crb.localdb.jooq.Tables.CASE_CACHE.UPDATED_AT, now)
                        .where(cn.crb.localdb.jooq.Tables.CASE_CACHE.CASE_ID.eq(r.get(OUTBOX.CASE_ID))).execute();
            }
            audit.append(d, actorKeyId, AuditAction.ENVELOPE_REFUSED, "envelope", r.get(OUTBOX.ENVELOPE_SM3),
                    Json.object().put("status", State.REJECTED.name()).put("code", code));
            return true;
        });
    }

    /** Records why the request of {@code key} failed this time (network, 5xx, 429…); the rows stay keyed for a re-send. */
    public void recordFailure(String key, String error, OffsetDateTime nextAttemptAt) {
        String e = error == null ? "unknown error" : error.length() > 1000 ? error.substring(0, 1000) : error;
        db.dsl().update(OUTBOX).set(OUTBOX.LAST_ERROR, e).set(OUTBOX.NEXT_ATTEMPT_AT, nextAttemptAt)
                .where(OUTBOX.IDEMPOTENCY_KEY.eq(key)).and(OUTBOX.STATE.eq(State.SENDING.name())).execute();
    }

    /**
     * Records the platform's answer to the request of {@code key}, one result per item in request order, in one
     * transaction with its audit entries. Refuses (changing nothing) when the results do not match the request.
     */
    public void recordResults(String key, List<Result> results, String actorKeyId) {
        db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            List<Record> rows = new ArrayList<>(d.select(OUTBOX.ID, OUTBOX.ENVELOPE_SM3, OUTBOX.STATE, OUTBOX.CASE_ID).from(OUTBOX)
                    .where(OUTBOX.IDEMPOTENCY_KEY.eq(key)).orderBy(OUTBOX.BATCH_INDEX).forUpdate().fetch());
            if (rows.size() != results.size()) {
                throw new IllegalArgumentException("request " + key + " carried " + rows.size() + " envelopes but " + results.size() + " results came back");
            }
            OffsetDateTime now = now();
            org.jooq.BatchBindStep updates = d.batch(d.update(OUTBOX).set(OUTBOX.STATE, (String) null).set(OUTBOX.RESULT_STATUS, (String) null)
                    .set(OUTBOX.RESULT_CODE, (String) null).set(OUTBOX.RESULT_DETAIL, (String) null).set(OUTBOX.RECEIPT, (String) null)
                    .set(OUTBOX.ACKNOWLEDGED_AT, (OffsetDateTime) null).set(OUTBOX.LAST_ERROR, (String) null)
                    .set(OUTBOX.NEXT_ATTEMPT_AT, (OffsetDateTime) null).where(OUTBOX.ID.eq((Long) null)));
            List<AuditLog.Pending> entries = new ArrayList<>(rows.size());
            // in the order of the case ids, as other transactions (the inbox's recommendations) take the rows
            Map<String, String> caseStates = new java.util.TreeMap<>();
            Map<String, String> caseActs = new LinkedHashMap<>(); // case id → the envelope whose result sets its state
            List<String> acceptedSm3s = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Record row = rows.get(i);
                Result res = results.get(i);
                String sm3 = row.get(OUTBOX.ENVELOPE_SM3);
                if (!sm3.equals(res.envelopeSm3())) throw new IllegalArgumentException("result " + i + " names envelope " + res.envelopeSm3() + ", sent " + sm3);
                if (!State.SENDING.name().equals(row.get(OUTBOX.STATE))) continue; // already recorded
                State state = State.valueOf(res.status());
                boolean ok = state == State.ACCEPTED || state == State.DUPLICATE;
                if (ok && res.receipt() == null) throw new IllegalArgumentException("an " + state + " result without a receipt");
                if (!ok && !state.needsPerson()) throw new IllegalArgumentException("not a result status: " + res.status());
                updates.bind(state.name(), state.name(), res.code(), truncate(res.detail(), 2000),
                        res.receipt() == null ? null : Json.write(res.receipt()), now, null, null, row.get(OUTBOX.ID));
                ObjectNode detail = Json.object().put("status", state.name());
                if (ok) detail.put("logIndex", res.receipt().path("logIndex").asLong()).put("treeSize", res.receipt().path("treeSize").asLong());
                else detail.put("code", res.code());
                entries.add(new AuditLog.Pending(actorKeyId, ok ? AuditAction.ENVELOPE_ACCEPTED : AuditAction.ENVELOPE_REFUSED, "envelope", sm3, detail));
                String caseId = row.get(OUTBOX.CASE_ID);
                if (ok && caseId != null) acceptedSm3s.add(sm3);
                // the case shows what became of the person's signed act: a conflict (the case moved on) and a refusal
                // (the act itself was wrong) both wait for the person, but not for the same thing
                if (caseId != null) {
                    caseStates.put(caseId, ok ? "ACCEPTED" : state == State.REJECTED ? "REJECTED" : "CONFLICT");
                    caseActs.put(caseId, sm3);
                }
            }
            if (!entries.isEmpty()) updates.execute();
            reopenMovedOn(d, caseStates, caseActs, now);
            caseStates.forEach((caseId, state) -> d.update(cn.crb.localdb.jooq.Tables.CASE_CACHE)
                    .set(cn.crb.localdb.jooq.Tables.CASE_CACHE.LOCAL_STATE, state)
                    .set(cn.crb.localdb.jooq.Tables.CASE_CACHE.UPDATED_AT, now)
                    .where(cn.crb.localdb.jooq.Tables.CASE_CACHE.CASE_ID.eq(caseId)).execute());
            // a request for materials the platform took pauses the REVIEW clock from now (contract 03: the platform
            // pauses it when the request arrives), without waiting for the next pull to bring the paused revision.
            // Not before: until it is delivered the deadline still runs on the platform, and the inbox must say so
            if (!acceptedSm3s.isEmpty()) {
                var dec = cn.crb.localdb.jooq.Tables.DECISION;
                var cc = cn.crb.localdb.jooq.Tables.CASE_CACHE;
                d.update(cc).set(cc.STEP_CLOCK, cn.crb.domain.cases.StepClock.State.PAUSED.name())
                        .where(org.jooq.impl.DSL.row(cc.CASE_ID, cc.REVISION).in(d.select(dec.CASE_ID, dec.CASE_REVISION).from(dec)
                                .where(dec.ENVELOPE_SM3.in(acceptedSm3s)).and(dec.VERDICT.eq("REQUEST_MATERIALS"))))
                        .and(cc.STEP.eq("REVIEW")).execute();
                // any other decision the platform took ends the person's part in this step: until the next pull brings
                // the case's next step, the inbox shows no deadline for it (it showed the case overdue at the top)
                d.update(cc).set(cc.STEP_CLOCK, cn.crb.domain.cases.StepClock.State.CLOSED.name())
                        .where(org.jooq.impl.DSL.row(cc.CASE_ID, cc.REVISION).in(d.select(dec.CASE_ID, dec.CASE_REVISION).from(dec)
                                .where(dec.ENVELOPE_SM3.in(acceptedSm3s)).and(dec.VERDICT.ne("REQUEST_MATERIALS"))))
                        .execute();
            }
            audit.appendAll(d, entries);
            return null;
        });
    }

    /**
     * Discards a CONFLICT or REJECTED row with a person's reason (logged); other rows cannot be discarded. Discarding a
     * REJECTED decision makes its case revision a draft again (the signed content kept as the draft), to be decided anew.
     */
    public void discard(long id, String reason, String actorKeyId) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) throw new IllegalArgumentException("a reason is required to discard an envelope");
        db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            Record r = d.selectFrom(OUTBOX).where(OUTBOX.ID.eq(id)).forUpdate().fetchOne();
            if (r == null) throw new IllegalArgumentException("no outbox entry " + id);
            if (!State.valueOf(r.get(OUTBOX.STATE)).needsPerson()) throw new IllegalStateException("only a CONFLICT or REJECTED entry can be discarded");
            d.update(OUTBOX).set(OUTBOX.STATE, State.DISCARDED.name()).where(OUTBOX.ID.eq(id)).execute();
            // a decision the platform REJECTED never took effect, and the case did not move on because of it: its
            // revision is open to decide again (the signed content becomes the draft), or the case would stay stuck
            // on a signed act nobody holds. A CONFLICT's case moved on: the decision belongs to a past revision
            String sm3 = r.get(OUTBOX.ENVELOPE_SM3);
            String caseId = r.get(OUTBOX.CASE_ID);
            var cc = cn.crb.localdb.jooq.Tables.CASE_CACHE;
            var held = caseId == null ? null : d.select(cc.REVISION, cc.WITHDRAWN, cc.LOCAL_STATE).from(cc).where(cc.CASE_ID.eq(caseId)).forUpdate().fetchOne();
            boolean reopened = false;
            List<AuditLog.Pending> entries = new ArrayList<>();
            entries.add(new AuditLog.Pending(actorKeyId, AuditAction.ENVELOPE_REFUSED, "envelope", sm3,
                    Json.object().put("discarded", true).put("reason", reason)));
            if (State.REJECTED.name().equals(r.get(OUTBOX.STATE)) && held != null && !Boolean.TRUE.equals(held.value2())) {
                var dec = cn.crb.localdb.jooq.Tables.DECISION;
                var row = d.select(dec.CASE_REVISION, dec.DRAFT_JSON).from(dec).where(dec.ENVELOPE_SM3.eq(sm3)).and(dec.STATE.eq("SIGNED"))
                        .and(dec.CASE_ID.eq(caseId)).and(dec.CASE_REVISION.eq(held.value1())).forUpdate().fetchOne();
                if (row != null) {
                    String draft;
                    try {
                        draft = Json.write(cn.crb.domain.decision.Decision.fromDraftJson(Json.parse(row.value2())).reopened().draftJson());
                    } catch (RuntimeException e) {
                        draft = row.value2(); // kept as it is: the reviewer sees what was signed
                    }
                    d.update(dec).set(dec.STATE, "DRAFT").set(dec.ENVELOPE_SM3, (String) null).set(dec.SIGNED_AT, (OffsetDateTime) null)
                            .set(dec.DRAFT_JSON, draft).set(dec.UPDATED_AT, now())
                            .where(dec.CASE_ID.eq(caseId)).and(dec.CASE_REVISION.eq(row.value1())).execute();
                    d.update(cc).set(cc.LOCAL_STATE, "DRAFT").set(cc.UPDATED_AT, now()).where(cc.CASE_ID.eq(caseId)).execute();
                    entries.add(new AuditLog.Pending(actorKeyId, AuditAction.DECISION_DRAFTED, "case", caseId,
                            Json.object().put("revision", row.value1()).put("reopenedFrom", sm3)));
                    reopened = true;
                }
            }
            // otherwise the case says what became of its latest act still standing (an objection's refusal discarded
            // leaves the accepted decision's state), or NEW when none stands: the refusal no longer waits for a person
            if (!reopened && held != null && ("REJECTED".equals(held.value3()) || "CONFLICT".equals(held.value3()))) {
                String latest = d.select(OUTBOX.STATE).from(OUTBOX).where(OUTBOX.CASE_ID.eq(caseId)).and(OUTBOX.ID.ne(id))
                        .and(OUTBOX.STATE.ne(State.DISCARDED.name())).orderBy(OUTBOX.ID.desc()).limit(1).fetchOne(OUTBOX.STATE);
                String state = latest == null ? "NEW" : switch (State.valueOf(latest)) {
                    case QUEUED -> "QUEUED";
                    case SENDING -> "SENT";
                    case ACCEPTED, DUPLICATE -> "ACCEPTED";
                    case REJECTED -> "REJECTED";
                    case CONFLICT -> "CONFLICT";
                    case DISCARDED -> "NEW";
                };
                d.update(cc).set(cc.LOCAL_STATE, state).set(cc.UPDATED_AT, now()).where(cc.CASE_ID.eq(caseId)).execute();
            }
            audit.appendAll(d, entries);
            return null;
        });
    }

    /** The outbox for the UI, newest first: pending and refused rows, plus done ones when {@code includeDone}. */
    public List<Entry> list(boolean includeDone) {
        var q = db.dsl().select(ENTRY_FIELDS).from(OUTBOX);
        var rows = includeDone ? q.orderBy(OUTBOX.ID.desc()).fetch()
                : q.where(OUTBOX.STATE.in(State.QUEUED.name(), State.SENDING.name(), State.CONFLICT.name(), State.REJECTED.name()))
                .orderBy(OUTBOX.ID.desc()).fetch();
        return rows.map(OutboxRepository::entry);
    }

    /**
     * The envelopes held, oldest first, as stored (for export): pending and refused ones, plus accepted, duplicate and
     * discarded ones with {@code includeDone}; each accepted one with its receipt.
     */
    public List<Held> held(boolean includeDone) {
        var q = db.dsl().select(OUTBOX.fields()).select(OUTBOX_ENVELOPE.ENVELOPE).from(OUTBOX).join(OUTBOX_ENVELOPE).on(OUTBOX_ENVELOPE.ID.eq(OUTBOX.ID));
        var rows = includeDone ? q.orderBy(OUTBOX.ID).fetch()
                : q.where(OUTBOX.STATE.in(State.QUEUED.name(), State.SENDING.name(), State.CONFLICT.name(), State.REJECTED.name()))
                .orderBy(OUTBOX.ID).fetch();
        return rows.map(r -> new Held(entry(r), r.get(OUTBOX_ENVELOPE.ENVELOPE), r.get(OUTBOX.RECEIPT) == null ? null : Json.parse(r.get(OUTBOX.RECEIPT))));
    }

    /** Rows still to be sent or answered (QUEUED or SENDING). */
    public int pendingCount() {
        return new OutboxStore().pendingCount(db.dsl());
    }

    /** How many rows are in each state (every state present, zero when none). */
    public Map<State, Integer> counts() {
        Map<State, Integer> out = new EnumMap<>(State.class);
        for (State s : State.values()) out.put(s, 0);
        db.dsl().select(OUTBOX.STATE, org.jooq.impl.DSL.count()).from(OUTBOX).groupBy(OUTBOX.STATE)
                .forEach(r -> out.put(State.valueOf(r.value1()), r.value2()));
        return out;
    }

    /** The signed envelope kept under {@code envelopeSm3} (in whatever state), as it was queued. */
    public Optional<Envelope> envelope(String envelopeSm3) {
        return Optional.ofNullable(db.dsl().select(OUTBOX_ENVELOPE.ENVELOPE).from(OUTBOX).join(OUTBOX_ENVELOPE).on(OUTBOX_ENVELOPE.ID.eq(OUTBOX.ID))
                .where(OUTBOX.ENVELOPE_SM3.eq(envelopeSm3)).fetchOne(OUTBOX_ENVELOPE.ENVELOPE)).map(j -> Envelope.fromJson(Json.parse(j)));
    }

    /** The outbox row of an envelope, or empty. */
    public Optional<Entry> entry(String envelopeSm3) {
        return db.dsl().select(ENTRY_FIELDS).from(OUTBOX).where(OUTBOX.ENVELOPE_SM3.eq(envelopeSm3)).fetchOptional().map(OutboxRepository::entry);
    }

    /** The state of the envelope kept under {@code envelopeSm3}, if the outbox holds it. */
    public Optional<State> state(String envelopeSm3) {
        return Optional.ofNullable(db.dsl().select(OUTBOX.STATE).from(OUTBOX).where(OUTBOX.ENVELOPE_SM3.eq(envelopeSm3))
                .fetchOne(OUTBOX.STATE)).map(State::valueOf);
    }

    /** The verified receipt kept for an ACCEPTED or DUPLICATE envelope. */
    public Optional<JsonNode> receipt(String envelopeSm3) {
        return Optional.ofNullable(db.dsl().select(OUTBOX.RECEIPT).from(OUTBOX).where(OUTBOX.ENVELOPE_SM3.eq(envelopeSm3))
                .fetchOne(OUTBOX.RECEIPT)).map(Json::parse);
    }

    private static Entry entry(Record r) {
        return new Entry(r.get(OUTBOX.ID), r.get(OUTBOX.ENVELOPE_SM3), r.get(OUTBOX.ENVELOPE_TYPE), r.get(OUTBOX.CASE_ID),
                State.valueOf(r.get(OUTBOX.STATE)), r.get(OUTBOX.ATTEMPTS), r.get(OUTBOX.LAST_ERROR), r.get(OUTBOX.RESULT_CODE),
                r.get(OUTBOX.RESULT_DETAIL), r.get(OUTBOX.CREATED_AT), r.get(OUTBOX.SENT_AT), r.get(OUTBOX.ACKNOWLEDGED_AT));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
