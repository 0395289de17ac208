package cn.crb.domain.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Encrypts single database cells that must never be stored in clear even inside the encrypted database (the raw cells
 * of rejected bulk rows, which hold resident IDs): SM4-GCM under a 128-bit key derived from the database key for one
 * purpose, {@code HMAC-SM3(databaseKey, "crb field-seal/1 " + purpose)} truncated to 16 bytes, with a fresh random
 * 12-byte nonce per value and associated data naming the cell (so a sealed value cannot be moved to another row
 * unnoticed). A sealed value is text: {@code "s1:" + base64(nonce ‖ ciphertext ‖ tag)}. Thread-safe; the derived key
 * lives in this object's memory only and is never written anywhere.
 */
public final class FieldSeal {
    private static final String PREFIX = "s1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] key;

    private FieldSeal(byte[] key) {
        this.key = key;
    }

    /** The seal for one purpose (e.g. {@code "bulk-reject-cells"}), derived from a database key of any length ≥ 16 bytes. */
    public static FieldSeal derive(byte[] databaseKey, String purpose) {
        Objects.requireNonNull(databaseKey);
        if (databaseKey.length < 16) throw new IllegalArgumentException("database key too short");
        HMac mac = new HMac(new SM3Digest());
        mac.init(new KeyParameter(databaseKey));
        byte[] label = ("crb field-seal/1 " + purpose).getBytes(StandardCharsets.UTF_8);
        mac.update(label, 0, label.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        byte[] k = Arrays.copyOf(out, 16);
        Arrays.fill(out, (byte) 0);
        return new FieldSeal(k);
    }

    /** Thrown when a sealed value does not open: another key, another cell, or a damaged value. */
    public static final class BrokenSealException extends RuntimeException {
        BrokenSealException(String message, Throwable cause) { super(message, cause); }
    }

    /** Seals {@code plain} for the cell named by {@code cell} (e.g. {@code "BULK_REJECT/12/345"}). */
    public String seal(String plain, String cell) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] p = plain.getBytes(StandardCharsets.UTF_8);
        GCMModeCipher gcm = gcm(true, nonce, cell);
        byte[] out = new byte[NONCE + gcm.getOutputSize(p.length)];
        System.arraycopy(nonce, 0, out, 0, NONCE);
        int len = gcm.processBytes(p, 0, p.length, out, NONCE);
        try {
            gcm.doFinal(out, NONCE + len);
        } catch (InvalidCipherTextException e) {
            throw new Sm2.CryptoException("SM4-GCM encryption failed", e);
        } finally {
            Arrays.fill(p, (byte) 0);
        }
        return PREFIX + Base64.getEncoder().encodeToString(out);
    }

    /** Opens a value of {@link #seal} for the same cell; throws {@link BrokenSealException} otherwise. */
    public String open(String sealed, String cell) {
        if (sealed == null || !sealed.startsWith(PREFIX)) throw new BrokenSealException("not a sealed value", null);
        byte[] all;
        try {
            all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new BrokenSealException("a sealed value is damaged", e);
        }
        if (all.length < NONCE + TAG_BITS / 8) throw new BrokenSealException("a sealed value is too short", null);
        GCMModeCipher gcm = gcm(false, Arrays.copyOf(all, NONCE), cell);
        byte[] out = new byte[gcm.getOutputSize(all.length - NONCE)];
        int len = gcm.processBytes(all, NONCE, all.length - NONCE, out, 0);
        try {
            len += gcm.doFinal(out, len);
        } catch (InvalidCipherTextException e) {
            throw new BrokenSealException("a sealed value does not open with this key for " + cell, e);
        }
        return new String(out, 0, len, StandardCharsets.UTF_8);
    }

    /** Whether a stored text is a sealed value (rather than a legacy clear one). */
    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    private GCMModeCipher gcm(boolean encrypt, byte[] nonce, String cell) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, cell.getBytes(StandardCharsets.UTF_8)));
        return gcm;
    }
}
