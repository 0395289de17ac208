package cn.crb.localdb;

import java.nio.file.Path;
import java.util.HexFormat;

import static cn.crb.localdb.jooq.Tables.KV_SETTING;

/**
 * Child process of {@link KillWriterTest}: opens the database the way the workstation does and commits
 * one row per transaction, printing each row's number only after its commit returned.
 */
public final class KillWriterMain {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        byte[] key = HexFormat.of().parseHex(args[1]);
        int start = Integer.parseInt(args[2]);
        LocalDatabase db = LocalDatabase.open(dir, key);
        System.out.println("READY");
        System.out.flush();
        for (int n = start; ; n++) {
            final int row = n;
            db.transaction(tx -> tx.dsl().insertInto(KV_SETTING).set(KV_SETTING.K, "row-" + row).set(KV_SETTING.V, "v").execute());
            System.out.println(row);
            System.out.flush();
        }
    }
}
