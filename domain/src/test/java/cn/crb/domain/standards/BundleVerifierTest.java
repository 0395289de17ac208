package cn.crb.domain.standards;

import cn.crb.domain.Examples;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Instant;

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
