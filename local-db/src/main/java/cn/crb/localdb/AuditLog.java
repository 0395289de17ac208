package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.audit.AuditEntry;
import cn.crb.domain.audit.AuditVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.stream.Stream;

import static cn.crb.localdb.jooq.Tables.AUDIT_ENTRY;

/** The local hash-chained audit log. {@link #append} must be called inside the transaction of the change it records. */
public final class AuditLog {
    private final Clock clock;

    public AuditLog(Clock clock) { this.clock = clock; }

    /** Appends one entry in the caller's transaction ({@code tx} is the transaction's DSLContext). */
    public AuditEntry append(DSLContext tx, String actorKeyId, AuditAction action, String entityType, String entityId, JsonNode detail) {
        Record last = tx.selectFrom(AUDIT_ENTRY).orderBy(AUDIT_ENTRY.SEQ.desc()).limit(1).forUpdate().fetchOne();
        AuditEntry prev = last == null ? null : toEntry(last);
        AuditEntry e = AuditEntry.next(prev, Instant.now(clock), actorKeyId, action, entityType, entityId, detail);
        insert(tx, e).execute();
        return e;
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
        Record last = tx.selectFrom(AUDIT_ENTRY).orderBy(AUDIT_ENTRY.SEQ.desc()).limit(1).forUpdate().fetchOne();
        AuditEntry prev = last == null ? null : toEntry(last);
        Instant now = Instant.now(clock);
        java.util.List<AuditEntry> out = new java.util.ArrayList<>(entries.size());
        org.jooq.BatchBindStep batch = tx.batch(tx.insertInto(AUDIT_ENTRY, AUDIT_ENTRY.SEQ, AUDIT_ENTRY.AT, AUDIT_ENTRY.ACTOR_KEY_ID,
                        AUDIT_ENTRY.ACTION, AUDIT_ENTRY.ENTITY_TYPE, AUDIT_ENTRY.ENTITY_ID, AUDIT_ENTRY.DETAIL_SM3, AUDIT_ENTRY.PREV_HASH, AUDIT_ENTRY.HASH)
                .values((Long) null, null, null, null, null, null, null, null, null));
        for (Pending p : entries) {
            AuditEntry e = AuditEntry.next(prev, now, p.actorKeyId(), p.action(), p.entityType(), p.entityId(), p.detail());
            batch.bind(e.seq(), OffsetDateTime.parse(e.at()).withOffsetSameInstant(ZoneOffset.UTC), e.actorKeyId(), e.action(), e.entityType(),
                    e.entityId(), e.detailSm3(), e.prevHash(), e.hash());
            out.add(e);
            prev = e;
        }
        batch.execute();
        return out;
    }

    private static org.jooq.Query insert(DSLContext tx, AuditEntry e) {
        return tx.insertInto(AUDIT_ENTRY)
                .set(AUDIT_ENTRY.SEQ, e.seq())
                .set(AUDIT_ENTRY.AT, OffsetDateTime.parse(e.at()).withOffsetSameInstant(ZoneOffset.UTC))
                .set(AUDIT_ENTRY.ACTOR_KEY_ID, e.actorKeyId())
                .set(AUDIT_ENTRY.ACTION, e.action())
                .set(AUDIT_ENTRY.ENTITY_TYPE, e.entityType())
                .set(AUDIT_ENTRY.ENTITY_ID, e.entityId())
                .set(AUDIT_ENTRY.DETAIL_SM3, e.detailSm3())
                .set(AUDIT_ENTRY.PREV_HASH, e.prevHash())
                .set(AUDIT_ENTRY.HASH, e.hash());
    }

    /** The newest entry (the chain head), if any. */
    public java.util.Optional<AuditEntry> head(DSLContext dsl) {
        return dsl.selectFrom(AUDIT_ENTRY).orderBy(AUDIT_ENTRY.SEQ.desc()).limit(1).fetchOptional().map(AuditLog::toEntry);
    }

    public long size(DSLContext dsl) {
        return dsl.fetchCount(AUDIT_ENTRY);
    }

    /** Verifies the whole chain, streaming it from the database in seq order. */
    public AuditVerifier.Result verify(DSLContext dsl) {
        try (Stream<AuditEntry> s = dsl.selectFrom(AUDIT_ENTRY).orderBy(AUDIT_ENTRY.SEQ).fetchSize(1000).fetchStream().map(AuditLog::toEntry)) {
            Iterator<AuditEntry> it = s.iterator();
            return AuditVerifier.verify(it);
        }
    }

    static AuditEntry toEntry(Record r) {
        return new AuditEntry(r.get(AUDIT_ENTRY.SEQ), cn.crb.domain.crypto.Envelope.timestamp(r.get(AUDIT_ENTRY.AT).toInstant()),
                r.get(AUDIT_ENTRY.ACTOR_KEY_ID), r.get(AUDIT_ENTRY.ACTION), r.get(AUDIT_ENTRY.ENTITY_TYPE),
                r.get(AUDIT_ENTRY.ENTITY_ID), r.get(AUDIT_ENTRY.DETAIL_SM3), r.get(AUDIT_ENTRY.PREV_HASH), r.get(AUDIT_ENTRY.HASH));
    }
}
