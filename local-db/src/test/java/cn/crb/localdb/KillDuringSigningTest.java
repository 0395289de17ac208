package cn.crb.localdb;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static cn.crb.localdb.jooq.Tables.AUDIT_ENTRY;
import static cn.crb.localdb.jooq.Tables.DECISION;
import static cn.crb.localdb.jooq.Tables.OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing is all or nothing: a child process signs decisions through {@link DecisionRepository} (the transaction the
 * case service runs when a reviewer signs) and is killed with SIGKILL at random moments, many times. After every kill
 * each decision is either SIGNED with its envelope in the outbox (verifying, for that very decision) and its
 * DECISION_SIGNED and ENVELOPE_QUEUED audit entries, or not signed at all (a draft, with none of them); every decision
 * whose signing returned is signed; and the audit chain verifies.
 */
class KillDuringSigningTest {
    private static final int CYCLES = 20;

    @Test
    void aKilledSigningLeavesEachDecisionSignedAndQueuedWithItsAuditEntryOrNotSignedAtAll(@TempDir Path dir) throws Exception {
        byte[] dbKey = KeyWrap.randomKey();
        KeyPair keys = Sm2.generate();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Random random = new Random(4);
        Set<Integer> acknowledged = new HashSet<>();
        int next = 0;
        int draftsLeft = 0;
        int killsBetweenDraftAndSigned = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Process p = new ProcessBuilder(java, "-cp", cp, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                    KillSignerMain.class.getName(), dir.toString(), HexFormat.of().formatHex(dbKey),
                    Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()),
                    Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()), Integer.toString(next))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<Integer> seen = new ArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.equals("READY")) continue;
                        synchronized (seen) { seen.add(Integer.parseInt(line.trim())); }
                    }
                } catch (Exception ignored) {
                    // the stream ends when the process is killed
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                synchronized (seen) { if (!seen.isEmpty()) break; }
                Thread.sleep(2);
            }
            Thread.sleep(random.nextInt(300)); // a random moment within the next signings
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            synchronized (seen) { acknowledged.addAll(seen); }

            try (LocalDatabase db = LocalDatabase.open(dir, dbKey)) {
                Check c = check(db.dsl(), keys);
                assertThat(c.signed).as("every signing that returned is signed (cycle %d)", cycle).containsAll(acknowledged);
                if (c.drafts > draftsLeft) killsBetweenDraftAndSigned++;
                draftsLeft = c.drafts;
                assertThat(new ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).as("audit chain after cycle %d", cycle).isTrue();
                next = c.maxCase + 1;
            }
        }
        assertThat(acknowledged.size()).isGreaterThan(CYCLES);
        System.out.printf("kill-during-signing: %d cycles, %d decisions signed and acknowledged, %d kills left a decision as an unsigned draft%n",
                CYCLES, acknowledged.size(), killsBetweenDraftAndSigned);
    }

    private record Check(Set<Integer> signed, int drafts, int maxCase) {}

    /** Checks every decision against the outbox and the audit log; returns the signed ones. */
    private static Check check(DSLContext d, KeyPair keys) {
        String actor = Sm2.keyId(keys.getPublic());
        Set<Integer> signed = new HashSet<>();
        int drafts = 0;
        int max = -1;
        for (Record r : d.selectFrom(DECISION).fetch()) {
            String caseId = r.get(DECISION.CASE_ID);
            int n = Integer.parseInt(caseId.substring("C-KILL-".length()));
            max = Math.max(max, n);
            boolean signedAudit = d.fetchExists(d.selectOne().from(AUDIT_ENTRY).where(AUDIT_ENTRY.ACTION.eq("DECISION_SIGNED"))
                    .and(AUDIT_ENTRY.ENTITY_ID.eq(caseId)));
            boolean draftedAudit = d.fetchExists(d.selectOne().from(AUDIT_ENTRY).where(AUDIT_ENTRY.ACTION.eq("DECISION_DRAFTED"))
                    .and(AUDIT_ENTRY.ENTITY_ID.eq(caseId)));
            List<String> outboxRows = d.select(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ENVELOPE).from(OUTBOX).join(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE)
                    .on(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ID.eq(OUTBOX.ID)).where(OUTBOX.CASE_ID.eq(caseId)).fetch(cn.crb.localdb.jooq.Tables.OUTBOX_ENVELOPE.ENVELOPE);
            assertThat(draftedAudit).as("%s has its draft audit entry", caseId).isTrue();
            if ("SIGNED".equals(r.get(DECISION.STATE))) {
                String sm3 = r.get(DECISION.ENVELOPE_SM3);
                assertThat(sm3).as(caseId).isNotNull();
                assertThat(outboxRows).as("%s signed: exactly its envelope queued", caseId).hasSize(1);
                Envelope e = Envelope.fromJson(Json.parse(outboxRows.getFirst()));
                assertThat(e.sm3()).isEqualTo(sm3);
                assertThat(e.payload().path("caseId").asText()).isEqualTo(caseId);
                assertThat(e.verify((id, role) -> id.equals(actor) ? keys.getPublic() : null).ok()).isTrue();
                assertThat(signedAudit).as("%s signed: DECISION_SIGNED audited", caseId).isTrue();
                assertThat(d.fetchExists(d.selectOne().from(AUDIT_ENTRY).where(AUDIT_ENTRY.ACTION.eq("ENVELOPE_QUEUED"))
                        .and(AUDIT_ENTRY.ENTITY_ID.eq(sm3)))).as("%s: ENVELOPE_QUEUED audited", caseId).isTrue();
                signed.add(n);
            } else {
                assertThat(r.get(DECISION.STATE)).isEqualTo("DRAFT");
                assertThat(r.get(DECISION.ENVELOPE_SM3)).as("%s draft: no envelope", caseId).isNull();
                assertThat(outboxRows).as("%s draft: nothing queued", caseId).isEmpty();
                assertThat(signedAudit).as("%s draft: no DECISION_SIGNED entry", caseId).isFalse();
                drafts++;
            }
        }
        assertThat(d.fetchCount(OUTBOX)).as("no envelope without its signed decision").isEqualTo(signed.size());
        return new Check(signed, drafts, max);
    }
}
