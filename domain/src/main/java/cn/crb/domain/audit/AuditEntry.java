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
        byte[] direct = canonicalDirect();
        return Sm3.hex(direct != null ? direct : canonicalViaJson());
    }

    /**
     * The RFC 8785 bytes of the entry without {@code hash}, written directly: members in the order of their names'
     * UTF-16 code units (action, actorKeyId, at, detailSm3, entityId, entityType, prevHash, seq), strings escaped as
     * RFC 8785 requires (quote, backslash, and control characters; everything else as UTF-8). Null when a value needs
     * the general path (a lone surrogate, or a seq beyond 2^53 which JCS writes in ES6 number form). Verifying a chain
     * of a million entries spends most of its time here; {@code AuditEntryCanonicalTest} proves the bytes identical to
     * {@link #canonicalViaJson()}.
     */
    byte[] canonicalDirect() {
        if (seq < 0 || seq > (1L << 53)) return null;
        StringBuilder b = new StringBuilder(400);
        b.append('{');
        if (!member(b, "action", action, false) || !member(b, "actorKeyId", actorKeyId, true) || !member(b, "at", at, true)
                || !member(b, "detailSm3", detailSm3, true) || !member(b, "entityId", entityId, true)
                || !member(b, "entityType", entityType, true) || !member(b, "prevHash", prevHash, true)) {
            return null;
        }
        b.append(",\"seq\":").append(seq).append('}');
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean member(StringBuilder b, String name, String value, boolean comma) {
        if (comma) b.append(',');
        b.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                            b.append(c).append(value.charAt(++i));
                        } else {
                            return false;
                        }
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        return true;
    }

    /** The same bytes through the general RFC 8785 implementation. */
    byte[] canonicalViaJson() {
        ObjectNode o = Json.object();
        o.put("seq", seq);
        o.put("at", at);
        o.put("actorKeyId", actorKeyId);
        o.put("action", action);
        o.put("entityType", entityType);
        o.put("entityId", entityId);
        o.put("detailSm3", detailSm3);
        o.put("prevHash", prevHash);
        return Json.canonical(o);
    }
}
