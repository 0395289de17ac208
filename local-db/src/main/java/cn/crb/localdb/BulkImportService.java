package cn.crb.localdb;

import cn.crb.domain.bulk.BatchCrypto;
import cn.crb.domain.bulk.BulkFileException;
import cn.crb.domain.bulk.BulkImporter;
import cn.crb.domain.bulk.BulkRow;
import cn.crb.domain.bulk.EncodingDetector;
import cn.crb.domain.bulk.EvidenceSource;
import cn.crb.domain.bulk.FileFacts;
import cn.crb.domain.bulk.FileFormat;
import cn.crb.domain.bulk.HeaderMap;
import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.ImportSink;
import cn.crb.domain.bulk.ImportSummary;
import cn.crb.domain.bulk.Messages;
import cn.crb.domain.bulk.PreparedRow;
import cn.crb.domain.bulk.Problem;
import cn.crb.domain.bulk.RawRow;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.bulk.RejectsWriter;
import cn.crb.domain.bulk.RowValidator;
import cn.crb.domain.bulk.SourceFormat;
import cn.crb.domain.bulk.TextEncoding;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * What the clerk's screens call to import a bulk file and export its rejects. {@link #inspect} shows the detected
 * format, encoding and SM3 before importing; {@link #importFile} reads, checks, prepares (masks, digests, encrypts
 * under a fresh batch key) and stores the rows in one streaming pass, with progress and cancellation, run it off the
 * FX thread. Guarantees: a file already imported (same SM3, live job) is not imported again; rows already stored by
 * an earlier job are skipped; a cancelled or all-or-nothing-blocked import queues nothing; invalid rows are kept for
 * {@link #exportRejects}. Stateless apart from the database; thread-safe.
 */
public final class BulkImportService {
    /** Rows per chunk of an upload. */
    public static final int CHUNK_SIZE = 1000;
    private final BulkRepository repository;
    private final Clock clock;
    private final BulkRepository.Auditor auditor;

    /**
     * {@code actorKeyId}: the key id of the clerk at the workstation, named in the audit entries of the imports
     * ("batch imported") and of the exports of rejected rows ("personal data revealed").
     */
    public BulkImportService(BulkRepository repository, Clock clock, String actorKeyId) {
        this.repository = Objects.requireNonNull(repository);
        this.clock = Objects.requireNonNull(clock);
        this.auditor = new BulkRepository.Auditor(actorKeyId, clock);
    }

    /**
     * One import request: the file, how to read it (encoding/delimiter/sheet overrides and caps), the clerk's
     * institution, the standards bundle in force, the evidence chosen with the file, all-or-nothing or partial, and
     * the clerk's language for messages.
     */
    public record ImportRequest(Path file, ReadOptions options, String institution, StandardsBundle standards,
                                EvidenceSource evidence, ImportMode mode, Locale locale) {
        public ImportRequest {
            Objects.requireNonNull(file);
            options = options == null ? ReadOptions.DEFAULT : options;
            evidence = evidence == null ? EvidenceSource.none() : evidence;
            mode = mode == null ? ImportMode.PARTIAL : mode;
            locale = locale == null ? Locale.SIMPLIFIED_CHINESE : locale;
        }
    }

    /**
     * What an import came to. {@code alreadyImported} true: the same file was imported before as {@code job}, nothing
     * was read. Otherwise {@code summary} holds the counts of this reading and {@code job} the stored job
     * (its {@code skippedRows} counts valid rows already stored by earlier jobs).
     */
    public record ImportOutcome(BulkJob job, ImportSummary summary, boolean alreadyImported) {}

    /** The file's format, detected encoding and SM3, and whether it was already imported. Reads the file once. */
    public record Inspection(FileFacts facts, Optional<BulkJob> alreadyImportedAs) {}

    public Inspection inspect(Path file, ReadOptions options, Locale locale) throws IOException, BulkFileException {
        FileFacts facts = EncodingDetector.inspect(file, options.limits(), Messages.of(locale));
        return new Inspection(facts, repository.liveJobByFileSm3(facts.sm3()));
    }

    /**
     * Imports a file. {@code progress} is called every few hundred rows; {@code cancelled} is polled before every
     * row. Throws {@link BulkFileException} (nothing stored) when the file cannot be read safely, or when another import stored
     * some of the same rows while this one ran.
     */
    public ImportOutcome importFile(ImportRequest req, ImportProgress progress, BooleanSupplier cancelled) throws IOException, BulkFileException {
        Messages messages = Messages.of(req.locale());
        FileFacts facts = EncodingDetector.inspect(req.file(), req.options().limits(), messages);
        Optional<BulkJob> earlier = repository.liveJobByFileSm3(facts.sm3());
        if (earlier.isPresent()) return new ImportOutcome(earlier.get(), null, true);

        BatchCrypto crypto = BatchCrypto.create(BatchCrypto.provinceKeyFor(req.standards(), req.institution()));
        // built before the job exists: if it cannot be, no job is left behind IMPORTING
        RowValidator validator = new RowValidator(req.standards(), clock, req.evidence(), messages, req.options().limits().maxFieldChars());
        TextEncoding enc = facts.format() == FileFormat.CSV ? (req.options().encoding() != null ? req.options().encoding() : facts.detectedEncoding()) : null;
        long jobId = repository.createJob(new BulkRepository.NewJob(req.file().getFileName().toString(), facts.sm3(), facts.format().name(),
                enc == null ? null : enc.name(), req.options().delimiter(), List.of(), req.institution(), req.standards().version().toString(),
                req.mode().name(), UUID.randomUUID().toString(), Json.write(crypto.keyEnvelope()), CHUNK_SIZE), OffsetDateTime.now(clock));
        ImportSummary summary;
        StoringSink sink = new StoringSink(jobId, crypto);
        try (sink) {
            summary = new BulkImporter(validator, messages).run(facts, req.options(), sink, progress, cancelled);
            if (!summary.cancelled() && summary.rows() > 0) progress.finishing(summary.rows());
            sink.flush();
        } catch (BulkFileException | IOException | RuntimeException e) {
            repository.deleteJob(jobId);
            throw e;
        }
        BulkJobState state;
        if (summary.cancelled()) state = BulkJobState.CANCELLED;
        // every row refused (often the file read in the wrong encoding): nothing is queued, and the same file may be
        // imported again — with another encoding, say — which an EMPTY job, counted as imported, would turn into a no-op
        else if (!summary.submittable(req.mode()) || summary.accepted() == 0 && summary.rejected() > 0) state = BulkJobState.BLOCKED;
        else state = summary.accepted() - sink.skipped == 0 ? BulkJobState.EMPTY : BulkJobState.READY;
        // a file without its header row has a row of data there: stored masked (the clerk still holds the file)
        repository.updateFormat(jobId, summary.encoding() == null ? null : summary.encoding().name(), summary.delimiter(),
                cn.crb.domain.bulk.HeaderMap.storable(summary.header()));
        try {
            repository.finishImport(jobId, state, summary.rows(), summary.accepted(), summary.rejected(), sink.skipped, sink.keys, auditor);
        } catch (BulkRepository.IdentityConflictException e) {
            repository.deleteJob(jobId);
            // the same file, imported meanwhile by another import that ended first: this one becomes a no-op
            Optional<BulkJob> same = repository.liveJobByFileSm3(facts.sm3());
            if (same.isPresent()) return new ImportOutcome(same.get(), summary, true);
            // another file holding some of the same rows: nothing of this import is kept; importing it again skips them
            throw new BulkFileException(cn.crb.domain.bulk.ProblemCode.DUPLICATE_ROW, messages.text("IMPORT_CONCURRENT_ROWS"), e);
        } catch (org.jooq.exception.DataAccessException e) {
            repository.deleteJob(jobId);
            Optional<BulkJob> same = repository.liveJobByFileSm3(facts.sm3());
            // the same file was made live concurrently by another import: this one becomes a no-op
            if (same.isPresent()) return new ImportOutcome(same.get(), summary, true);
            throw e;
        }
        return new ImportOutcome(repository.job(jobId).orElseThrow(), summary, false);
    }

    /**
     * Writes the job's rejected rows to {@code out} in the original format and encoding, with an errors column, and
     * records in the audit log that they were revealed (the cells as read, personal data in clear). Returns the rows
     * written. The file appears under its name only once the audit entry is written; on any failure there is none.
     */
    public long exportRejects(long jobId, Path out, Locale locale) throws IOException {
        BulkJob job = repository.job(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId));
        SourceFormat source = new SourceFormat(FileFormat.valueOf(job.format()), job.encoding() == null ? null : TextEncoding.valueOf(job.encoding()),
                job.delimiter(), job.header());
        long[] n = {0};
        // written beside the target first: the file appears under its name only once its revealing is on the audit
        // chain, and a failure on the way (a sealed row that cannot be opened, a full disk) leaves no rows in clear
        Path part = out.resolveSibling("." + out.getFileName() + ".part");
        boolean done = false;
        try {
            try (RejectsWriter w = RejectsWriter.open(part, source, locale)) {
                repository.forEachReject(jobId, r -> {
                    try {
                        w.write(r.cells(), r.problems());
                        n[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (n[0] > 0) {
                try (var in = java.nio.file.Files.newInputStream(part)) {
                    repository.recordRejectsExported(jobId, n[0], cn.crb.domain.crypto.Sm3.hex(in), auditor);
                }
            }
            java.nio.file.Files.move(part, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } finally {
            if (!done) java.nio.file.Files.deleteIfExists(part);
        }
        return n[0];
    }

    /**
     * Buffers rows and rejects and stores them {@link BulkRepository#BATCH} at a time on a thread of its own
     * ("bulk-store"), so that reading, checking and protecting the next rows (the importer's thread) overlaps with
     * the database writing the last ones: on two cores they no longer take turns. Batches are stored one after the
     * other in the order they were read (one thread), at most {@link #IN_FLIGHT} waiting, so memory stays bounded.
     * A failure of the store thread is raised in the importer's thread at the next batch or at {@link #flush}.
     * The counters and keys are written only by the store thread and read after {@link #flush} returned.
     */
    private final class StoringSink implements ImportSink, AutoCloseable {
        private static final int IN_FLIGHT = 2;
        private final long jobId;
        private final BatchCrypto crypto;
        private final java.util.concurrent.ExecutorService store = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bulk-store");
            t.setDaemon(true);
            return t;
        });
        private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(IN_FLIGHT);
        private final java.util.ArrayDeque<java.util.concurrent.Future<?>> pending = new java.util.ArrayDeque<>();
        private List<PreparedRow> rows = new ArrayList<>(BulkRepository.BATCH);
        private List<BulkRepository.Reject> rejects = new ArrayList<>();
        /** The identity keys of the rows stored, registered when the job ends. */
        private final BulkRepository.JobKeys keys = new BulkRepository.JobKeys();
        private long skipped;
        /** Rows of this job stored so far: the next row's SEQ. */
        private long stored;

        StoringSink(long jobId, BatchCrypto crypto) {
            this.jobId = jobId;
            this.crypto = crypto;
        }

        @Override
        public void header(HeaderMap header) {
            if (!header.problems().isEmpty()) rejects.add(new BulkRepository.Reject(1, null, header.problems()));
        }

        @Override
        public void accepted(BulkRow row) {
            rows.add(crypto.prepare(row));
            if (rows.size() >= BulkRepository.BATCH) flushRows();
        }

        @Override
        public void rejected(RawRow row, List<Problem> problems) {
            rejects.add(new BulkRepository.Reject(row.rowNumber(), row.texts(), problems));
            if (rejects.size() >= BulkRepository.BATCH) flushRejects();
        }

        /** Hands the rows and rejects buffered to the store thread and waits until everything handed over is stored. */
        void flush() {
            flushRows();
            flushRejects();
            while (!pending.isEmpty()) await(pending.poll());
        }

        private void flushRows() {
            if (rows.isEmpty()) return;
            List<PreparedRow> batch = rows;
            rows = new ArrayList<>(BulkRepository.BATCH);
            submit(() -> {
                int n = repository.appendRows(jobId, stored, batch, keys);
                stored += n;
                skipped += batch.size() - n;
            });
        }

        private void flushRejects() {
            if (rejects.isEmpty()) return;
            List<BulkRepository.Reject> batch = rejects;
            rejects = new ArrayList<>();
            submit(() -> repository.appendRejects(jobId, batch));
        }

        private void submit(Runnable work) {
            // a failure of an earlier batch stops the import here rather than after the whole file was read
            while (!pending.isEmpty() && pending.peek().isDone()) await(pending.poll());
            slots.acquireUninterruptibly();
            try {
                pending.add(store.submit(() -> {
                    try {
                        work.run();
                    } finally {
                        slots.release();
                    }
                }));
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
        }

        private static void await(java.util.concurrent.Future<?> f) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the rows were stored", e);
            }
        }

        /** Stops the store thread after the batches handed over (an import that failed waits for them before its job is removed). */
        @Override
        public void close() {
            store.shutdown();
            boolean interrupted = false;
            while (true) {
                try {
                    // a batch still being written must end before the job can be removed
                    if (store.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
