package cn.crb.sim;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The simulator's own H2 file database ({@code <data>/platform.mv.db}, {@code WRITE_DELAY=0} so that a
 * returned commit survives a kill). One connection, and every transaction holds one lock: the simulator
 * trades throughput for the absence of races (a used code, an idempotency key, a log index are decided once).
 */
final class Db implements AutoCloseable {

    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private Db(Connection connection) {
        this.connection = connection;
    }

    static Db open(Path dataDir) throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("platform") + ";WRITE_DELAY=0;REUSE_SPACE=FALSE"; // as the workstation (decision 0003): a kill loses no acknowledged commit
        Connection c = DriverManager.getConnection(url, "sa", "");
        c.setAutoCommit(false);
        Db db = new Db(c);
        db.tx(tx -> {
            Schema.create(tx);
            return null;
        });
        return db;
    }

    /**
     * Runs {@code work} in one transaction: commit on return, rollback on any exception. Called again from inside
     * a transaction on the same thread, the work joins the outer transaction (no commit of its own).
     */
    <T> T tx(Work<T> work) {
        if (lock.isHeldByCurrentThread()) {
            try {
                return work.run(new Tx(connection));
            } catch (SQLException e) {
                throw new StoreException(e);
            }
        }
        lock.lock();
        try {
            try {
                T result = work.run(new Tx(connection));
                connection.commit();
                return result;
            } catch (SQLException e) {
                rollback();
                throw new StoreException(e);
            } catch (RuntimeException e) {
                rollback();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException(e);
        } finally {
            lock.unlock();
        }
    }

    /** A database failure, unchecked. */
    static final class StoreException extends RuntimeException {
        StoreException(SQLException cause) { super(cause.getMessage(), cause); }
    }
}
