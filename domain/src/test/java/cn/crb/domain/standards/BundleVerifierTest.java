package cn.crb.domain.standards;

import cn.crb.domain.Examples;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BundleVerifierTest {
    private static final KeyPair PLATFORM = Sm2.generate();
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private final BundleVerifier verifier = new BundleVerifier(PLATFORM.getPublic());

    private static Envelope signed(ObjectNode payload, KeyPair key, String role) {
        return Envelope.unsigned(BundleVerifier.TYPE, payload).sign(key.getPrivate(), key.getPublic(), role, AT);
    }

    private static BundleVerifier.Refusal refusal(BundleVerifier.Result r) {
        assertThat(r).isInstanceOf(BundleVerifier.Refused.class);
        return ((BundleVerifier.Refused) r).reason();
    }

    @Test
    void goodSignatureYieldsTheBundle() {
        Envelope e = signed(Examples.standardsJson(), PLATFORM, "PLATFORM");
        BundleVerifier.Result r = verifier.verify(e, e.sm3());
        assertThat(r).isInstanceOfSatisfying(BundleVerifier.Verified.class, v -> {
            assertThat(v.bundle().version()).hasToString("2026.1");
            assertThat(v.envelopeSm3()).isEqualTo(e.sm3());
        });
        // the same through JSON, without an expected SM3
        assertThat(verifier.verify(Json.parse(Json.write(e.toJson())), null)).isInstanceOf(BundleVerifier.Verified.class);
    }

    @Test
    void wrongKeyOrRoleIsRefused() {
        assertThat(refusal(verifier.verify(signed(Examples.standardsJson(), Sm2.generate(), "PLATFORM"))))
                .isEqualTo(BundleVerifier.Refusal.UNKNOWN_KEY);
        assertThat(refusal(verifier.verify(signed(Examples.standardsJson(), PLATFORM, "REVIEWER"))))
                .isEqualTo(BundleVerifier.Refusal.UNKNOWN_KEY);
    }

    @Test
    void tamperedPayloadIsRefused() {
        Envelope e = signed(Examples.standardsJson(), PLATFORM, "PLATFORM");
        ObjectNode changed = Examples.standardsJson();
        changed.withObject("limits").put("maxShareOfProgramme", "0.9");
        assertThat(refusal(verifier.verify(new Envelope(e.type(), changed, e.signatures())))).isEqualTo(BundleVerifier.Refusal.BAD_SIGNATURE);
    }

    /** A forger who copies the platform's keyId into the envelope but signs with their own key. */
    @Test
    void signatureByAnotherKeyClaimingThePlatformKeyIdIsRefused() {
        KeyPair forger = Sm2.generate();
        String platformKeyId = Sm2.keyId(PLATFORM.getPublic());
        Envelope unsigned = Envelope.unsigned(BundleVerifier.TYPE, Examples.standardsJson());
        String signedAt = Envelope.timestamp(AT);
        String forged = Sm2.signBase64(forger.getPrivate(), unsigned.signingInput("PLATFORM", platformKeyId, signedAt));
        Envelope e = new Envelope(unsigned.type(), unsigned.payload(),
                List.of(new Envelope.Signature("SM2-SM3", platformKeyId, "PLATFORM", signedAt, forged)));
        assertThat(refusal(verifier.verify(e, e.sm3()))).isEqualTo(BundleVerifier.Refusal.BAD_SIGNATURE);

        // a genuine platform signature does not vouch for an extra signature by another key
        Envelope both = signed(Examples.standardsJson(), PLATFORM, "PLATFORM").sign(forger.getPrivate(), forger.getPublic(), "PLATFORM", AT);
        assertThat(refusal(verifier.verify(both))).isEqualTo(BundleVerifier.Refusal.UNKNOWN_KEY);
        // nor is a genuine signature of another payload transplanted onto this one
        ObjectNode other = Examples.standardsJson();
        other.put("effectiveUntil", "2026-12-31");
        Envelope genuine = signed(other, PLATFORM, "PLATFORM");
        Envelope transplanted = new Envelope(BundleVerifier.TYPE, Examples.standardsJson(), genuine.signatures());
        assertThat(refusal(verifier.verify(transplanted))).isEqualTo(BundleVerifier.Refusal.BAD_SIGNATURE);
    }

    /**
     * One byte changed anywhere in the payload's serialised text (a letter or digit replaced by another): whenever
     * the result is still JSON, the bundle is refused. Whitespace is not tried: RFC 8785 ignores it by design.
     */
    @Test
    void oneByteChangedInThePayloadIsRefused() {
        Envelope e = signed(Examples.standardsJson(), PLATFORM, "PLATFORM");
        byte[] text = Json.write(e.toJson()).getBytes(StandardCharsets.UTF_8);
        String asText = new String(text, StandardCharsets.UTF_8);
        int from = asText.indexOf("\"payload\":{") + "\"payload\":".length();
        int to = asText.indexOf(",\"signatures\":");
        assertThat(from).isPositive();
        assertThat(to).isGreaterThan(from);
        assertThat(verifier.verify(Json.parse(text), null)).isInstanceOf(BundleVerifier.Verified.class);
        Random r = new Random(20260101L);
        int tried = 0;
        for (int attempt = 0; attempt < 2000 && tried < 150; attempt++) {
            int at = from + r.nextInt(to - from);
            byte b = text[at];
            if (!Character.isLetterOrDigit(b) || b < 0) continue;
            byte[] forged = text.clone();
            forged[at] = (byte) (Character.isDigit(b) ? '0' + (b - '0' + 1 + r.nextInt(9)) % 10 : (b == 'x' ? 'y' : 'x'));
            JsonNode json;
            try {
                json = Json.parse(forged);
            } catch (Json.MalformedJsonException notJsonAnyMore) {
                continue;
            }
            tried++;
            assertThat(verifier.verify(json, null)).as("byte %d '%c' -> '%c'", at, (char) b, (char) forged[at]).isInstanceOf(BundleVerifier.Refused.class);
        }
        assertThat(tried).isGreaterThanOrEqualTo(100);
        // and a one-digit change of a limit, explicitly
        String limit = asText.replace("\"maxShareOfProgramme\":\"0.4\"", "\"maxShareOfProgramme\":\"0.9\"");
        assertThat(limit).isNotEqualTo(asText);
        assertThat(refusal(verifier.verify(Json.parse(limit), null))).isEqualTo(BundleVerifier.Refusal.BAD_SIGNATURE);
    }

    @Test
    void wrongSm3IsRefused() {
        Envelope e = signed(Examples.standardsJson(), PLATFORM, "PLATFORM");
        BundleVerifier.Result r = verifier.verify(e, "00".repeat(32));
        assertThat(refusal(r)).isEqualTo(BundleVerifier.Refusal.SM3_MISMATCH);
        assertThat(((BundleVerifier.Refused) r).message()).contains(e.sm3());
        assertThat(verifier.verify(e, e.sm3().toUpperCase())).isInstanceOf(BundleVerifier.Verified.class);
    }

    @Test
    void wrongTypeUnsignedMalformedAndInvalidPayloadAreRefused() {
        Envelope decision = Envelope.unsigned("creditbank.decision/1", Examples.standardsJson())
                .sign(PLATFORM.getPrivate(), PLATFORM.getPublic(), "PLATFORM", AT);
        assertThat(refusal(verifier.verify(decision))).isEqualTo(BundleVerifier.Refusal.WRONG_TYPE);
        assertThat(refusal(verifier.verify(Envelope.unsigned(BundleVerifier.TYPE, Examples.standardsJson()))))
                .isEqualTo(BundleVerifier.Refusal.NO_SIGNATURE);
        assertThat(refusal(verifier.verify(Json.parse("{\"type\":\"x\"}"), null))).isEqualTo(BundleVerifier.Refusal.MALFORMED_ENVELOPE);
        ObjectNode bad = Examples.standardsJson();
        bad.withObject("limits").put("roundingStep", new java.math.BigDecimal("0.5"));
        BundleVerifier.Result r = verifier.verify(signed(bad, PLATFORM, "PLATFORM"));
        assertThat(refusal(r)).isEqualTo(BundleVerifier.Refusal.INVALID_PAYLOAD);
        assertThat(((BundleVerifier.Refused) r).message()).startsWith("payload.limits.roundingStep: must be a decimal written as a string");
    }
}
