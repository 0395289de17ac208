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
    static final String FILE_NAME = "crb";

    private final JdbcConnectionPool pool;
    private final DSLContext dsl;
    private final Path file;
    private final FieldSeal rejectSeal;

    private LocalDatabase(JdbcConnectionPool pool, Path file, FieldSeal rejectSeal) {
        this.pool = pool;
        this.file = file;
        this.rejectSeal = rejectSeal;
        Settings settings = new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED);
        this.dsl = DSL.using(pool, SQLDialect.H2, settings);
    }

    /** Raised when the database file exists but the key does not open it. */
    public static final class WrongKeyException extends RuntimeException {
        public WrongKeyException(Throwable cause) { super("the database key does not open this database", cause); }
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
        String url = "jdbc:h2:file:" + base + ";CIPHER=AES" + DURABILITY_SETTINGS;
        String filePassword = HexFormat.of().formatHex(key);
        // H2 takes "<file password> <user password>"; the user password adds nothing here but must be present.
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "crb", filePassword + " crb");
        pool.setMaxConnections(8);
        try (Connection c = pool.getConnection()) {
            c.isValid(1);
        } catch (SQLException e) {
            pool.dispose();
            if (isWrongPassword(e)) throw new WrongKeyException(e);
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

    private static boolean isWrongPassword(SQLException e) {
        // H2: 28000 = wrong user name or password; 90049 = encryption error (wrong file password)
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == 28000 || s.getErrorCode() == 90049 || "28000".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The purpose label of the key that seals rejected bulk rows' cells (derived from the database key). */
    static final String REJECT_SEAL_PURPOSE = "bulk-reject-cells";

    public DSLContext dsl() { return dsl; }

    /** Seals the cells of rejected bulk rows (raw IDs) so that they are never stored in clear (decision 0006). */
    FieldSeal rejectSeal() { return rejectSeal; }

    /** Runs {@code work} in one transaction: all of it commits, or none of it. */
    public <T> T transaction(TransactionalCallable<T> work) {
        return dsl.transactionResult(work);
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
        dsl.execute("CHECKPOINT SYNC");
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
