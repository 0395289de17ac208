package cn.crb.domain.crypto;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveGenParameterSpec;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;

/**
 * SM2 key pairs and the SM2-SM3 signature of contract 01: default signer ID {@code 1234567812345678},
 * DER-encoded {@code SEQUENCE {r, s}}, the message handed whole to the signer (which computes SM3(Z_A ‖ M)).
 */
public final class Sm2 {
    public static final Provider BC = new BouncyCastleProvider();
    public static final byte[] DEFAULT_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sm2() {}

    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECNamedCurveGenParameterSpec("sm2p256v1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("SM2 key generation failed", e);
        }
    }

    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance("SM3withSM2", BC);
            s.setParameter(new SM2ParameterSpec(DEFAULT_ID));
            s.initSign(key, RANDOM);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("SM2 signing failed", e);
        }
    }

    public static boolean verify(PublicKey key, byte[] message, byte[] derSignature) {
        try {
            Signature s = Signature.getInstance("SM3withSM2", BC);
            s.setParameter(new SM2ParameterSpec(DEFAULT_ID));
            s.initVerify(key);
            s.update(message);
            return s.verify(derSignature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    public static String signBase64(PrivateKey key, byte[] message) {
        return Base64.getEncoder().encodeToString(sign(key, message));
    }

    public static boolean verifyBase64(PublicKey key, byte[] message, String base64) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return verify(key, message, der);
    }

    /** keyId = lowercase hex SM3 of the DER SubjectPublicKeyInfo. */
    public static String keyId(PublicKey key) {
        return Sm3.hex(key.getEncoded());
    }

    public static String toPem(PublicKey key) {
        StringWriter w = new StringWriter();
        try (PemWriter pw = new PemWriter(w)) {
            pw.writeObject(new PemObject("PUBLIC KEY", key.getEncoded()));
        } catch (IOException e) {
            throw new CryptoException("PEM encoding failed", e);
        }
        return w.toString();
    }

    public static PublicKey fromPem(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (!(o instanceof SubjectPublicKeyInfo spki)) {
                throw new CryptoException("not a PEM public key", null);
            }
            return new JcaPEMKeyConverter().setProvider(BC).getPublicKey(spki);
        } catch (IOException e) {
            throw new CryptoException("unreadable PEM public key", e);
        }
    }

    /** A failure of a cryptographic primitive or of key material. */
    public static final class CryptoException extends RuntimeException {
        public CryptoException(String message, Throwable cause) { super(message, cause); }
    }
}
