package cn.crb.domain.crypto;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EnvelopeTest {

    private static ObjectNode decision() {
        ObjectNode p = Json.object();
        p.put("caseId", "C-2026-000123");
        p.put("caseRevision", 3);
        p.put("verdict", "APPROVE");
        p.put("totalGranted", "7.5");
        p.put("comment", "同意转换");
        return p;
    }

    @Test
    void signedEnvelopeVerifiesAndAnyChangeBreaksIt() {
        KeyPair kp = Sm2.generate();
        Envelope e = Envelope.unsigned("creditbank.decision/1", decision())
                .sign(kp.getPrivate(), kp.getPublic(), "REVIEWER", Instant.parse("2026-11-23T08:15:02.123456Z"));
        assertThat(e.signatures().getFirst().signedAt()).isEqualTo("2026-11-23T08:15:02.123Z");
        assertThat(e.signatures().getFirst().keyId()).hasSize(64).isEqualTo(Sm2.keyId(kp.getPublic()));
        assertThat(e.verify((id, role) -> "REVIEWER".equals(role) ? kp.getPublic() : null).ok()).isTrue();

        // role not allowed for that key -> unknown key
        assertThat(e.verify((id, role) -> null).code()).isEqualTo("UNKNOWN_KEY");
        // a changed payload
        ObjectNode changed = decision();
        changed.put("totalGranted", "8");
        Envelope tampered = new Envelope(e.type(), changed, e.signatures());
        assertThat(tampered.verify((id, role) -> kp.getPublic()).code()).isEqualTo("BAD_SIGNATURE");
        // a signature moved to another type of document
        Envelope moved = new Envelope("creditbank.vote/1", e.payload(), e.signatures());
        assertThat(moved.verify((id, role) -> kp.getPublic()).ok()).isFalse();
        // round trip through JSON keeps identity
        Envelope back = Envelope.fromJson(Json.parse(Json.write(e.toJson())));
        assertThat(back.sm3()).isEqualTo(e.sm3());
    }

    @Test
    void pemRoundTripKeepsKeyId() {
        KeyPair kp = Sm2.generate();
        assertThat(Sm2.keyId(Sm2.fromPem(Sm2.toPem(kp.getPublic())))).isEqualTo(Sm2.keyId(kp.getPublic()));
    }

    @Test
    void sm3KnownAnswer() {
        // GB/T 32905 example: SM3("abc")
        assertThat(Sm3.hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    @Test
    void canonicalBytesFollowRfc8785() {
        ObjectNode o = Json.object();
        o.put("b", "2");
        o.put("a", "中文");
        o.put("n", 10);
        assertThat(Json.canonicalString(o)).isEqualTo("{\"a\":\"中文\",\"b\":\"2\",\"n\":10}");
    }

    /** An independent implementation (OpenSSL 3) verifies our signature, as contract 01 asks. */
    @Test
    void openSslVerifiesOurSignature(@TempDir Path dir) throws Exception {
        assumeTrue(openSslHasSm2(), "openssl with SM2 not available");
        KeyPair kp = Sm2.generate();
        Envelope e = Envelope.unsigned("creditbank.decision/1", decision())
                .sign(kp.getPrivate(), kp.getPublic(), "REVIEWER", Instant.now());
        Envelope.Signature s = e.signatures().getFirst();
        Files.write(dir.resolve("payload.jcs"), e.signingInput(s.role(), s.keyId(), s.signedAt()));
        Files.write(dir.resolve("sig.der"), Base64.getDecoder().decode(s.value()));
        Files.writeString(dir.resolve("pub.pem"), Sm2.toPem(kp.getPublic()));
        Process p = new ProcessBuilder("openssl", "dgst", "-sm3", "-verify", "pub.pem",
                "-sigopt", "distid:1234567812345678", "-signature", "sig.der", "payload.jcs")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("Verified OK");
        assertThat(p.exitValue()).isZero();
    }

    private static boolean openSslHasSm2() {
        try {
            Process p = new ProcessBuilder("openssl", "list", "-digest-algorithms").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && out.toUpperCase().contains("SM3");
        } catch (Exception e) {
            return false;
        }
    }
}
