package cn.crb.sync;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks a running sync to stop. Thread-safe: the UI cancels from its thread, the sync checks between requests and
 * pages; work already committed stays committed and the rest is left for the next run.
 */
public final class CancellationToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** A token that is never cancelled. */
    public static CancellationToken none() { return new CancellationToken(); }

    public void cancel() { cancelled.set(true); }

    public boolean isCancelled() { return cancelled.get(); }
}
