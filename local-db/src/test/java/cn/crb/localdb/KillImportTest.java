package cn.crb.localdb;

import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static cn.crb.localdb.BulkImportServiceTest.GBK;
import static cn.crb.localdb.BulkImportServiceTest.HEADER;
import static cn.crb.localdb.BulkImportServiceTest.row;
import static cn.crb.localdb.jooq.Tables.BULK_JOB;
import static cn.crb.localdb.jooq.Tables.BULK_PROBLEM;
import static cn.crb.localdb.jooq.Tables.BULK_REJECT;
import static cn.crb.localdb.jooq.Tables.BULK_IDENTITY;
import static cn.crb.localdb.jooq.Tables.BULK_ROW;
import static cn.crb.localdb.jooq.Tables.BULK_ROW_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: a kill during import leaves the whole batch or none of it, never a silent half, and re-importing afterwards
 * queues nothing twice. A child process imports a 12,000-row file and is killed with SIGKILL at a random moment of the
 * import, several times; after each kill the database is reopened and checked, and the file imported again.
 */
class KillImportTest {
    private static final int CYCLES = 8;
    private static final int ROWS = 12_000;
    private static final int BAD_EVERY = 97;

    @Test
    void aKilledImportIsWholeOrAbsentAndReimportQueuesNothingTwice(@TempDir Path dir) throws Exception {
        byte[] key = KeyWrap.randomKey();
        List<String> rows = new ArrayList<>();
        long bad = 0;
        for (int i = 0; i < ROWS; i++) {
            boolean b = i % BAD_EVERY == 0;
            rows.add(row(i, b ? "Z" : "A"));
            if (b) bad++;
        }
        long valid = ROWS - bad;
        Path file = Files.write(dir.resolve("big.csv"), (HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n").getBytes(GBK));
        Path bundlePath = Path.of("../domain/src/test/resources/examples/standards-2026.1.json").toAbsolutePath();
        Path dbDir = dir.resolve("db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Random random = new Random(6);
        int killedMidImport = 0;
        int finished = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Process p = new ProcessBuilder(java, "-cp", cp, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-Xmx256m",
                    KillImportMain.class.getName(), dbDir.toString(), HexFormat.of().formatHex(key), file.toString(), bundlePath.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> lines = new ArrayList<>();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) synchronized (lines) { lines.add(line); }
                } catch (Exception ignored) {
                    // the stream ends when the process is killed
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // wait until rows are being read (so the job and some of its rows exist), then kill at a random moment
            while (System.nanoTime() < deadline && p.isAlive()) {
                synchronized (lines) { if (lines.stream().anyMatch(l -> l.startsWith("ROWS"))) break; }
                Thread.sleep(2);
            }
            Thread.sleep(random.nextInt(0, 900));
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            boolean done;
            synchronized (lines) {
                assertThat(lines).as("cycle %d: the child started importing", cycle).contains("STARTED");
                done = lines.stream().anyMatch(l -> l.startsWith("DONE"));
            }
            if (done) finished++; else killedMidImport++;

            try (LocalDatabase db = LocalDatabase.open(dbDir, key)) {
                var jobs = db.dsl().selectFrom(BULK_JOB).fetch();
                assertThat(jobs).as("cycle %d: no half-imported job survives", cycle).allMatch(j -> !j.getState().equals("IMPORTING"));
                assertThat(jobs.size()).as("cycle %d: at most one job for the file", cycle).isLessThanOrEqualTo(1);
                if (jobs.isEmpty()) {
                    assertThat(db.dsl().fetchCount(BULK_ROW)).as("cycle %d: an absent import leaves no row", cycle).isZero();
                    assertThat(db.dsl().fetchCount(BULK_ROW_KEY) + db.dsl().fetchCount(BULK_IDENTITY)).as("cycle %d: nor an identity that would skip its rows next time", cycle).isZero();
                    assertThat(db.dsl().fetchCount(BULK_REJECT) + db.dsl().fetchCount(BULK_PROBLEM)).isZero();
                } else {
                    var j = jobs.getFirst();
                    assertThat(j.getState()).isEqualTo("READY");
                    assertThat(List.of(j.getTotalRows(), j.getValidRows(), j.getInvalidRows(), j.getBatchRows()))
                            .as("cycle %d: a finished import is whole", cycle).containsExactly((long) ROWS, valid, bad, valid);
                    assertThat(db.dsl().fetchCount(BULK_ROW)).isEqualTo((int) valid);
                    assertThat(db.dsl().fetchCount(BULK_ROW_KEY) + db.dsl().fetchCount(BULK_IDENTITY)).as("cycle %d: every stored row's identity registered", cycle).isEqualTo((int) valid);
                    assertThat(db.dsl().fetchCount(BULK_REJECT)).isEqualTo((int) bad);
                    assertThat(db.dsl().fetchCount(BULK_PROBLEM)).isEqualTo((int) bad);
                }
            }
        }
        assertThat(killedMidImport).as("kills that hit an import in progress").isGreaterThanOrEqualTo(CYCLES / 2);

        // afterwards: importing the file (again) gives exactly one whole job; a second import of it, or of its rows, queues nothing
        try (LocalDatabase db = LocalDatabase.open(dbDir, key)) {
            StandardsBundle bundle = StandardsBundle.fromPayload(Json.parse(Files.readAllBytes(bundlePath)));
            BulkImportService service = new BulkImportService(new BulkRepository(db), BulkImportServiceTest.CLOCK, BulkImportServiceTest.CLERK_KEY);
            BulkImportService.ImportOutcome o = service.importFile(new BulkImportService.ImportRequest(file, ReadOptions.DEFAULT, "TRN-0042", bundle,
                    null, ImportMode.PARTIAL, Locale.ENGLISH), ImportProgress.NONE, () -> false);
            assertThat(o.alreadyImported()).isEqualTo(finished > 0);
            assertThat(o.job().batchRows()).isEqualTo(valid);
            Path copy = Files.write(dir.resolve("copy.csv"), (HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n\r\n").getBytes(GBK));
            BulkJob again = service.importFile(new BulkImportService.ImportRequest(copy, ReadOptions.DEFAULT, "TRN-0042", bundle, null,
                    ImportMode.PARTIAL, Locale.ENGLISH), ImportProgress.NONE, () -> false).job();
            assertThat(again.state()).isEqualTo(BulkJobState.EMPTY);
            assertThat(again.skippedRows()).isEqualTo(valid);
            assertThat(db.dsl().fetchCount(BULK_ROW)).as("every valid row stored exactly once").isEqualTo((int) valid);
            assertThat(db.dsl().fetchCount(BULK_ROW_KEY) + db.dsl().fetchCount(BULK_IDENTITY)).isEqualTo((int) valid);
        }
    }
}
