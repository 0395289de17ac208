package cn.crb.app.bulk;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.domain.bulk.BulkFileException;
import cn.crb.domain.bulk.BulkFileReader;
import cn.crb.domain.bulk.EvidenceSource;
import cn.crb.domain.bulk.FileFacts;
import cn.crb.domain.bulk.FileFormat;
import cn.crb.domain.bulk.FilePreview;
import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.Messages;
import cn.crb.domain.bulk.Problem;
import cn.crb.domain.bulk.ProblemCode;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.crypto.Pkcs12Keystore;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.localdb.BulkImportService;
import cn.crb.localdb.BulkJob;
import cn.crb.localdb.BulkRepository;
import cn.crb.localdb.StandardsRepository;
import cn.crb.sync.BatchClient;
import cn.crb.sync.BulkUploader;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.PlatformException;
import cn.crb.sync.RetryPolicy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The bulk submission of the signed-in clerk, for the UI (no JavaFX here): inspect a file, import it against the
 * current standards for the clerk's institution, page through its problems, export its rejects, and upload its valid
 * rows signed in role CLERK. Every method blocks: call it from a background task. The signing key is opened for one
 * upload and not kept.
 */
public final class BulkService {
    /** Thrown when no standards version is held yet: rows cannot be checked (sync first). */
    public static final class NoStandardsException extends Exception {
        public NoStandardsException() { super("no standards version held"); }
    }

    /** What inspecting a file found: format, detected encoding, SM3, the job it was already imported as, XLSX sheets. */
    public record FileInfo(BulkImportService.Inspection inspection, List<String> sheets) {
        public FileInfo {
            sheets = List.copyOf(sheets);
        }

        public FileFormat format() { return inspection.facts().format(); }

        public Optional<BulkJob> alreadyImportedAs() { return inspection.alreadyImportedAs(); }
    }

    private final ProfileSession session;
    private final ProfileService profiles;
    private final HttpTransport http;
    private final Clock clock;
    private final BulkRepository repository;
    private final BulkImportService importer;

    public BulkService(ProfileSession session, ProfileService profiles, HttpTransport http, Clock clock) {
        this.session = Objects.requireNonNull(session);
        this.profiles = Objects.requireNonNull(profiles);
        this.http = Objects.requireNonNull(http);
        this.clock = Objects.requireNonNull(clock);
        this.repository = new BulkRepository(session.database());
        // "today" for the rows' dates (DATE_IN_FUTURE, an ID's date of birth) is the clerk's own: with a UTC clock, a row
        // dated today was "in the future" from midnight to 08:00 in China
        this.importer = new BulkImportService(repository, clock.withZone(java.time.ZoneId.systemDefault()), session.summary().keyId());
    }

    public FileInfo inspect(Path file, ReadOptions options, Locale locale) throws IOException, BulkFileException {
        BulkImportService.Inspection i = importer.inspect(file, options, locale);
        List<String> sheets = i.facts().format() == FileFormat.XLSX ? BulkFileReader.sheetNames(file, options.limits(), locale) : List.of();
        return new FileInfo(i, sheets);
    }

    /**
     * The header and first rows of an inspected file, read with the chosen encoding, delimiter and sheet, for the
     * preview and column-mapping step (reads only as far as {@code rows} rows).
     */
    public FilePreview preview(FileFacts facts, ReadOptions options, int rows, Locale locale) throws IOException, BulkFileException {
        return FilePreview.read(facts, options, rows, Messages.of(locale));
    }

    /** Imports a file for the clerk's institution against the current standards version. */
    public BulkImportService.ImportOutcome importFile(Path file, ReadOptions options, ImportMode mode, Locale locale, ImportProgress progress,
                                                      BooleanSupplier cancelled) throws IOException, BulkFileException, NoStandardsException {
        return importFile(file, options, EvidenceSource.none(), mode, locale, progress, cancelled);
    }

    /** Imports a file with the evidence folder or zip chosen with it ({@link EvidenceSource#none()} when none). */
    public BulkImportService.ImportOutcome importFile(Path file, ReadOptions options, EvidenceSource evidence, ImportMode mode, Locale locale,
                                                      ImportProgress progress, BooleanSupplier cancelled)
            throws IOException, BulkFileException, NoStandardsException {
        StandardsBundle standards = new StandardsRepository(session.database(), clock).library().current().orElseThrow(NoStandardsException::new);
        String institution = session.stored().institution();
        return importer.importFile(new BulkImportService.ImportRequest(file, options, institution, standards, evidence, mode, locale), progress, cancelled);
    }

    /** Jobs with rows waiting to be sent or completed (READY, or UPLOADING after an interruption), oldest first. */
    public List<BulkJob> pendingUploads() { return repository.pendingUploads(); }

    /** Every import job, newest first. */
    public List<BulkJob> jobs() { return repository.jobs(); }

    public Optional<BulkJob> job(long id) { return repository.job(id); }

    /** A page of a job's problems in row order. */
    public List<Problem> problems(long jobId, int offset, int limit) { return repository.problems(jobId, offset, limit); }

    /** A job's problems counted by code and by column. */
    public BulkRepository.ProblemFacets problemFacets(long jobId) { return repository.problemFacets(jobId); }

    /** A page of a job's problems of one code and/or one column (null: any), in row order. */
    public List<Problem> problems(long jobId, ProblemCode code, Integer columnNumber, int offset, int limit) {
        return repository.problems(jobId, code, columnNumber, offset, limit);
    }

    /** How many problems of a job are of one code and/or one column (null: any). */
    public long problemCount(long jobId, ProblemCode code, Integer columnNumber) { return repository.problemCount(jobId, code, columnNumber); }

    /** The platform's per-row results of a job (empty before completion). */
    public List<BulkRepository.RowResult> results(long jobId) { return repository.results(jobId); }

    /** A job's result counts and up to {@code limit} results, refused rows first, each with the row's masked learner and outcome. */
    public BulkRepository.ResultPage resultPage(long jobId, int limit) { return repository.resultPage(jobId, limit); }

    /** A rejected row's cells in clear (personal data): the reveal is written to the audit log with the person's key id. */
    public Optional<List<String>> revealRejectedRow(long jobId, long rowNumber) {
        return repository.revealReject(jobId, rowNumber, session.summary().keyId(), clock);
    }

    /** Writes the job's rejected rows in the original format and encoding; returns the rows written. */
    public long exportRejects(long jobId, Path out, Locale locale) throws IOException {
        return importer.exportRejects(jobId, out, locale);
    }

    /**
     * Uploads a READY (or interrupted UPLOADING) job: opens the clerk's key with {@code passphrase}, signs the submission
     * in role CLERK, and stores the platform's per-row results. A cancel leaves the job UPLOADING, to be resumed.
     */
    public BulkUploader.Result upload(long jobId, char[] passphrase, BulkUploader.Progress progress, BooleanSupplier cancelled)
            throws ProfileException, PlatformException {
        return upload(jobId, passphrase, null, progress, cancelled);
    }

    /** As {@link #upload(long, char[], BulkUploader.Progress, BooleanSupplier)}, retrying each request per {@code retry} (null: the default). */
    public BulkUploader.Result upload(long jobId, char[] passphrase, RetryPolicy retry, BulkUploader.Progress progress, BooleanSupplier cancelled)
            throws ProfileException, PlatformException {
        String token = session.repository().token().orElseThrow(() -> new ProfileException(ProfileException.Reason.ROLE_NOT_HELD, "CLERK", null));
        URI platform = URI.create(session.stored().platformUrl());
        BatchClient client;
        try {
            client = new BatchClient(platform, http, token, retry, cancelled);
        } catch (IllegalArgumentException e) {
            // plain http off this machine, or https without pins: said as the person can act on it, before the key is opened
            throw new ProfileException("https".equalsIgnoreCase(platform.getScheme()) ? ProfileException.Reason.PLATFORM_PINS_MISSING
                    : ProfileException.Reason.PLATFORM_PLAIN_HTTP, platform.toString(), e);
        }
        Pkcs12Keystore.Unlocked key = profiles.openSigningKey(session.summary().id(), passphrase);
        BulkUploader.Signer signer = env -> env.sign(key.privateKey(), key.publicKey(), "CLERK", clock.instant());
        java.security.PublicKey platformKey = cn.crb.domain.crypto.Sm2.fromPem(session.stored().platformPublicKeyPem());
        return new BulkUploader(repository, client, clock, platformKey).upload(jobId, signer, progress, cancelled);
    }
}
