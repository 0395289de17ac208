package cn.crb.domain.audit;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

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
        TreeMap<Long, String> cps = new TreeMap<>(checkpoints);
        long expectedSeq = 1;
        String prev = AuditEntry.GENESIS;
        long n = 0;
        while (entries.hasNext()) {
            AuditEntry e = entries.next();
            if (e.seq() != expectedSeq) return new Result(false, n, prev, e.seq(), "expected seq " + expectedSeq + " but found " + e.seq());
            if (!e.prevHash().equals(prev)) return new Result(false, n, prev, e.seq(), "prevHash does not link to the previous entry");
            if (!e.computeHash().equals(e.hash())) return new Result(false, n, prev, e.seq(), "entry content does not match its hash");
            String signed = cps.get(e.seq());
            if (signed != null && !signed.equals(e.hash())) {
                return new Result(false, n, prev, e.seq(), "a signed audit checkpoint holds another hash for this entry");
            }
            prev = e.hash();
            expectedSeq++;
            n++;
        }
        if (!cps.isEmpty() && cps.lastKey() >= expectedSeq) {
            long missing = cps.lastKey();
            return new Result(false, n, prev, expectedSeq, "the chain ends at seq " + (expectedSeq - 1)
                    + " but a signed audit checkpoint covers seq " + missing + " (entries removed from the end)");
        }
        return new Result(true, n, prev, null, null);
    }
}
