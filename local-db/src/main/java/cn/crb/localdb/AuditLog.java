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
        Record last = tx.selectFrom(AUDIT_ENTRY).orderBy(AUDIT_ENTRY.SEQ.desc()).limit(1).forUpdate().fetchOne();
        AuditEntry prev = last == null ? null : toEntry(last);
        AuditEntry e = AuditEntry.next(prev, Instant.now(clock), actorKeyId, action, entityType, entityId, detail);
        tx.insertInto(AUDIT_ENTRY)
                .set(AUDIT_ENTRY.SEQ, e.seq())
                .set(AUDIT_ENTRY.AT, OffsetDateTime.parse(e.at()).withOffsetSameInstant(ZoneOffset.UTC))
                .set(AUDIT_ENTRY.ACTOR_KEY_ID, e.actorKeyId())
                .set(AUDIT_ENTRY.ACTION, e.action())
                .set(AUDIT_ENTRY.ENTITY_TYPE, e.entityType())
                .set(AUDIT_ENTRY.ENTITY_ID, e.entityId())
                .set(AUDIT_ENTRY.DETAIL_SM3, e.detailSm3())
                .set(AUDIT_ENTRY.PREV_HASH, e.prevHash())
                .set(AUDIT_ENTRY.HASH, e.hash())
                .execute();
        return e;
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
        Map<Long, String> checkpoints = checkpoints(dsl);
        try (Stream<AuditEntry> s = dsl.selectFrom(AUDIT_ENTRY).orderBy(AUDIT_ENTRY.SEQ).fetchSize(1000).fetchStream().map(AuditLog::toEntry)) {
            Iterator<AuditEntry> it = s.iterator();
            return AuditVerifier.verify(it, checkpoints);
        }
    }

    /** seq → hash of every audit checkpoint envelope in the outbox (whatever its state; unreadable ones are skipped). */
    static Map<Long, String> checkpoints(DSLContext dsl) {
        Map<Long, String> out = new HashMap<>();
        for (String json : dsl.select(OUTBOX.ENVELOPE).from(OUTBOX).where(OUTBOX.ENVELOPE_TYPE.eq(CHECKPOINT_TYPE)).fetch(OUTBOX.ENVELOPE)) {
            try {
                JsonNode p = Json.parse(json).path("payload");
                if (p.path("seq").canConvertToLong() && p.path("hash").isTextual()) out.put(p.path("seq").asLong(), p.path("hash").asText());
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
