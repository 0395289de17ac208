package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;

/**
 * The platform's SM2 key pair. Simulator only: the private key is kept as a plain PKCS#8 DER file
 * ({@code platform-key.pk8}, owner-only permissions where the file system allows) next to its public key
 * ({@code platform-key.spki}); a production platform would keep it in an HSM.
 */
final class PlatformKey {
    static final String ROLE = "PLATFORM";
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private PlatformKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Loads the key pair from the data directory, or creates and stores a new one. */
    static PlatformKey loadOrCreate(Path dataDir) throws IOException {
        Path priv = dataDir.resolve("platform-key.pk8");
        Path pub = dataDir.resolve("platform-key.spki");
        try {
            KeyFactory kf = KeyFactory.getInstance("EC", Sm2.BC);
            if (Files.exists(priv) && Files.exists(pub)) {
                return new PlatformKey(
                        kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(priv))),
                        kf.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub))));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("unreadable platform key in " + dataDir + ": " + e.getMessage(), e);
        }
        KeyPair kp = Sm2.generate();
        Files.write(pub, kp.getPublic().getEncoded());
        Path tmp = dataDir.resolve("platform-key.pk8.tmp");
        Files.write(tmp, kp.getPrivate().getEncoded());
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the simulator's key stays readable, as documented
        }
        Files.move(tmp, priv);
        return new PlatformKey(kp.getPrivate(), kp.getPublic());
    }

    PublicKey publicKey() { return publicKey; }

    String keyId() { return Sm2.keyId(publicKey); }

    String publicKeyPem() { return Sm2.toPem(publicKey); }

    /** An envelope of the given type around {@code payload}, signed by the platform in role PLATFORM. */
    Envelope sign(String type, JsonNode payload, Instant at) {
        return Envelope.unsigned(type, payload).sign(privateKey, publicKey, ROLE, at);
    }
}
