package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.audit.AuditEntry;
import cn.crb.domain.audit.AuditVerifier;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import static cn.crb.localdb.jooq.Tables.AUDIT_ENTRY;
import static cn.crb.localdb.jooq.Tables.OUTBOX;

/** The local hash-chained audit log. {@link #append} must be called inside the transaction of the change it records. */
public final class AuditLog {
    /** The envelope type of a signed audit checkpoint (contract 06). */
    public static final String CHECKPOINT_TYPE = "creditbank.audit-checkpoint/1";
    private final Clock clock;

    public AuditLog(Clock clock) { this.clock = clock; }

    /** Appends one entry in the caller's transaction ({@code tx} is the transaction's DSLContext). */
    public AuditEntry append(DSLContext tx, String actorKeyId, AuditAction action, String entityType, String entityId, JsonNode detail) {
        return appendAll(tx, java.util.List.of(new Pending(actorKeyId, action, entityType, entityId, detail))).getFirst();
    }

    /** One entry to append with {@link #appendAll}. */
    public record Pending(String actorKeyId, AuditAction action, String entityType, String entityId, JsonNode detail) {}

    /**
     * Appends entries in the given order in the caller's transaction: the chain head is read (and locked) once and
     * the rows go in as one
     * batched prepared insert (parsed once). The same chain as calling {@link #append} for each.
     */
    public java.util.List<AuditEntry> appendAll(DSLContext tx, java.util.List<Pending> entries) {
        if (entries.isEmpty()) return java.util.List.of();
        return tx.connectionResult(c -> appendAll(c, entries));
    }

    private static final String HEAD_FOR_UPDATE = LocalDatabase.sql(LocalDatabase.render()
            .select(AUDIT_ENTRY.SEQ, AUDIT_ENTRY.AT, AUDIT_ENTRY.ACTOR_KEY_ID, AUDIT_ENTRY.ACTION, AUDIT_ENTRY.ENTITY_TYPE,
                    AUDIT_ENTRY.ENTITY_ID, AUDIT_ENTRY.DETAIL_SM3, AUDIT_ENTRY.PREV_HASH, AUDIT_ENTRY.HASH)
            .from(AUDIT_ENTRY).orderBy(AUDIT_ENTRY.SEQ.desc()).limit(org.jooq.impl.DSL.inline(1)).forUpdate());
    private static final String INSERT = LocalDatabase.sql(LocalDatabase.render()
            .insertInto(AUDIT_ENTRY, AUDIT_ENTRY.SEQ, AUDIT_ENTRY.AT, AUDIT_ENTRY.ACTOR_KEY_ID, AUDIT_ENTRY.ACTION, AUDIT_ENTRY.ENTITY_TYPE,
                    AUDIT_ENTRY.ENTITY_ID, AUDIT_ENTRY.DETAIL_SM3, AUDIT_ENTRY.PREV_HASH, AUDIT_ENTRY.HASH)
            .values(LocalDatabase.param(AUDIT_ENTRY.SEQ), LocalDatabase.param(AUDIT_ENTRY.AT), LocalDatabase.param(AUDIT_ENTRY.ACTOR_KEY_ID),
                    LocalDatabase.param(AUDIT_ENTRY.ACTION), LocalDatabase.param(AUDIT_ENTRY.ENTITY_TYPE), LocalDatabase.param(AUDIT_ENTRY.ENTITY_ID),
                    LocalDatabase.param(AUDIT_ENTRY.DETAIL_SM3), LocalDatabase.param(AUDIT_ENTRY.PREV_HASH), LocalDatabase.param(AUDIT_ENTRY.HASH)));

    /** {@link #appendAll(DSLContext, java.util.List)} on the JDBC connection of the caller's transaction. */
    java.util.List<AuditEntry> appendAll(java.sql.Connection c, java.util.List<Pending> entries) throws java.sql.SQLException {
        if (entries.isEmpty()) return java.util.List.of();
        AuditEntry prev = lockedHead(c);
        Instant now = Instant.now(clock);
        java.util.List<AuditEntry> out = new java.util.ArrayList<>(entries.size());
        try (var insert = c.prepareStatement(INSERT)) {
            for (Pending p : entries) {
                AuditEntry e = AuditEntry.next(prev, now, p.actorKeyId(), p.action(), p.entityType(), p.entityId(), p.detail());
                insert.setLong(1, e.seq());
                insert.setObject(2, OffsetDateTime.parse(e.at()).withOffsetSameInstant(ZoneOffset.UTC));
                insert.setString(3, e.actorKeyId());
                insert.setString(4, e.action());
                insert.setString(5, e.entityType());
                insert.setString(6, e.entityId());
                insert.setString(7, e.detailSm3());
                insert.setString(8, e.prevHash());
                insert.setString(9, e.hash());
                if (entries.size() == 1) {
                    insert.executeUpdate();
                } else {
                    insert.addBatch();
                }
                out.add(e);
                prev = e;
            }
            if (entries.size() > 1) insert.executeBatch();
        }
        return out;
    }

    /**
     * The chain head, locked by this transaction, so that no other can append until it ends. A transaction that
     * waited for the lock gets from H2 the row it chose before waiting, which is no longer the head when the holder
     * appended and committed meanwhile (H2 does not choose again once the lock is granted). So the head is chosen and
     * locked again until two choices in a row agree: the second was made while this transaction already held that row,
     * and no other can append after a row it does not hold. Both reads lock, because H2 may answer a plain query again
     * from a result it kept, which could be one read during the holder's commit. An empty chain has no row to lock;
     * the profile's first entries ({@code KEY_CREATED}, {@code ENROLLED}) are written when the profile is created,
     * before anything else can append.
     *
     * <p>Every transaction that appends locks the head <em>last</em>, after the rows it changes (cases, decisions, the
     * outbox): one that holds the head then never waits for a row, so two cannot wait for each other.
     */
    private static AuditEntry lockedHead(java.sql.Connection c) throws java.sql.SQLException {
        AuditEntry locked = readHead(c);
        while (true) {
            AuditEntry again = readHead(c);
            if (again == null || (locked != null && locked.seq() == again.seq())) return again;
            locked = again;
        }
    }

    private static AuditEntry readHead(java.sql.Connection c) throws java.sql.SQLException {
        try (var head = c.prepareStatement(HEAD_FOR_UPDATE); var rs = head.executeQuery()) {
            if (!rs.next()) return null;
            return new AuditEntry(rs.getLong(1), cn.crb.domain.crypto.Envelope.timestamp(rs.getObject(2, OffsetDateTime.class).toInstant()),
                    rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
        }
    }

    /** The newest entry (the chain head), if any. */
    public java.util.Optional<AuditEntry> head(DSLContext dsl) {
        return dsl.selectFrom(AUDIT_ENTRY).orderBy(AUDIT_ENTRY.SEQ.desc()).limit(1).fetchOptional().map(AuditLog::toEntry);
    }

    public long size(DSLContext dsl) {
        return dsl.fetchCount(AUDIT_ENTRY);
    }

    /**
     * Verifies the whole chain, streaming it from the database in seq order, and checks it against the audit
     * checkpoints this workstation signed (held in the outbox): each must match the entry at its seq.
     */
    public AuditVerifier.Result verify(DSLContext dsl) {
        return verify(dsl, dsl.fetchCount(AUDIT_ENTRY) >= PARALLEL_FROM ? Math.min(4, Runtime.getRuntime().availableProcessors()) : 1);
    }

    /** Chains at least this long are verified in parallel runs (one connection each); shorter ones in one walk. */
    static final int PARALLEL_FROM = 20_000;

    /**
     * Verifies the chain as {@code runs} seq ranges walked in parallel, each on its own connection, then joined
     * ({@link AuditVerifier#combine}): the same result as one walk (AuditVerifierRunsTest), in about half the time on two
     * cores, since H2's page decryption, not the hashing, dominates a walk (docs/performance.md, audit chain).
     */
    AuditVerifier.Result verify(DSLContext dsl, int runs) {
        Map<Long, String> checkpoints = checkpoints(dsl);
        if (runs <= 1) {
            AuditVerifier.Run[] one = new AuditVerifier.Run[1];
            forEachInRange(dsl, null, null, it -> one[0] = AuditVerifier.walk(it, checkpoints));
            return AuditVerifier.combine(java.util.List.of(one[0]), checkpoints);
        }
        org.jooq.Record2<Long, Long> mm = dsl.select(org.jooq.impl.DSL.min(AUDIT_ENTRY.SEQ), org.jooq.impl.DSL.max(AUDIT_ENTRY.SEQ))
                .from(AUDIT_ENTRY).fetchOne();
        if (mm == null || mm.value1() == null) return AuditVerifier.combine(java.util.List.of(), checkpoints);
        long lo = mm.value1(), hi = mm.value2();
        // cut points; the first and last ranges are open so that every row, whatever its seq, is walked exactly once
        Long[] cuts = new Long[runs + 1];
        for (int i = 1; i < runs; i++) cuts[i] = lo + (hi - lo + 1) * i / runs;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs, r -> {
            Thread t = new Thread(r, "audit-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            java.util.List<java.util.concurrent.Future<AuditVerifier.Run>> parts = new java.util.ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Long from = cuts[i], to = cuts[i + 1];
                parts.add(pool.submit(() -> {
                    AuditVerifier.Run[] out = new AuditVerifier.Run[1];
                    forEachInRange(dsl, from, to, it -> out[0] = AuditVerifier.walk(it, checkpoints));
                    return out[0];
                }));
            }
            java.util.List<AuditVerifier.Run> done = new java.util.ArrayList<>();
            for (var f : parts) done.add(f.get());
            return AuditVerifier.combine(done, checkpoints);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalDbException("verifying the audit chain was interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new LocalDbException("verifying the audit chain failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Hands {@code walk} an iterator over the whole chain in seq order, streamed: plain JDBC with H2's lazy query
     * execution on that connection (so a million rows are neither materialised nor spilled to a temporary file, and
     * no jOOQ record is built per row). Measured in docs/performance.md (audit chain).
     */
    static void forEachInOrder(DSLContext dsl, java.util.function.Consumer<Iterator<AuditEntry>> walk) {
        forEachInRange(dsl, null, null, walk);
    }

    /** As {@link #forEachInOrder} for the rows with {@code from <= SEQ < to} (a null bound: open). */
    static void forEachInRange(DSLContext dsl, Long from, Long to, java.util.function.Consumer<Iterator<AuditEntry>> walk) {
        dsl.connection(c -> {
            try (java.sql.Statement set = c.createStatement()) {
                set.execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
            String where = from == null && to == null ? "" : " WHERE " + (from == null ? "" : "SEQ >= ?") + (from != null && to != null ? " AND " : "")
                    + (to == null ? "" : "SEQ < ?");
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "SELECT SEQ, AT, ACTOR_KEY_ID, ACTION, ENTITY_TYPE, ENTITY_ID, DETAIL_SM3, PREV_HASH, HASH FROM AUDIT_ENTRY" + where + " ORDER BY SEQ")) {
                int p = 1;
                if (from != null) ps.setLong(p++, from);
                if (to != null) ps.setLong(p, to);
                ps.setFetchSize(1000);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    walk.accept(new Iterator<>() {
                        boolean ready, more;

                        @Override
                        public boolean hasNext() {
                            if (!ready) {
                                try {
                                    more = rs.next();
                                } catch (java.sql.SQLException e) {
                                    throw new LocalDbException("reading the audit chain failed: " + e.getMessage(), e);
                                }
                                ready = true;
                            }
                            return more;
                        }

                        @Override
                        public AuditEntry next() {
                            if (!hasNext()) throw new java.util.NoSuchElementException();
                            ready = false;
                            try {
                                return new AuditEntry(rs.getLong(1), utcMillis(rs.getObject(2, OffsetDateTime.class).toInstant()),
                                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                                        rs.getString(8), rs.getString(9));
                            } catch (java.sql.SQLException e) {
                                throw new LocalDbException("reading the audit chain failed: " + e.getMessage(), e);
                            }
                        }
                    });
                }
            } finally {
                try (java.sql.Statement set = c.createStatement()) {
                    set.execute("SET LAZY_QUERY_EXECUTION FALSE");
                }
            }
        });
    }

    /** The same text as {@code Envelope.timestamp} (RFC 3339 UTC, milliseconds, Z), without a formatter per row. */
    static String utcMillis(Instant t) {
        java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 1000 || year > 9999) return cn.crb.domain.crypto.Envelope.timestamp(t);
        char[] c = new char[24];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, d.getHour(), 2);
        c[13] = ':';
        put(c, 14, d.getMinute(), 2);
        c[16] = ':';
        put(c, 17, d.getSecond(), 2);
        c[19] = '.';
        put(c, 20, d.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** seq → hash of every audit checkpoint envelope in the outbox (whatever its state; unreadable ones are skipped). */
    static Map<Long, String> checkpoints(DSLContext dsl) {
        Map<Long, String> out = new HashMap<>();
        for (String json : dsl.select(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ENVELOPE).from(OUTBOX).join(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE)
                .on(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ID.eq(OUTBOX.ID)).where(OUTBOX.ENVELOPE_TYPE.eq(CHECKPOINT_TYPE))
                .orderBy(OUTBOX.ID).fetch(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ENVELOPE)) {
            try {
                JsonNode p = Json.parse(json).path("payload");
                if (p.path("seq").canConvertToLong() && p.path("hash").isTextual()) {
                    // two checkpoints of one seq that disagree: at least one holds another hash than the entry, so the
                    // entry is reported whichever of them is right (one must not silently replace the other)
                    out.merge(p.path("seq").asLong(), p.path("hash").asText(), (a, b) -> a.equals(b) ? a : "conflicting checkpoints: " + a + " / " + b);
                }
            } catch (RuntimeException e) {
                // an unreadable envelope is the outbox's integrity check's business, not the chain's
            }
        }
        return out;
    }

    static AuditEntry toEntry(Record r) {
        return new AuditEntry(r.get(AUDIT_ENTRY.SEQ), cn.crb.domain.crypto.Envelope.timestamp(r.get(AUDIT_ENTRY.AT).toInstant()),
                r.get(AUDIT_ENTRY.ACTOR_KEY_ID), r.get(AUDIT_ENTRY.ACTION), r.get(AUDIT_ENTRY.ENTITY_TYPE),
                r.get(AUDIT_ENTRY.ENTITY_ID), r.get(AUDIT_ENTRY.DETAIL_SM3), r.get(AUDIT_ENTRY.PREV_HASH), r.get(AUDIT_ENTRY.HASH));
    }
}
