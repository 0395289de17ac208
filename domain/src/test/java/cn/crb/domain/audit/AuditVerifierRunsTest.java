package cn.crb.domain.audit;

import cn.crb.domain.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chain walked as runs (in parallel, by seq range) gives exactly the result of one walk: for an intact chain and
 * for every kind of tampering, at every way of cutting it into runs.
 */
class AuditVerifierRunsTest {
    private static List<AuditEntry> chain(int n) {
        List<AuditEntry> out = new ArrayList<>();
        AuditEntry prev = null;
        Instant t = Instant.parse("2026-11-25T08:00:00Z");
        for (int i = 0; i < n; i++) {
            prev = AuditEntry.next(prev, t.plusMillis(i * 37L), "key" + (i % 3), AuditAction.values()[i % AuditAction.values().length],
                    "case", "C-" + i, Json.object().put("i", i));
            out.add(prev);
        }
        return out;
    }

    /** Cuts the rows into runs at the given seq boundaries, as the database walk does (rows with lo <= seq < hi). */
    private static AuditVerifier.Result inRuns(List<AuditEntry> rows, long[] cuts, Map<Long, String> cps) {
        List<AuditVerifier.Run> runs = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.length; i++) {
            long lo = cuts[i], hi = cuts[i + 1];
            runs.add(AuditVerifier.walk(rows.stream().filter(e -> e.seq() >= lo && e.seq() < hi).iterator(), cps));
        }
        return AuditVerifier.combine(runs, cps);
    }

    @Test
    void everyCutGivesTheResultOfOneWalk() {
        List<AuditEntry> good = chain(120);
        Map<Long, String> cps = new HashMap<>(Map.of(40L, good.get(39).hash(), 100L, good.get(99).hash()));
        List<UnaryOperator<List<AuditEntry>>> tamperings = List.of(
                rows -> rows,
                rows -> { rows.set(57, rows.get(57).withHash("f".repeat(64))); return rows; },                                  // changed hash
                rows -> { AuditEntry e = rows.get(0); rows.set(0, new AuditEntry(1, e.at(), "intruder", e.action(), e.entityType(),
                        e.entityId(), e.detailSm3(), e.prevHash(), e.hash())); return rows; },                                       // changed field, first row
                rows -> { rows.remove(63); return rows; },                                                                          // deleted
                rows -> { rows.remove(119); rows.remove(118); return rows; },                                                       // tail cut (checkpoint 100 still fine)
                rows -> { while (rows.size() > 90) rows.removeLast(); return rows; },                                              // tail cut below checkpoint 100
                rows -> { AuditEntry a = rows.get(30), b = rows.get(31);                                                            // two rows swapped in content
                    rows.set(30, new AuditEntry(31, b.at(), b.actorKeyId(), b.action(), b.entityType(), b.entityId(), b.detailSm3(), b.prevHash(), b.hash()));
                    rows.set(31, new AuditEntry(32, a.at(), a.actorKeyId(), a.action(), a.entityType(), a.entityId(), a.detailSm3(), a.prevHash(), a.hash()));
                    return rows; },
                rows -> { AuditEntry e = rows.get(70);                                                                              // a row inserted, rechained after
                    List<AuditEntry> out = new ArrayList<>(rows.subList(0, 70));
                    AuditEntry forged = AuditEntry.next(rows.get(69), Instant.parse("2026-11-25T09:00:00Z"), "x", AuditAction.DECISION_SIGNED, "case", "FORGED", null);
                    out.add(forged);
                    for (AuditEntry r : rows.subList(70, rows.size())) out.add(new AuditEntry(r.seq() + 1, r.at(), r.actorKeyId(), r.action(),
                            r.entityType(), r.entityId(), r.detailSm3(), r.prevHash(), r.hash()));
                    return out; },
                rows -> { rows.set(39, rows.get(39).withHash(rows.get(39).computeHash())); cps.put(40L, "0".repeat(64)); return rows; } // checkpoint disagrees
        );
        Random random = new Random(7);
        int i = 0;
        for (UnaryOperator<List<AuditEntry>> t : tamperings) {
            List<AuditEntry> rows = t.apply(new ArrayList<>(good));
            AuditVerifier.Result one = AuditVerifier.verify(rows.iterator(), cps);
            // a tail cut after the last checkpoint is invisible to a local chain (the platform's checkpoints catch it)
            assertThat(one.ok()).as("tampering %d", i).isEqualTo(i == 0 || i == 4);
            i++;
            for (int trial = 0; trial < 200; trial++) {
                int k = 1 + random.nextInt(6);
                long[] cuts = new long[k + 1];
                cuts[0] = Long.MIN_VALUE;
                cuts[k] = Long.MAX_VALUE;
                for (int c = 1; c < k; c++) cuts[c] = 1 + random.nextInt(125);
                java.util.Arrays.sort(cuts);
                assertThat(inRuns(rows, cuts, cps)).as("tampering %d cut at %s", i - 1, java.util.Arrays.toString(cuts)).isEqualTo(one);
            }
        }
    }
}
