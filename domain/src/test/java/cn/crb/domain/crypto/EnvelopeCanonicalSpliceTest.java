package cn.crb.domain.crypto;

import cn.crb.domain.Generated;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signing input and envelope SM3 computed from the payload's canonical bytes (spliced in, used by
 * {@code BundleVerifier} so that a large bundle is canonicalised once) are byte for byte those of the reference
 * path that canonicalises the whole object.
 */
class EnvelopeCanonicalSpliceTest {
    private static final KeyPair KEY = Sm2.generate();

    static LongStream seeds() { return LongStream.range(0, 40); }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void splicedCanonicalBytesEqualTheReference(long seed) {
        Random r = new Random(seed);
        ObjectNode payload = Generated.bundle(r, Generated.Sizes.small(r));
        // awkward member names and strings: non-ASCII, escapes, names sorting around "payload"
        payload.put("pay", "\"quoted\" \\ back\\slash \u0001 \t tab 中文 \uD83D\uDE00");
        payload.put("payloadX", 12);
        payload.putObject("Z").put("€", "e").put("a", 1.5).put("ä", true);
        Envelope e = Envelope.unsigned(seed % 2 == 0 ? "creditbank.standards/1" : "x/\u00e9\"1", payload)
                .sign(KEY.getPrivate(), KEY.getPublic(), "PLATFORM", Instant.ofEpochMilli(1_770_000_000_000L + seed))
                .sign(KEY.getPrivate(), KEY.getPublic(), "REVIEWER\u2028", Instant.ofEpochMilli(1_770_000_000_000L));
        byte[] canonicalPayload = Json.canonical(payload);
        for (Envelope.Signature s : e.signatures()) {
            assertThat(e.signingInput(canonicalPayload, s.role(), s.keyId(), s.signedAt()))
                    .isEqualTo(e.signingInput(s.role(), s.keyId(), s.signedAt()));
        }
        assertThat(e.sm3(canonicalPayload)).isEqualTo(e.sm3());
        assertThat(e.canonicalBytes(canonicalPayload)).isEqualTo(cn.crb.domain.json.Json.canonical(e.toJson()));
        assertThat(e.verify((keyId, role) -> KEY.getPublic()).ok()).isTrue();
        assertThat(e.verify((keyId, role) -> KEY.getPublic(), canonicalPayload).ok()).isTrue();
    }
}
