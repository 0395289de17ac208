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

import static cn.crb.localdb.jooq.Tables.OUTBOX;

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
 *   <li>every change is audited (ENVELOPE_QUEUED / SENT / ACCEPTED / REFUSED) in its own transaction.</li>
 * </ul>
 * Nothing of the SQL layer appears in this API; {@link LocalDatabase.Tx} lets other repositories' changes share a
 * transaction with {@link #enqueue(LocalDatabase.Tx, Envelope, String, String)}.
 */
public final class OutboxRepository {
    /** At most this many envelopes in one request (contract 04). */
    public static final int MAX_BATCH = 500;

    /** Where an outbox row stands. QUEUED and SENDING are pending; CONFLICT and REJECTED need a person. */
    public enum State {
        QUEUED, SENDING, ACCEPTED, DUPLICATE, CONFLICT, REJECTED, DISCARDED;

        public boolean pending() { return this == QUEUED || this == SENDING; }

        public boolean needsPerson() { return this == CONFLICT || this == REJECTED; }
    }

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
        DSLContext d = tx.dsl();
        String sm3 = envelope.sm3();
        Record existing = d.selectFrom(OUTBOX).where(OUTBOX.ENVELOPE_SM3.eq(sm3)).fetchOne();
        if (existing != null) return entry(existing);
        d.insertInto(OUTBOX)
                .set(OUTBOX.ENVELOPE_SM3, sm3)
                .set(OUTBOX.ENVELOPE_TYPE, envelope.type())
                .set(OUTBOX.ENVELOPE, Json.write(envelope.toJson()))
                .set(OUTBOX.STATE, State.QUEUED.name())
                .set(OUTBOX.CASE_ID, caseId)
                .set(OUTBOX.ATTEMPTS, 0)
                .set(OUTBOX.CREATED_AT, now())
                .execute();
        ObjectNode detail = Json.object().put("type", envelope.type()).put("envelopeSm3", sm3);
        if (caseId != null) detail.put("caseId", caseId);
        audit.append(d, actorKeyId, AuditAction.ENVELOPE_QUEUED, "envelope", sm3, detail);
        return entry(d.selectFrom(OUTBOX).where(OUTBOX.ENVELOPE_SM3.eq(sm3)).fetchOne());
    }

    /** Queues {@code envelope} in a transaction of its own and forces it to disk (a signed act survives a power cut). */
    public Entry enqueue(Envelope envelope, String caseId, String actorKeyId) {
        Entry e = db.inTransaction(tx -> enqueue(tx, envelope, caseId, actorKeyId));
        db.checkpointSync();
        return e;
    }

    /** QUEUED rows not yet given to a request, oldest first. */
    public List<Item> pending(int limit) {
        return db.dsl().select(OUTBOX.ID, OUTBOX.ENVELOPE_SM3, OUTBOX.ENVELOPE).from(OUTBOX)
                .where(OUTBOX.STATE.eq(State.QUEUED.name())).orderBy(OUTBOX.ID).limit(limit)
                .fetch(r -> new Item(r.value1(), r.value2(), Json.parse(r.value3())));
    }

    /**
     * Takes up to {@code limit} (≤ {@value #MAX_BATCH}) QUEUED rows, oldest first, gives them one new Idempotency-Key
     * and their request positions, and commits that before returning: the request may be sent only afterwards.
     */
    public Batch assignBatchKey(int limit) {
        if (limit < 1 || limit > MAX_BATCH) throw new IllegalArgumentException("batch size must be within 1.." + MAX_BATCH);
        return db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            List<Item> items = d.select(OUTBOX.ID, OUTBOX.ENVELOPE_SM3, OUTBOX.ENVELOPE).from(OUTBOX)
                    .where(OUTBOX.STATE.eq(State.QUEUED.name())).orderBy(OUTBOX.ID).limit(limit).forUpdate()
                    .fetch(r -> new Item(r.value1(), r.value2(), Json.parse(r.value3())));
            if (items.isEmpty()) return new Batch(null, List.of());
            String key = UUID.randomUUID().toString();
            for (int i = 0; i < items.size(); i++) {
                d.update(OUTBOX).set(OUTBOX.STATE, State.SENDING.name()).set(OUTBOX.IDEMPOTENCY_KEY, key).set(OUTBOX.BATCH_INDEX, i)
                        .where(OUTBOX.ID.eq(items.get(i).id())).execute();
            }
            return new Batch(key, items);
        });
    }

    /** Requests whose key was committed but whose answer was never recorded (crash, timeout): re-send them as they are. */
    public List<Batch> openBatches() {
        Map<String, List<Item>> byKey = new LinkedHashMap<>();
        db.dsl().select(OUTBOX.IDEMPOTENCY_KEY, OUTBOX.ID, OUTBOX.ENVELOPE_SM3, OUTBOX.ENVELOPE).from(OUTBOX)
                .where(OUTBOX.STATE.eq(State.SENDING.name())).orderBy(OUTBOX.IDEMPOTENCY_KEY, OUTBOX.BATCH_INDEX)
                .forEach(r -> byKey.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(new Item(r.value2(), r.value3(), Json.parse(r.value4()))));
        List<Batch> out = new ArrayList<>();
        byKey.forEach((k, items) -> out.add(new Batch(k, items)));
        out.sort(java.util.Comparator.comparingLong(b -> b.items().getFirst().id()));
        return out;
    }

    /** Records that the request of {@code key} is about to be sent (once more); the first send is audited. */
    public void markSending(String key, String actorKeyId) {
        db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            OffsetDateTime now = now();
            for (Record r : d.selectFrom(OUTBOX).where(OUTBOX.IDEMPOTENCY_KEY.eq(key)).and(OUTBOX.STATE.eq(State.SENDING.name())).fetch()) {
                if (r.get(OUTBOX.SENT_AT) == null) {
                    audit.append(d, actorKeyId, AuditAction.ENVELOPE_SENT, "envelope", r.get(OUTBOX.ENVELOPE_SM3),
                            Json.object().put("idempotencyKey", key));
                }
            }
            d.update(OUTBOX).set(OUTBOX.ATTEMPTS, OUTBOX.ATTEMPTS.plus(1)).set(OUTBOX.SENT_AT, org.jooq.impl.DSL.coalesce(OUTBOX.SENT_AT, now))
                    .where(OUTBOX.IDEMPOTENCY_KEY.eq(key)).and(OUTBOX.STATE.eq(State.SENDING.name())).execute();
            return null;
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
            List<Record> rows = new ArrayList<>(d.selectFrom(OUTBOX).where(OUTBOX.IDEMPOTENCY_KEY.eq(key)).orderBy(OUTBOX.BATCH_INDEX).forUpdate().fetch());
            if (rows.size() != results.size()) {
                throw new IllegalArgumentException("request " + key + " carried " + rows.size() + " envelopes but " + results.size() + " results came back");
            }
            OffsetDateTime now = now();
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
                d.update(OUTBOX).set(OUTBOX.STATE, state.name()).set(OUTBOX.RESULT_STATUS, state.name())
                        .set(OUTBOX.RESULT_CODE, res.code()).set(OUTBOX.RESULT_DETAIL, truncate(res.detail(), 2000))
                        .set(OUTBOX.RECEIPT, res.receipt() == null ? null : Json.write(res.receipt()))
                        .set(OUTBOX.ACKNOWLEDGED_AT, now).set(OUTBOX.LAST_ERROR, (String) null).set(OUTBOX.NEXT_ATTEMPT_AT, (OffsetDateTime) null)
                        .where(OUTBOX.ID.eq(row.get(OUTBOX.ID))).execute();
                ObjectNode detail = Json.object().put("status", state.name());
                if (ok) detail.put("logIndex", res.receipt().path("logIndex").asLong()).put("treeSize", res.receipt().path("treeSize").asLong());
                else detail.put("code", res.code());
                audit.append(d, actorKeyId, ok ? AuditAction.ENVELOPE_ACCEPTED : AuditAction.ENVELOPE_REFUSED, "envelope", sm3, detail);
                String caseId = row.get(OUTBOX.CASE_ID);
                if (caseId != null) {
                    // the case shows what became of the person's signed act
                    d.update(cn.crb.localdb.jooq.Tables.CASE_CACHE).set(cn.crb.localdb.jooq.Tables.CASE_CACHE.LOCAL_STATE, ok ? "ACCEPTED" : "CONFLICT")
                            .set(cn.crb.localdb.jooq.Tables.CASE_CACHE.UPDATED_AT, now)
                            .where(cn.crb.localdb.jooq.Tables.CASE_CACHE.CASE_ID.eq(caseId)).execute();
                }
            }
            return null;
        });
    }

    /** Discards a CONFLICT or REJECTED row with a person's reason (logged); other rows cannot be discarded. */
    public void discard(long id, String reason, String actorKeyId) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) throw new IllegalArgumentException("a reason is required to discard an envelope");
        db.inTransaction(tx -> {
            DSLContext d = tx.dsl();
            Record r = d.selectFrom(OUTBOX).where(OUTBOX.ID.eq(id)).forUpdate().fetchOne();
            if (r == null) throw new IllegalArgumentException("no outbox entry " + id);
            if (!State.valueOf(r.get(OUTBOX.STATE)).needsPerson()) throw new IllegalStateException("only a CONFLICT or REJECTED entry can be discarded");
            d.update(OUTBOX).set(OUTBOX.STATE, State.DISCARDED.name()).where(OUTBOX.ID.eq(id)).execute();
            audit.append(d, actorKeyId, AuditAction.ENVELOPE_REFUSED, "envelope", r.get(OUTBOX.ENVELOPE_SM3),
                    Json.object().put("discarded", true).put("reason", reason));
            return null;
        });
    }

    /** The outbox for the UI, newest first: pending and refused rows, plus done ones when {@code includeDone}. */
    public List<Entry> list(boolean includeDone) {
        var q = db.dsl().selectFrom(OUTBOX);
        var rows = includeDone ? q.orderBy(OUTBOX.ID.desc()).fetch()
                : q.where(OUTBOX.STATE.in(State.QUEUED.name(), State.SENDING.name(), State.CONFLICT.name(), State.REJECTED.name()))
                .orderBy(OUTBOX.ID.desc()).fetch();
        return rows.map(OutboxRepository::entry);
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
        return Optional.ofNullable(db.dsl().select(OUTBOX.ENVELOPE).from(OUTBOX).where(OUTBOX.ENVELOPE_SM3.eq(envelopeSm3))
                .fetchOne(OUTBOX.ENVELOPE)).map(j -> Envelope.fromJson(Json.parse(j)));
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
