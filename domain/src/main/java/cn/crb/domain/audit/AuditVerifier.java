package cn.crb.domain.audit;

import java.util.Iterator;
import java.util.Map;

/**
 * Walks an audit chain in seq order and reports the first entry that does not match:
 * a changed entry (hash mismatch), a removed or inserted one (seq gap or prevHash mismatch), or a reordering;
 * and, given the signed audit checkpoints {@code {seq, hash}} the workstation holds, any checkpoint that does not match
 * the chain (a different hash at its seq, or a seq beyond the chain's end: a removed tail).
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    /** The result: ok with the count and head hash, or the first bad seq and why. */
    public record Result(boolean ok, long entries, String headHash, Long firstBadSeq, String problem) {}

    public static Result verify(Iterator<AuditEntry> entries) {
        return verify(entries, Map.of());
    }

    /** As {@link #verify(Iterator)}, also checking each checkpoint (seq → hash) against the entry at its seq. */
    public static Result verify(Iterator<AuditEntry> entries, Map<Long, String> checkpoints) {
        return combine(java.util.List.of(walk(entries, checkpoints)), checkpoints);
    }

    /**
     * What one contiguous run of the chain (rows in seq order, e.g. one seq range) says about itself, checked from its
     * own first row on: seq continuity, links, each entry's hash and the checkpoints inside it. Whether its first row
     * follows the run before it is left to {@link #combine}. Runs can so be walked in parallel and give exactly the
     * result of one walk over the whole chain.
     *
     * @param firstSeq   seq of the run's first row (meaningless when {@code rows == 0})
     * @param firstPrev  prevHash of the run's first row
     * @param good       rows checked good before {@code badSeq} (all rows when none is bad)
     * @param head       hash of the last good row (the first row's prevHash when none is good)
     * @param nextSeq    the seq expected after the last good row
     * @param badSeq     the first bad row's seq, or null
     * @param problem    why it is bad, or null
     * @param rows       whether the run held any row at all (0 or 1)
     */
    public record Run(long firstSeq, String firstPrev, long good, String head, long nextSeq, Long badSeq, String problem, int rows) {
        static final Run EMPTY = new Run(0, null, 0, null, 0, null, null, 0);
    }

    /** Walks one run (see {@link Run}); {@code checkpoints} are those of the whole chain. */
    public static Run walk(Iterator<AuditEntry> entries, Map<Long, String> checkpoints) {
        if (!entries.hasNext()) return Run.EMPTY;
        AuditEntry e = entries.next();
        final long firstSeq = e.seq();
        final String firstPrev = e.prevHash();
        long expectedSeq = firstSeq;
        String prev = firstPrev;
        long n = 0;
        while (true) {
            String problem = null;
            if (e.seq() != expectedSeq) problem = "expected seq " + expectedSeq + " but found " + e.seq();
            else if (!e.prevHash().equals(prev)) problem = "prevHash does not link to the previous entry";
            else if (!e.computeHash().equals(e.hash())) problem = "entry content does not match its hash";
            else {
                String signed = checkpoints.get(e.seq());
                if (signed != null && !signed.equals(e.hash())) problem = "a signed audit checkpoint holds another hash for this entry";
            }
            if (problem != null) return new Run(firstSeq, firstPrev, n, prev, expectedSeq, e.seq(), problem, 1);
            prev = e.hash();
            expectedSeq++;
            n++;
            if (!entries.hasNext()) return new Run(firstSeq, firstPrev, n, prev, expectedSeq, null, null, 1);
            e = entries.next();
        }
    }

    /**
     * Joins runs that together hold every row of the chain, in seq order: each run must start where the one before it
     * ended (seq and link), and the first at seq 1 on the genesis hash. The result names the first bad entry of the
     * whole chain, as a single walk would.
     */
    public static Result combine(java.util.List<Run> runs, Map<Long, String> checkpoints) {
        long expectedSeq = 1;
        String prev = AuditEntry.GENESIS;
        long n = 0;
        for (Run r : runs) {
            if (r.rows() == 0) continue;
            if (r.firstSeq() != expectedSeq) return new Result(false, n, prev, r.firstSeq(), "expected seq " + expectedSeq + " but found " + r.firstSeq());
            if (!r.firstPrev().equals(prev)) return new Result(false, n, prev, r.firstSeq(), "prevHash does not link to the previous entry");
            if (r.badSeq() != null) return new Result(false, n + r.good(), r.head(), r.badSeq(), r.problem());
            n += r.good();
            prev = r.head();
            expectedSeq = r.nextSeq();
        }
        if (!checkpoints.isEmpty()) {
            long last = java.util.Collections.max(checkpoints.keySet());
            if (last >= expectedSeq) {
                return new Result(false, n, prev, expectedSeq, "the chain ends at seq " + (expectedSeq - 1)
                        + " but a signed audit checkpoint covers seq " + last + " (entries removed from the end)");
            }
        }
        return new Result(true, n, prev, null, null);
    }
}
