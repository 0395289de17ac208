package cn.crb.sync;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the pinning trust manager accepts in the TLS handshake: the handshake proves only that the server holds the key
 * of the chain's first certificate, so a pinned certificate counts only when it is that one or signed it through CAs.
 */
class PinTrustTest {
    private record Issued(KeyPair keys, X509Certificate cert) {}

    private static Issued issue(String cn, boolean ca, Issued by, Duration validFor) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair kp = g.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + cn);
        X500Name issuer = by == null ? subject : new X500Name(by.cert().getSubjectX500Principal().getName());
        var b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(2))),
                Date.from(now.plus(validFor)), subject, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build((by == null ? kp : by.keys()).getPrivate());
        return new Issued(kp, new JcaX509CertificateConverter().getCertificate(b.build(signer)));
    }

    private static HttpTransport.PinTrust pinning(X509Certificate... pinned) {
        return new HttpTransport.PinTrust(java.util.Arrays.stream(pinned).map(HttpTransport::pinOf).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void thePinnedServerCertificateOrOneIssuedByAPinnedAuthorityIsTrusted() throws Exception {
        Issued platform = issue("platform", false, null, Duration.ofDays(365));
        assertThatCode(() -> pinning(platform.cert()).checkServerTrusted(new X509Certificate[] {platform.cert()}, "ECDHE_ECDSA")).doesNotThrowAnyException();

        Issued ca = issue("platform CA", true, null, Duration.ofDays(3650));
        Issued server = issue("platform server", false, ca, Duration.ofDays(90));
        assertThatCode(() -> pinning(ca.cert()).checkServerTrusted(new X509Certificate[] {server.cert(), ca.cert()}, "ECDHE_ECDSA")).doesNotThrowAnyException();
    }

    @Test
    void thePlatformsCertificateSentAlongWithSomebodyElsesIsRefused() throws Exception {
        Issued platform = issue("platform", false, null, Duration.ofDays(365));
        Issued attacker = issue("platform", false, null, Duration.ofDays(365)); // same name, the attacker's own key
        assertThatThrownBy(() -> pinning(platform.cert()).checkServerTrusted(new X509Certificate[] {attacker.cert(), platform.cert()}, "ECDHE_ECDSA"))
                .isInstanceOf(HttpTransport.PinMismatchException.class);

        // a pinned CA that did not sign the server's certificate, and a pinned certificate that is no CA, vouch for nothing
        Issued ca = issue("platform CA", true, null, Duration.ofDays(3650));
        Issued other = issue("platform CA", true, null, Duration.ofDays(3650));
        Issued forged = issue("platform server", false, other, Duration.ofDays(90));
        assertThatThrownBy(() -> pinning(ca.cert()).checkServerTrusted(new X509Certificate[] {forged.cert(), ca.cert()}, "ECDHE_ECDSA"))
                .isInstanceOf(HttpTransport.PinMismatchException.class);
        Issued notCa = issue("platform", false, null, Duration.ofDays(365));
        Issued underNotCa = issue("platform server", false, notCa, Duration.ofDays(90));
        assertThatThrownBy(() -> pinning(notCa.cert()).checkServerTrusted(new X509Certificate[] {underNotCa.cert(), notCa.cert()}, "ECDHE_ECDSA"))
                .isInstanceOf(HttpTransport.PinMismatchException.class);
    }

    @Test
    void theChainMayComeInAnyOrderAndAPinnedIntermediateIsEnough() throws Exception {
        Issued root = issue("root CA", true, null, Duration.ofDays(3650));
        Issued intermediate = issue("platform CA", true, root, Duration.ofDays(1000));
        Issued server = issue("platform server", false, intermediate, Duration.ofDays(90));
        assertThatCode(() -> pinning(intermediate.cert()).checkServerTrusted(new X509Certificate[] {server.cert(), root.cert(), intermediate.cert()}, "ECDHE_ECDSA"))
                .doesNotThrowAnyException();
        assertThatCode(() -> pinning(root.cert()).checkServerTrusted(new X509Certificate[] {server.cert(), root.cert(), intermediate.cert()}, "ECDHE_ECDSA"))
                .doesNotThrowAnyException();
        // the root pinned but the intermediate not sent: nothing links the server's certificate to it
        assertThatThrownBy(() -> pinning(root.cert()).checkServerTrusted(new X509Certificate[] {server.cert(), root.cert()}, "ECDHE_ECDSA"))
                .isInstanceOf(HttpTransport.PinMismatchException.class);
    }

    @Test
    void anExpiredPinnedAuthorityIsSaidToBeExpired() throws Exception {
        Issued ca = issue("platform CA", true, null, Duration.ofDays(-1));
        Issued server = issue("platform server", false, ca, Duration.ofDays(90));
        assertThatThrownBy(() -> pinning(ca.cert()).checkServerTrusted(new X509Certificate[] {server.cert(), ca.cert()}, "ECDHE_ECDSA"))
                .isInstanceOf(java.security.cert.CertificateException.class).hasMessageContaining("is not valid now");
    }

    @Test
    void anExpiredServerCertificateIsRefusedEvenWhenPinned() throws Exception {
        Issued old = issue("platform", false, null, Duration.ofDays(-1));
        assertThatThrownBy(() -> pinning(old.cert()).checkServerTrusted(new X509Certificate[] {old.cert()}, "ECDHE_ECDSA"))
                .isInstanceOf(java.security.cert.CertificateExpiredException.class);
    }

    @Test
    void anEmptyChainIsRefused() {
        assertThatThrownBy(() -> new HttpTransport.PinTrust(Set.of()).checkServerTrusted(new X509Certificate[0], "ECDHE_ECDSA"))
                .hasMessageContaining("no certificate");
    }
}
