package cn.crb.domain.bulk;

import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.ProvinceKey;
import cn.crb.domain.standards.CourseType;
import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.QualityGrade;
import com.fasterxml.jackson.databind.JsonNode;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchCryptoTest {
    private static final KeyPair PROVINCE = Sm2.generate();
    private static final ProvinceKey KEY = new ProvinceKey("JS", Sm2.keyId(PROVINCE.getPublic()), Sm2.toPem(PROVINCE.getPublic()),
            PROVINCE.getPublic(), Base64.getEncoder().encodeToString("matching-key-of-js-0123456789abc".getBytes(StandardCharsets.US_ASCII)));

    @TempDir
    Path dir;

    static BulkRow row(long n, String id) {
        return new BulkRow(n, id, "欧阳修文", OutcomeCategory.ACADEMIC, "AC-ACC-101", "基础会计", CourseType.THEORY,
                new BigDecimal("48"), new BigDecimal("86.5"), null, null, null, null, LocalDate.of(2024, 6, 30), null, QualityGrade.A, null);
    }

    @Test
    void sm2C1C3C2RoundTripAndNotC1C2C3() {
        byte[] plain = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] c = BatchCrypto.sm2Encrypt(PROVINCE.getPublic(), plain);
        assertThat(c).hasSize(65 + 32 + 16);
        assertThat(c[0]).isEqualTo((byte) 0x04);
        assertThat(BatchCrypto.sm2Decrypt(PROVINCE.getPrivate(), c)).isEqualTo(plain);
        assertThatThrownBy(() -> {
            SM2Engine old = new SM2Engine(); // C1C2C3
            old.init(false, ECUtil.generatePrivateKeyParameter(PROVINCE.getPrivate()));
            old.processBlock(c, 0, c.length);
        }).isNotNull();
    }

    @Test
    void rowsAreMaskedDigestedAndEncryptedWithFreshNonces() throws Exception {
        BatchCrypto crypto = BatchCrypto.create(KEY);
        String id = "11010519491231002x";
        PreparedRow p = crypto.prepare(row(2, "11010519491231002X"));
        JsonNode j = Json.parse(p.json());
        assertThat(p.json()).doesNotContain("11010519491231002").doesNotContain("欧阳修文");
        assertThat(j.get("idMasked").asText()).isEqualTo("110105********002X");
        assertThat(j.get("nameMasked").asText()).isEqualTo("欧阳**");
        assertThat(j.get("idDigest").asText()).isEqualTo(Sm3.hmacHex(Base64.getDecoder().decode(KEY.matchingKey()),
                "11010519491231002X".getBytes(StandardCharsets.US_ASCII))).matches("[0-9a-f]{64}");
        assertThat(crypto.idDigest(id)).isEqualTo(p.idDigest());
        assertThat(j.get("hours").asText()).isEqualTo("48");
        assertThat(j.get("score").asText()).isEqualTo("86.5");
        byte[] batchKey = BatchCrypto.sm2Decrypt(PROVINCE.getPrivate(), Base64.getDecoder().decode(crypto.keyEnvelope().get("value").asText()));
        assertThat(batchKey).isEqualTo(crypto.batchKeyForTests());
        assertThat(BatchCrypto.decrypt(batchKey, j.get("idCipher").asText())).isEqualTo("11010519491231002X");
        assertThat(BatchCrypto.decrypt(batchKey, j.get("nameCipher").asText())).isEqualTo("欧阳修文");
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String value = crypto.encrypt("same");
            byte[] v = Base64.getDecoder().decode(value);
            assertThat(v).hasSize(12 + 4 + 16);
            // the cipher stays keyed between values: each still decrypts under the batch key
            assertThat(BatchCrypto.decrypt(batchKey, value)).isEqualTo("same");
            nonces.add(Base64.getEncoder().encodeToString(Arrays.copyOf(v, 12)));
        }
        assertThat(nonces).hasSize(200);
        byte[] tampered = Base64.getDecoder().decode(j.get("idCipher").asText());
        tampered[14] ^= 1;
        assertThatThrownBy(() -> BatchCrypto.decrypt(batchKey, Base64.getEncoder().encodeToString(tampered))).isInstanceOf(Sm2.CryptoException.class);
    }

    @Test
    void theRowJsonHasEveryFieldInTheContractsOrderAndEachRowOnlyItsOwn() {
        BatchCrypto crypto = BatchCrypto.create(KEY);
        BulkRow full = new BulkRow(7, "11010519491231002X", "欧阳修文", OutcomeCategory.VOCATIONAL, "VC-ELEC-3", "电工 \"中级\"\\证书",
                CourseType.PRACTICE, new BigDecimal("16.50"), new BigDecimal("90"), "CERT-001", "MIDDLE", Boolean.TRUE, "COMMUNITY",
                LocalDate.of(2024, 6, 30), LocalDate.of(2027, 6, 29), QualityGrade.B, "certs/7.pdf");
        String json = crypto.prepare(full).json();
        JsonNode j = Json.parse(json);
        assertThat(json).isEqualTo("{\"rowNumber\":7,\"idMasked\":\"110105********002X\",\"idDigest\":\"" + crypto.idDigest("11010519491231002X")
                + "\",\"idCipher\":\"" + j.get("idCipher").asText() + "\",\"nameMasked\":\"欧阳**\",\"nameCipher\":\"" + j.get("nameCipher").asText()
                + "\",\"category\":\"VOCATIONAL\",\"catalogueCode\":\"VC-ELEC-3\",\"title\":\"电工 \\\"中级\\\"\\\\证书\",\"courseType\":\"PRACTICE\""
                + ",\"hours\":\"16.50\",\"score\":\"90\",\"certificateCode\":\"CERT-001\",\"level\":\"MIDDLE\",\"authorityCertified\":true"
                + ",\"scenario\":\"COMMUNITY\",\"achievedOn\":\"2024-06-30\",\"expiresOn\":\"2027-06-29\",\"qualityGrade\":\"B\",\"evidence\":\"certs/7.pdf\"}");
        assertThat(j.get("title").asText()).isEqualTo("电工 \"中级\"\\证书");
        // the buffer is reused: the next, shorter row is exactly its own
        String next = crypto.prepare(row(8, BulkTestFiles.id(3))).json();
        assertThat(next).startsWith("{\"rowNumber\":8,").endsWith("\"qualityGrade\":\"A\"}");
        assertThat(Json.parse(next).size()).isEqualTo(14);
    }

    @Test
    void provinceKeyOfTheInstitutionComesFromTheBundle() {
        ProvinceKey k = BatchCrypto.provinceKeyFor(BulkTestFiles.BUNDLE, "TRN-0042");
        assertThat(k.province()).isEqualTo("JS");
        assertThat(BatchCrypto.create(k).keyEnvelope().get("keyId").asText()).isEqualTo(k.keyId());
    }

    @Test
    void chunksAreNumberedFromZeroWithSm3OfCanonicalRows() {
        BatchCrypto crypto = BatchCrypto.create(KEY);
        List<String> rows = List.of(crypto.prepare(row(2, BulkTestFiles.id(1))).json(), crypto.prepare(row(3, BulkTestFiles.id(2))).json());
        BatchChunker.Chunk c = BatchChunker.chunk(0, rows);
        assertThat(c.sm3()).isEqualTo(Sm3.hex(Json.canonical(c.rows())));
        assertThat(c.body().get("sm3").asText()).isEqualTo(c.sm3());
        assertThat(BatchChunker.chunkCount(2001, 1000)).isEqualTo(3);
        assertThat(BatchChunker.chunkCount(0, 1000)).isZero();
        assertThat(BatchChunker.submission("b", 2, "f", List.of(c.sm3())).payload().get("chunkSm3s").get(0).asText()).isEqualTo(c.sm3());
    }

    /** OpenSSL 3 decrypts what we encrypt, once the raw C1C3C2 is put in its GM/T 0009 DER form. */
    @Test
    void openSslDecryptsTheKeyEnvelope() throws Exception {
        byte[] plain = new byte[16];
        new SecureRandom().nextBytes(plain);
        byte[] c = BatchCrypto.sm2Encrypt(PROVINCE.getPublic(), plain);
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(c, 1, 33))));
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(c, 33, 65))));
        v.add(new DEROctetString(Arrays.copyOfRange(c, 65, 97)));
        v.add(new DEROctetString(Arrays.copyOfRange(c, 97, c.length)));
        Path in = Files.write(dir.resolve("c.der"), new DERSequence(v).getEncoded());
        StringWriter pem = new StringWriter();
        try (PemWriter w = new PemWriter(pem)) {
            w.writeObject(new PemObject("PRIVATE KEY", PROVINCE.getPrivate().getEncoded()));
        }
        Path key = Files.writeString(dir.resolve("k.pem"), pem.toString());
        Path out = dir.resolve("p.bin");
        Process p = new ProcessBuilder("openssl", "pkeyutl", "-decrypt", "-inkey", key.toString(), "-in", in.toString(), "-out", out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(plain);
    }
}
