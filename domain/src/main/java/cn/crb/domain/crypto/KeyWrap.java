package cn.crb.domain.crypto;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A random data key stored only wrapped under a passphrase-derived key (contract 01):
 * PBKDF2-HMAC-SHA256 with a per-profile random salt and {@value #DEFAULT_ITERATIONS} iterations,
 * then AES-256-GCM over the data key. A wrong passphrase fails the GCM tag: it is detected, never
 * mistaken for a key. Changing the passphrase re-wraps the same data key.
 */
public final class KeyWrap {
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] AAD = "crb.dbkey/1".getBytes(StandardCharsets.US_ASCII);

    private KeyWrap() {}

    /** The stored form: KDF parameters and the wrapped key, serialisable as JSON. */
    public record Wrapped(String kdf, int iterations, byte[] salt, byte[] nonce, byte[] ciphertext) {
        public JsonNode toJson() {
            ObjectNode o = Json.object();
            Base64.Encoder b = Base64.getEncoder();
            o.put("format", "crb.dbkey/1");
            o.put("kdf", kdf);
            o.put("iterations", iterations);
            o.put("salt", b.encodeToString(salt));
            o.put("cipher", "AES-256-GCM");
            o.put("nonce", b.encodeToString(nonce));
            o.put("wrappedKey", b.encodeToString(ciphertext));
            return o;
        }

        public static Wrapped fromJson(JsonNode n) {
            Base64.Decoder b = Base64.getDecoder();
            if (!"crb.dbkey/1".equals(n.path("format").asText())) throw new IllegalArgumentException("unknown key file format");
            return new Wrapped(n.path("kdf").asText(), n.path("iterations").asInt(),
                    b.decode(n.path("salt").asText()), b.decode(n.path("nonce").asText()), b.decode(n.path("wrappedKey").asText()));
        }
    }

    /** Raised when the passphrase does not open the wrapped key. */
    public static final class WrongPassphraseException extends Exception {
        public WrongPassphraseException() { super("wrong passphrase"); }
    }

    public static byte[] randomKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    public static Wrapped wrap(byte[] dataKey, char[] passphrase) {
        return wrap(dataKey, passphrase, DEFAULT_ITERATIONS);
    }

    public static Wrapped wrap(byte[] dataKey, char[] passphrase, int iterations) {
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] kek = derive(passphrase, salt, iterations);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD);
            return new Wrapped("PBKDF2-HMAC-SHA256", iterations, salt, nonce, c.doFinal(dataKey));
        } catch (GeneralSecurityException e) {
            throw new Sm2.CryptoException("key wrapping failed", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    public static byte[] unwrap(Wrapped w, char[] passphrase) throws WrongPassphraseException {
        if (!"PBKDF2-HMAC-SHA256".equals(w.kdf())) throw new IllegalArgumentException("unsupported KDF " + w.kdf());
        byte[] kek = derive(passphrase, w.salt(), w.iterations());
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, w.nonce()));
            c.updateAAD(AAD);
            return c.doFinal(w.ciphertext());
        } catch (AEADBadTagException e) {
            throw new WrongPassphraseException();
        } catch (GeneralSecurityException e) {
            throw new Sm2.CryptoException("key unwrapping failed", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new Sm2.CryptoException("key derivation failed", e);
        }
    }
}
