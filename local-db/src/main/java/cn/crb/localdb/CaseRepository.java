package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static cn.crb.localdb.jooq.Tables.CASE_CACHE;
import static cn.crb.localdb.jooq.Tables.KV_SETTING;

/**
 * The cases cached for this person. A page of assignments and its cursor are applied in one transaction, so a crash
 * re-pulls at most one page, and applying a page twice changes nothing (an older or equal revision never overwrites a
 * newer one). A WITHDRAWN case leaves the inbox but its row — and any local draft or signed decision — stays.
 */
public final class CaseRepository {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CaseRepository.class);
    static final String CURSOR = "sync.assignments.cursor";
    private final LocalDatabase db;
    private final AuditLog audit;
    private final Clock clock;

    public CaseRepository(LocalDatabase db, Clock clock) {
        this.db = db;
        this.audit = new AuditLog(clock);
        this.clock = clock;
    }

    /** One item of an assignments page: UPSERT with the case document, or WITHDRAWN. */
    public record Assignment(boolean withdrawn, String caseId, JsonNode caseJson) {}

    /** A row of the inbox; the recommendation is null until computed for this revision. */
    public record InboxRow(String caseId, int revision, String step, OffsetDateTime stepStartedAt, LocalDate appliedOn,
                           String learnerMasked, String programmeName, int outcomeCount, boolean withdrawn, String localState,
                           java.math.BigDecimal recommendedTotal, String recommendedVersion, boolean needsReevaluation,
                           cn.crb.domain.cases.StepClock clock) {}

    /** What applying a page changed; {@code refused}: the cases whose document this workstation could not read (not applied). */
    public record Applied(int inserted, int updated, int withdrawn, int unchanged, List<Refused> refused) {
        public Applied {
            refused = List.copyOf(refused);
        }

        public Applied(int inserted, int updated, int withdrawn, int unchanged) {
            this(inserted, updated, withdrawn, unchanged, List.of());
        }
    }

    /** A case document received that could not be read: it was not applied (a revision held before stays). */
    public record Refused(String caseId, String reason) {}

    /**
     * Why this workstation cannot take the case document {@code c}, or null: the fields the inbox is built from must
     * be there and readable. One unreadable document must not stop a sync on its page every time: it is refused,
     * audited and reported, and the rest of the page applied.
     */
    static String unreadable(JsonNode c) {
        JsonNode revision = c.get("revision");
        if (revision == null || !revision.canConvertToInt() || !revision.isIntegralNumber() || revision.asInt() < 0) {
            return "revision is not a non-negative integer: " + revision;
        }
        if (!c.path("step").isTextual() || c.path("step").asText().isBlank()) return "step is missing";
        try {
            LocalDate.parse(c.path("appliedOn").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return "appliedOn is not a date: " + c.path("appliedOn");
        }
        String started = c.path("stepStartedAt").asText(null);
        if (started != null && !started.isEmpty()) {
            try {
                OffsetDateTime.parse(started);
            } catch (java.time.format.DateTimeParseException e) {
                return "stepStartedAt is not a timestamp: " + started;
            }
        }
        if (c.has("outcomes") && !c.get("outcomes").isArray()) return "outcomes is not an array";
        // longer than the columns the inbox is built from hold (V2): the page's insert would fail on every sync
        String tooLong = tooLong(c.path("caseId").asText(""), 64, "caseId");
        if (tooLong == null) tooLong = tooLong(c.path("step").asText(""), 20, "step");
        if (tooLong == null) tooLong = tooLong(c.path("learner").path("nameMasked").asText(""), 100, "learner.nameMasked");
        if (tooLong == null) tooLong = tooLong(c.path("programme").path("name").asText(""), 200, "programme.name");
        if (tooLong == null) tooLong = tooLong(c.path("programme").path("institution").asText(""), 64, "programme.institution");
        return tooLong;
    }

    private static String tooLong(String value, int max, String field) {
        return value.length() > max ? field + " is longer than " + max + " characters" : null;
    }

    public Applied applyPage(List<Assignment> items, String nextCursor, String actorKeyId) {
        return LocalDatabase.retryingLockConflicts("applying a page of assignments", LOCK_CONFLICT_ATTEMPTS,
                () -> applyPageAtOnce(items, nextCursor, actorKeyId));
    }

    private Applied applyPageAtOnce(List<Assignment> items, String nextCursor, String actorKeyId) {
        return db.transaction(tx -> {
            DSLContext d = tx.dsl();
            int ins = 0, upd = 0, wd = 0, same = 0;
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            record Held(int revision, boolean withdrawn) {}
            Map<String, Held> held = new HashMap<>();
            Set<String> ids = new HashSet<>();
            items.forEach(a -> ids.add(a.caseId()));
            d.select(CASE_CACHE.CASE_ID, CASE_CACHE.REVISION, CASE_CACHE.WITHDRAWN).from(CASE_CACHE).where(CASE_CACHE.CASE_ID.in(ids)).forUpdate()
                    .forEach(r -> held.put(r.value1(), new Held(r.value2(), r.value3())));
            PageWriter w = new PageWriter(d, now);
            Set<String> seen = new HashSet<>();
            List<Refused> refused = new ArrayList<>();
            for (Assignment a : items) {
                if (!seen.add(a.caseId())) w.flush(); // the same case twice in a page: keep the order of its changes
                Held h = held.get(a.caseId());
                if (a.withdrawn()) {
                    if (h != null && !h.withdrawn()) {
                        w.withdraw(a.caseId());
                        w.audit.add(new AuditLog.Pending(actorKeyId, AuditAction.CASE_WITHDRAWN, "case", a.caseId(), Json.object()));
                        held.put(a.caseId(), new Held(h.revision(), true));
                        wd++;
                    } else {
                        same++;
                    }
                    continue;
                }
                JsonNode c = a.caseJson();
                String problem = unreadable(c);
                if (problem != null) {
                    refused.add(new Refused(a.caseId(), problem));
                    // (an id too long for the audit's column is cut: the refusal must not fail the page it was to spare)
                    w.audit.add(new AuditLog.Pending(actorKeyId, AuditAction.CASE_REFUSED, "case",
                            a.caseId().length() > 200 ? a.caseId().substring(0, 200) : a.caseId(),
                            Json.object().put("reason", problem.length() > 500 ? problem.substring(0, 500) : problem)));
                    LOG.warn("case {} received but not applied: {}", a.caseId(), problem);
                    continue;
                }
                int revision = c.path("revision").asInt();
                // an older revision changes nothing; so does the same one again. But the platform also sends the same
                // revision with a changed document (the key ids of a person who enrolled since, contract 04 applies the
                // latest document): that one is taken, or a panel would never see its new member's key
                if (h != null && !h.withdrawn() && (h.revision() > revision || h.revision() == revision && sameDocument(d, a.caseId(), c))) {
                    same++;
                    continue;
                }
                String step = c.path("step").asText();
                if (h == null) {
                    w.insert(a.caseId(), c, revision, step);
                    ins++;
                } else {
                    w.update(a.caseId(), c, revision, step);
                    // a newer revision in which the review is open again (the materials arrived; a conflict's newer
                    // revision): what became of the act on an older one (accepted, conflict, its draft) is no longer
                    // what the inbox should say — the case waits for a decision on this revision
                    if (revision > h.revision() && ("REVIEW".equals(step) || "INSPECTION".equals(step))
                            && cn.crb.domain.cases.StepClock.of(c).state() == cn.crb.domain.cases.StepClock.State.RUNNING) {
                        w.reopen(a.caseId());
                    }
                    upd++;
                }
                held.put(a.caseId(), new Held(revision, false));
                w.audit.add(new AuditLog.Pending(actorKeyId, AuditAction.CASE_RECEIVED, "case", a.caseId(),
                        Json.object().put("revision", revision).put("step", step)));
            }
            w.flush();
            audit.appendAll(d, w.audit);
            if (nextCursor != null) {
                d.mergeInto(KV_SETTING).using(d.selectOne()).on(KV_SETTING.K.eq(CURSOR))
                        .whenMatchedThenUpdate().set(KV_SETTING.V, nextCursor)
                        .whenNotMatchedThenInsert(KV_SETTING.K, KV_SETTING.V).values(CURSOR, nextCursor).execute();
            }
            return new Applied(ins, upd, wd, same, refused);
        });
    }

    /** Whether the stored document of {@code caseId} is {@code c} (read only for a revision received again). */
    private static boolean sameDocument(DSLContext d, String caseId, JsonNode c) {
        String stored = d.select(CASE_CACHE.CASE_JSON).from(CASE_CACHE).where(CASE_CACHE.CASE_ID.eq(caseId)).fetchOne(CASE_CACHE.CASE_JSON);
        return stored != null && Json.parse(stored).equals(c);
    }

    /**
     * The writes of one page as three prepared batches (inserts, updates, withdrawals) and the audit entries, so
     * that a page of 500 cases costs a handful of statements rather than a few per case.
     */
    private static final class PageWriter {
        private final DSLContext d;
        private final OffsetDateTime now;
        final List<AuditLog.Pending> audit = new ArrayList<>();
        private BatchBindStep inserts, updates, withdrawals, reopened;
        private int pending;

        PageWriter(DSLContext d, OffsetDateTime now) {
            this.d = d;
            this.now = now;
            reset();
        }

        private void reset() {
            inserts = d.batch(d.insertInto(CASE_CACHE, CASE_CACHE.CASE_ID, CASE_CACHE.REVISION, CASE_CACHE.STEP, CASE_CACHE.STEP_STARTED_AT,
                            CASE_CACHE.APPLIED_ON, CASE_CACHE.LEARNER_MASKED, CASE_CACHE.PROGRAMME_NAME, CASE_CACHE.PROGRAMME_INSTITUTION,
                            CASE_CACHE.OUTCOME_COUNT, CASE_CACHE.WITHDRAWN, CASE_CACHE.CASE_JSON, CASE_CACHE.UPDATED_AT, CASE_CACHE.STEP_CLOCK,
                            CASE_CACHE.PAUSED_SECONDS, CASE_CACHE.LOCAL_STATE, CASE_CACHE.RECEIVED_AT)
                    .values(null, (Integer) null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
            updates = d.batch(d.update(CASE_CACHE).set(CASE_CACHE.REVISION, (Integer) null).set(CASE_CACHE.STEP, (String) null)
                    .set(CASE_CACHE.STEP_STARTED_AT, (OffsetDateTime) null).set(CASE_CACHE.APPLIED_ON, (LocalDate) null)
                    .set(CASE_CACHE.LEARNER_MASKED, (String) null).set(CASE_CACHE.PROGRAMME_NAME, (String) null)
                    .set(CASE_CACHE.PROGRAMME_INSTITUTION, (String) null).set(CASE_CACHE.OUTCOME_COUNT, (Integer) null)
                    .set(CASE_CACHE.WITHDRAWN, (Boolean) null).set(CASE_CACHE.CASE_JSON, (String) null).set(CASE_CACHE.UPDATED_AT, (OffsetDateTime) null)
                    .set(CASE_CACHE.STEP_CLOCK, (String) null).set(CASE_CACHE.PAUSED_SECONDS, (Long) null)
                    .where(CASE_CACHE.CASE_ID.eq((String) null)));
            withdrawals = d.batch(d.update(CASE_CACHE).set(CASE_CACHE.WITHDRAWN, (Boolean) null).set(CASE_CACHE.UPDATED_AT, (OffsetDateTime) null)
                    .where(CASE_CACHE.CASE_ID.eq((String) null)));
            // the constants inline: the batch binds only the case id
            reopened = d.batch(d.update(CASE_CACHE).set(CASE_CACHE.LOCAL_STATE, org.jooq.impl.DSL.inline("NEW"))
                    .where(CASE_CACHE.CASE_ID.eq((String) null))
                    .and(CASE_CACHE.LOCAL_STATE.in(org.jooq.impl.DSL.inline("ACCEPTED"), org.jooq.impl.DSL.inline("CONFLICT"),
                            org.jooq.impl.DSL.inline("DRAFT"))));
            pending = 0;
        }

        /** The columns every received revision sets, in the order of the statements above. */
        private Object[] columns(JsonNode c, int revision, String step) {
            JsonNode learner = c.path("learner");
            JsonNode programme = c.path("programme");
            String started = c.path("stepStartedAt").asText(null);
            cn.crb.domain.cases.StepClock clock = cn.crb.domain.cases.StepClock.of(c);
            return new Object[] {revision, step, started == null || started.isEmpty() ? null : OffsetDateTime.parse(started),
                    LocalDate.parse(c.path("appliedOn").asText()), learner.path("nameMasked").asText(null), programme.path("name").asText(null),
                    programme.path("institution").asText(null), c.path("outcomes").size(), false, Json.write(c), now,
                    clock.state().name(), clock.pausedBefore().toSeconds()};
        }

        void insert(String caseId, JsonNode c, int revision, String step) {
            Object[] cols = columns(c, revision, step);
            Object[] row = new Object[cols.length + 3];
            row[0] = caseId;
            System.arraycopy(cols, 0, row, 1, cols.length);
            row[cols.length + 1] = "NEW";
            row[cols.length + 2] = now;
            inserts.bind(row);
            pending++;
        }

        void update(String caseId, JsonNode c, int revision, String step) {
            Object[] cols = columns(c, revision, step);
            Object[] row = java.util.Arrays.copyOf(cols, cols.length + 1);
            row[cols.length] = caseId;
            updates.bind(row);
            pending++;
        }

        void withdraw(String caseId) {
            withdrawals.bind(true, now, caseId);
            pending++;
        }

        /**
         * The case's local state back to NEW from ACCEPTED, CONFLICT or DRAFT (acts on an older revision). Not from
         * REJECTED: a refused act waits for a person until they discard it (contract 04), whatever the case does.
         */
        void reopen(String caseId) {
            reopened.bind(caseId);
            pending++;
        }

        void flush() {
            if (pending == 0) return;
            if (inserts.size() > 0) inserts.execute();
            if (updates.size() > 0) updates.execute();
            if (withdrawals.size() > 0) withdrawals.execute();
            if (reopened.size() > 0) reopened.execute();
            reset();
        }
    }

    /** The cursor to continue pulling from (empty before the first page). */
    public Optional<String> cursor() {
        return Optional.ofNullable(db.dsl().select(KV_SETTING.V).from(KV_SETTING).where(KV_SETTING.K.eq(CURSOR)).fetchOne(KV_SETTING.V));
    }

    /** The inbox: cases not withdrawn, plus withdrawn ones that still hold local work (state other than NEW). */
    public List<InboxRow> inbox() {
        List<InboxRow> rows = inboxRows();
        // cases received before the step clock was stored: read it from their documents once, then the rows again
        if (rows.stream().anyMatch(r -> r.clock() == null) && fillStepClocks() > 0) rows = inboxRows();
        return rows;
    }

    private List<InboxRow> inboxRows() {
        Condition visible = CASE_CACHE.WITHDRAWN.isFalse().or(CASE_CACHE.LOCAL_STATE.ne("NEW"));
        return db.dsl().select(CASE_CACHE.CASE_ID, CASE_CACHE.REVISION, CASE_CACHE.STEP, CASE_CACHE.STEP_STARTED_AT, CASE_CACHE.APPLIED_ON,
                        CASE_CACHE.LEARNER_MASKED, CASE_CACHE.PROGRAMME_NAME, CASE_CACHE.OUTCOME_COUNT, CASE_CACHE.WITHDRAWN, CASE_CACHE.LOCAL_STATE,
                        CASE_CACHE.RECOMMENDED_TOTAL, CASE_CACHE.RECOMMENDED_VERSION, CASE_CACHE.RECOMMENDED_REVISION, CASE_CACHE.NEEDS_REEVALUATION,
                        CASE_CACHE.STEP_CLOCK, CASE_CACHE.PAUSED_SECONDS)
                .from(CASE_CACHE).where(visible).orderBy(CASE_CACHE.CASE_ID).fetchSize(2000)
                .fetch(r -> {
                    boolean fresh = r.value13() != null && r.value13().equals(r.value2());
                    cn.crb.domain.cases.StepClock clock = r.value15() == null ? null
                            : new cn.crb.domain.cases.StepClock(cn.crb.domain.cases.StepClock.State.valueOf(r.value15()),
                                    java.time.Duration.ofSeconds(r.value16() == null ? 0 : r.value16()));
                    return new InboxRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7(), r.value8(), r.value9(),
                            r.value10(), fresh ? r.value11() : null, fresh ? r.value12() : null, r.value14(), clock);
                });
    }

    /**
     * Reads the step clock of the cases received before the workstation stored it (their {@code STEP_CLOCK} is
     * NULL) from their documents, once; returns how many ({@link #inbox} does it when it meets one).
     */
    public int fillStepClocks() {
        List<String> ids = db.dsl().select(CASE_CACHE.CASE_ID).from(CASE_CACHE).where(CASE_CACHE.STEP_CLOCK.isNull()).fetch(CASE_CACHE.CASE_ID);
        for (var part : partition(ids, 500)) {
            db.transaction(tx -> {
                // only where still empty: a page applied meanwhile has stored the clock of a newer document
                var batch = tx.dsl().batch(tx.dsl().update(CASE_CACHE).set(CASE_CACHE.STEP_CLOCK, (String) null)
                        .set(CASE_CACHE.PAUSED_SECONDS, (Long) null).where(CASE_CACHE.CASE_ID.eq((String) null)).and(CASE_CACHE.STEP_CLOCK.isNull()));
                tx.dsl().select(CASE_CACHE.CASE_ID, CASE_CACHE.CASE_JSON).from(CASE_CACHE).where(CASE_CACHE.CASE_ID.in(part)).forEach(r -> {
                    cn.crb.domain.cases.StepClock c = cn.crb.domain.cases.StepClock.of(Json.parse(r.value2()));
                    batch.bind(c.state().name(), c.pausedBefore().toSeconds(), r.value1());
                });
                if (batch.size() > 0) batch.execute();
                return null;
            });
        }
        return ids.size();
    }

    /** The reviewer has seen the case under the versions now held: the re-evaluation flag is cleared. */
    public void clearReevaluation(String caseId) {
        db.dsl().update(CASE_CACHE).set(CASE_CACHE.NEEDS_REEVALUATION, false).where(CASE_CACHE.CASE_ID.eq(caseId)).execute();
    }

    /**
     * Stores the engine's recommended total for a case revision (so the inbox need not re-evaluate it). Each
     * recommendation that changes what the case held (another revision, version or total) is an evaluation run on the
     * audit chain (contract 06), by {@code actorKeyId}, in the same transaction; one stored already is not recorded twice.
     * They are stored {@value #RECOMMENDATIONS_PER_TRANSACTION} to a transaction, so that a decision being signed or a
     * sync's page, which append to the chain too, wait for its head only briefly.
     */
    public void storeRecommendations(List<Recommendation> recs, String actorKeyId) {
        // in the order of the case ids, as a table scan meets the rows: two transactions taking some of the same
        // rows in opposite orders would each wait for the other (H2 then rolls one back, which is run again here)
        List<Recommendation> sorted = recs.stream().sorted(java.util.Comparator.comparing(Recommendation::caseId)).toList();
        for (int from = 0; from < sorted.size(); from += RECOMMENDATIONS_PER_TRANSACTION) {
            List<Recommendation> chunk = sorted.subList(from, Math.min(sorted.size(), from + RECOMMENDATIONS_PER_TRANSACTION));
            LocalDatabase.retryingLockConflicts("storing recommendations", LOCK_CONFLICT_ATTEMPTS, () -> {
                storeRecommendationsAtOnce(chunk, actorKeyId);
                return null;
            });
        }
    }

    static final int RECOMMENDATIONS_PER_TRANSACTION = 500;
    /** Attempts of a page or of a transaction of recommendations that meets a lock conflict before it fails. */
    static final int LOCK_CONFLICT_ATTEMPTS = 5;

    private void storeRecommendationsAtOnce(List<Recommendation> recs, String actorKeyId) {
        db.transaction(tx -> {
            var batch = tx.dsl().batch(tx.dsl().update(CASE_CACHE)
                    .set(CASE_CACHE.RECOMMENDED_TOTAL, (java.math.BigDecimal) null)
                    .set(CASE_CACHE.RECOMMENDED_VERSION, (String) null)
                    .set(CASE_CACHE.RECOMMENDED_REVISION, (Integer) null)
                    .where(CASE_CACHE.CASE_ID.eq((String) null))
                    .and(CASE_CACHE.RECOMMENDED_TOTAL.isDistinctFrom((java.math.BigDecimal) null)
                            .or(CASE_CACHE.RECOMMENDED_VERSION.isDistinctFrom((String) null))
                            .or(CASE_CACHE.RECOMMENDED_REVISION.isDistinctFrom((Integer) null))));
            for (Recommendation r : recs) batch.bind(r.total(), r.standardsVersion(), r.revision(), r.caseId(), r.total(), r.standardsVersion(), r.revision());
            int[] changed = batch.execute();
            List<AuditLog.Pending> runs = new ArrayList<>();
            for (int i = 0; i < recs.size(); i++) {
                if (changed[i] == 0) continue;
                Recommendation r = recs.get(i);
                runs.add(new AuditLog.Pending(actorKeyId, AuditAction.EVALUATION_RUN, "case", r.caseId(), Json.object()
                        .put("revision", r.revision()).put("standardsVersion", r.standardsVersion()).put("recommendedTotal", r.total().toPlainString())));
            }
            if (!runs.isEmpty()) audit.appendAll(tx.dsl(), runs);
            return null;
        });
    }

    /** The recommended total of one case revision under one standards version. */
    public record Recommendation(String caseId, int revision, java.math.BigDecimal total, String standardsVersion) {}

    /** Case documents of the given ids (for evaluation in bulk). */
    public java.util.Map<String, JsonNode> caseJsons(java.util.Collection<String> ids) {
        java.util.Map<String, JsonNode> m = new java.util.HashMap<>();
        for (var part : partition(new java.util.ArrayList<>(ids), 500)) {
            db.dsl().select(CASE_CACHE.CASE_ID, CASE_CACHE.CASE_JSON).from(CASE_CACHE).where(CASE_CACHE.CASE_ID.in(part))
                    .forEach(r -> m.put(r.value1(), Json.parse(r.value2())));
        }
        return m;
    }

    private static <T> List<List<T>> partition(List<T> l, int n) {
        List<List<T>> out = new java.util.ArrayList<>();
        for (int i = 0; i < l.size(); i += n) out.add(l.subList(i, Math.min(l.size(), i + n)));
        return out;
    }

    public int count() {
        return db.dsl().fetchCount(CASE_CACHE, CASE_CACHE.WITHDRAWN.isFalse());
    }

    public Optional<JsonNode> caseJson(String caseId) {
        return Optional.ofNullable(db.dsl().select(CASE_CACHE.CASE_JSON).from(CASE_CACHE).where(CASE_CACHE.CASE_ID.eq(caseId))
                .fetchOne(CASE_CACHE.CASE_JSON)).map(Json::parse);
    }

    /** Documents of the cached cases that carry an arbitration (the platform adds {@code arbitration} when one opens). */
    public java.util.Map<String, JsonNode> withArbitration() {
        java.util.Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
        db.dsl().select(CASE_CACHE.CASE_ID, CASE_CACHE.CASE_JSON).from(CASE_CACHE)
                .where(CASE_CACHE.WITHDRAWN.isFalse().and(CASE_CACHE.CASE_JSON.like("%\"arbitrationId\"%")))
                .orderBy(CASE_CACHE.CASE_ID)
                .forEach(r -> {
                    JsonNode doc = Json.parse(r.value2());
                    if (doc.path("arbitration").isObject()) m.put(r.value1(), doc);
                });
        return m;
    }

    /** Whether the platform withdrew the case (it stays cached with its local work). */
    public boolean isWithdrawn(String caseId) {
        return db.dsl().fetchExists(CASE_CACHE, CASE_CACHE.CASE_ID.eq(caseId).and(CASE_CACHE.WITHDRAWN.isTrue()));
    }
}
