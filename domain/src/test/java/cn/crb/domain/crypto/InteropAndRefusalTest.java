package cn.crb.domain.crypto;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Contract 01 from the other side: a signature made by an independent implementation (OpenSSL 3) verifies in the
 * workstation, and the three interoperability pitfalls the contract names — raw r‖s instead of DER, another signer ID,
 * the message hashed before signing — are refused, as is DER that is not strict (BER lengths, padding, trailing bytes).
 */
class InteropAndRefusalTest {
    private static final String ROLE = "REVIEWER";
    private static final String SIGNED_AT = "2026-11-23T08:15:02.123Z";

    private static Envelope unsigned() {
        ObjectNode p = Json.object();
        p.put("caseId", "C-2026-000123");
        p.put("caseRevision", 3);
        p.put("verdict", "APPROVE");
        p.put("totalGranted", "7.5");
        p.put("comment", "同意转换");
        return Envelope.unsigned("creditbank.decision/1", p);
    }

    /** The envelope carrying {@code value} as its only signature by {@code key}, and whether it verifies. */
    private static boolean envelopeVerifies(PublicKey key, byte[] signatureValue) {
        String keyId = Sm2.keyId(key);
        Envelope e = new Envelope(unsigned().type(), unsigned().payload(),
                List.of(new Envelope.Signature("SM2-SM3", keyId, ROLE, SIGNED_AT, Base64.getEncoder().encodeToString(signatureValue))));
        return e.verify((id, role) -> id.equals(keyId) && ROLE.equals(role) ? key : null).ok();
    }

    private static byte[] input(PublicKey key) {
        return unsigned().signingInput(ROLE, Sm2.keyId(key), SIGNED_AT);
    }

    @Test
    void openSslMadeSignatureVerifiesInTheWorkstation(@TempDir Path dir) throws Exception {
        assumeTrue(openSslHasSm2(), "openssl with SM2 not available");
        run(dir, "openssl", "genpkey", "-algorithm", "SM2", "-out", "priv.pem");
        run(dir, "openssl", "pkey", "-in", "priv.pem", "-pubout", "-out", "pub.pem");
        PublicKey pub = Sm2.fromPem(Files.readString(dir.resolve("pub.pem")));
        Files.write(dir.resolve("payload.jcs"), input(pub));
        run(dir, "openssl", "dgst", "-sm3", "-sign", "priv.pem", "-sigopt", "distid:1234567812345678",
                "-out", "sig.der", "payload.jcs");
        byte[] sig = Files.readAllBytes(dir.resolve("sig.der"));
        assertThat(envelopeVerifies(pub, sig)).isTrue();

        // OpenSSL signing the same bytes under another signer ID: refused
        run(dir, "openssl", "dgst", "-sm3", "-sign", "priv.pem", "-sigopt", "distid:ALICE123@YAHOO.COM",
                "-out", "other-id.der", "payload.jcs");
        assertThat(envelopeVerifies(pub, Files.readAllBytes(dir.resolve("other-id.der")))).isFalse();
    }

    @Test
    void ourOwnSignatureVerifiesSoTheRefusalsBelowAreAboutTheirDefect() {
        KeyPair kp = Sm2.generate();
        assertThat(envelopeVerifies(kp.getPublic(), Sm2.sign(kp.getPrivate(), input(kp.getPublic())))).isTrue();
    }

    @Test
    void rawRsInsteadOfDerIsRefused() {
        KeyPair kp = Sm2.generate();
        byte[] der = Sm2.sign(kp.getPrivate(), input(kp.getPublic()));
        ASN1Sequence seq = ASN1Sequence.getInstance(der);
        byte[] raw = new byte[64];
        fixed(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), raw, 0);
        fixed(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue(), raw, 32);
        assertThat(envelopeVerifies(kp.getPublic(), raw)).isFalse();
    }

    @Test
    void theFastSignerAndBouncyCastlesJcaSignatureAgreeBothWays() throws Exception {
        // Sm2 signs and verifies on BouncyCastle's SM2 curve arithmetic directly; its JCA Signature is the reference
        KeyPair kp = Sm2.generate();
        byte[] message = input(kp.getPublic());
        Signature jca = Signature.getInstance("SM3withSM2", Sm2.BC);
        jca.setParameter(new SM2ParameterSpec(Sm2.DEFAULT_ID));
        jca.initVerify(kp.getPublic());
        jca.update(message);
        assertThat(jca.verify(Sm2.sign(kp.getPrivate(), message))).as("ours, checked by the JCA").isTrue();

        Signature signer = Signature.getInstance("SM3withSM2", Sm2.BC);
        signer.setParameter(new SM2ParameterSpec(Sm2.DEFAULT_ID));
        signer.initSign(kp.getPrivate(), new SecureRandom());
        signer.update(message);
        byte[] theirs = signer.sign();
        assertThat(Sm2.verify(kp.getPublic(), message, theirs)).as("the JCA's, checked by ours").isTrue();
        assertThat(Sm2.verify(Sm2.generate().getPublic(), message, theirs)).as("another key").isFalse();
        message[0] ^= 1;
        assertThat(Sm2.verify(kp.getPublic(), message, theirs)).as("another message").isFalse();
    }

    @Test
    void aKeyOnAnotherCurveIsRefused() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair p256 = g.generateKeyPair();
        KeyPair sm2 = Sm2.generate();
        byte[] message = input(sm2.getPublic());
        assertThat(Sm2.verify(p256.getPublic(), message, Sm2.sign(sm2.getPrivate(), message))).isFalse();
    }

    @Test
    void anotherSignerIdIsRefused() throws Exception {
        KeyPair kp = Sm2.generate();
        Signature s = Signature.getInstance("SM3withSM2", Sm2.BC);
        s.setParameter(new SM2ParameterSpec("ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII)));
        s.initSign(kp.getPrivate(), new SecureRandom());
        s.update(input(kp.getPublic()));
        assertThat(envelopeVerifies(kp.getPublic(), s.sign())).isFalse();
        // and no ID at all (BouncyCastle's plain SM3withSM2 uses the default; an empty ID is a different Z_A)
        Signature empty = Signature.getInstance("SM3withSM2", Sm2.BC);
        empty.setParameter(new SM2ParameterSpec(new byte[0]));
        empty.initSign(kp.getPrivate(), new SecureRandom());
        empty.update(input(kp.getPublic()));
        assertThat(envelopeVerifies(kp.getPublic(), empty.sign())).isFalse();
    }

    @Test
    void doubleHashedSignatureIsRefused() {
        KeyPair kp = Sm2.generate();
        byte[] hashedFirst = Sm3.digest(input(kp.getPublic()));
        byte[] sig = Sm2.sign(kp.getPrivate(), hashedFirst);
        assertThat(Sm2.verify(kp.getPublic(), hashedFirst, sig)).isTrue(); // a valid signature — of the wrong bytes
        assertThat(envelopeVerifies(kp.getPublic(), sig)).isFalse();
    }

    @Test
    void derThatIsNotStrictIsRefused() throws Exception {
        KeyPair kp = Sm2.generate();
        byte[] der = Sm2.sign(kp.getPrivate(), input(kp.getPublic()));
        ASN1Sequence seq = ASN1Sequence.getInstance(der);
        BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
        BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();

        byte[] trailing = Arrays.copyOf(der, der.length + 1);
        assertThat(envelopeVerifies(kp.getPublic(), trailing)).as("trailing byte").isFalse();

        // BER long-form length of the sequence (0x81 nn) where DER requires the short form
        byte[] body = Arrays.copyOfRange(der, 2, der.length);
        ByteArrayOutputStream ber = new ByteArrayOutputStream();
        ber.write(0x30);
        ber.write(0x81);
        ber.write(body.length);
        ber.writeBytes(body);
        assertThat(envelopeVerifies(kp.getPublic(), ber.toByteArray())).as("long-form length").isFalse();

        // an integer padded with a superfluous leading zero byte
        ByteArrayOutputStream padded = new ByteArrayOutputStream();
        byte[] rBytes = r.toByteArray();
        byte[] sBytes = s.toByteArray();
        padded.write(0x30);
        padded.write(2 + rBytes.length + 1 + 2 + sBytes.length);
        padded.write(0x02);
        padded.write(rBytes.length + 1);
        padded.write(0);
        padded.writeBytes(rBytes);
        padded.write(0x02);
        padded.write(sBytes.length);
        padded.writeBytes(sBytes);
        assertThat(envelopeVerifies(kp.getPublic(), padded.toByteArray())).as("padded integer").isFalse();

        // r and s swapped, and s replaced by n - s (a "malleated" value): both refused
        assertThat(envelopeVerifies(kp.getPublic(), KnownAnswerTest.der(s, r))).as("swapped").isFalse();
        BigInteger n = KnownAnswerTest.curve().getN();
        assertThat(envelopeVerifies(kp.getPublic(), KnownAnswerTest.der(r, n.subtract(s)))).as("n - s").isFalse();
    }

    private static void fixed(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, at + 32 - len, len);
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    private static boolean openSslHasSm2() {
        try {
            Process p = new ProcessBuilder("openssl", "list", "-public-key-algorithms").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.toUpperCase().contains("SM2");
        } catch (Exception e) {
            return false;
        }
    }
}
