package cn.crb.localdb;

import cn.crb.domain.bulk.PreparedRow;
import cn.crb.domain.bulk.Problem;
import cn.crb.domain.bulk.ProblemCode;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep3;
import org.jooq.InsertValuesStep6;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Row4;
import org.jooq.impl.DSL;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import cn.crb.localdb.jooq.tables.records.BulkJobRecord;

import static cn.crb.localdb.jooq.Tables.BULK_CHUNK;
import static cn.crb.localdb.jooq.Tables.BULK_IDENTITY;
import static cn.crb.localdb.jooq.Tables.BULK_JOB;
import static cn.crb.localdb.jooq.Tables.BULK_PROBLEM;
import static cn.crb.localdb.jooq.Tables.BULK_REJECT;
import static cn.crb.localdb.jooq.Tables.BULK_RESULT;
import static cn.crb.localdb.jooq.Tables.BULK_ROW;
import static cn.crb.localdb.jooq.Tables.BULK_ROW_KEY;

/**
 * Storage of bulk import jobs (migrations V20, V21, V42–V44). Guarantees:
 * <ul>
 *   <li>prepared rows are appended in batches, each batch in one transaction and one JDBC batch; a row whose
 *       identity (idDigest, catalogueCode, achievedOn, certificateCode) belongs to an earlier live job is skipped.
 *       A job's identities are registered when it ends live ({@link #finishImport}), in transactions of
 *       {@value #REGISTER_PER_TRANSACTION} before a last one makes the job live (lookups ignore the identities of a
 *       job that is not live; a failed ending removes those it registered): each by a 64-bit key ({@link #identityKey}) pointing at the stored row that holds the four values
 *       (BULK_ROW_KEY, V43), or — for the rare second identity with a key already taken, and for identities
 *       registered before V43 — by the four values themselves (BULK_IDENTITY). A row is already stored when its key
 *       points at a row with the same four values, or its four values are in BULK_IDENTITY; a job whose row was
 *       registered meanwhile by another cannot end live ({@link IdentityConflictException}). Within one job rows
 *       are distinct because the importer rejects a repeated identity in the file as DUPLICATE_ROW;</li>
 *   <li>a file whose SM3 belongs to a live job is found by {@link #liveJobByFileSm3} (and cannot be made live twice);</li>
 *   <li>a job finished as BLOCKED or CANCELLED keeps its rejects and problems but holds no queued row;</li>
 *   <li>no raw ID is stored in clear: a valid row keeps only the masked, digested and batch-encrypted ID; a rejected
 *       row keeps its cells as read, sealed with SM4-GCM under a key derived from the database key (decision 0006).</li>
 * </ul>
 * No jOOQ type appears in this API. Thread-safe (each call uses its own connection/transaction).
 */
public final class BulkRepository {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BulkRepository.class);
    /** Rows per JDBC batch and transaction. */
    public static final int BATCH = 1000;
    /**
     * Keys registered per transaction when a job ends: small enough for H2 to commit them from memory. One
     * transaction of all keys made H2 write the pages out before the commit and read them back (and decrypt them) to
     * commit them: at 400,000 rows, half of the importer thread's time.
     */
    static final int REGISTER_PER_TRANSACTION = 10_000;
    private final LocalDatabase db;
    private final KeyFunction keyFunction;
    private final int registerPerTransaction;

    public BulkRepository(LocalDatabase db) {
        this(db, BulkRepository::identityKey);
    }

    /** With another key function: for tests that need two identities with the same key. */
    BulkRepository(LocalDatabase db, KeyFunction keyFunction) {
        this(db, keyFunction, REGISTER_PER_TRANSACTION);
    }

    /** With fewer keys per registering transaction: for tests of an ending that fails part-way. */
    BulkRepository(LocalDatabase db, KeyFunction keyFunction, int registerPerTransaction) {
        if (registerPerTransaction < 1) throw new IllegalArgumentException("registerPerTransaction " + registerPerTransaction);
        this.db = db;
        this.keyFunction = keyFunction;
        this.registerPerTransaction = registerPerTransaction;
    }

    /** How an identity's 64-bit key is computed ({@link #identityKey} in the product). */
    @FunctionalInterface
    interface KeyFunction {
        long key(String idDigest, String catalogueCode, LocalDate achievedOn, String certificateCode);
    }

    /** What a new job is created with. */
    public record NewJob(String fileName, String fileSm3, String format, String encoding, Character delimiter, List<String> header,
                         String institution, String standardsVersion, String mode, String batchId, String keyEnvelopeJson, int chunkSize) {}

    /** A rejected row with its problems. */
    public record Reject(long rowNumber, List<String> cells, List<Problem> problems) {}

    /** The platform's verdict on one row. */
    public record RowResult(long rowNumber, String status, String code) {}

    /** Creates a job in state IMPORTING and returns its id. */
    public long createJob(NewJob j, OffsetDateTime now) {
        ArrayNode header = Json.mapper().createArrayNode();
        j.header().forEach(header::add);
        return db.dsl().insertInto(BULK_JOB)
                .set(BULK_JOB.FILE_NAME, j.fileName()).set(BULK_JOB.FILE_SM3, j.fileSm3()).set(BULK_JOB.FILE_FORMAT, j.format())
                .set(BULK_JOB.FILE_ENCODING, j.encoding()).set(BULK_JOB.DELIMITER_CHAR, j.delimiter() == null ? null : j.delimiter().toString())
                .set(BULK_JOB.HEADER_JSON, Json.write(header)).set(BULK_JOB.INSTITUTION, j.institution())
                .set(BULK_JOB.STANDARDS_VERSION, j.standardsVersion()).set(BULK_JOB.IMPORT_MODE, j.mode())
                .set(BULK_JOB.TOTAL_ROWS, 0L).set(BULK_JOB.VALID_ROWS, 0L).set(BULK_JOB.INVALID_ROWS, 0L)
                .set(BULK_JOB.SKIPPED_ROWS, 0L).set(BULK_JOB.BATCH_ROWS, 0L).set(BULK_JOB.STATE, BulkJobState.IMPORTING.name())
                .set(BULK_JOB.BATCH_ID, j.batchId()).set(BULK_JOB.KEY_ENVELOPE, j.keyEnvelopeJson()).set(BULK_JOB.CHUNK_SIZE, j.chunkSize())
                .set(BULK_JOB.CREATED_AT, now)
                .returningResult(BULK_JOB.ID).fetchOne().value1();
    }

    /**
     * The identity keys ({@link #identityKey}) and SEQs of the rows a job has stored, gathered by
     * {@link #appendRows(long, long, List, JobKeys)} while the file is read and registered by
     * {@link #finishImport(long, BulkJobState, long, long, long, long, JobKeys)} in key order: 16 bytes a row (a
     * million rows: 16 MB). Not thread-safe: one per import.
     */
    public static final class JobKeys {
        private long[] fps = new long[1024];
        private long[] seqs = new long[1024];
        private int size;

        void add(long fp, long seq) {
            if (size == fps.length) {
                fps = java.util.Arrays.copyOf(fps, size * 2);
                seqs = java.util.Arrays.copyOf(seqs, size * 2);
            }
            fps[size] = fp;
            seqs[size++] = seq;
        }

        public int size() { return size; }

        /**
         * Sorts by key (the order of BULK_ROW_KEY's B-tree: each page is then written once), in place: a heap sort of
         * the two arrays together, no object per row.
         */
        void sort() {
            for (int i = size / 2 - 1; i >= 0; i--) siftDown(i, size);
            for (int end = size - 1; end > 0; end--) {
                swap(0, end);
                siftDown(0, end);
            }
        }

        private void siftDown(int i, int n) {
            while (true) {
                int child = 2 * i + 1;
                if (child >= n) return;
                if (child + 1 < n && fps[child + 1] > fps[child]) child++;
                if (fps[i] >= fps[child]) return;
                swap(i, child);
                i = child;
            }
        }

        private void swap(int i, int j) {
            long f = fps[i];
            fps[i] = fps[j];
            fps[j] = f;
            long q = seqs[i];
            seqs[i] = seqs[j];
            seqs[j] = q;
        }
    }

    /**
     * Raised by {@code finishImport} when a row of the job was registered meanwhile by another job that ended live
     * (two imports storing the same row side by side): nothing of the call is written.
     */
    public static final class IdentityConflictException extends LocalDbException {
        IdentityConflictException(long jobId, long seq, Throwable cause) {
            super("row " + seq + " of job " + jobId + " was registered meanwhile by another job", cause);
        }
    }

    /**
     * A 64-bit key of a row's identity: the first 8 bytes of SHA-256 over its four values (UTF-8, separated by NUL).
     * Equal identities have equal keys; different identities almost never do, and when they do the second is
     * registered by its four values instead (migration V43). Persisted: never change how it is computed.
     */
    static long identityKey(String idDigest, String catalogueCode, LocalDate achievedOn, String certificateCode) {
        java.security.MessageDigest sha = SHA256.get();
        sha.reset();
        sha.update((idDigest + '\0' + catalogueCode + '\0' + achievedOn + '\0' + certificateCode).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] h = sha.digest();
        long k = 0;
        for (int i = 0; i < 8; i++) k = (k << 8) | (h[i] & 0xff);
        return k;
    }

    private static final ThreadLocal<java.security.MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private long identityKey(PreparedRow r) {
        return keyFunction.key(r.idDigest(), r.catalogueCode(), r.achievedOn(), r.certificateCode());
    }

    /** The four values of an identity, compared exactly. */
    private record Identity(String idDigest, String catalogueCode, LocalDate achievedOn, String certificateCode) {
        static Identity of(PreparedRow r) { return new Identity(r.idDigest(), r.catalogueCode(), r.achievedOn(), r.certificateCode()); }

        static Identity read(java.sql.ResultSet rs, int first) throws java.sql.SQLException {
            return new Identity(rs.getString(first), rs.getString(first + 1), rs.getObject(first + 2, LocalDate.class), rs.getString(first + 3));
        }
    }

    /** {@link #appendRows(long, long, List, JobKeys)} without keeping the keys (the job's rows are read back at the end). */
    public int appendRows(long jobId, long firstSeq, List<PreparedRow> rows) {
        return appendRows(jobId, firstSeq, rows, null);
    }

    /**
     * Appends prepared rows (at most {@link #BATCH}) in one transaction, numbering them from {@code firstSeq} (the
     * number of rows the job has stored so far: the caller counts them, since counting the job's rows here made every
     * chunk read all chunks before it), and skipping those whose identity belongs to an earlier live job. Returns how
     * many were stored; adds each stored row's key to {@code keys} (when not null). A wrong {@code firstSeq} breaks
     * the primary key and nothing of the chunk is stored.
     */
    public int appendRows(long jobId, long firstSeq, List<PreparedRow> rows, JobKeys keys) {
        if (rows.isEmpty()) return 0;
        long[] fps = new long[rows.size()];
        for (int i = 0; i < fps.length; i++) fps[i] = identityKey(rows.get(i));
        boolean[] skip = new boolean[fps.length];
        int stored = db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            Set<Identity> existing = new HashSet<>();
            tx.connection(c -> {
                // rows whose key is registered: the identity the key points at, read from the row it names
                try (var q = c.prepareStatement(FIND_BY_KEY)) {
                    Long[] boxed = new Long[fps.length];
                    for (int i = 0; i < fps.length; i++) boxed[i] = fps[i];
                    q.setObject(1, boxed);
                    try (var rs = q.executeQuery()) {
                        while (rs.next()) existing.add(Identity.read(rs, 1));
                    }
                }
            });
            // identities registered by their four values (before V43, or a key shared by two identities): usually none
            if (tx.fetchExists(BULK_IDENTITY)) {
                List<Row4<String, String, LocalDate, String>> tuples = new ArrayList<>(rows.size());
                for (PreparedRow r : rows) tuples.add(DSL.row(r.idDigest(), r.catalogueCode(), r.achievedOn(), r.certificateCode()));
                tx.select(BULK_IDENTITY.ID_DIGEST, BULK_IDENTITY.CATALOGUE_CODE, BULK_IDENTITY.ACHIEVED_ON, BULK_IDENTITY.CERTIFICATE_CODE).from(BULK_IDENTITY)
                        .join(BULK_JOB).on(BULK_JOB.ID.eq(BULK_IDENTITY.JOB_ID).and(BULK_JOB.LIVE_FILE_SM3.isNotNull()))
                        .where(DSL.row(BULK_IDENTITY.ID_DIGEST, BULK_IDENTITY.CATALOGUE_CODE, BULK_IDENTITY.ACHIEVED_ON, BULK_IDENTITY.CERTIFICATE_CODE).in(tuples))
                        .forEach(r -> existing.add(new Identity(r.value1(), r.value2(), r.value3(), r.value4())));
            }
            // one JDBC batch of a statement rendered once: a jOOQ multi-row VALUES of a thousand rows was rendered, bound
            // and parsed by H2 anew for every chunk
            return tx.connectionResult(c -> {
                int n = 0;
                try (var insert = c.prepareStatement(INSERT_ROW)) {
                    long next = firstSeq;
                    for (int i = 0; i < fps.length; i++) {
                        PreparedRow r = rows.get(i);
                        if (!existing.add(Identity.of(r))) {
                            skip[i] = true;
                            continue;
                        }
                        insert.setLong(1, jobId);
                        insert.setLong(2, next++);
                        insert.setLong(3, r.rowNumber());
                        insert.setString(4, r.idDigest());
                        insert.setString(5, r.catalogueCode());
                        insert.setObject(6, r.achievedOn());
                        insert.setString(7, r.certificateCode());
                        insert.setString(8, r.json());
                        insert.addBatch();
                        n++;
                    }
                    if (n > 0) insert.executeBatch();
                }
                return n;
            });
        });
        if (keys != null) {
            long seq = firstSeq;
            for (int i = 0; i < fps.length; i++) if (!skip[i]) keys.add(fps[i], seq++);
        }
        return stored;
    }

    private static final String INSERT_ROW = LocalDatabase.sql(LocalDatabase.render()
            .insertInto(BULK_ROW, BULK_ROW.JOB_ID, BULK_ROW.SEQ, BULK_ROW.ROW_NO, BULK_ROW.ID_DIGEST, BULK_ROW.CATALOGUE_CODE,
                    BULK_ROW.ACHIEVED_ON, BULK_ROW.CERTIFICATE_CODE, BULK_ROW.ROW_JSON)
            .values(LocalDatabase.param(BULK_ROW.JOB_ID), LocalDatabase.param(BULK_ROW.SEQ), LocalDatabase.param(BULK_ROW.ROW_NO),
                    LocalDatabase.param(BULK_ROW.ID_DIGEST), LocalDatabase.param(BULK_ROW.CATALOGUE_CODE), LocalDatabase.param(BULK_ROW.ACHIEVED_ON),
                    LocalDatabase.param(BULK_ROW.CERTIFICATE_CODE), LocalDatabase.param(BULK_ROW.ROW_JSON)));

    /**
     * The identities that registered keys point at; one array parameter ({@code = ANY(?)}, which H2 looks up by the
     * primary key). Like the other statements of this class run on plain JDBC, rendered once from the generated schema.
     */
    private static final String FIND_BY_KEY = LocalDatabase.sql(LocalDatabase.render()
            .select(BULK_ROW.ID_DIGEST, BULK_ROW.CATALOGUE_CODE, BULK_ROW.ACHIEVED_ON, BULK_ROW.CERTIFICATE_CODE)
            .from(BULK_ROW_KEY).join(BULK_ROW).on(BULK_ROW.JOB_ID.eq(BULK_ROW_KEY.JOB_ID).and(BULK_ROW.SEQ.eq(BULK_ROW_KEY.SEQ)))
            // keys of live jobs only: a job registers its keys in several transactions before it becomes live
            .join(BULK_JOB).on(BULK_JOB.ID.eq(BULK_ROW_KEY.JOB_ID).and(BULK_JOB.LIVE_FILE_SM3.isNotNull()))
            // a template: jOOQ's own DSL.any renders a parameter without a value as an empty array ("where false")
            .where(DSL.condition("{0} = any({1})", BULK_ROW_KEY.FP, DSL.param("fps", BULK_ROW_KEY.FP.getDataType().getArrayDataType()))));
    private static final String INSERT_KEY = LocalDatabase.sql(LocalDatabase.render()
            .insertInto(BULK_ROW_KEY, BULK_ROW_KEY.FP, BULK_ROW_KEY.JOB_ID, BULK_ROW_KEY.SEQ)
            .values(LocalDatabase.param(BULK_ROW_KEY.FP), LocalDatabase.param(BULK_ROW_KEY.JOB_ID), LocalDatabase.param(BULK_ROW_KEY.SEQ)));
    private static final String KEY_HOLDER = LocalDatabase.sql(LocalDatabase.render()
            .select(BULK_ROW.ID_DIGEST, BULK_ROW.CATALOGUE_CODE, BULK_ROW.ACHIEVED_ON, BULK_ROW.CERTIFICATE_CODE)
            .from(BULK_ROW_KEY).join(BULK_ROW).on(BULK_ROW.JOB_ID.eq(BULK_ROW_KEY.JOB_ID).and(BULK_ROW.SEQ.eq(BULK_ROW_KEY.SEQ)))
            .where(BULK_ROW_KEY.FP.eq(LocalDatabase.param(BULK_ROW_KEY.FP))));
    private static final String ROW_IDENTITY = LocalDatabase.sql(LocalDatabase.render()
            .select(BULK_ROW.ID_DIGEST, BULK_ROW.CATALOGUE_CODE, BULK_ROW.ACHIEVED_ON, BULK_ROW.CERTIFICATE_CODE).from(BULK_ROW)
            .where(BULK_ROW.JOB_ID.eq(LocalDatabase.param(BULK_ROW.JOB_ID)).and(BULK_ROW.SEQ.eq(LocalDatabase.param(BULK_ROW.SEQ)))));
    private static final String INSERT_IDENTITY = LocalDatabase.sql(LocalDatabase.render()
            .insertInto(BULK_IDENTITY, BULK_IDENTITY.ID_DIGEST, BULK_IDENTITY.CATALOGUE_CODE, BULK_IDENTITY.ACHIEVED_ON,
                    BULK_IDENTITY.CERTIFICATE_CODE, BULK_IDENTITY.JOB_ID)
            .values(LocalDatabase.param(BULK_IDENTITY.ID_DIGEST), LocalDatabase.param(BULK_IDENTITY.CATALOGUE_CODE),
                    LocalDatabase.param(BULK_IDENTITY.ACHIEVED_ON), LocalDatabase.param(BULK_IDENTITY.CERTIFICATE_CODE),
                    LocalDatabase.param(BULK_IDENTITY.JOB_ID)));
    /** A job's rows with their identities (the keys read back when none were gathered). */
    private static final String JOB_IDENTITIES = LocalDatabase.sql(LocalDatabase.render()
            .select(BULK_ROW.SEQ, BULK_ROW.ID_DIGEST, BULK_ROW.CATALOGUE_CODE, BULK_ROW.ACHIEVED_ON, BULK_ROW.CERTIFICATE_CODE).from(BULK_ROW)
            .where(BULK_ROW.JOB_ID.eq(LocalDatabase.param(BULK_ROW.JOB_ID))));
    /** A job's (SEQ, ROW_NO) pairs in SEQ order (the platform's results mapped to rows). */
    private static final String JOB_ROW_NUMBERS = LocalDatabase.sql(LocalDatabase.render()
            .select(BULK_ROW.SEQ, BULK_ROW.ROW_NO).from(BULK_ROW).where(BULK_ROW.JOB_ID.eq(LocalDatabase.param(BULK_ROW.JOB_ID)))
            // ordered as the primary key (JOB_ID, SEQ): H2 then reads in key order; by SEQ alone it sorted the whole job
            .orderBy(BULK_ROW.JOB_ID, BULK_ROW.SEQ));
    /** H2's error code for a duplicate key. */
    private static final int DUPLICATE_KEY = 23505;

    /** Stores rejected rows (cells and problems) in one transaction. Header problems are stored with row 1 and no cells. */
    public void appendRejects(long jobId, List<Reject> rejects) {
        if (rejects.isEmpty()) return;
        db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            InsertValuesStep3<?, Long, Long, String> cells = tx.insertInto(BULK_REJECT, BULK_REJECT.JOB_ID, BULK_REJECT.ROW_NO, BULK_REJECT.CELLS_SEALED);
            InsertValuesStep6<?, Long, Long, Integer, String, String, String> problems = tx.insertInto(BULK_PROBLEM,
                    BULK_PROBLEM.JOB_ID, BULK_PROBLEM.ROW_NO, BULK_PROBLEM.COLUMN_NO, BULK_PROBLEM.COLUMN_NAME, BULK_PROBLEM.CODE, BULK_PROBLEM.MESSAGE);
            boolean anyCells = false;
            boolean anyProblems = false;
            for (Reject r : rejects) {
                if (r.cells() != null) {
                    ArrayNode a = Json.mapper().createArrayNode();
                    r.cells().forEach(a::add);
                    cells = cells.values(jobId, r.rowNumber(), db.rejectSeal().seal(Json.write(a), rejectCell(jobId, r.rowNumber())));
                    anyCells = true;
                }
                for (Problem p : r.problems()) {
                    problems = problems.values(jobId, p.row(), p.columnNumber(), truncate(p.column(), 200), p.code().name(), truncate(p.message(), 2000));
                    anyProblems = true;
                }
            }
            if (anyCells) cells.execute();
            if (anyProblems) problems.execute();
            return null;
        });
    }

    private static String truncate(String s, int max) { return s.length() <= max ? s : s.substring(0, max); }

    /** The associated data that binds a sealed reject to its job and row. */
    private static String rejectCell(long jobId, long rowNo) { return "BULK_REJECT/" + jobId + "/" + rowNo; }

    /**
     * Seals the cells of rejected rows that an earlier version stored in clear (CELLS_JSON), in one transaction, and
     * clears the clear column. Called when the database is opened; returns how many rows were sealed.
     */
    int sealLegacyRejects() {
        return db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            List<Query> updates = new ArrayList<>();
            tx.select(BULK_REJECT.JOB_ID, BULK_REJECT.ROW_NO, BULK_REJECT.CELLS_JSON).from(BULK_REJECT).where(BULK_REJECT.CELLS_JSON.isNotNull())
                    .forEach(r -> updates.add(tx.update(BULK_REJECT)
                            .set(BULK_REJECT.CELLS_SEALED, db.rejectSeal().seal(r.value3(), rejectCell(r.value1(), r.value2())))
                            .set(BULK_REJECT.CELLS_JSON, DSL.inline((String) null))
                            .where(BULK_REJECT.JOB_ID.eq(r.value1()).and(BULK_REJECT.ROW_NO.eq(r.value2())))));
            if (!updates.isEmpty()) tx.batch(updates).execute();
            return updates.size();
        });
    }

    /** {@link #finishImport(long, BulkJobState, long, long, long, long, JobKeys)} with the keys read back from the job's rows. */
    public void finishImport(long jobId, BulkJobState state, long total, long valid, long invalid, long skipped) {
        finishImport(jobId, state, total, valid, invalid, skipped, null);
    }

    /** {@link #finishImport(long, BulkJobState, long, long, long, long, JobKeys, Auditor)} without an audit entry (rows stored by a test or a benchmark). */
    public void finishImport(long jobId, BulkJobState state, long total, long valid, long invalid, long skipped, JobKeys keys) {
        finishImport(jobId, state, total, valid, invalid, skipped, keys, null);
    }

    /** Who ends an import, for the audit entry written with the ending (contract 06: "batch imported"). */
    public record Auditor(String actorKeyId, java.time.Clock clock) {
        public Auditor {
            java.util.Objects.requireNonNull(actorKeyId);
            java.util.Objects.requireNonNull(clock);
        }
    }

    /**
     * Ends the import: stores the counts and the state, in a last transaction. A live state makes the file's SM3 live
     * (a second job for the same file then fails on the unique constraint) and registers the identities of the job's
     * rows first: their keys ({@code keys}, gathered by {@code appendRows}; read back from the rows when null) are
     * inserted in key order, {@value #REGISTER_PER_TRANSACTION} per transaction, while the job is not yet live. A row
     * registered meanwhile by another job that ended live raises {@link IdentityConflictException}; on any failure
     * the identities this call registered are removed again, so nothing of it stays. BLOCKED and CANCELLED remove the job's
     * queued rows.
     */
    public void finishImport(long jobId, BulkJobState state, long total, long valid, long invalid, long skipped, JobKeys keys, Auditor auditor) {
        // one ending at a time: a second one inserting the same key would otherwise wait on the first one's row lock
        // and could fail with H2's lock timeout instead of a clear conflict
        db.bulkEnding().lock();
        try {
            finishImportLocked(jobId, state, total, valid, invalid, skipped, keys, auditor);
        } finally {
            db.bulkEnding().unlock();
        }
    }

    private void finishImportLocked(long jobId, BulkJobState state, long total, long valid, long invalid, long skipped, JobKeys keys, Auditor auditor) {
        long batchRows = 0;
        boolean registered = false;
        try {
            if (state.live()) {
                JobKeys k = keys != null ? keys : db.transaction(cfg -> keysOf(DSL.using(cfg), jobId));
                k.sort();
                // in transactions of registerPerTransaction keys while the job is still IMPORTING: lookups ignore the
                // keys of a job that is not live, and a process killed now leaves a job that is removed, with its
                // keys, when the database is next opened
                registered = true;
                for (int from = 0; from < k.size; from += registerPerTransaction) {
                    int f = from;
                    int t = Math.min(k.size, from + registerPerTransaction);
                    db.transaction(cfg -> {
                        DSL.using(cfg).connection(c -> register(c, jobId, k, f, t));
                        return null;
                    });
                }
                // one key per stored row
                batchRows = k.size();
            }
            long rows = batchRows;
            // the audit entry takes the chain's head: a sync or a signature holding it a moment too long must not throw
            // away a finished import, so the ending waits and tries again
            LocalDatabase.retryingLockConflicts("ending import " + jobId, END_ATTEMPTS, () -> {
                endTransaction(jobId, state, total, valid, invalid, skipped, rows, auditor);
                return null;
            });
        } catch (Throwable e) {
            // nothing of this call stays: the keys registered by the transactions before the failure are removed
            // (any failure: an Error too, or the keys would make other imports of the same rows fail until restart)
            if (registered) {
                try {
                    unregister(jobId);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /** Attempts of an import's last transaction that meet a lock held too long before the ending fails. */
    private static final int END_ATTEMPTS = 10;

    /** The ending's last transaction: the counts and state, the rows removed unless live, the audit entry. */
    private void endTransaction(long jobId, BulkJobState state, long total, long valid, long invalid, long skipped, long rows, Auditor auditor) {
        db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            if (!state.live()) tx.deleteFrom(BULK_ROW).where(BULK_ROW.JOB_ID.eq(jobId)).execute();
            tx.update(BULK_JOB).set(BULK_JOB.STATE, state.name()).set(BULK_JOB.TOTAL_ROWS, total).set(BULK_JOB.VALID_ROWS, valid)
                    .set(BULK_JOB.INVALID_ROWS, invalid).set(BULK_JOB.SKIPPED_ROWS, skipped).set(BULK_JOB.BATCH_ROWS, rows)
                    .set(BULK_JOB.LIVE_FILE_SM3, state.live() ? BULK_JOB.FILE_SM3 : DSL.inline((String) null))
                    .where(BULK_JOB.ID.eq(jobId)).execute();
            if (auditor != null) {
                String fileSm3 = tx.select(BULK_JOB.FILE_SM3).from(BULK_JOB).where(BULK_JOB.ID.eq(jobId)).fetchOne(BULK_JOB.FILE_SM3);
                new AuditLog(auditor.clock()).append(tx, auditor.actorKeyId(), cn.crb.domain.audit.AuditAction.BATCH_IMPORTED, "bulk-job",
                        Long.toString(jobId), Json.object().put("fileSm3", fileSm3).put("state", state.name()).put("rows", total)
                                .put("valid", valid).put("invalid", invalid).put("skipped", skipped).put("queued", rows));
            }
            return null;
        });
    }

    /**
     * Removes the identities a job registered (its ending failed after registering some), unless the job is live: a
     * failure after the last transaction committed must not leave a live job without its identities.
     */
    private void unregister(long jobId) {
        db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            if (tx.fetchExists(BULK_JOB, BULK_JOB.ID.eq(jobId).and(BULK_JOB.LIVE_FILE_SM3.isNotNull()))) return null;
            tx.deleteFrom(BULK_IDENTITY).where(BULK_IDENTITY.JOB_ID.eq(jobId)).execute();
            tx.deleteFrom(BULK_ROW_KEY).where(BULK_ROW_KEY.JOB_ID.eq(jobId)).execute();
            return null;
        });
    }

    /** The keys of a job's stored rows, computed from the rows (read as a stream: a million rows are not held). */
    private JobKeys keysOf(DSLContext tx, long jobId) {
        JobKeys k = new JobKeys();
        tx.connection(c -> {
            try (var q = c.prepareStatement(JOB_IDENTITIES)) {
                q.setFetchSize(BATCH);
                q.setLong(1, jobId);
                try (var rs = q.executeQuery()) {
                    while (rs.next()) {
                        Identity i = Identity.read(rs, 2);
                        k.add(keyFunction.key(i.idDigest(), i.catalogueCode(), i.achievedOn(), i.certificateCode()), rs.getLong(1));
                    }
                }
            }
        });
        return k;
    }

    /**
     * Registers a job's keys (sorted) in JDBC batches of {@link #BATCH}. When a key of a batch is already taken — by
     * another job's row with the same identity, or by a different identity with the same key — that batch is rolled
     * back to the savepoint before it and registered key by key, telling the two apart; the other batches are not.
     */
    private static void register(java.sql.Connection c, long jobId, JobKeys k, int first, int end) throws java.sql.SQLException {
        try (var insert = c.prepareStatement(INSERT_KEY)) {
            for (int from = first; from < end; from += BATCH) {
                int to = Math.min(end, from + BATCH);
                java.sql.Savepoint before = c.setSavepoint();
                try {
                    for (int i = from; i < to; i++) {
                        insert.setLong(1, k.fps[i]);
                        insert.setLong(2, jobId);
                        insert.setLong(3, k.seqs[i]);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    c.releaseSavepoint(before);
                } catch (java.sql.SQLException e) {
                    if (!isDuplicateKey(e)) throw e;
                    insert.clearBatch();
                    c.rollback(before);
                    registerOneByOne(c, jobId, k, from, to);
                }
            }
        }
    }

    private static boolean isDuplicateKey(java.sql.SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && s.getErrorCode() == DUPLICATE_KEY) return true;
        }
        if (e instanceof java.sql.BatchUpdateException b) {
            for (java.sql.SQLException n = b.getNextException(); n != null; n = n.getNextException()) if (n.getErrorCode() == DUPLICATE_KEY) return true;
        }
        return false;
    }

    private static void registerOneByOne(java.sql.Connection c, long jobId, JobKeys k, int from, int to) throws java.sql.SQLException {
        try (var holder = c.prepareStatement(KEY_HOLDER); var own = c.prepareStatement(ROW_IDENTITY);
             var insertKey = c.prepareStatement(INSERT_KEY); var insertIdentity = c.prepareStatement(INSERT_IDENTITY)) {
            for (int i = from; i < to; i++) {
                holder.setLong(1, k.fps[i]);
                Identity taken = null;
                try (var rs = holder.executeQuery()) {
                    if (rs.next()) taken = Identity.read(rs, 1);
                }
                if (taken == null) {
                    insertKey.setLong(1, k.fps[i]);
                    insertKey.setLong(2, jobId);
                    insertKey.setLong(3, k.seqs[i]);
                    try {
                        insertKey.executeUpdate();
                    } catch (java.sql.SQLException e) {
                        if (isDuplicateKey(e)) throw new IdentityConflictException(jobId, k.seqs[i], e);
                        throw e;
                    }
                    continue;
                }
                own.setLong(1, jobId);
                own.setLong(2, k.seqs[i]);
                Identity mine;
                try (var rs = own.executeQuery()) {
                    if (!rs.next()) throw new IllegalStateException("job " + jobId + " holds no row " + k.seqs[i]);
                    mine = Identity.read(rs, 1);
                }
                if (mine.equals(taken)) throw new IdentityConflictException(jobId, k.seqs[i], null);
                // a different identity with the same key: registered by its four values
                insertIdentity.setString(1, mine.idDigest());
                insertIdentity.setString(2, mine.catalogueCode());
                insertIdentity.setObject(3, mine.achievedOn());
                insertIdentity.setString(4, mine.certificateCode());
                insertIdentity.setLong(5, jobId);
                try {
                    insertIdentity.executeUpdate();
                } catch (java.sql.SQLException e) {
                    if (isDuplicateKey(e)) throw new IdentityConflictException(jobId, k.seqs[i], e);
                    throw e;
                }
            }
        }
    }

    /** Records how the file was read (encoding and delimiter used, header as written). */
    public void updateFormat(long jobId, String encoding, Character delimiter, List<String> header) {
        ArrayNode h = Json.mapper().createArrayNode();
        header.forEach(h::add);
        db.dsl().update(BULK_JOB).set(BULK_JOB.FILE_ENCODING, encoding)
                .set(BULK_JOB.DELIMITER_CHAR, delimiter == null ? null : delimiter.toString()).set(BULK_JOB.HEADER_JSON, Json.write(h))
                .where(BULK_JOB.ID.eq(jobId)).execute();
    }

    /**
     * Removes every job left IMPORTING by a process that died mid-import (killed, crashed, power cut), with the rows,
     * rejects and problems it had stored so far: an import is either finished (its state set in one transaction with
     * its counts, {@link #finishImport}) or absent, never a silent half whose rows would make a re-import skip them.
     * Called when the database is opened, before any import of this process can run. Returns the jobs removed.
     */
    int removeInterruptedImports() {
        List<Long> ids = db.dsl().select(BULK_JOB.ID).from(BULK_JOB).where(BULK_JOB.STATE.eq(BulkJobState.IMPORTING.name())).fetch(BULK_JOB.ID);
        ids.forEach(this::deleteJob);
        return ids.size();
    }

    /** Removes a job and everything it stored (a file that could not be read at all). */
    public void deleteJob(long jobId) {
        db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            tx.deleteFrom(BULK_IDENTITY).where(BULK_IDENTITY.JOB_ID.eq(jobId)).execute();
            tx.deleteFrom(BULK_ROW_KEY).where(BULK_ROW_KEY.JOB_ID.eq(jobId)).execute();
            tx.deleteFrom(BULK_RESULT).where(BULK_RESULT.JOB_ID.eq(jobId)).execute();
            tx.deleteFrom(BULK_ROW).where(BULK_ROW.JOB_ID.eq(jobId)).execute();
            tx.deleteFrom(BULK_REJECT).where(BULK_REJECT.JOB_ID.eq(jobId)).execute();
            tx.deleteFrom(BULK_PROBLEM).where(BULK_PROBLEM.JOB_ID.eq(jobId)).execute();
            tx.deleteFrom(BULK_CHUNK).where(BULK_CHUNK.JOB_ID.eq(jobId)).execute();
            tx.deleteFrom(BULK_JOB).where(BULK_JOB.ID.eq(jobId)).execute();
            return null;
        });
    }

    public Optional<BulkJob> job(long jobId) {
        return db.dsl().selectFrom(BULK_JOB).where(BULK_JOB.ID.eq(jobId)).fetchOptional().map(BulkRepository::toJob);
    }

    /** The live job (READY, EMPTY, UPLOADING, COMPLETE) made from a file with this SM3, if any. */
    public Optional<BulkJob> liveJobByFileSm3(String sm3) {
        return db.dsl().selectFrom(BULK_JOB).where(BULK_JOB.LIVE_FILE_SM3.eq(sm3)).fetchOptional().map(BulkRepository::toJob);
    }

    /** Every job, newest first. */
    public List<BulkJob> jobs() {
        return db.dsl().selectFrom(BULK_JOB).orderBy(BULK_JOB.ID.desc()).fetch().map(BulkRepository::toJob);
    }

    /** Jobs with rows waiting to be sent or completed (READY or UPLOADING), oldest first. */
    public List<BulkJob> pendingUploads() {
        return db.dsl().selectFrom(BULK_JOB).where(BULK_JOB.STATE.in(BulkJobState.READY.name(), BulkJobState.UPLOADING.name()))
                .orderBy(BULK_JOB.ID).fetch().map(BulkRepository::toJob);
    }

    /** A page of the job's problems in row order (header problems first), for display. */
    public List<Problem> problems(long jobId, int offset, int limit) {
        return db.dsl().selectFrom(BULK_PROBLEM).where(BULK_PROBLEM.JOB_ID.eq(jobId)).orderBy(BULK_PROBLEM.ROW_NO, BULK_PROBLEM.ID)
                .offset(offset).limit(limit).fetch()
                .map(r -> new Problem(r.getRowNo(), r.getColumnNo(), r.getColumnName(), ProblemCode.valueOf(r.getCode()), r.getMessage()));
    }

    /** How many problems of a job fall in one column (number as in the file, 1-based; 0 for the whole row). */
    public record ColumnCount(int columnNumber, String column, long count) {}

    /** A job's problems counted by code (in code order) and by column (in column order). */
    public record ProblemFacets(java.util.Map<ProblemCode, Long> byCode, List<ColumnCount> byColumn, long total) {
        public ProblemFacets {
            byCode = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byCode));
            byColumn = List.copyOf(byColumn);
        }
    }

    /** The job's problems counted by code and by column, for the filters of the problems table. */
    public ProblemFacets problemFacets(long jobId) {
        java.util.Map<ProblemCode, Long> byCode = new java.util.EnumMap<>(ProblemCode.class);
        db.dsl().select(BULK_PROBLEM.CODE, DSL.count()).from(BULK_PROBLEM).where(BULK_PROBLEM.JOB_ID.eq(jobId)).groupBy(BULK_PROBLEM.CODE)
                .forEach(r -> byCode.put(ProblemCode.valueOf(r.value1()), r.value2().longValue()));
        List<ColumnCount> byColumn = db.dsl().select(BULK_PROBLEM.COLUMN_NO, DSL.min(BULK_PROBLEM.COLUMN_NAME), DSL.count()).from(BULK_PROBLEM)
                .where(BULK_PROBLEM.JOB_ID.eq(jobId)).groupBy(BULK_PROBLEM.COLUMN_NO).orderBy(BULK_PROBLEM.COLUMN_NO)
                .fetch(r -> new ColumnCount(r.value1(), r.value2(), r.value3()));
        long total = byCode.values().stream().mapToLong(Long::longValue).sum();
        return new ProblemFacets(byCode, byColumn, total);
    }

    /** A page of the job's problems of one code and/or one column (null: any), in row order. */
    public List<Problem> problems(long jobId, ProblemCode code, Integer columnNumber, int offset, int limit) {
        org.jooq.Condition c = BULK_PROBLEM.JOB_ID.eq(jobId);
        if (code != null) c = c.and(BULK_PROBLEM.CODE.eq(code.name()));
        if (columnNumber != null) c = c.and(BULK_PROBLEM.COLUMN_NO.eq(columnNumber));
        return db.dsl().selectFrom(BULK_PROBLEM).where(c).orderBy(BULK_PROBLEM.ROW_NO, BULK_PROBLEM.ID).offset(offset).limit(limit).fetch()
                .map(r -> new Problem(r.getRowNo(), r.getColumnNo(), r.getColumnName(), ProblemCode.valueOf(r.getCode()), r.getMessage()));
    }

    /** How many problems of the job are of one code and/or one column (null: any). */
    public long problemCount(long jobId, ProblemCode code, Integer columnNumber) {
        org.jooq.Condition c = BULK_PROBLEM.JOB_ID.eq(jobId);
        if (code != null) c = c.and(BULK_PROBLEM.CODE.eq(code.name()));
        if (columnNumber != null) c = c.and(BULK_PROBLEM.COLUMN_NO.eq(columnNumber));
        return db.dsl().fetchCount(BULK_PROBLEM, c);
    }

    /** Streams the job's rejected rows with their problems, in row order, a page at a time. */
    public void forEachReject(long jobId, Consumer<Reject> consumer) {
        long after = 0;
        while (true) {
            List<Record> page = new ArrayList<>(db.dsl().select(BULK_REJECT.ROW_NO, BULK_REJECT.CELLS_SEALED).from(BULK_REJECT)
                    .where(BULK_REJECT.JOB_ID.eq(jobId).and(BULK_REJECT.ROW_NO.gt(after))).orderBy(BULK_REJECT.ROW_NO).limit(BATCH).fetch());
            if (page.isEmpty()) return;
            long first = page.get(0).get(BULK_REJECT.ROW_NO);
            long last = page.get(page.size() - 1).get(BULK_REJECT.ROW_NO);
            List<Problem> problems = db.dsl().selectFrom(BULK_PROBLEM)
                    .where(BULK_PROBLEM.JOB_ID.eq(jobId).and(BULK_PROBLEM.ROW_NO.between(first, last))).orderBy(BULK_PROBLEM.ROW_NO, BULK_PROBLEM.ID)
                    .fetch().map(r -> new Problem(r.getRowNo(), r.getColumnNo(), r.getColumnName(), ProblemCode.valueOf(r.getCode()), r.getMessage()));
            int pi = 0;
            for (Record r : page) {
                long row = r.get(BULK_REJECT.ROW_NO);
                List<String> cells = new ArrayList<>();
                Json.parse(db.rejectSeal().open(r.get(BULK_REJECT.CELLS_SEALED), rejectCell(jobId, row))).forEach(n -> cells.add(n.asText()));
                List<Problem> mine = new ArrayList<>();
                while (pi < problems.size() && problems.get(pi).row() < row) pi++;
                while (pi < problems.size() && problems.get(pi).row() == row) mine.add(problems.get(pi++));
                consumer.accept(new Reject(row, cells, mine));
            }
            after = last;
        }
    }

    /**
     * Opens one rejected row's cells as read from the file — personal data in clear — for a person who asked to see
     * them, and records in the audit log, in the same transaction, who saw which row of which job. Empty when the job
     * holds no such rejected row.
     */
    public Optional<List<String>> revealReject(long jobId, long rowNumber, String actorKeyId, java.time.Clock clock) {
        Optional<List<String>> out = db.inTransaction(tx -> {
            Record r = tx.dsl().select(BULK_REJECT.CELLS_SEALED).from(BULK_REJECT)
                    .where(BULK_REJECT.JOB_ID.eq(jobId).and(BULK_REJECT.ROW_NO.eq(rowNumber))).fetchOne();
            if (r == null) return Optional.<List<String>>empty();
            List<String> cells = new ArrayList<>();
            Json.parse(db.rejectSeal().open(r.get(BULK_REJECT.CELLS_SEALED), rejectCell(jobId, rowNumber))).forEach(n -> cells.add(n.asText()));
            new AuditLog(clock).append(tx.dsl(), actorKeyId, cn.crb.domain.audit.AuditAction.PERSONAL_DATA_REVEALED, "bulk-row",
                    jobId + ":" + rowNumber, Json.object().put("jobId", jobId).put("row", rowNumber));
            return Optional.of(List.copyOf(cells));
        });
        db.checkpointSync();
        return out;
    }

    /**
     * Records that a job's rejected rows — personal data in clear — were written to a file for the clerk to correct:
     * who, which job, how many rows, and the file's SM3 (contract 06: "personal data revealed").
     */
    public void recordRejectsExported(long jobId, long rows, String fileSm3, Auditor auditor) {
        db.transaction(cfg -> {
            new AuditLog(auditor.clock()).append(DSL.using(cfg), auditor.actorKeyId(), cn.crb.domain.audit.AuditAction.PERSONAL_DATA_REVEALED,
                    "bulk-job", Long.toString(jobId), Json.object().put("jobId", jobId).put("rejectsExported", rows).put("fileSm3", fileSm3));
            return null;
        });
        db.checkpointSync();
    }

    /** The row JSON texts of chunk {@code n}, in batch order. */
    public List<String> chunkRows(long jobId, int n, int chunkSize) {
        return chunkRows(jobId, n, chunkSize, null);
    }

    /**
     * The rows of chunk {@code n}, as {@link #chunkRows(long, int, int)}, noting each row's number under its SEQ in
     * {@code numbers} (when not null): the upload reads every chunk, and {@link #complete(long, List, JsonNode,
     * OffsetDateTime, RowNumbers)} then maps the platform's results without reading every stored row a second time.
     */
    public List<String> chunkRows(long jobId, int n, int chunkSize, RowNumbers numbers) {
        long from = (long) n * chunkSize;
        var q = db.dsl().select(BULK_ROW.SEQ, BULK_ROW.ROW_NO, BULK_ROW.ROW_JSON).from(BULK_ROW)
                .where(BULK_ROW.JOB_ID.eq(jobId).and(BULK_ROW.SEQ.between(from, from + chunkSize - 1))).orderBy(BULK_ROW.JOB_ID, BULK_ROW.SEQ);
        List<String> rows = new ArrayList<>(chunkSize);
        for (var r : q.fetch()) {
            rows.add(r.value3());
            if (numbers != null) numbers.note(r.value1(), r.value2());
        }
        return rows;
    }

    /**
     * A job's row numbers by SEQ, noted while its chunks are read for the upload. Complete once every stored row of
     * the job is noted (its SEQs are 0 to the job's row count - 1); until then {@link #complete} reads them from the
     * rows, as it does without it.
     */
    public static final class RowNumbers {
        private final long[] bySeq;
        private int noted;

        /** For a job of {@code rows} stored rows ({@link BulkJob#batchRows()}). */
        public RowNumbers(long rows) {
            if (rows < 0 || rows > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("rows " + rows);
            bySeq = new long[(int) rows];
        }

        void note(long seq, long rowNo) {
            // row numbers start at 2 (the header is row 1), so 0 marks a SEQ not noted yet
            if (seq < 0 || seq >= bySeq.length || rowNo <= 0 || bySeq[(int) seq] != 0) return;
            bySeq[(int) seq] = rowNo;
            noted++;
        }

        boolean completeFor(long rows) {
            return rows == bySeq.length && noted == bySeq.length;
        }
    }

    /** Records a chunk's sm3 and state (SENT or ACKNOWLEDGED); a later state never goes back. */
    public void chunkState(long jobId, int n, String sm3, int rowCount, String state) {
        db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            int updated = tx.update(BULK_CHUNK).set(BULK_CHUNK.STATE, state).set(BULK_CHUNK.SM3, sm3)
                    .where(BULK_CHUNK.JOB_ID.eq(jobId).and(BULK_CHUNK.N.eq(n)).and(BULK_CHUNK.STATE.ne("ACKNOWLEDGED"))).execute();
            if (updated == 0 && !tx.fetchExists(BULK_CHUNK, BULK_CHUNK.JOB_ID.eq(jobId).and(BULK_CHUNK.N.eq(n)))) {
                tx.insertInto(BULK_CHUNK).set(BULK_CHUNK.JOB_ID, jobId).set(BULK_CHUNK.N, n).set(BULK_CHUNK.SM3, sm3)
                        .set(BULK_CHUNK.ROW_COUNT, rowCount).set(BULK_CHUNK.STATE, state).execute();
            }
            return null;
        });
    }

    /** The chunks recorded for a job: number → state. */
    public java.util.Map<Integer, String> chunkStates(long jobId) {
        java.util.Map<Integer, String> m = new java.util.TreeMap<>();
        db.dsl().select(BULK_CHUNK.N, BULK_CHUNK.STATE).from(BULK_CHUNK).where(BULK_CHUNK.JOB_ID.eq(jobId))
                .forEach(r -> m.put(r.value1(), r.value2()));
        return m;
    }

    public void setState(long jobId, BulkJobState state) {
        db.dsl().update(BULK_JOB).set(BULK_JOB.STATE, state.name()).where(BULK_JOB.ID.eq(jobId)).execute();
    }

    /** The clerk's signed completion envelope of the job (JSON), stored before it was first sent; empty before that. */
    public Optional<String> completionEnvelope(long jobId) {
        return storedCompletion(jobId).map(StoredCompletion::envelopeJson);
    }

    /** The job's signed completion as stored, with the SM3 recorded when it was stored (null for one stored before V48). */
    public record StoredCompletion(String envelopeJson, String recordedSm3) {}

    public Optional<StoredCompletion> storedCompletion(long jobId) {
        return Optional.ofNullable(db.dsl().select(BULK_JOB.COMPLETION_ENVELOPE, BULK_JOB.COMPLETION_SM3).from(BULK_JOB).where(BULK_JOB.ID.eq(jobId))
                .fetchOne()).filter(r -> r.value1() != null).map(r -> new StoredCompletion(r.value1(), r.value2()));
    }

    /**
     * Stores the clerk's signed completion envelope of the job with its audit entry ({@code BATCH_SUBMITTED}, by
     * {@code actorKeyId}), in one transaction, before it is sent: every later attempt sends these bytes. One is kept per
     * job: a second is refused ({@link IllegalStateException}) and nothing is written.
     */
    public void storeCompletion(long jobId, String envelopeJson, String envelopeSm3, String actorKeyId, java.time.Clock clock) {
        db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            var job = tx.select(BULK_JOB.COMPLETION_ENVELOPE, BULK_JOB.BATCH_ID, BULK_JOB.BATCH_ROWS).from(BULK_JOB)
                    .where(BULK_JOB.ID.eq(jobId)).forUpdate().fetchOne();
            if (job == null) throw new IllegalArgumentException("no job " + jobId);
            if (job.value1() != null) throw new IllegalStateException("job " + jobId + " already holds its signed completion");
            tx.update(BULK_JOB).set(BULK_JOB.COMPLETION_ENVELOPE, envelopeJson).set(BULK_JOB.COMPLETION_SM3, envelopeSm3)
                    .where(BULK_JOB.ID.eq(jobId)).execute();
            new AuditLog(clock).append(tx, actorKeyId, cn.crb.domain.audit.AuditAction.BATCH_SUBMITTED, "bulk-job", Long.toString(jobId),
                    Json.object().put("batchId", job.value2()).put("rows", job.value3() == null ? 0 : job.value3()).put("envelopeSm3", envelopeSm3));
            return null;
        });
    }

    /**
     * Drops the job's stored completion envelope, which the platform refused ({@code code}: its problem code, e.g. a
     * role not allowed, or {@code LOCAL_INTEGRITY} when this workstation refused it as altered), with an audit entry
     * ({@code ENVELOPE_REFUSED}, by {@code actorKeyId}, or the profile's own key when null); the next attempt signs a new one.
     */
    public void discardCompletion(long jobId, String envelopeSm3, String code, String actorKeyId, java.time.Clock clock) {
        db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            int n = tx.update(BULK_JOB).set(BULK_JOB.COMPLETION_ENVELOPE, (String) null).set(BULK_JOB.COMPLETION_SM3, (String) null)
                    .where(BULK_JOB.ID.eq(jobId)).and(BULK_JOB.COMPLETION_ENVELOPE.isNotNull()).execute();
            if (n > 0) {
                new AuditLog(clock).append(tx, actorKeyId != null ? actorKeyId : OutboxRepository.actorOf(tx),
                        cn.crb.domain.audit.AuditAction.ENVELOPE_REFUSED, "envelope", envelopeSm3,
                        Json.object().put("bulkJob", jobId).put("code", code == null ? "REFUSED" : code));
            }
            return null;
        });
    }

    /**
     * Stores the platform's per-row results and receipt and marks the job COMPLETE, with the counts of accepted and
     * refused rows, in one transaction. A result for a row number the job does not hold is ignored; of a row named twice
     * the later result counts; completing again replaces what was stored. Each result goes to {@code BULK_RESULT} under
     * its row's key (job, SEQ), found from the job's (SEQ, ROW_NO) pairs read once (by row number there was no index:
     * every result scanned the job's rows, 20,000 results took 83 s; written into the rows themselves, each rewrote a
     * row of about 500 characters).
     */
    public void complete(long jobId, List<RowResult> results, JsonNode receipt, OffsetDateTime at) {
        complete(jobId, results, receipt, at, null);
    }

    /**
     * {@link #complete(long, List, JsonNode, OffsetDateTime)} with the job's row numbers noted while its chunks were read
     * for the upload: when they cover every stored row of the job, the rows are not read again (reading them, every
     * row's page decrypted for two numbers, was half of completing a million rows).
     */
    public void complete(long jobId, List<RowResult> results, JsonNode receipt, OffsetDateTime at, RowNumbers noted) {
        db.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            SeqByRow seqs = null;
            if (noted != null) {
                Long rows = tx.select(BULK_JOB.BATCH_ROWS).from(BULK_JOB).where(BULK_JOB.ID.eq(jobId)).fetchOne(BULK_JOB.BATCH_ROWS);
                if (rows != null && noted.completeFor(rows)) seqs = SeqByRow.bySeq(noted.bySeq);
            }
            if (seqs == null) seqs = seqByRow(tx, jobId);
            SeqByRow bySeq = seqs;
            // completing again (a completion interrupted before its state was stored) replaces what the first one wrote
            tx.deleteFrom(BULK_RESULT).where(BULK_RESULT.JOB_ID.eq(jobId)).execute();
            java.util.BitSet seen = new java.util.BitSet();
            long[] counts = {0, 0}; // accepted, refused
            tx.connection(c -> {
                try (var update = c.prepareStatement(INSERT_RESULT)) {
                    int pending = 0;
                    // newest first, so that of a row named twice the last result counts (as when each result updated its row)
                    for (RowResult r : results.reversed()) {
                        long seq = bySeq.seqOf(r.rowNumber());
                        if (seq < 0 || seq > Integer.MAX_VALUE || seen.get((int) seq)) continue; // not this job's row, or named again
                        seen.set((int) seq);
                        counts[ACCEPTED.equals(r.status()) ? 0 : 1]++;
                        update.setLong(1, jobId);
                        update.setLong(2, seq);
                        update.setLong(3, r.rowNumber());
                        update.setString(4, r.status());
                        update.setString(5, r.code());
                        update.addBatch();
                        if (++pending == BATCH) {
                            update.executeBatch();
                            pending = 0;
                        }
                    }
                    if (pending > 0) update.executeBatch();
                }
            });
            tx.update(BULK_JOB).set(BULK_JOB.STATE, BulkJobState.COMPLETE.name()).set(BULK_JOB.RECEIPT, receipt == null ? null : Json.write(receipt))
                    .set(BULK_JOB.COMPLETED_AT, at).set(BULK_JOB.ACCEPTED_ROWS, counts[0]).set(BULK_JOB.REFUSED_ROWS, counts[1])
                    .where(BULK_JOB.ID.eq(jobId)).execute();
            return null;
        });
    }

    private static final String INSERT_RESULT = LocalDatabase.sql(LocalDatabase.render().insertInto(BULK_RESULT,
            BULK_RESULT.JOB_ID, BULK_RESULT.SEQ, BULK_RESULT.ROW_NO, BULK_RESULT.STATUS, BULK_RESULT.CODE).values(LocalDatabase.param(BULK_RESULT.JOB_ID),
            LocalDatabase.param(BULK_RESULT.SEQ), LocalDatabase.param(BULK_RESULT.ROW_NO), LocalDatabase.param(BULK_RESULT.STATUS), LocalDatabase.param(BULK_RESULT.CODE)));

    /** A job's row numbers sorted, with the SEQ of each: two arrays, 16 bytes per row (a million rows: 16 MB). */
    private record SeqByRow(long[] rowNos, long[] seqs) {
        long seqOf(long rowNo) {
            int i = java.util.Arrays.binarySearch(rowNos, rowNo);
            return i < 0 ? -1 : seqs[i];
        }

        /** From the row number of each SEQ 0..n-1. */
        static SeqByRow bySeq(long[] rowNoOfSeq) {
            int n = rowNoOfSeq.length;
            long[] seqs = new long[n];
            boolean sorted = true;
            for (int k = 0; k < n; k++) {
                seqs[k] = k;
                if (k > 0 && rowNoOfSeq[k] <= rowNoOfSeq[k - 1]) sorted = false;
            }
            return sorted ? new SeqByRow(rowNoOfSeq, seqs) : sortedByRow(rowNoOfSeq, seqs);
        }

        /** Sorted by row number (rows are stored in file order, so this is not expected; kept correct all the same). */
        static SeqByRow sortedByRow(long[] rowNos, long[] seqs) {
            int n = rowNos.length;
            Integer[] order = new Integer[n];
            for (int k = 0; k < n; k++) order[k] = k;
            java.util.Arrays.sort(order, java.util.Comparator.comparingLong(k -> rowNos[k]));
            long[] r2 = new long[n];
            long[] s2 = new long[n];
            for (int k = 0; k < n; k++) {
                r2[k] = rowNos[order[k]];
                s2[k] = seqs[order[k]];
            }
            return new SeqByRow(r2, s2);
        }
    }

    private static SeqByRow seqByRow(DSLContext tx, long jobId) {
        int n = tx.fetchCount(BULK_ROW, BULK_ROW.JOB_ID.eq(jobId));
        long[] rowNos = new long[n];
        long[] seqs = new long[n];
        boolean[] sorted = {true};
        // read as a stream: a million records are not held
        tx.connection(c -> {
            try (var q = c.prepareStatement(JOB_ROW_NUMBERS)) {
                q.setFetchSize(BATCH);
                q.setLong(1, jobId);
                try (var rs = q.executeQuery()) {
                    for (int k = 0; k < n && rs.next(); k++) {
                        seqs[k] = rs.getLong(1);
                        rowNos[k] = rs.getLong(2);
                        if (k > 0 && rowNos[k] <= rowNos[k - 1]) sorted[0] = false;
                    }
                }
            }
        });
        return sorted[0] ? new SeqByRow(rowNos, seqs) : SeqByRow.sortedByRow(rowNos, seqs);
    }

    /** The platform's results of a completed job, by row number. */
    public List<RowResult> results(long jobId) {
        return db.dsl().select(BULK_RESULT.ROW_NO, BULK_RESULT.STATUS, BULK_RESULT.CODE).from(BULK_RESULT)
                .where(BULK_RESULT.JOB_ID.eq(jobId)).orderBy(BULK_RESULT.JOB_ID, BULK_RESULT.SEQ).fetch(r -> new RowResult(r.value1(), r.value2(), r.value3()));
    }

    private static final String ACCEPTED = "ACCEPTED";
    private static final String REFUSED = "REFUSED";

    /** Up to {@code limit} results of a job other than ACCEPTED, by status then row (what the clerk has to look at). */
    public List<RowResult> refusedResults(long jobId, int limit) {
        return refused(jobId, resultCounts(jobId).refused(), limit).stream().map(l -> new RowResult(l.rowNo(), l.status(), l.code())).toList();
    }

    /** How many of a job's rows the platform accepted and how many it refused (0 and 0 before its completion): kept with the job. */
    public ResultCounts resultCounts(long jobId) {
        var r = db.dsl().select(BULK_JOB.ACCEPTED_ROWS, BULK_JOB.REFUSED_ROWS).from(BULK_JOB).where(BULK_JOB.ID.eq(jobId)).fetchOne();
        return r == null || r.value1() == null ? new ResultCounts(0, 0) : new ResultCounts(r.value1(), r.value2());
    }

    /**
     * A row's platform result with what tells the clerk whose outcome it is: the masked ID and name, the catalogue
     * code and the title, as sent.
     */
    public record ResultLine(long rowNumber, String status, String code, String idMasked, String nameMasked, String catalogueCode, String title) {}

    /** How many of a job's rows the platform accepted and how many it refused. */
    public record ResultCounts(long accepted, long refused) {}

    private static final String RESULT_LINE = LocalDatabase.sql(LocalDatabase.render().select(BULK_ROW.CATALOGUE_CODE, BULK_ROW.ROW_JSON)
            .from(BULK_ROW).where(BULK_ROW.JOB_ID.eq(LocalDatabase.param(BULK_ROW.JOB_ID)).and(BULK_ROW.SEQ.eq(LocalDatabase.param(BULK_ROW.SEQ)))));

    /** What the clerk sees of a job's results: the counts of every row, and the lines listed. */
    public record ResultPage(ResultCounts counts, List<ResultLine> lines) {}

    /**
     * The counts of a job's platform results and up to {@code limit} lines for display: the rows the platform refused
     * first (they are what the clerk acts on; by status, then row), then the accepted ones in row order. The counts are
     * kept with the job; each part is read through the index (JOB_ID, STATUS, SEQ) only as far as it is listed, and the
     * stored rows only for the lines listed: a million-row job is not loaded whole.
     */
    public ResultPage resultPage(long jobId, int limit) {
        ResultCounts counts = resultCounts(jobId);
        List<Listed> listed = new ArrayList<>(refused(jobId, counts.refused(), limit));
        if (counts.accepted() > 0 && listed.size() < limit) listed.addAll(listed(jobId, BULK_RESULT.STATUS.eq(ACCEPTED), limit - listed.size()));
        // one lookup by primary key per line listed (an IN list over SEQ made H2 walk the whole job once per list)
        List<ResultLine> lines = new ArrayList<>(listed.size());
        db.jdbcTransaction(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(RESULT_LINE)) {
                for (Listed l : listed) {
                    ps.setLong(1, jobId);
                    ps.setLong(2, l.seq());
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) lines.add(resultLine(l, rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return null;
        });
        return new ResultPage(counts, lines);
    }

    /** A result as read from {@code BULK_RESULT}, before its stored row is looked up. */
    private record Listed(long seq, long rowNo, String status, String code) {}

    /**
     * Up to {@code limit} of a job's {@code refused} results other than ACCEPTED, through the index (JOB_ID, STATUS,
     * SEQ) by an equal status, so that H2 stops at the limit (with a range on STATUS it walked the whole job):
     * REFUSED, then any other status the platform may send — a query that walks the job, run only when REFUSED did
     * not account for all refused rows.
     */
    private List<Listed> refused(long jobId, long refused, int limit) {
        List<Listed> out = new ArrayList<>();
        if (refused == 0 || limit <= 0) return out;
        out.addAll(listed(jobId, BULK_RESULT.STATUS.eq(REFUSED), limit));
        if (out.size() < limit && out.size() < refused) out.addAll(listed(jobId, BULK_RESULT.STATUS.notIn(REFUSED, ACCEPTED), limit - out.size()));
        return out;
    }

    /** Up to {@code limit} of a job's results with a status matching {@code status}, in index order (status, then row). */
    private List<Listed> listed(long jobId, org.jooq.Condition status, int limit) {
        return db.dsl().select(BULK_RESULT.SEQ, BULK_RESULT.ROW_NO, BULK_RESULT.STATUS, BULK_RESULT.CODE).from(BULK_RESULT)
                .where(BULK_RESULT.JOB_ID.eq(jobId).and(status)).orderBy(BULK_RESULT.JOB_ID, BULK_RESULT.STATUS, BULK_RESULT.SEQ)
                .limit(limit).fetch(r -> new Listed(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /** Reads the masked ID and name and the title from the first fields of the row as sent, and stops there. */
    private static ResultLine resultLine(Listed l, String catalogueCode, String rowJson) {
        String id = null, name = null, title = null;
        try (com.fasterxml.jackson.core.JsonParser p = Json.mapper().getFactory().createParser(rowJson)) {
            if (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                while ((id == null || name == null || title == null) && p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "idMasked" -> id = p.getText();
                        case "nameMasked" -> name = p.getText();
                        case "title" -> title = p.getText();
                        default -> p.skipChildren();
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // stored by this workstation: well-formed
        }
        return new ResultLine(l.rowNo(), l.status(), l.code(), id, name, catalogueCode, title);
    }

    private static BulkJob toJob(BulkJobRecord r) {
        List<String> header = new ArrayList<>();
        Json.parse(r.getHeaderJson()).forEach(n -> header.add(n.asText()));
        return new BulkJob(r.getId(), r.getFileName(), r.getFileSm3(), r.getFileFormat(), r.getFileEncoding(),
                r.getDelimiterChar() == null ? null : r.getDelimiterChar().charAt(0), header, r.getInstitution(), r.getStandardsVersion(),
                r.getImportMode(), r.getTotalRows(), r.getValidRows(), r.getInvalidRows(), r.getSkippedRows(), r.getBatchRows(),
                BulkJobState.valueOf(r.getState()), r.getBatchId(), r.getKeyEnvelope(), r.getChunkSize(), r.getCreatedAt(), r.getCompletedAt());
    }

}
