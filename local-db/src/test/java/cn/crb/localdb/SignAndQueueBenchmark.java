package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.audit.AuditEntry;
import cn.crb.domain.audit.AuditVerifier;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.json.Json;
import org.jooq.DSLContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;

import static cn.crb.localdb.jooq.Tables.AUDIT_ENTRY;

/**
 * A documented harness (not a test; figures in docs/performance.md), on the encrypted H2 database opened as the
 * workstation opens it:
 * <ol>
 *   <li>sign-and-queue of a decision — SM2-SM3 signature of the envelope, then {@link DecisionRepository#sign}: decision
 *       row, outbox row, case state and audit entries in one transaction, then {@code CHECKPOINT SYNC} — timed one by
 *       one, reported as p50/p90/p99/max (goal p99 ≤ 5 ms); with the parts (signature alone, the forced sync alone);</li>
 *   <li>verifying an audit chain of N entries (default 1,000,000) from the database, as {@code crb audit verify} does
 *       after unlocking ({@link ProfileRepository#verifyAudit()}: streamed in seq order, checkpoints checked too; goal ≤ 10 s).</li>
 * </ol>
 * Run it with the workstation's collector ({@code -XX:+UseSerialGC}, as its launchers do). Usage:
 * {@code SignAndQueueBenchmark [DECISIONS] [CHAIN_ENTRIES]}; {@code -Dsign.warmup=N} decisions before the timed ones
 * (default max(2000, DECISIONS)); {@code -Dcompact=true} compacts the file
 * ({@code SHUTDOWN COMPACT}) after writing the chain, before verifying it.
 */
public final class SignAndQueueBenchmark {
    private SignAndQueueBenchmark() {}

    public static void main(String[] args) throws Exception {
        int decisions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int chain = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path dir = Files.createTempDirectory("crb-sign-bench");
        try {
            if (decisions > 0) signAndQueue(dir.resolve("sign"), decisions);
            if (chain > 0) verifyChain(dir.resolve("chain"), chain);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** With {@code -Dsign.pauseMs=N}, N ms pass between saving a decision's draft and signing it (0: back to back). */
    private static final long PAUSE_MS = Long.getLong("sign.pauseMs", 0);

    /** With {@code -Dsign.slowMs=N}, each timed decision slower than N ms is printed with its wall-clock time (to match a JFR recording). */
    private static final long SLOW_MS = Long.getLong("sign.slowMs", 0);

    private static final com.sun.management.ThreadMXBean ALLOCATED =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void signAndQueue(Path dir, int n) {
        KeyPair keys = Sm2.generate();
        String actor = Sm2.keyId(keys.getPublic());
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            DecisionRepository repo = new DecisionRepository(db, Clock.systemUTC());
            // JMH-style warm-up: the JIT compiles the signing path over the first few thousand decisions (C2 is
            // still busy after 400); the first decisions of a fresh JVM are reported on their own, not hidden
            int warm = Integer.getInteger("sign.warmup", Math.max(2000, n));
            int cold = Math.min(100, warm);
            long[] first = new long[cold];
            long allocated = 0;
            long[] total = new long[n], sign = new long[n], sync = new long[n];
            for (int i = 0; i < warm + n; i++) {
                Decision d = KillSignerMain.decision(i);
                repo.saveDraft(d, actor); // drafting happens while the person types; not part of signing
                if (PAUSE_MS > 0) pause(); // -Dsign.pauseMs: time between the draft and the signature, as a person takes
                long a0 = ALLOCATED.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                Instant now = Instant.now();
                Envelope env = Envelope.unsigned("creditbank.decision/1", d.payload(now)).sign(keys.getPrivate(), keys.getPublic(), "REVIEWER", now);
                long t1 = System.nanoTime();
                repo.sign(d, env, actor);
                long t2 = System.nanoTime();
                if (i >= warm) allocated += ALLOCATED.getCurrentThreadAllocatedBytes() - a0;
                if (i < cold) first[i] = t2 - t0;
                if (i >= warm && SLOW_MS > 0 && t2 - t0 > SLOW_MS * 1_000_000) {
                    System.out.printf("  slow: %s %.2f ms (signature %.2f ms)%n", java.time.LocalTime.now(), (t2 - t0) / 1e6, (t1 - t0) / 1e6);
                }
                if (i >= warm) {
                    total[i - warm] = t2 - t0;
                    sign[i - warm] = t1 - t0;
                }
            }
            // the forced sync alone, after a small commit (what sign() adds after its transaction)
            for (int i = 0; i < n; i++) {
                int k = i;
                db.transaction(c -> c.dsl().insertInto(cn.crb.localdb.jooq.Tables.KV_SETTING)
                        .set(cn.crb.localdb.jooq.Tables.KV_SETTING.K, "bench-" + k).set(cn.crb.localdb.jooq.Tables.KV_SETTING.V, "v").execute());
                long t = System.nanoTime();
                db.checkpointSync();
                sync[i] = System.nanoTime() - t;
            }
            System.out.printf("sign-and-queue, %d decisions after %d warm-up%s: %s%n", n, warm,
                    PAUSE_MS > 0 ? ", " + PAUSE_MS + " ms between draft and signature" : "", pct(total));
            System.out.printf("  of which the SM2-SM3 envelope signature: %s%n", pct(sign));
            System.out.printf("  allocated per decision signed and queued (signature, transaction, forced sync): %,d KB%n", allocated / n / 1024);
            System.out.printf("  the first %d decisions of the fresh JVM (before warm-up): %s; the very first %.2f ms%n", cold, pct(first), first[0] / 1e6);
            System.out.printf("  a CHECKPOINT SYNC alone after a small commit: %s%n", pct(sync));
            AuditVerifier.Result r = new ProfileRepository(db, Clock.systemUTC()).verifyAudit();
            if (!r.ok()) throw new IllegalStateException("audit chain broken: " + r);
        }
    }

    static void verifyChain(Path dir, int n) {
        byte[] key = KeyWrap.randomKey();
        long t0 = System.nanoTime();
        try (LocalDatabase db = LocalDatabase.open(dir, key)) {
            AuditEntry prev = null;
            Instant at = Instant.parse("2026-11-25T08:00:00Z");
            String actor = "3f1c".repeat(16);
            AuditAction[] actions = AuditAction.values();
            int batch = 5_000;
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                AuditEntry[] entries = new AuditEntry[to - from];
                for (int i = from; i < to; i++) {
                    prev = AuditEntry.next(prev, at.plusMillis(i * 37L), actor, actions[i % actions.length], "case",
                            "C-2026-" + String.format("%06d", i % 50_000), Json.object().put("revision", i % 5).put("n", i));
                    entries[i - from] = prev;
                }
                db.transaction(c -> {
                    DSLContext d = c.dsl();
                    var ins = d.insertInto(AUDIT_ENTRY, AUDIT_ENTRY.SEQ, AUDIT_ENTRY.AT, AUDIT_ENTRY.ACTOR_KEY_ID, AUDIT_ENTRY.ACTION,
                            AUDIT_ENTRY.ENTITY_TYPE, AUDIT_ENTRY.ENTITY_ID, AUDIT_ENTRY.DETAIL_SM3, AUDIT_ENTRY.PREV_HASH, AUDIT_ENTRY.HASH);
                    for (AuditEntry e : entries) {
                        ins = ins.values(e.seq(), OffsetDateTime.parse(e.at()).withOffsetSameInstant(ZoneOffset.UTC), e.actorKeyId(), e.action(),
                                e.entityType(), e.entityId(), e.detailSm3(), e.prevHash(), e.hash());
                    }
                    ins.execute();
                    return null;
                });
            }
            System.out.printf("audit chain of %,d entries written in %.1f s (%,d bytes on disk)%n", n, (System.nanoTime() - t0) / 1e9,
                    db.file().toFile().length());
            if (Boolean.getBoolean("compact")) {
                long tc = System.nanoTime();
                try {
                    db.dsl().execute("SHUTDOWN COMPACT");
                } catch (org.jooq.exception.DataAccessException closedAfterwards) {
                    // H2 closes the database at the end of SHUTDOWN COMPACT; jOOQ then finds the statement closed
                }
                System.out.printf("SHUTDOWN COMPACT: %.1f s, %,d bytes on disk%n", (System.nanoTime() - tc) / 1e9, db.file().toFile().length());
            }
        }
        // reopen, as the CLI does, and verify three times; first, reading alone (no hashing) for comparison
        try (LocalDatabase db = LocalDatabase.open(dir, key)) {
            ProfileRepository repo = new ProfileRepository(db, Clock.systemUTC());
            long tr = System.nanoTime();
            long[] count = {0};
            AuditLog.forEachInOrder(db.dsl(), it -> it.forEachRemaining(e -> count[0]++));
            System.out.printf("reading %,d entries alone (no hashing): %.2f s%n", count[0], (System.nanoTime() - tr) / 1e9);
            for (int run = 1; run <= 3; run++) {
                long t = System.nanoTime();
                AuditVerifier.Result r = repo.verifyAudit();
                long ns = System.nanoTime() - t;
                if (!r.ok() || r.entries() != n) throw new IllegalStateException("chain does not verify: " + r);
                System.out.printf("verify %,d entries from the encrypted database (run %d): %.2f s%n", n, run, ns / 1e9);
            }
        }
    }

    private static String pct(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", at(s, 0.50), at(s, 0.90), at(s, 0.99), s[s.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
