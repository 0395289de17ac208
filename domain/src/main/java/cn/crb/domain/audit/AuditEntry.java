package cn.crb.domain.audit;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the local hash-chained audit log (contract 06).
 * {@code hash} = SM3 of the JCS bytes of the entry without {@code hash}; {@code prevHash} links to the previous
 * entry (64 zeros for the first). {@code at} is RFC 3339 UTC with milliseconds, as signed everywhere else.
 */
public record AuditEntry(long seq, String at, String actorKeyId, String action, String entityType, String entityId,
                         String detailSm3, String prevHash, String hash) {
    public static final String GENESIS = "0".repeat(64);

    public AuditEntry {
        Objects.requireNonNull(at);
        Objects.requireNonNull(actorKeyId);
        Objects.requireNonNull(action);
        Objects.requireNonNull(entityType);
        Objects.requireNonNull(entityId);
        Objects.requireNonNull(detailSm3);
        Objects.requireNonNull(prevHash);
    }

    /** The entry that follows {@code previous} (null for the first), with its hash computed. */
    public static AuditEntry next(AuditEntry previous, Instant at, String actorKeyId, AuditAction action,
                                  String entityType, String entityId, JsonNode detail) {
        long seq = previous == null ? 1 : previous.seq() + 1;
        String prev = previous == null ? GENESIS : previous.hash();
        String detailSm3 = Sm3.hex(Json.canonical(detail == null ? Json.object() : detail));
        AuditEntry unhashed = new AuditEntry(seq, Envelope.timestamp(at), actorKeyId, action.name(), entityType, entityId,
                detailSm3, prev, null);
        return unhashed.withHash(unhashed.computeHash());
    }

    public AuditEntry withHash(String h) {
        return new AuditEntry(seq, at, actorKeyId, action, entityType, entityId, detailSm3, prevHash, h);
    }

    /** SM3 over the canonical bytes of every field but {@code hash}. */
    public String computeHash() {
        ObjectNode o = Json.object();
        o.put("seq", seq);
        o.put("at", at);
        o.put("actorKeyId", actorKeyId);
        o.put("action", action);
        o.put("entityType", entityType);
        o.put("entityId", entityId);
        o.put("detailSm3", detailSm3);
        o.put("prevHash", prevHash);
        return Sm3.hex(Json.canonical(o));
    }
}
