package cn.crb.sim;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * The simulator's TLS identity for {@code --tls}: an EC P-256 key and a self-signed certificate for
 * {@code 127.0.0.1} and {@code localhost}, made with BouncyCastle on first use and kept in the data directory
 * ({@code tls.p12}, a PKCS#12 file under a fixed password — a development tool's shortcut), so that its pin stays the
 * same across restarts. The workstation trusts it only through the pin (SPKI SHA-256), never through a CA.
 */
final class TlsIdentity {
    static final String FILE = "tls.p12";
    private static final char[] PASSWORD = "platform-sim".toCharArray();
    private static final String ALIAS = "platform-sim";

    private final KeyStore keyStore;
    private final X509Certificate certificate;

    private TlsIdentity(KeyStore keyStore, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    static TlsIdentity loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, PASSWORD);
                }
            } else {
                ks.load(null, null);
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
                KeyPair kp = g.generateKeyPair();
                Instant now = Instant.now();
                X500Name name = new X500Name("CN=platform-sim (development only)");
                var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic());
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                X509Certificate cert = new JcaX509CertificateConverter()
                        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
                ks.setKeyEntry(ALIAS, kp.getPrivate(), PASSWORD, new Certificate[] {cert});
                Path tmp = dataDir.resolve(FILE + ".tmp");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    ks.store(out, PASSWORD);
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new TlsIdentity(ks, (X509Certificate) ks.getCertificate(ALIAS));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot load or create the TLS identity in " + file + ": " + e.getMessage(), e);
        }
    }

    SSLContext sslContext() throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** {@code sha256/<base64>} of the certificate's SubjectPublicKeyInfo, as OkHttp's CertificatePinner writes pins. */
    String pin() {
        try {
            byte[] spki = certificate.getPublicKey().getEncoded();
            return "sha256/" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
