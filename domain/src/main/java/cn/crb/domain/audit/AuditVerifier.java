package cn.crb.domain.audit;

import java.util.Iterator;

/**
 * Walks an audit chain in seq order and reports the first entry that does not match:
 * a changed entry (hash mismatch), a removed or inserted one (seq gap or prevHash mismatch), or a reordering.
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    /** The result: ok with the count and head hash, or the first bad seq and why. */
    public record Result(boolean ok, long entries, String headHash, Long firstBadSeq, String problem) {}

    public static Result verify(Iterator<AuditEntry> entries) {
        long expectedSeq = 1;
        String prev = AuditEntry.GENESIS;
        long n = 0;
        while (entries.hasNext()) {
            AuditEntry e = entries.next();
            if (e.seq() != expectedSeq) return new Result(false, n, prev, e.seq(), "expected seq " + expectedSeq + " but found " + e.seq());
            if (!e.prevHash().equals(prev)) return new Result(false, n, prev, e.seq(), "prevHash does not link to the previous entry");
            if (!e.computeHash().equals(e.hash())) return new Result(false, n, prev, e.seq(), "entry content does not match its hash");
            prev = e.hash();
            expectedSeq++;
            n++;
        }
        return new Result(true, n, prev, null, null);
    }
}
