package cn.crb.domain.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldSealTest {
    static final byte[] DB_KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final String ID = "320102198501010012";

    @Test
    void sealsAndOpensForTheSameCellOnly() {
        FieldSeal s = FieldSeal.derive(DB_KEY, "bulk-reject-cells");
        String sealed = s.seal("[\"" + ID + "\",\"张三\"]", "BULK_REJECT/1/5");
        assertThat(sealed).startsWith("s1:").doesNotContain(ID).doesNotContain("张三");
        assertThat(FieldSeal.isSealed(sealed)).isTrue();
        assertThat(FieldSeal.isSealed("[\"" + ID + "\"]")).isFalse();
        assertThat(s.open(sealed, "BULK_REJECT/1/5")).isEqualTo("[\"" + ID + "\",\"张三\"]");
        assertThat(s.seal(ID, "c")).isNotEqualTo(s.seal(ID, "c"));
        assertThatThrownBy(() -> s.open(sealed, "BULK_REJECT/1/6")).isInstanceOf(FieldSeal.BrokenSealException.class);
        assertThatThrownBy(() -> FieldSeal.derive(DB_KEY, "other").open(sealed, "BULK_REJECT/1/5")).isInstanceOf(FieldSeal.BrokenSealException.class);
        byte[] other = DB_KEY.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> FieldSeal.derive(other, "bulk-reject-cells").open(sealed, "BULK_REJECT/1/5"))
                .isInstanceOf(FieldSeal.BrokenSealException.class);
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        assertThatThrownBy(() -> s.open("s1:" + Base64.getEncoder().encodeToString(raw), "BULK_REJECT/1/5"))
                .isInstanceOf(FieldSeal.BrokenSealException.class);
        assertThatThrownBy(() -> s.open("s1:AAAA", "c")).isInstanceOf(FieldSeal.BrokenSealException.class);
    }

    @Test
    void isStandardSm4GcmUnderTheHmacSm3DerivedKey() throws Exception {
        String sealed = FieldSeal.derive(DB_KEY, "bulk-reject-cells").seal(ID, "cell-7");
        byte[] key = Arrays.copyOf(HexFormat.of().parseHex(Sm3.hmacHex(DB_KEY, "crb field-seal/1 bulk-reject-cells".getBytes(StandardCharsets.UTF_8))), 16);
        byte[] all = Base64.getDecoder().decode(sealed.substring(3));
        Cipher c = Cipher.getInstance("SM4/GCM/NoPadding", Sm2.BC);
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "SM4"), new GCMParameterSpec(128, all, 0, 12));
        c.updateAAD("cell-7".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8)).isEqualTo(ID);
    }
}
