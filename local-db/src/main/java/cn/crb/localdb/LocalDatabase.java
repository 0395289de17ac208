package cn.crb.localdb;

import cn.crb.domain.crypto.FieldSeal;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.TransactionalCallable;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;

/**
 * One person's local database: an H2 file encrypted with AES under a random 256-bit key, opened with
 * {@code WRITE_DELAY=0} so that a commit that returned survives the process being killed.
 *
 * <p>Durability, stated plainly: every commit that returned is in the operating system's file cache before
 * the call returns, so it survives {@code kill -9} and a crash of the workstation (proven by
 * {@code KillWriterTest}). It is <em>not</em> forced to the disk platter: on a power cut the operating system
 * may lose its last seconds of writes. H2 then reopens at its last consistent state (MVStore is
 * copy-on-write), never a torn one. {@link #checkpointSync()} forces everything to disk and is called after
 * signing, so that signed acts also survive a power cut.
 */
public final class LocalDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDatabase.class);
    /** The settings that make a returned commit survive a killed process. Tested; do not loosen. */
    static final String DURABILITY_SETTINGS = ";WRITE_DELAY=0;REUSE_SPACE=FALSE";
    /**
     * Parsed statements kept per connection. H2 keeps 8 by default; signing a decision alone runs more distinct
     * statements than that, so each was parsed again every time (sign-and-queue p50 2.6-3.1 -> 2.0-2.6 ms with 64).
     */
    static final String STATEMENT_CACHE = ";QUERY_CACHE_SIZE=64";
    /**
     * H2 would close the database from its own JVM shutdown hook, under background work still reading it; the
     * workstation closes it itself, after that work (WorkstationApp). Commits never depend on it (WRITE_DELAY=0).
     */
    static final String CLOSED_BY_OWNER = ";DB_CLOSE_ON_EXIT=FALSE";
    static final String FILE_NAME = "crb";

    private final JdbcConnectionPool pool;
    private final DSLContext dsl;
    private final Path file;
    private final FieldSeal rejectSeal;
    /** Held while a bulk job ends (BulkRepository.finishImport): endings register identity keys one after the other. */
    private final java.util.concurrent.locks.ReentrantLock bulkEnding = new java.util.concurrent.locks.ReentrantLock();

    private LocalDatabase(JdbcConnectionPool pool, Path file, FieldSeal rejectSeal) {
        this.pool = pool;
        this.file = file;
        this.rejectSeal = rejectSeal;
        this.dsl = DSL.using(pool, SQLDialect.H2, settings());
    }

    private static Settings settings() {
        return new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED);
    }

    /** Renders statements without a database: see {@link #sql}. */
    private static final DSLContext RENDER = DSL.using(SQLDialect.H2, settings());

    /** A context that only builds statements to render with {@link #sql} (it has no connection). */
    static DSLContext render() { return RENDER; }

    /**
     * The SQL of {@code q} as this database runs it, with a {@code ?} for each parameter. The signing path renders its
     * statements once, into constants, from the generated schema (so a renamed column still fails to compile) and
     * runs them as plain JDBC: rendering each statement anew was a third of a signing transaction's CPU time and most
     * of its allocation (docs/performance.md, "Sign and queue").
     */
    static String sql(org.jooq.Query q) {
        return RENDER.render(q);
    }

    /** A parameter of {@code f}'s type, rendered as {@code ?}. */
    static <T> org.jooq.Param<T> param(org.jooq.Field<T> f) {
        return DSL.param(f.getName(), f.getDataType());
    }

    /** Work on the plain JDBC connection of a transaction. */
    @FunctionalInterface
    interface JdbcWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a plain JDBC connection: all of it commits, or none of it (an exception
     * rolls back and propagates; an SQLException as {@link LocalDbException}). For the signing path, whose statements
     * are rendered once ({@link #sql}); everything else uses {@link #inTransaction}.
     */
    <T> T jdbcTransaction(JdbcWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new LocalDbException("local transaction failed: " + e.getMessage(), e);
        }
    }

    /** Raised when the database file exists but the key does not open it. */
    public static final class WrongKeyException extends RuntimeException {
        public WrongKeyException(Throwable cause) { super("the database key does not open this database", cause); }
    }

    /** The database is open in another process (the workstation, or another {@code crb} command): H2 locks its file. */
    public static final class InUseException extends LocalDbException {
        public InUseException(Throwable cause) { super("the local database is in use by another process", cause); }
    }

    /** Opens (creating if absent) the database in {@code dir} with the 32-byte {@code key}, and migrates it. */
    public static LocalDatabase open(Path dir, byte[] key) {
        Objects.requireNonNull(key);
        if (key.length != 32) throw new IllegalArgumentException("database key must be 32 bytes");
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new LocalDbException("cannot create " + dir, e);
        }
        Path base = dir.resolve(FILE_NAME).toAbsolutePath();
        String url = "jdbc:h2:file:" + base + ";CIPHER=AES" + DURABILITY_SETTINGS + STATEMENT_CACHE + CLOSED_BY_OWNER;
        String filePassword = HexFormat.of().formatHex(key);
        // H2 takes "<file password> <user password>"; the user password adds nothing here but must be present.
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "crb", filePassword + " crb");
        pool.setMaxConnections(8);
        try (Connection c = pool.getConnection()) {
            c.isValid(1);
        } catch (SQLException e) {
            pool.dispose();
            if (isWrongPassword(e)) throw new WrongKeyException(e);
            if (anyCause(e, s -> s.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1)) throw new InUseException(e);
            throw new LocalDbException("cannot open the local database: " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        LOG.info("local database open and migrated in {} ms", (System.nanoTime() - t0) / 1_000_000);
        LocalDatabase db = new LocalDatabase(pool, base, FieldSeal.derive(key, REJECT_SEAL_PURPOSE));
        BulkRepository bulk = new BulkRepository(db);
        int sealed = bulk.sealLegacyRejects();
        if (sealed > 0) LOG.info("sealed the cells of {} rejected bulk rows stored in clear by an earlier version", sealed);
        int interrupted = bulk.removeInterruptedImports();
        if (interrupted > 0) LOG.info("removed {} bulk imports interrupted by the end of an earlier process; import their files again", interrupted);
        return db;
    }

    /** Whether {@code e} or an SQLException among its causes matches {@code test}. */
    private static boolean anyCause(Throwable e, java.util.function.Predicate<SQLException> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && test.test(s)) return true;
        }
        return false;
    }

    private static boolean isWrongPassword(SQLException e) {
        // H2: 28000 = wrong user name or password; 90049 = encryption error (wrong file password)
        return anyCause(e, s -> s.getErrorCode() == 28000 || s.getErrorCode() == 90049 || "28000".equals(s.getSQLState()));
    }

    /** The purpose label of the key that seals rejected bulk rows' cells (derived from the database key). */
    static final String REJECT_SEAL_PURPOSE = "bulk-reject-cells";

    public DSLContext dsl() { return dsl; }

    /** The lock that makes the endings of bulk jobs in this database run one at a time. */
    java.util.concurrent.locks.ReentrantLock bulkEnding() { return bulkEnding; }

    /** Seals the cells of rejected bulk rows (raw IDs) so that they are never stored in clear (decision 0006). */
    FieldSeal rejectSeal() { return rejectSeal; }

    /** Runs {@code work} in one transaction: all of it commits, or none of it. */
    public <T> T transaction(TransactionalCallable<T> work) {
        return dsl.transactionResult(work);
    }

    /** H2's "timeout trying to lock table" (LOCK_TIMEOUT_1): another transaction held a row this one needs too long. */
    private static final int LOCK_TIMEOUT = org.h2.api.ErrorCode.LOCK_TIMEOUT_1;
    /** H2's "deadlock detected" (DEADLOCK_1): two transactions waited for each other's rows, and this one was rolled back. */
    private static final int DEADLOCK = org.h2.api.ErrorCode.DEADLOCK_1;

    /**
     * Whether {@code e} (or a cause) is H2's lock timeout or a deadlock it broke: the transaction rolled back and can
     * be run again.
     */
    public static boolean isLockConflict(Throwable e) {
        return anyCause(e, s -> s.getErrorCode() == LOCK_TIMEOUT || s.getErrorCode() == DEADLOCK);
    }

    /**
     * Runs {@code transaction} (which runs one transaction) again when it meets a {@linkplain #isLockConflict lock
     * conflict}, up to {@code attempts} times in all: its rollback undid everything, so running it again is safe.
     */
    static <T> T retryingLockConflicts(String what, int attempts, java.util.function.Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !isLockConflict(e)) throw e;
                LOG.info("{} met a lock held by another transaction (attempt {} of {}); running it again", what, attempt, attempts);
            }
        }
    }

    /**
     * Runs {@code work} in one transaction, handing it an opaque {@link Tx} that repositories accept, so that a caller
     * can combine changes of several repositories (e.g. a decision and its outbox entry) atomically without seeing
     * any SQL type. All of it commits, or none of it (an exception rolls back and propagates).
     */
    public <T> T inTransaction(Function<Tx, T> work) {
        return dsl.transactionResult(c -> work.apply(new Tx(c.dsl())));
    }

    /** An open local transaction; valid only inside the {@link #inTransaction} call that created it. */
    public static final class Tx {
        private final DSLContext dsl;

        private Tx(DSLContext dsl) { this.dsl = dsl; }

        DSLContext dsl() { return dsl; }
    }

    /** Forces all committed data to the disk (survives a power cut). */
    public void checkpointSync() {
        // plain JDBC: it follows every signature, and jOOQ's set-up of each statement allocated several KB per call
        try (Connection c = pool.getConnection(); var s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            throw new LocalDbException("cannot force the database to disk", e);
        }
    }

    /** The database file on disk (for tests and diagnostics). */
    public Path file() { return Path.of(file + ".mv.db"); }

    @Override
    public void close() {
        try (Connection c = pool.getConnection()) {
            c.createStatement().execute("SHUTDOWN");
        } catch (SQLException e) {
            LOG.warn("database shutdown: {}", e.getMessage());
        }
        pool.dispose();
    }
}
