package cn.crb.localdb;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static cn.crb.localdb.jooq.Tables.KV_SETTING;

/**
 * Child process of {@link SigtermTest}: opens the database, reads it without pause on a background thread (as the
 * workstation's screens do) and, when terminated, does what the workstation's shutdown hook does — stops the work,
 * waits for it, then closes the database — and prints how the reader ended.
 */
public final class SigtermReaderMain {
    private SigtermReaderMain() {}

    public static void main(String[] args) throws Exception {
        LocalDatabase db = LocalDatabase.open(Path.of(args[0]), HexFormat.of().parseHex(args[1]));
        for (int i = 0; i < 200; i++) {
            int k = i;
            db.transaction(c -> c.dsl().insertInto(KV_SETTING).set(KV_SETTING.K, "k" + k).set(KV_SETTING.V, "v").execute());
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().name("background-reader").start(() -> {
            try {
                while (!stop.get()) {
                    // a long read, as a screen reading all cached cases is: row by row, ~0.4 s in all
                    try (var rows = db.dsl().selectFrom(KV_SETTING).fetchSize(10).fetchLazy()) {
                        for (var row : rows) {
                            if (row.getK() == null) throw new IllegalStateException("row without key");
                            Thread.sleep(2);
                        }
                    }
                    reads.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure.get();
            System.out.println(t == null ? "READER ENDED CLEANLY after " + reads.get() + " reads" : "READER FAILED: " + t);
            db.close();
            System.out.println("CLOSED");
            System.out.flush();
        }));
        while (reads.get() < 2) Thread.sleep(5);
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(120_000); // terminated by the test long before
    }
}
