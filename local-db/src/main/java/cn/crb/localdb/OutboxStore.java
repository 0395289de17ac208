package cn.crb.localdb;

import org.jooq.DSLContext;

import static cn.crb.localdb.jooq.Tables.OUTBOX;

/** The local outbox of signed envelopes waiting to be sent (filled and drained by later features). */
public final class OutboxStore {
    /** Envelopes not yet accepted by the platform. */
    public int pendingCount(DSLContext dsl) {
        return dsl.fetchCount(OUTBOX, OUTBOX.STATE.in("QUEUED", "SENDING"));
    }
}
