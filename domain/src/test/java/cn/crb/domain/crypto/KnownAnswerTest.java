package cn.crb.domain.crypto;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Published known-answer vectors for the primitives under contract 01: SM3 (GB/T 32905 appendix A), SM4 (GB/T 32907
 * appendix A) and the SM2 signature example of GM/T 0003.5-2012 annex A on the recommended curve sm2p256v1
 * (the same vector OpenSSL's {@code test/sm2_internal_test.c} uses).
 */
class KnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void sm3OfAbc() {
        assertThat(Sm3.hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    @Test
    void sm3OfSixtyFourBytes() {
        assertThat(Sm3.hex("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
    }

    @Test
    void sm4OneBlock() {
        byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
        byte[] out = new byte[16];
        SM4Engine e = new SM4Engine();
        e.init(true, new KeyParameter(key));
        e.processBlock(key, 0, out, 0);
        assertThat(HEX.formatHex(out)).isEqualTo("681edf34d206965e86b3e94f536e4246");
        SM4Engine d = new SM4Engine();
        d.init(false, new KeyParameter(key));
        byte[] back = new byte[16];
        d.processBlock(out, 0, back, 0);
        assertThat(back).isEqualTo(key);
    }

    /** GB/T 32907 example 2: the same plaintext encrypted 1,000,000 times under the same key. */
    @Test
    void sm4MillionTimes() {
        byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
        byte[] block = key.clone();
        SM4Engine e = new SM4Engine();
        e.init(true, new KeyParameter(key));
        for (int i = 0; i < 1_000_000; i++) e.processBlock(block, 0, block, 0);
        assertThat(HEX.formatHex(block)).isEqualTo("595298c7c6fd271f0402f804c33d3f66");
    }

    // GM/T 0003.5-2012 annex A (recommended curve), signer ID 1234567812345678, message "message digest"
    static final String D = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8";
    static final String XA = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020";
    static final String YA = "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13";
    static final String ZA = "B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3";
    static final String E = "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640";
    static final String R = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3";
    static final String S = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA";
    static final byte[] MESSAGE = "message digest".getBytes(StandardCharsets.US_ASCII);

    static X9ECParameters curve() {
        return GMNamedCurves.getByName("sm2p256v1");
    }

    static PublicKey publicKey(ECPoint q) throws Exception {
        X9ECParameters c = curve();
        return KeyFactory.getInstance("EC", Sm2.BC).generatePublic(new ECPublicKeySpec(q,
                new ECParameterSpec(c.getCurve(), c.getG(), c.getN(), c.getH())));
    }

    static byte[] der(BigInteger r, BigInteger s) throws Exception {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(r));
        v.add(new ASN1Integer(s));
        return new DERSequence(v).getEncoded("DER");
    }

    @Test
    void sm2PublicKeyDerivedFromThePrivateKeyIsThePublishedOne() {
        ECPoint q = curve().getG().multiply(new BigInteger(D, 16)).normalize();
        assertThat(q.getAffineXCoord().toBigInteger()).isEqualTo(new BigInteger(XA, 16));
        assertThat(q.getAffineYCoord().toBigInteger()).isEqualTo(new BigInteger(YA, 16));
    }

    /** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), then e = SM3(Z_A ‖ M): the signer ID really goes in. */
    @Test
    void sm2ZaAndDigestMatchThePublishedIntermediateValues() {
        X9ECParameters c = curve();
        byte[] entl = {0, (byte) (Sm2.DEFAULT_ID.length * 8)};
        byte[] za = Sm3.digest(entl, Sm2.DEFAULT_ID, c.getCurve().getA().getEncoded(), c.getCurve().getB().getEncoded(),
                c.getG().getAffineXCoord().getEncoded(), c.getG().getAffineYCoord().getEncoded(), HEX.parseHex(XA), HEX.parseHex(YA));
        assertThat(HEX.formatHex(za)).isEqualToIgnoringCase(ZA);
        assertThat(HEX.formatHex(Sm3.digest(za, MESSAGE))).isEqualToIgnoringCase(E);
    }

    @Test
    void sm2PublishedSignatureVerifies() throws Exception {
        PublicKey pub = publicKey(curve().getCurve().createPoint(new BigInteger(XA, 16), new BigInteger(YA, 16)));
        byte[] sig = der(new BigInteger(R, 16), new BigInteger(S, 16));
        assertThat(Sm2.verify(pub, MESSAGE, sig)).isTrue();
        // and nothing else does: another message, or s changed by one
        assertThat(Sm2.verify(pub, "message digesT".getBytes(StandardCharsets.US_ASCII), sig)).isFalse();
        assertThat(Sm2.verify(pub, MESSAGE, der(new BigInteger(R, 16), new BigInteger(S, 16).add(BigInteger.ONE)))).isFalse();
    }
}
