package cn.crb.domain.crypto;

import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
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
        KeptSigner kept = lastSigner;
        SM2Signer s = kept == null ? null : kept.signerOf(key);
        if (s == null) {
            ECPrivateKeyParameters d = privateParameters(key);
            if (d == null) return signJca(key, message);
            s = new SM2Signer();
            s.init(true, new ParametersWithID(new ParametersWithRandom(d, RANDOM), DEFAULT_ID));
            keep(key, s);
        }
        synchronized (s) { // a signer resets itself (digest primed with Z_A) after each signature
            s.update(message, 0, message.length);
            try {
                return s.generateSignature();
            } catch (org.bouncycastle.crypto.CryptoException e) {
                throw new CryptoException("SM2 signing failed", e);
            }
        }
    }

    /**
     * The signer of the key object that signed last, ready with its Z_A: initialising a signer computes the public
     * point from the private scalar, as long again as the signature itself. The key object is held weakly and matched
     * by identity (key equality would rebuild its curve parameters each time), and a cleaner drops the signer once the key
     * object is unreachable, so the signer lives no longer than the key object the person unlocked, and holds the same
     * scalar, nothing more. A panel's members alternating simply
     * initialise a new one.
     */
    private record KeptSigner(java.lang.ref.WeakReference<PrivateKey> key, SM2Signer signer, Holder holder) {
        SM2Signer signerOf(PrivateKey k) { return key.get() == k ? signer : null; }
    }

    private static volatile KeptSigner lastSigner;
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    /**
     * Keeps {@code s} for the next signature with {@code key}. The signer holds the private scalar: a cleaner drops it
     * once the key object is unreachable, and the signer it replaces is dropped at once (its cleaning action, which
     * refers to it, deregistered), so at most one signer is ever kept.
     */
    private static synchronized void keep(PrivateKey key, SM2Signer s) {
        KeptSigner previous = lastSigner;
        Holder holder = new Holder();
        KeptSigner k = new KeptSigner(new java.lang.ref.WeakReference<>(key), s, holder);
        holder.cleanable = CLEANER.register(key, new Forget(new java.lang.ref.WeakReference<>(k)));
        lastSigner = k;
        if (previous != null && previous.holder().cleanable != null) previous.holder().cleanable.clean();
    }

    private static final class Holder {
        java.lang.ref.Cleaner.Cleanable cleanable;
    }

    /** The cleaning action: refers to the kept signer weakly, so that it keeps nothing alive itself. */
    private record Forget(java.lang.ref.WeakReference<KeptSigner> kept) implements Runnable {
        @Override
        public void run() {
            synchronized (Sm2.class) {
                KeptSigner k = kept.get();
                if (k != null && lastSigner == k) lastSigner = null;
            }
        }
    }

    /** Whether a signer (and with it a private scalar) is kept from an earlier signature. For tests. */
    static boolean keepsASigner() { return lastSigner != null; }

    public static boolean verify(PublicKey key, byte[] message, byte[] derSignature) {
        // BouncyCastle's JCA verification: 0.08 ms here, against 0.16 ms through SM2Signer (measured 2026-11-26)
        return verifyJca(key, message, derSignature);
    }

    /*
     * Signing goes through BouncyCastle's lightweight SM2Signer on the curve with SM2's own field
     * arithmetic (CustomNamedCurves). BouncyCastle's JCA Signature for SM3withSM2 computes the same signatures, but
     * measured here at 0.33 ms and 555 KB allocated per signature, against 0.09 ms and 106 KB with a kept signer
     * (0.18 ms and 205 KB for a key's first signature); the allocation is what made the collector pause inside a
     * reviewer's signing (docs/performance.md, "Sign and queue"). Keys that are not SM2 EC keys take the JCA path.
     */
    private static final org.bouncycastle.asn1.x9.X9ECParameters CURVE = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("sm2p256v1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    /** The key as SM2 parameters on the fast curve, or null when it is not an SM2 EC private key. */
    private static ECPrivateKeyParameters privateParameters(PrivateKey key) {
        if (key instanceof java.security.interfaces.ECPrivateKey ec && isSm2(ec.getParams())) {
            return new ECPrivateKeyParameters(ec.getS(), DOMAIN);
        }
        return null;
    }

    private static boolean isSm2(java.security.spec.ECParameterSpec p) {
        return p != null && p.getCurve().getField() instanceof java.security.spec.ECFieldFp f
                && f.getP().equals(DOMAIN.getCurve().getField().getCharacteristic())
                && p.getCurve().getA().equals(DOMAIN.getCurve().getA().toBigInteger())
                && p.getCurve().getB().equals(DOMAIN.getCurve().getB().toBigInteger())
                && p.getOrder().equals(DOMAIN.getN())
                && p.getGenerator().getAffineX().equals(DOMAIN.getG().getAffineXCoord().toBigInteger())
                && p.getGenerator().getAffineY().equals(DOMAIN.getG().getAffineYCoord().toBigInteger());
    }

    private static byte[] signJca(PrivateKey key, byte[] message) {
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

    private static boolean verifyJca(PublicKey key, byte[] message, byte[] derSignature) {
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
    public static class CryptoException extends RuntimeException {
        public CryptoException(String message, Throwable cause) { super(message, cause); }
    }
}
