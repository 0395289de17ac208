package cn.crb.domain.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KeyMaterialTest {
    private static final char[] PASS = "正确的口令 horse battery 42".toCharArray();

    @Test
    void keystoreOpensWithItsPassphraseOnlyAndSignsWithTheSameKey() throws Exception {
        KeyPair kp = Sm2.generate();
        byte[] p12 = Pkcs12Keystore.create(kp, "审核员 张三", PASS, 2_000);
        Pkcs12Keystore.Unlocked u = Pkcs12Keystore.open(p12, PASS);
        assertThat(u.keyId()).isEqualTo(Sm2.keyId(kp.getPublic()));
        byte[] sig = Sm2.sign(u.privateKey(), "m".getBytes(StandardCharsets.UTF_8));
        assertThat(Sm2.verify(kp.getPublic(), "m".getBytes(StandardCharsets.UTF_8), sig)).isTrue();
        assertThatThrownBy(() -> Pkcs12Keystore.open(p12, "wrong passphrase!!".toCharArray()))
                .isInstanceOf(Pkcs12Keystore.WrongPassphraseException.class);
    }

    @Test
    void aKeyFilePairingOnePersonsPrivateKeyWithAnothersCertificateIsRefused() throws Exception {
        java.security.KeyPair a = Sm2.generate(), b = Sm2.generate();
        // the certificate is readable without a passphrase (crb key export writes the key too): A takes B's and puts it
        // beside A's own private key under A's passphrase, to act in B's name wherever the key id says who acts
        java.security.KeyStore bs = java.security.KeyStore.getInstance("PKCS12", Sm2.BC);
        bs.load(new java.io.ByteArrayInputStream(Pkcs12Keystore.create(b, "B", PASS, 2_000)), PASS);
        java.security.cert.Certificate bCert = bs.getCertificate(Pkcs12Keystore.ALIAS);
        char[] aPass = "A's own passphrase 2026".toCharArray();
        java.security.KeyStore forged = java.security.KeyStore.getInstance("PKCS12", Sm2.BC);
        forged.load(null, null);
        forged.setKeyEntry(Pkcs12Keystore.ALIAS, a.getPrivate(), aPass, new java.security.cert.Certificate[]{bCert});
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        forged.store(out, aPass);
        assertThatThrownBy(() -> Pkcs12Keystore.open(out.toByteArray(), aPass)).isInstanceOf(Pkcs12Keystore.MismatchedKeyException.class);
        // nor is such a file made
        assertThatThrownBy(() -> Pkcs12Keystore.create(new java.security.KeyPair(b.getPublic(), a.getPrivate()), "B", aPass, 2_000))
                .isInstanceOf(Pkcs12Keystore.MismatchedKeyException.class);
        // a file of one person opens
        assertThat(Pkcs12Keystore.open(Pkcs12Keystore.create(a, "A", aPass, 2_000), aPass).keyId()).isEqualTo(Sm2.keyId(a.getPublic()));
    }

    @Test
    void thePublicKeyIsReadableWithoutThePassphraseAndOnlyThePublicKey() {
        KeyPair kp = Sm2.generate();
        byte[] p12 = Pkcs12Keystore.create(kp, "审核员 张三", PASS, 2_000);
        java.security.PublicKey pub = Pkcs12Keystore.publicKey(p12);
        assertThat(Sm2.keyId(pub)).isEqualTo(Sm2.keyId(kp.getPublic()));
        assertThat(Sm2.toPem(pub)).startsWith("-----BEGIN PUBLIC KEY-----").doesNotContain("PRIVATE");
        assertThatThrownBy(() -> Pkcs12Keystore.publicKey(new byte[]{1, 2, 3})).isInstanceOf(Sm2.CryptoException.class);
    }

    @Test
    void keystoreUsesStrongPbeVisibleToOpenSsl(@TempDir Path dir) throws Exception {
        assumeTrue(hasOpenSsl(), "openssl not available");
        byte[] p12 = Pkcs12Keystore.create(Sm2.generate(), "x", PASS);
        Files.write(dir.resolve("k.p12"), p12);
        Files.writeString(dir.resolve("pass"), new String(PASS));
        Process p = new ProcessBuilder("openssl", "pkcs12", "-info", "-noout", "-in", "k.p12", "-passin", "file:pass")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertThat(out).contains("PBES2").contains("PBKDF2").contains("AES-256-CBC").contains("600000");
    }

    @Test
    void wrappedKeyNeedsThePassphrase() throws Exception {
        byte[] key = KeyWrap.randomKey();
        KeyWrap.Wrapped w = KeyWrap.wrap(key, PASS, 1_000);
        KeyWrap.Wrapped back = KeyWrap.Wrapped.fromJson(w.toJson());
        assertThat(KeyWrap.unwrap(back, PASS)).isEqualTo(key);
        assertThatThrownBy(() -> KeyWrap.unwrap(back, "not it at all".toCharArray()))
                .isInstanceOf(KeyWrap.WrongPassphraseException.class);
        assertThat(KeyWrap.wrap(key, PASS, 1_000).salt()).isNotEqualTo(w.salt());
    }

    @Test
    void strengthGrowsWithLengthAndVariety() {
        assertThat(Passphrases.strength("short".toCharArray())).isEqualTo(Passphrases.Strength.TOO_SHORT);
        assertThat(Passphrases.strength("aaaaaaaaaaaa".toCharArray())).isEqualTo(Passphrases.Strength.WEAK);
        assertThat(Passphrases.strength("password12".toCharArray())).isEqualTo(Passphrases.Strength.WEAK);
        assertThat(Passphrases.strength("Tr0ub4dor&3x".toCharArray()).acceptable()).isTrue();
        assertThat(Passphrases.strength(PASS)).isEqualTo(Passphrases.Strength.STRONG);
    }

    private static boolean hasOpenSsl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    /** The signer kept between signatures holds the private scalar: it must not outlive the key object it came from. */
    @Test
    void theSignerKeptForTheNextSignatureGoesWithTheKeyObject() throws Exception {
        java.security.KeyPair pair = Sm2.generate();
        Sm2.sign(pair.getPrivate(), "a decision".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThat(Sm2.keepsASigner()).isTrue();
        pair = null; // the person's key released (the unlocked keystore dropped)
        for (int i = 0; i < 100 && Sm2.keepsASigner(); i++) {
            System.gc();
            Thread.sleep(50);
        }
        org.assertj.core.api.Assertions.assertThat(Sm2.keepsASigner()).as("signer kept after its key object was collected").isFalse();
    }
}
