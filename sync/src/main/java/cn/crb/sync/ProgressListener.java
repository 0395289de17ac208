package cn.crb.sync;

/** Receives progress of a sync run, on the sync's own thread (a UI must hop to its thread itself). */
@FunctionalInterface
public interface ProgressListener {
    /** The phases of a run, in order. */
    enum Phase { TREE_HEAD, STANDARDS, ASSIGNMENTS, CHECKPOINT, PUSH, DONE }

    /** One progress step: {@code done} of {@code total} units of the phase ({@code total} -1 when unknown). */
    record Progress(Phase phase, String message, long done, long total) {}

    void onProgress(Progress progress);

    /** Ignores progress. */
    ProgressListener NONE = p -> { };
}
