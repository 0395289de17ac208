package cn.crb.domain.bench;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.audit.AuditEntry;
import cn.crb.domain.audit.AuditVerifier;
import cn.crb.domain.json.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Verifying a local audit chain of 1,000,000 entries in memory (contract 06: seq, link and SM3 of the canonical bytes
 * of every entry). Goal: ≤ 10 s. The entries look like the workstation's (64-hex key ids and SM3s, case ids, Chinese
 * free text never appears in an entry: details are hashed). Run with
 * {@code scripts/bench-evaluation.sh -f 1 -wi 1 -i 3 -bm ss} and the filter {@code AuditChainBenchmark} (see docs/performance.md).
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AuditChainBenchmark {
    static final int ENTRIES = 1_000_000;
    private List<AuditEntry> chain;

    @Setup
    public void build() {
        AuditAction[] actions = AuditAction.values();
        chain = new ArrayList<>(ENTRIES);
        AuditEntry prev = null;
        Instant t = Instant.parse("2026-11-25T08:00:00Z");
        String actor = "3f1c".repeat(16);
        for (int i = 0; i < ENTRIES; i++) {
            prev = AuditEntry.next(prev, t.plusMillis(i * 37L), actor, actions[i % actions.length], "case",
                    "C-2026-" + String.format("%06d", i % 50_000), Json.object().put("revision", i % 5).put("n", i));
            chain.add(prev);
        }
    }

    @Benchmark
    public AuditVerifier.Result verifyMillionEntries() {
        AuditVerifier.Result r = AuditVerifier.verify(chain.iterator());
        if (!r.ok() || r.entries() != ENTRIES) throw new IllegalStateException("chain does not verify: " + r);
        return r;
    }
}
