package cn.crb.domain.crypto;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/** A signed envelope of contract 01: {type, payload, signatures[]}. Immutable. */
public record Envelope(String type, JsonNode payload, List<Signature> signatures) {

    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    public Envelope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        signatures = List.copyOf(signatures);
    }

    /** One signature: alg, keyId, role, signedAt (RFC 3339 UTC, ms), value (base64 DER). */
    public record Signature(String alg, String keyId, String role, String signedAt, String value) {}

    public static Envelope unsigned(String type, JsonNode payload) {
        return new Envelope(type, payload, List.of());
    }

    /** Formats an instant as RFC 3339 UTC with millisecond precision and a Z suffix. */
    public static String timestamp(Instant at) {
        return RFC3339_MILLIS.format(at.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The canonical bytes each signature covers. */
    public byte[] signingInput(String role, String keyId, String signedAt) {
        ObjectNode o = Json.object();
        o.put("type", type);
        o.set("payload", payload);
        o.put("signedAt", signedAt);
        o.put("role", role);
        o.put("keyId", keyId);
        return Json.canonical(o);
    }

    /**
     * The same bytes as {@link #signingInput(String, String, String)}, given the canonical bytes of {@link #payload()}
     * (as from {@code Json.canonical(payload())}), so that a large payload is canonicalised once for all signatures.
     */
    public byte[] signingInput(byte[] canonicalPayload, String role, String keyId, String signedAt) {
        ObjectNode o = Json.object();
        o.put("type", type);
        o.put("signedAt", signedAt);
        o.put("role", role);
        o.put("keyId", keyId);
        return canonicalWithPayload(o, canonicalPayload);
    }

    /**
     * RFC 8785 of {@code members} plus a member {@code "payload"} whose canonical bytes are given. JCS writes an
     * object as its members sorted by the UTF-16 code units of their names ({@link String#compareTo}), each value
     * itself canonical, without whitespace; so the canonical payload can be spliced in at its sorted place.
     */
    private static byte[] canonicalWithPayload(ObjectNode members, byte[] canonicalPayload) {
        List<String> names = new ArrayList<>();
        members.fieldNames().forEachRemaining(names::add);
        names.add("payload");
        names.sort(null);
        ByteArrayOutputStream out = new ByteArrayOutputStream(canonicalPayload.length + 1024);
        out.write('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) out.write(',');
            String name = names.get(i);
            if (name.equals("payload")) {
                out.writeBytes(PAYLOAD_MEMBER);
                out.writeBytes(canonicalPayload);
            } else {
                ObjectNode one = Json.object();
                one.set(name, members.get(name));
                byte[] c = Json.canonical(one);
                out.write(c, 1, c.length - 2);
            }
        }
        out.write('}');
        return out.toByteArray();
    }

    private static final byte[] PAYLOAD_MEMBER = "\"payload\":".getBytes(StandardCharsets.UTF_8);

    /** A copy with one more signature by the given key in the given role. */
    public Envelope sign(PrivateKey key, PublicKey publicKey, String role, Instant at) {
        String keyId = Sm2.keyId(publicKey);
        String signedAt = timestamp(at);
        String value = Sm2.signBase64(key, signingInput(role, keyId, signedAt));
        List<Signature> all = new ArrayList<>(signatures);
        all.add(new Signature("SM2-SM3", keyId, role, signedAt, value));
        return new Envelope(type, payload, all);
    }

    /**
     * Checks every signature. {@code keys} maps (keyId, role) to the public key known for that role, or null.
     * One bad or unknown signature makes the whole envelope invalid; an envelope without signatures is invalid.
     */
    public Verification verify(BiFunction<String, String, PublicKey> keys) {
        return signatures.isEmpty() ? verify(keys, null) : verify(keys, Json.canonical(payload));
    }

    /** As {@link #verify(BiFunction)}, given the canonical bytes of {@link #payload()} (computed once by the caller). */
    public Verification verify(BiFunction<String, String, PublicKey> keys, byte[] canonicalPayload) {
        if (signatures.isEmpty()) return Verification.fail("NO_SIGNATURE", "the envelope carries no signature");
        for (Signature s : signatures) {
            if (!"SM2-SM3".equals(s.alg())) return Verification.fail("BAD_SIGNATURE", "unsupported algorithm " + s.alg());
            PublicKey k = keys.apply(s.keyId(), s.role());
            if (k == null) return Verification.fail("UNKNOWN_KEY", "unknown key " + s.keyId() + " for role " + s.role());
            if (!Sm2.keyId(k).equals(s.keyId())) return Verification.fail("UNKNOWN_KEY", "key id does not match its key");
            if (!Sm2.verifyBase64(k, signingInput(canonicalPayload, s.role(), s.keyId(), s.signedAt()), s.value())) {
                return Verification.fail("BAD_SIGNATURE", "signature of " + s.keyId() + " does not verify");
            }
        }
        return Verification.OK;
    }

    /** The result of {@link #verify}: ok, or a contract code with a detail. */
    public record Verification(boolean ok, String code, String detail) {
        public static final Verification OK = new Verification(true, null, null);
        static Verification fail(String code, String detail) { return new Verification(false, code, detail); }
    }

    public JsonNode toJson() {
        ObjectNode o = Json.object();
        o.put("type", type);
        o.set("payload", payload);
        ArrayNode sigs = o.putArray("signatures");
        for (Signature s : signatures) {
            ObjectNode n = sigs.addObject();
            n.put("alg", s.alg());
            n.put("keyId", s.keyId());
            n.put("role", s.role());
            n.put("signedAt", s.signedAt());
            n.put("value", s.value());
        }
        return o;
    }

    /** The envelope's identity: SM3 of its canonical bytes. */
    public String sm3() {
        return Sm3.hex(Json.canonical(toJson()));
    }

    /** The same as {@link #sm3()}, given the canonical bytes of {@link #payload()}. */
    public String sm3(byte[] canonicalPayload) {
        return Sm3.hex(canonicalBytes(canonicalPayload));
    }

    /**
     * The canonical (RFC 8785) bytes of the whole envelope, {@code Json.canonical(toJson())}, given the canonical
     * bytes of {@link #payload()}: what the envelope's SM3 and its transparency-log leaf are computed over.
     */
    public byte[] canonicalBytes(byte[] canonicalPayload) {
        ObjectNode o = (ObjectNode) toJson();
        o.remove("payload");
        return canonicalWithPayload(o, canonicalPayload);
    }

    /** Reads an envelope; throws {@link IllegalArgumentException} naming the field that is wrong. */
    public static Envelope fromJson(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("envelope: not a JSON object");
        JsonNode type = n.get("type");
        if (type == null || !type.isTextual()) throw new IllegalArgumentException("envelope.type: missing or not a string");
        JsonNode payload = n.get("payload");
        if (payload == null || !payload.isObject()) throw new IllegalArgumentException("envelope.payload: missing or not an object");
        JsonNode sigs = n.get("signatures");
        if (sigs == null || !sigs.isArray()) throw new IllegalArgumentException("envelope.signatures: missing or not an array");
        List<Signature> list = new ArrayList<>();
        for (int i = 0; i < sigs.size(); i++) {
            JsonNode s = sigs.get(i);
            list.add(new Signature(text(s, "alg", i), text(s, "keyId", i), text(s, "role", i), text(s, "signedAt", i), text(s, "value", i)));
        }
        return new Envelope(type.asText(), payload, list);
    }

    /** True when the JSON looks like an envelope (has type, payload and signatures). */
    public static boolean looksLikeEnvelope(JsonNode n) {
        return n != null && n.isObject() && n.has("type") && n.has("payload") && n.has("signatures");
    }

    private static String text(JsonNode s, String field, int i) {
        JsonNode v = s == null ? null : s.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("envelope.signatures[" + i + "]." + field + ": missing or not a string");
        return v.asText();
    }
}
