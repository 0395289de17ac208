package cn.crb.domain.standards;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.json.JsonValidationException;
import com.fasterxml.jackson.databind.JsonNode;

import java.security.PublicKey;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks a standards envelope before anything in it is trusted. A bundle is accepted only when: the envelope
 * type is {@code creditbank.standards/1}; it carries at least one signature and every signature is a valid
 * SM2-SM3 signature by the pinned platform key in role {@code PLATFORM}; when an expected SM3 is given, it equals
 * {@link Envelope#sm3()} — lowercase hex SM3 of the RFC 8785 canonical bytes of the whole envelope
 * {@code {type, payload, signatures}}; and the payload is a valid standards payload.
 */
public final class BundleVerifier {
    public static final String TYPE = "creditbank.standards/1";
    public static final String ROLE = "PLATFORM";

    private final PublicKey platformKey;
    private final String platformKeyId;

    public BundleVerifier(PublicKey platformKey) {
        this.platformKey = Objects.requireNonNull(platformKey, "platformKey");
        this.platformKeyId = Sm2.keyId(platformKey);
    }

    /** Why a bundle was refused. */
    public enum Refusal { MALFORMED_ENVELOPE, WRONG_TYPE, NO_SIGNATURE, UNKNOWN_KEY, BAD_SIGNATURE, SM3_MISMATCH, INVALID_PAYLOAD }

    /** The outcome of a verification: either {@link Verified} or {@link Refused}. */
    public sealed interface Result permits Verified, Refused {}

    /** An accepted bundle and the SM3 of its envelope. */
    public record Verified(StandardsBundle bundle, String envelopeSm3) implements Result {}

    /** A refusal with a one-line explanation. */
    public record Refused(Refusal reason, String message) implements Result {}

    /** Verifies envelope JSON; {@code expectedSm3} may be null to skip the digest check. */
    public Result verify(JsonNode envelopeJson, String expectedSm3) {
        Envelope envelope;
        try {
            envelope = Envelope.fromJson(envelopeJson);
        } catch (IllegalArgumentException e) {
            return new Refused(Refusal.MALFORMED_ENVELOPE, e.getMessage());
        }
        return verify(envelope, expectedSm3);
    }

    /** Verifies an envelope without a digest check. */
    public Result verify(Envelope envelope) {
        return verify(envelope, null);
    }

    /** Verifies an envelope; {@code expectedSm3} (lowercase or uppercase hex) may be null to skip the digest check. */
    public Result verify(Envelope envelope, String expectedSm3) {
        if (!TYPE.equals(envelope.type())) {
            return new Refused(Refusal.WRONG_TYPE, "envelope type is " + envelope.type() + ", expected " + TYPE);
        }
        // the payload (the bulk of a bundle) is canonicalised once: for the signatures, the envelope SM3 and the bundle
        byte[] canonicalPayload = Json.canonical(envelope.payload());
        Envelope.Verification v = envelope.verify((keyId, role) ->
                ROLE.equals(role) && platformKeyId.equals(keyId) ? platformKey : null, canonicalPayload);
        if (!v.ok()) {
            Refusal reason = switch (v.code()) {
                case "NO_SIGNATURE" -> Refusal.NO_SIGNATURE;
                case "UNKNOWN_KEY" -> Refusal.UNKNOWN_KEY;
                default -> Refusal.BAD_SIGNATURE;
            };
            return new Refused(reason, v.detail());
        }
        String sm3 = envelope.sm3(canonicalPayload);
        if (expectedSm3 != null && !sm3.equals(expectedSm3.toLowerCase(Locale.ROOT))) {
            return new Refused(Refusal.SM3_MISMATCH, "envelope SM3 is " + sm3 + ", expected " + expectedSm3);
        }
        try {
            return new Verified(StandardsParser.parse(envelope.payload(), canonicalPayload), sm3);
        } catch (JsonValidationException e) {
            String path = e.path().startsWith("(") ? "payload" : "payload." + e.path();
            return new Refused(Refusal.INVALID_PAYLOAD, path + ": " + e.problem());
        }
    }
}
