package cn.crb.sync;

import cn.crb.domain.bulk.BatchChunker;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.localdb.BulkJob;
import cn.crb.localdb.BulkJobState;
import cn.crb.localdb.BulkRepository;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Uploads the queued rows of one import job as a platform batch and stores the platform's per-row results.
 * Resumable at every step: the batchId and the SM2-wrapped batch key were fixed at import, and the prepared rows
 * are stored, so chunks are byte-identical on every attempt; the upload first asks the platform what it holds
 * ({@code GET}), creates the batch only when the platform does not know it, sends only the missing chunks,
 * then completes with the clerk's signed {@code creditbank.submission-batch/1} — signed once, stored and audited before
 * it is first sent, sent as stored on every later attempt — and keeps the platform's receipt only once its inclusion
 * proof verifies, under a head signed by the pinned platform key, for that envelope. A crash, a dropped connection or a
 * cancel leaves the job UPLOADING, and calling {@link #upload} again finishes it without sending a row twice.
 * Blocks; run it off the FX thread.
 */
public final class BulkUploader {
    private final BulkRepository repository;
    private final BatchClient client;
    private final Clock clock;
    private final TransparencyVerifier log;

    /** Signs the submission envelope in role CLERK (the app asks for the passphrase and opens the keystore). */
    @FunctionalInterface
    public interface Signer {
        Envelope sign(Envelope unsigned);
    }

    /** Progress of an upload: chunks the platform holds out of the total. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> {};

        void update(int chunksHeld, int chunkCount);
    }

    /** At most this many refused rows are carried in a {@link Result}; {@code refused} counts them all. */
    public static final int REFUSED_ROWS_LISTED = 1_000;

    /** The code of the {@link PlatformException} (PROTOCOL) thrown when the completion's receipt does not verify. */
    public static final String RECEIPT_UNVERIFIED = "RECEIPT_UNVERIFIED";

    /** The platform's codes that refuse the completion envelope itself (contract 04): a new one is signed next time. */
    static final Set<String> ENVELOPE_REFUSALS = Set.of("ROLE_NOT_ALLOWED", "UNKNOWN_KEY", "BAD_SIGNATURE", "MALFORMED");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BulkUploader.class);

    /**
     * The end of an upload: COMPLETE with the counts of rows accepted and refused, or still UPLOADING when cancelled.
     * {@code refusedRows}: the first {@link #REFUSED_ROWS_LISTED} rows the platform did not accept, with its code (the
     * accepted ones are only counted; a batch refused whole, e.g. sent twice, is not loaded whole either).
     */
    public record Result(long jobId, String batchId, BulkJobState state, long accepted, long refused, List<BulkRepository.RowResult> refusedRows) {
        public Result {
            refusedRows = List.copyOf(refusedRows);
        }
    }

    /** {@code platformKey}: the pinned platform key the completion's receipt must verify against. */
    public BulkUploader(BulkRepository repository, BatchClient client, Clock clock, java.security.PublicKey platformKey) {
        this.repository = Objects.requireNonNull(repository);
        this.client = Objects.requireNonNull(client);
        this.clock = Objects.requireNonNull(clock);
        this.log = new TransparencyVerifier(Objects.requireNonNull(platformKey));
    }

    /**
     * The stored completion, checked as a queued envelope is before it is sent: it must still read as an envelope whose
     * SM3 is the one recorded when it was stored. One that is not is never sent: it is set aside (ENVELOPE_REFUSED,
     * audited) and {@link CompletionAlteredException} says so; the next attempt signs a new one from the job's rows.
     */
    private Envelope unaltered(long jobId, BulkRepository.StoredCompletion stored) {
        String problem;
        Envelope env = null;
        try {
            env = Envelope.fromJson(Json.parse(stored.envelopeJson()));
            problem = stored.recordedSm3() == null || env.sm3().equals(stored.recordedSm3()) ? null
                    : "its SM3 is " + env.sm3() + ", " + stored.recordedSm3() + " was recorded when it was signed";
        } catch (RuntimeException e) {
            problem = "it is no longer a readable envelope: " + e.getMessage();
        }
        if (problem == null) return env;
        String sm3 = stored.recordedSm3() != null ? stored.recordedSm3() : "unreadable";
        repository.discardCompletion(jobId, sm3, cn.crb.localdb.OutboxRepository.LOCAL_INTEGRITY, null, clock);
        throw new CompletionAlteredException(jobId, problem);
    }

    /** The stored completion of a job was altered in the database; it was not sent (see {@link #unaltered}). */
    public static final class CompletionAlteredException extends IllegalStateException {
        private final long jobId;

        CompletionAlteredException(long jobId, String problem) {
            super("the signed completion of job " + jobId + " was altered in the local database (" + problem
                    + "); it was not sent and was set aside: submit again to sign a new one");
            this.jobId = jobId;
        }

        public long jobId() { return jobId; }
    }

    /**
     * Sends what the platform does not hold yet and completes the batch. {@code cancelled} is asked before each chunk; a
     * cancel between chunks, or while a request waits to be retried (when the client was made with the same
     * {@code cancelled}), ends with the job UPLOADING.
     */
    public Result upload(long jobId, Signer signer, Progress progress, BooleanSupplier cancelled) throws PlatformException {
        try {
            return send(jobId, signer, progress, cancelled);
        } catch (BatchClient.Cancelled c) {
            // cancelled while a request waited to be retried: as a cancel between chunks, the job stays UPLOADING
            return new Result(jobId, repository.job(jobId).orElseThrow().batchId(), BulkJobState.UPLOADING, 0, 0, List.of());
        }
    }

    private Result send(long jobId, Signer signer, Progress progress, BooleanSupplier cancelled) throws PlatformException {
        BulkJob job = repository.job(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId));
        if (job.state() == BulkJobState.COMPLETE) return result(job, BulkJobState.COMPLETE);
        if (job.state() != BulkJobState.READY && job.state() != BulkJobState.UPLOADING) {
            throw new IllegalStateException("job " + jobId + " is " + job.state() + ": nothing to upload");
        }
        repository.setState(jobId, BulkJobState.UPLOADING);
        BatchClient.BatchStatus status;
        try {
            status = client.status(job.batchId());
        } catch (PlatformException e) {
            if (e.httpStatus() != 404) throw e;
            status = client.create(job.batchId(), job.institution(), job.batchRows(), job.chunkSize(), job.fileSm3(), Json.parse(job.keyEnvelopeJson()));
        }
        int count = job.chunkCount();
        Set<Integer> held = new java.util.TreeSet<>(status.received());
        List<String> sm3s = new ArrayList<>(count);
        progress.update(held.size(), count);
        // every chunk is read below (for its SM3), so the rows' numbers come with them and completing need not read them again
        BulkRepository.RowNumbers numbers = new BulkRepository.RowNumbers(job.batchRows());
        if (!"COMPLETE".equals(status.state())) {
            for (int n = 0; n < count; n++) {
                List<String> rows = repository.chunkRows(jobId, n, job.chunkSize(), numbers);
                BatchChunker.Chunk chunk = BatchChunker.chunk(n, rows);
                sm3s.add(chunk.sm3());
                if (!held.contains(n)) {
                    if (cancelled.getAsBoolean()) return new Result(jobId, job.batchId(), BulkJobState.UPLOADING, 0, 0, List.of());
                    repository.chunkState(jobId, n, chunk.sm3(), rows.size(), "SENT");
                    held.addAll(client.putChunk(job.batchId(), chunk).received());
                    progress.update(held.size(), count);
                }
                repository.chunkState(jobId, n, chunk.sm3(), rows.size(), "ACKNOWLEDGED");
            }
        } else {
            for (int n = 0; n < count; n++) sm3s.add(BatchChunker.chunk(n, repository.chunkRows(jobId, n, job.chunkSize(), numbers)).sm3());
        }
        // signed once, stored with its audit entry before it is first sent, and sent as stored on every later attempt:
        // a completion whose answer was lost (crash, dropped connection) is answered with the receipt of the envelope
        // the platform took, which must be the one held here
        Envelope signed;
        Optional<BulkRepository.StoredCompletion> stored = repository.storedCompletion(jobId);
        // the platform completed the batch with a completion this workstation no longer holds (signed before the
        // envelopes were stored, V47, or dropped after a refusal): its answer carries that one's receipt
        boolean completedWithAnother = "COMPLETE".equals(status.state()) && stored.isEmpty();
        if (stored.isPresent()) {
            signed = unaltered(jobId, stored.get());
            List<String> named = new ArrayList<>();
            signed.payload().path("chunkSm3s").forEach(x -> named.add(x.asText()));
            if (!named.equals(sm3s)) throw new IllegalStateException("the stored completion of job " + jobId + " names other chunks than the job holds");
        } else {
            signed = signer.sign(BatchChunker.submission(job.batchId(), job.batchRows(), job.fileSm3(), sm3s));
            repository.storeCompletion(jobId, Json.write(signed.toJson()), signed.sm3(), signed.signatures().getFirst().keyId(), clock);
        }
        BatchClient.Completion done;
        try {
            done = client.complete(job.batchId(), signed);
        } catch (PlatformException e) {
            // the platform refused the envelope itself (a role not allowed, a signature that does not verify) while the
            // batch is not complete there: it will never be taken, and the next attempt signs a new one. Not on a
            // proxy's 403 or 404, nor on a batch still missing chunks: the stored envelope may be the one it takes
            if (e.kind() == PlatformException.Kind.REFUSED && e.code() != null && ENVELOPE_REFUSALS.contains(e.code())
                    && !"COMPLETE".equals(status.state())) {
                repository.discardCompletion(jobId, signed.sm3(), e.code(), signed.signatures().getFirst().keyId(), clock);
            }
            throw e;
        }
        if (done.receipt() != null) {
            try {
                log.receipt(signed.toJson(), done.receipt());
            } catch (TransparencyVerifier.UntrustedException e) {
                if (!completedWithAnother) {
                    throw new PlatformException(PlatformException.Kind.PROTOCOL, 0, RECEIPT_UNVERIFIED,
                            "the platform's receipt for the completion of batch " + job.batchId() + " did not verify: " + e.getMessage(), e);
                }
                // the receipt is for the earlier completion, which is not here to check it against: its head must still
                // be the platform's, and the results are kept (else the job would wait forever for a receipt it cannot get)
                try {
                    log.head(done.receipt().get("treeHead"));
                } catch (TransparencyVerifier.UntrustedException h) {
                    throw new PlatformException(PlatformException.Kind.PROTOCOL, 0, RECEIPT_UNVERIFIED,
                            "the platform's receipt for the completion of batch " + job.batchId() + " is not signed by the platform: " + h.getMessage(), h);
                }
                LOG.warn("batch {} was completed on the platform with an earlier completion this workstation does not hold; its receipt is kept unchecked against it", job.batchId());
            }
        }
        List<BulkRepository.RowResult> results = done.results().stream()
                .map(r -> new BulkRepository.RowResult(r.rowNumber(), r.status(), r.code())).toList();
        repository.complete(jobId, results, done.receipt(), OffsetDateTime.now(clock), numbers);
        return result(repository.job(jobId).orElseThrow(), BulkJobState.COMPLETE);
    }

    private Result result(BulkJob job, BulkJobState state) {
        // counted, not loaded: a million accepted rows need not be read to say so
        BulkRepository.ResultCounts counts = repository.resultCounts(job.id());
        return new Result(job.id(), job.batchId(), state, counts.accepted(), counts.refused(), repository.refusedResults(job.id(), REFUSED_ROWS_LISTED));
    }
}
