package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import static cn.crb.localdb.jooq.Tables.KV_SETTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptedDatabaseTest {
    private static final String MARKER = "欧阳锋-secret-marker-7f3a9c";

    @Test
    void wrongKeyIsRefusedAndValuesAreNotInTheRawFile(@TempDir Path dir) throws Exception {
        byte[] key = KeyWrap.randomKey();
        Path file;
        try (LocalDatabase db = LocalDatabase.open(dir, key)) {
            db.transaction(tx -> tx.dsl().insertInto(KV_SETTING).set(KV_SETTING.K, "note").set(KV_SETTING.V, MARKER).execute());
            file = db.file();
        }
        byte[] raw = Files.readAllBytes(file);
        assertThat(raw.length).isGreaterThan(4096);
        assertThat(indexOf(raw, MARKER.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(indexOf(raw, "secret-marker".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(indexOf(raw, "KV_SETTING".getBytes(StandardCharsets.US_ASCII))).as("even the schema is encrypted").isEqualTo(-1);

        byte[] wrong = KeyWrap.randomKey();
        assertThatThrownBy(() -> LocalDatabase.open(dir, wrong)).isInstanceOf(LocalDatabase.WrongKeyException.class);

        try (LocalDatabase db = LocalDatabase.open(dir, key)) {
            assertThat(db.dsl().select(KV_SETTING.V).from(KV_SETTING).where(KV_SETTING.K.eq("note")).fetchOne(KV_SETTING.V))
                    .isEqualTo(MARKER);
        }
    }

    @Test
    void migratedSchemaServesTypedQueriesAndTheAuditChainVerifies(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            AuditLog audit = new AuditLog(Clock.systemUTC());
            ProfileStore profiles = new ProfileStore();
            String keyId = "a".repeat(64);
            db.transaction(tx -> {
                profiles.save(tx.dsl(), new ProfileStore.StoredProfile("P-1", "李审核", "JSOU", List.of("REVIEWER", "PANEL_MEMBER"),
                        keyId, "http://127.0.0.1:1", "b".repeat(64), "PEM", "{}", OffsetDateTime.now()));
                audit.append(tx.dsl(), keyId, AuditAction.ENROLLED, "profile", "P-1", Json.object().put("roles", "REVIEWER"));
                return null;
            });
            // a transaction that fails leaves neither the change nor its audit entry
            assertThatThrownBy(() -> db.transaction(tx -> {
                audit.append(tx.dsl(), keyId, AuditAction.KEY_CREATED, "key", keyId, null);
                throw new IllegalStateException("boom");
            })).hasMessageContaining("boom");
            assertThat(audit.size(db.dsl())).isEqualTo(1);
            db.transaction(tx -> audit.append(tx.dsl(), keyId, AuditAction.PROFILE_UNLOCKED, "profile", "P-1", null));
            assertThat(profiles.load(db.dsl()).orElseThrow().roles()).containsExactly("REVIEWER", "PANEL_MEMBER");
            var r = audit.verify(db.dsl());
            assertThat(r.ok()).isTrue();
            assertThat(r.entries()).isEqualTo(2);
            // rewriting history in the table is detected
            db.dsl().update(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY).set(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ACTION, "KEY_CREATED")
                    .where(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.SEQ.eq(1L)).execute();
            assertThat(audit.verify(db.dsl()).firstBadSeq()).isEqualTo(1L);
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
