package cn.crb.domain.bulk;

import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.ProvinceKey;
import cn.crb.domain.standards.StandardsBundle;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The privacy of one submission batch (contracts 01 and 05). A fresh random 128-bit SM4 key per batch; every value
 * is encrypted with SM4-GCM under a fresh random 12-byte nonce and sent as base64(nonce ‖ ciphertext ‖ 16-byte tag);
 * the batch key travels only SM2-encrypted to the provincial sub-centre's key, in the C1C3C2 order of GB/T 32918.4-2016
 * (C1 = uncompressed point 04‖x‖y). The matching digest is lowercase hex HMAC-SM3 of the upper-cased ID under the
 * province's matching key. Raw IDs and names are never part of what {@link #prepare} returns except encrypted.
 * The batch key exists only in this object's memory. Not thread-safe: one instance serves one import (it keeps its
 * SM4-GCM cipher keyed and its HMAC-SM3 initialised between rows, which set-up per value had cost a quarter of
 * {@link #prepare}).
 */
public final class BatchCrypto {
    public static final String KEY_ENVELOPE_ALG = "SM2-C1C3C2";
    public static final String VALUE_ALG = "SM4-GCM";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final byte[] batchKey;
    private final ProvinceKey province;
    /** The buffer {@link #prepare} writes a row's JSON into. */
    private final java.io.StringWriter rowJson = new java.io.StringWriter(1024);
    /** Keyed once with the batch key ({@link #encrypt}); each value then sets only its nonce. */
    private final GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
    private boolean gcmKeyed;
    /** HMAC-SM3 under the matching key, initialised once: {@code doFinal} returns it to that state. */
    private final HMac mac = new HMac(new SM3Digest());

    private BatchCrypto(byte[] batchKey, ProvinceKey province) {
        this.batchKey = batchKey;
        this.province = Objects.requireNonNull(province);
        if (province.matchingKey() == null) throw new IllegalArgumentException("the bundle gives province " + province.province() + " no matching key");
        mac.init(new KeyParameter(Base64.getDecoder().decode(province.matchingKey())));
    }

    /** A batch with a fresh random key, for the province's key. */
    public static BatchCrypto create(ProvinceKey province) {
        byte[] k = new byte[16];
        RANDOM.nextBytes(k);
        return new BatchCrypto(k, province);
    }

    /** The province key for an institution: the key of the institution's province in the bundle. */
    public static ProvinceKey provinceKeyFor(StandardsBundle bundle, String institution) {
        String province = bundle.institution(institution)
                .orElseThrow(() -> new IllegalArgumentException("institution " + institution + " is not in standards " + bundle.version()))
                .province();
        return bundle.keys().stream().filter(k -> k.province().equals(province)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("standards " + bundle.version() + " hold no key for province " + province));
    }

    public ProvinceKey province() { return province; }

    /** {@code {alg, province, keyId, value}} where value is base64 of the SM2 (C1C3C2) encryption of the batch key. */
    public ObjectNode keyEnvelope() {
        ObjectNode o = Json.object();
        o.put("alg", KEY_ENVELOPE_ALG);
        o.put("valueAlg", VALUE_ALG);
        o.put("province", province.province());
        o.put("keyId", province.keyId());
        o.put("value", Base64.getEncoder().encodeToString(sm2Encrypt(province.publicKey(), batchKey)));
        return o;
    }

    /** SM4-GCM under the batch key with a fresh nonce: base64(nonce ‖ ciphertext ‖ tag). */
    public String encrypt(String value) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] plain = value.getBytes(StandardCharsets.UTF_8);
        // the key (its SM4 round keys and GHASH tables) only the first time; BouncyCastle refuses a repeated nonce
        gcm.init(true, new AEADParameters(gcmKeyed ? null : new KeyParameter(batchKey), TAG_BITS, nonce));
        gcmKeyed = true;
        byte[] out = new byte[NONCE + gcm.getOutputSize(plain.length)];
        System.arraycopy(nonce, 0, out, 0, NONCE);
        int len = gcm.processBytes(plain, 0, plain.length, out, NONCE);
        try {
            gcm.doFinal(out, NONCE + len);
        } catch (InvalidCipherTextException e) {
            throw new Sm2.CryptoException("SM4-GCM encryption failed", e);
        }
        return Base64.getEncoder().encodeToString(out);
    }

    /** Decrypts a value of {@link #encrypt} with the batch key (what the province does after unwrapping the key). */
    public static String decrypt(byte[] batchKey, String base64) {
        byte[] all = Base64.getDecoder().decode(base64);
        try {
            Cipher c = Cipher.getInstance("SM4/GCM/NoPadding", Sm2.BC);
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(batchKey, "SM4"), new GCMParameterSpec(TAG_BITS, all, 0, NONCE));
            return new String(c.doFinal(all, NONCE, all.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new Sm2.CryptoException("SM4-GCM decryption failed", e);
        }
    }

    /** Lowercase hex HMAC-SM3 of the upper-cased ID under the province's matching key. */
    public String idDigest(String id) {
        byte[] message = ResidentId.normalise(id).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        mac.update(message, 0, message.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    /**
     * The row as sent: masked, digested and encrypted identity; outcome fields in the case's camelCase names. The JSON
     * is written field by field by one streaming generator into a buffer kept by this (single-threaded) instance: a
     * tree of nodes built and serialised per row was a quarter of protecting a row (a million rows per import).
     */
    public PreparedRow prepare(BulkRow r) {
        String digest = idDigest(r.idNumber());
        rowJson.getBuffer().setLength(0);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(rowJson)) {
            g.writeStartObject();
            g.writeNumberField("rowNumber", r.rowNumber());
            g.writeStringField("idMasked", ResidentId.mask(r.idNumber()));
            g.writeStringField("idDigest", digest);
            g.writeStringField("idCipher", encrypt(r.idNumber()));
            g.writeStringField("nameMasked", NameMasking.mask(r.name()));
            g.writeStringField("nameCipher", encrypt(r.name()));
            g.writeStringField("category", r.category().name());
            g.writeStringField("catalogueCode", r.catalogueCode());
            g.writeStringField("title", r.title());
            if (r.courseType() != null) g.writeStringField("courseType", r.courseType().name());
            if (r.hours() != null) g.writeStringField("hours", r.hours().toPlainString());
            if (r.score() != null) g.writeStringField("score", r.score().toPlainString());
            if (r.certificateCode() != null) g.writeStringField("certificateCode", r.certificateCode());
            if (r.level() != null) g.writeStringField("level", r.level());
            if (r.authorityCertified() != null) g.writeBooleanField("authorityCertified", r.authorityCertified());
            if (r.scenario() != null) g.writeStringField("scenario", r.scenario());
            g.writeStringField("achievedOn", r.achievedOn().toString());
            if (r.expiresOn() != null) g.writeStringField("expiresOn", r.expiresOn().toString());
            g.writeStringField("qualityGrade", r.qualityGrade().name());
            if (r.evidence() != null) g.writeStringField("evidence", r.evidence());
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return new PreparedRow(r.rowNumber(), digest, r.catalogueCode(), r.achievedOn(),
                r.certificateCode() == null ? "" : r.certificateCode(), rowJson.toString());
    }

    /** SM2 public-key encryption (GB/T 32918.4) in C1C3C2 order. */
    public static byte[] sm2Encrypt(PublicKey key, byte[] plain) {
        try {
            AsymmetricKeyParameter p = ECUtil.generatePublicKeyParameter(key);
            SM2Engine e = new SM2Engine(SM2Engine.Mode.C1C3C2);
            e.init(true, new ParametersWithRandom(p, RANDOM));
            return e.processBlock(plain, 0, plain.length);
        } catch (InvalidKeyException | InvalidCipherTextException e) {
            throw new Sm2.CryptoException("SM2 encryption failed", e);
        }
    }

    /** SM2 decryption of a C1C3C2 ciphertext (the provincial side; used by tests). */
    public static byte[] sm2Decrypt(PrivateKey key, byte[] cipher) {
        try {
            SM2Engine e = new SM2Engine(SM2Engine.Mode.C1C3C2);
            e.init(false, ECUtil.generatePrivateKeyParameter(key));
            return e.processBlock(cipher, 0, cipher.length);
        } catch (InvalidKeyException | InvalidCipherTextException e) {
            throw new Sm2.CryptoException("SM2 decryption failed", e);
        }
    }

    /** A copy of the batch key, for tests that play the province. */
    byte[] batchKeyForTests() { return Arrays.copyOf(batchKey, batchKey.length); }
}
