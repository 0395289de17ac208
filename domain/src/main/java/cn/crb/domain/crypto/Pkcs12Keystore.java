package cn.crb.domain.crypto;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * The person's signing key in a PKCS#12 file protected by their passphrase.
 * The private key is encrypted with PBES2 (PBKDF2-HMAC-SHA256, {@link #ITERATIONS} iterations, AES-256-CBC)
 * and the file is integrity-protected with an HMAC-SHA256 MAC under the same iteration count; a self-signed
 * SM2 certificate carries the public key. Readable by OpenSSL 3 ({@code openssl pkcs12 -info}).
 */
public final class Pkcs12Keystore {
    public static final int ITERATIONS = 600_000;
    public static final String ALIAS = "crb-signing-key";

    private Pkcs12Keystore() {}

    /** The unlocked key pair of one person. */
    public record Unlocked(PrivateKey privateKey, PublicKey publicKey) {
        public String keyId() { return Sm2.keyId(publicKey); }
    }

    /** Raised when the passphrase does not open the keystore. */
    public static final class WrongPassphraseException extends Exception {
        public WrongPassphraseException() { super("wrong passphrase"); }
    }

    /** The keystore's private key does not belong to its certificate's public key: the file is refused. */
    public static final class MismatchedKeyException extends Sm2.CryptoException {
        public MismatchedKeyException() { super("the keystore's private key does not belong to its certificate", null); }
    }

    /** Whether {@code privateKey} is the private half of {@code publicKey}: a signature by the one verifies under the other. */
    static boolean pairs(PrivateKey privateKey, PublicKey publicKey) {
        byte[] probe = "crb keystore: the private key belongs to this certificate".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            return Sm2.verify(publicKey, probe, Sm2.sign(privateKey, probe));
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static byte[] create(KeyPair pair, String subjectName, char[] passphrase) {
        return create(pair, subjectName, passphrase, ITERATIONS);
    }

    public static byte[] create(KeyPair pair, String subjectName, char[] passphrase, int iterations) {
        if (!pairs(pair.getPrivate(), pair.getPublic())) throw new MismatchedKeyException();
        try {
            X500Name subject = new X500Name("CN=" + subjectName.replaceAll("[,+=\"\\\\<>;]", " "));
            Instant now = Instant.now();
            ContentSigner signer = new JcaContentSignerBuilder("SM3withSM2").setProvider(Sm2.BC).build(pair.getPrivate());
            X509CertificateHolder cert = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)), subject, pair.getPublic())
                    .build(signer);

            var encryptor = new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                    .setProvider(Sm2.BC)
                    .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, org.bouncycastle.asn1.DERNull.INSTANCE))
                    .setIterationCount(iterations)
                    .build(passphrase);
            PKCS12SafeBag keyBag = new JcaPKCS12SafeBagBuilder(pair.getPrivate(), encryptor)
                    .addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new org.bouncycastle.asn1.DERBMPString(ALIAS))
                    .addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId,
                            new org.bouncycastle.asn1.DEROctetString(Sm3.digest(pair.getPublic().getEncoded())))
                    .build();
            PKCS12SafeBag certBag = new JcaPKCS12SafeBagBuilder(new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                    .setProvider(Sm2.BC).getCertificate(cert))
                    .addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new org.bouncycastle.asn1.DERBMPString(ALIAS))
                    .addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId,
                            new org.bouncycastle.asn1.DEROctetString(Sm3.digest(pair.getPublic().getEncoded())))
                    .build();
            PKCS12PfxPdu pfx = new PKCS12PfxPduBuilder()
                    .addData(certBag)
                    .addData(keyBag)
                    .build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256).setProvider(Sm2.BC).setIterationCount(iterations), passphrase);
            return pfx.getEncoded();
        } catch (OperatorCreationException | GeneralSecurityException | IOException | PKCSException e) {
            throw new Sm2.CryptoException("could not create the keystore", e);
        }
    }

    public static Unlocked open(byte[] p12, char[] passphrase) throws WrongPassphraseException {
        try {
            PKCS12PfxPdu pfx = new PKCS12PfxPdu(p12);
            if (!pfx.hasMac() || !pfx.isMacValid(new org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilderProvider()
                    .setProvider(Sm2.BC), passphrase)) {
                throw new WrongPassphraseException();
            }
            KeyStore ks = KeyStore.getInstance("PKCS12", Sm2.BC);
            ks.load(new ByteArrayInputStream(p12), passphrase);
            String alias = ks.containsAlias(ALIAS) ? ALIAS : ks.aliases().nextElement();
            PrivateKey key = (PrivateKey) ks.getKey(alias, passphrase);
            Certificate cert = ks.getCertificate(alias);
            if (key == null || cert == null) throw new Sm2.CryptoException("the keystore holds no signing key", null);
            // the key id (who signs) comes from the certificate: a file pairing one person's private key with another's
            // certificate would let the first act in the second's name wherever the key id alone says who acts
            if (!pairs(key, cert.getPublicKey())) throw new MismatchedKeyException();
            return new Unlocked(key, cert.getPublicKey());
        } catch (UnrecoverableKeyException e) {
            throw new WrongPassphraseException();
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new WrongPassphraseException();
            }
            throw new Sm2.CryptoException("unreadable keystore: " + e.getMessage(), e);
        } catch (GeneralSecurityException | PKCSException e) {
            throw new Sm2.CryptoException("unreadable keystore: " + e.getMessage(), e);
        }
    }

    /**
     * The public key of the keystore's certificate, read without the passphrase: the certificate bag is stored
     * unencrypted (only the private key is under PBES2), as OpenSSL's {@code pkcs12 -nokeys -passin pass:} shows too.
     * Nothing secret is touched. Throws {@link Sm2.CryptoException} when the file holds no readable certificate.
     */
    public static PublicKey publicKey(byte[] p12) {
        try {
            PKCS12PfxPdu pfx = new PKCS12PfxPdu(p12);
            for (org.bouncycastle.asn1.pkcs.ContentInfo info : pfx.getContentInfos()) {
                if (!info.getContentType().equals(PKCSObjectIdentifiers.data)) continue; // encrypted bags need the passphrase
                for (PKCS12SafeBag bag : new org.bouncycastle.pkcs.PKCS12SafeBagFactory(info).getSafeBags()) {
                    if (bag.getBagValue() instanceof X509CertificateHolder cert) {
                        return new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().setProvider(Sm2.BC)
                                .getPublicKey(cert.getSubjectPublicKeyInfo());
                    }
                }
            }
            throw new Sm2.CryptoException("the keystore holds no readable certificate", null);
        } catch (IOException | RuntimeException e) {
            if (e instanceof Sm2.CryptoException c) throw c;
            throw new Sm2.CryptoException("unreadable keystore: " + e.getMessage(), e);
        }
    }
}
