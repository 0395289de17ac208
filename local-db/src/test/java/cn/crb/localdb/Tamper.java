package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.audit.AuditEntry;
import cn.crb.domain.json.Json;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static cn.crb.localdb.jooq.Tables.AUDIT_ENTRY;
import static cn.crb.localdb.jooq.Tables.OUTBOX;
import static cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE;

/**
 * For tests only (shipped in local-db's test jar): what someone holding the database key could do to the file behind
 * the workstation's back — change, delete, insert or reorder audit rows, or change a byte of a queued envelope —
 * with plain SQL, bypassing every repository.
 */
public final class Tamper {
    private Tamper() {}

    /** Changes the entity id of the entry at {@code seq} (its stored hash stays). */
    public static void changeAuditEntry(LocalDatabase db, long seq) {
        int n = db.dsl().update(AUDIT_ENTRY).set(AUDIT_ENTRY.ENTITY_ID, AUDIT_ENTRY.ENTITY_ID.concat("-forged"))
                .where(AUDIT_ENTRY.SEQ.eq(seq)).execute();
        if (n != 1) throw new IllegalStateException("no audit entry " + seq);
    }

    public static void deleteAuditEntry(LocalDatabase db, long seq) {
        if (db.dsl().deleteFrom(AUDIT_ENTRY).where(AUDIT_ENTRY.SEQ.eq(seq)).execute() != 1) throw new IllegalStateException("no audit entry " + seq);
    }

    /**
     * Inserts a forged entry at {@code seq}: the entries from {@code seq} on move up by one, and the forged one links
     * correctly to its predecessor and carries a correct hash of its own (the best a forger can do without rewriting
     * every later entry).
     */
    public static void insertAuditEntry(LocalDatabase db, long seq) {
        db.transaction(c -> {
            DSLContext d = c.dsl();
            long max = d.select(org.jooq.impl.DSL.max(AUDIT_ENTRY.SEQ)).from(AUDIT_ENTRY).fetchOne().value1();
            for (long s = max; s >= seq; s--) d.update(AUDIT_ENTRY).set(AUDIT_ENTRY.SEQ, s + 1).where(AUDIT_ENTRY.SEQ.eq(s)).execute();
            Record prevRow = d.selectFrom(AUDIT_ENTRY).where(AUDIT_ENTRY.SEQ.eq(seq - 1)).fetchOne();
            AuditEntry prev = prevRow == null ? null : AuditLog.toEntry(prevRow);
            AuditEntry forged = AuditEntry.next(prev, Instant.parse("2026-11-25T12:00:00Z"), "f".repeat(64),
                    AuditAction.DECISION_SIGNED, "case", "C-FORGED", Json.object().put("forged", true));
            d.insertInto(AUDIT_ENTRY).set(AUDIT_ENTRY.SEQ, forged.seq())
                    .set(AUDIT_ENTRY.AT, OffsetDateTime.parse(forged.at()).withOffsetSameInstant(ZoneOffset.UTC))
                    .set(AUDIT_ENTRY.ACTOR_KEY_ID, forged.actorKeyId()).set(AUDIT_ENTRY.ACTION, forged.action())
                    .set(AUDIT_ENTRY.ENTITY_TYPE, forged.entityType()).set(AUDIT_ENTRY.ENTITY_ID, forged.entityId())
                    .set(AUDIT_ENTRY.DETAIL_SM3, forged.detailSm3()).set(AUDIT_ENTRY.PREV_HASH, forged.prevHash())
                    .set(AUDIT_ENTRY.HASH, forged.hash()).execute();
            return null;
        });
    }

    /** Swaps the positions (seq) of two entries, each keeping its content otherwise. */
    public static void swapAuditEntries(LocalDatabase db, long a, long b) {
        db.transaction(c -> {
            DSLContext d = c.dsl();
            d.update(AUDIT_ENTRY).set(AUDIT_ENTRY.SEQ, -1L).where(AUDIT_ENTRY.SEQ.eq(a)).execute();
            d.update(AUDIT_ENTRY).set(AUDIT_ENTRY.SEQ, a).where(AUDIT_ENTRY.SEQ.eq(b)).execute();
            d.update(AUDIT_ENTRY).set(AUDIT_ENTRY.SEQ, b).where(AUDIT_ENTRY.SEQ.eq(-1L)).execute();
            return null;
        });
    }

    public static long auditSize(LocalDatabase db) {
        return db.dsl().fetchCount(AUDIT_ENTRY);
    }

    /** Changes one character of the stored envelope of the outbox row holding {@code envelopeSm3}, inside a JSON string. */
    public static void changeOneByteOfEnvelope(LocalDatabase db, String envelopeSm3) {
        String json = db.dsl().select(OUTBOX_ENVELOPE.ENVELOPE).from(OUTBOX).join(OUTBOX_ENVELOPE).on(OUTBOX_ENVELOPE.ID.eq(OUTBOX.ID))
                .where(OUTBOX.ENVELOPE_SM3.eq(envelopeSm3)).fetchOne(OUTBOX_ENVELOPE.ENVELOPE);
        if (json == null) throw new IllegalStateException("no outbox row " + envelopeSm3);
        int at = json.indexOf("\"signedAt\":\"") + "\"signedAt\":\"".length() + 3; // the year's last digit
        char c = json.charAt(at);
        String changed = json.substring(0, at) + (char) (c == '9' ? '8' : c + 1) + json.substring(at + 1);
        db.dsl().update(OUTBOX_ENVELOPE).set(OUTBOX_ENVELOPE.ENVELOPE, changed)
                .where(OUTBOX_ENVELOPE.ID.eq(db.dsl().select(OUTBOX.ID).from(OUTBOX).where(OUTBOX.ENVELOPE_SM3.eq(envelopeSm3)))).execute();
    }

    /** Replaces a row's stored envelope and its recorded SM3 together (a forger who knows how the identity is computed). */
    public static void replaceEnvelope(LocalDatabase db, String envelopeSm3, String newJson, String newSm3) {
        db.dsl().update(OUTBOX_ENVELOPE).set(OUTBOX_ENVELOPE.ENVELOPE, newJson)
                .where(OUTBOX_ENVELOPE.ID.eq(db.dsl().select(OUTBOX.ID).from(OUTBOX).where(OUTBOX.ENVELOPE_SM3.eq(envelopeSm3)))).execute();
        db.dsl().update(OUTBOX).set(OUTBOX.ENVELOPE_SM3, newSm3).where(OUTBOX.ENVELOPE_SM3.eq(envelopeSm3)).execute();
    }
}
