package cn.crb.sync;

import java.time.Instant;
import java.util.List;

/**
 * What one sync run did. Counts cover this run only. {@link #outcome()} says whether everything that could be done
 * was done; whatever a run did not finish (pending envelopes, further pages) is picked up by the next run.
 *
 * @param outcome             how the run ended
 * @param problem             one line for a person when the outcome is not COMPLETE, else null
 * @param standardsInstalled  versions verified and installed
 * @param standardsRefused    versions refused, with the reason (held versions stay)
 * @param casesInserted       cases new to this workstation
 * @param casesUpdated        cases with a newer revision
 * @param casesWithdrawn      cases that left the inbox (their rows and local work stay)
 * @param pages               assignment pages applied
 * @param envelopesAccepted   envelopes the platform accepted, receipt verified
 * @param envelopesDuplicate  envelopes the platform already held (same effect as accepted), receipt verified
 * @param envelopesConflict   envelopes refused as CONFLICT (kept visible in the outbox)
 * @param envelopesRejected   envelopes refused as REJECTED (kept visible in the outbox)
 * @param checkpointQueued    whether an audit checkpoint was signed and queued
 * @param retries             requests retried after network errors, 5xx or 429
 * @param pendingLeft         envelopes still waiting in the outbox after the run
 * @param treeSize            size of the last verified tree head, or -1 when none is held
 * @param casesRefused        case documents received that could not be read, not applied (a revision held stays)
 * @param notBefore           when the platform asked not to be called again before, when the run stopped on a
 *                            {@code Retry-After} longer than it waits; else null. An automatic sync waits until then
 */
public record SyncReport(Outcome outcome, String problem, List<String> standardsInstalled, List<StandardsRefusal> standardsRefused,
                         int casesInserted, int casesUpdated, int casesWithdrawn, int pages,
                         int envelopesAccepted, int envelopesDuplicate, int envelopesConflict, int envelopesRejected,
                         boolean checkpointQueued, int retries, int pendingLeft, long treeSize, List<CaseRefusal> casesRefused,
                         Instant notBefore) {
    public SyncReport {
        standardsInstalled = List.copyOf(standardsInstalled);
        standardsRefused = List.copyOf(standardsRefused);
        casesRefused = List.copyOf(casesRefused);
    }

    public SyncReport(Outcome outcome, String problem, List<String> standardsInstalled, List<StandardsRefusal> standardsRefused,
                      int casesInserted, int casesUpdated, int casesWithdrawn, int pages,
                      int envelopesAccepted, int envelopesDuplicate, int envelopesConflict, int envelopesRejected,
                      boolean checkpointQueued, int retries, int pendingLeft, long treeSize) {
        this(outcome, problem, standardsInstalled, standardsRefused, casesInserted, casesUpdated, casesWithdrawn, pages, envelopesAccepted,
                envelopesDuplicate, envelopesConflict, envelopesRejected, checkpointQueued, retries, pendingLeft, treeSize, List.of(), null);
    }

    /** A case document the platform sent that this workstation could not read ({@code reason}, English, for support). */
    public record CaseRefusal(String caseId, String reason) {}

    /** How a run ended. */
    public enum Outcome {
        /** Everything was pulled and every pending envelope got an answer. */
        COMPLETE,
        /** The platform could not be reached often enough (retries used up): try again later; nothing is lost. */
        RETRY_LATER,
        /** The platform answered 401: enrol again; nothing queued is lost. */
        REENROL_NEEDED,
        /** The platform's tree head, receipt or consistency proof did not verify: the run stopped. Report loudly. */
        PLATFORM_UNTRUSTED,
        /** The platform refused a request or answered outside the contract. */
        FAILED,
        /** The run was cancelled. */
        CANCELLED
    }

    /** A standards version that was refused, and why. */
    /**
     * A version refused: {@code code} says why, for the person's language — {@code NOT_SERVED}, {@code VERSION_MISMATCH},
     * a {@code BundleVerifier.Refusal} or a {@code StandardsLibrary.Admission.Kind} name —, {@code reason} the detail
     * (English, for logs and support).
     */
    public record StandardsRefusal(String version, String code, String reason) {}

    public boolean complete() { return outcome == Outcome.COMPLETE; }

    /**
     * Whether the run changed what the screens show from the local database: cases pulled, updated or withdrawn, a
     * standards version installed, or envelopes answered. A run that reached nothing (offline) changes none of it, and
     * the screens need not read every cached case again.
     */
    public boolean changedLocalData() {
        return !standardsInstalled.isEmpty() || casesInserted + casesUpdated + casesWithdrawn > 0
                || envelopesAccepted + envelopesDuplicate + envelopesConflict + envelopesRejected > 0;
    }
}
