package cn.crb.localdb;

/**
 * The life of a bulk import job. IMPORTING while the file is read; then READY (rows queued for upload), EMPTY
 * (nothing new to send), BLOCKED (all-or-nothing with invalid rows, every row invalid, or a header without a required
 * column: nothing queued), CANCELLED (stopped by the clerk: nothing queued); UPLOADING once the upload began; COMPLETE when the
 * platform returned its per-row results.
 */
public enum BulkJobState {
    IMPORTING, READY, EMPTY, BLOCKED, CANCELLED, UPLOADING, COMPLETE;

    /** True for the states in which the job's file and rows count as imported (a second import is a no-op). */
    public boolean live() { return this == READY || this == EMPTY || this == UPLOADING || this == COMPLETE; }
}
