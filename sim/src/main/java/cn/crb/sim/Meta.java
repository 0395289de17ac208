package cn.crb.sim;

import java.sql.SQLException;
import java.util.Optional;

/** Small key/value settings kept in the database (clock offset, seeding marker). */
final class Meta {
    private Meta() {}

    static Optional<String> get(Tx tx, String key) throws SQLException {
        return tx.one("SELECT v FROM meta WHERE k = ?", rs -> rs.getString(1), key);
    }

    static void put(Tx tx, String key, String value) throws SQLException {
        tx.update("MERGE INTO meta (k, v) KEY (k) VALUES (?, ?)", key, value);
    }
}
