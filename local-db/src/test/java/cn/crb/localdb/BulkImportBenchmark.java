package cn.crb.localdb;

import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.bulk.ResidentId;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;

import java.io.BufferedWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Locale;

/**
 * Bulk import end to end into the encrypted database, beside H2's own {@code CSVREAD} (a harness, not a test; figures
 * and command in docs/performance.md, run by scripts/bench-report.sh). For each N:
 * <ol>
 *   <li>writes a GBK CSV of N rows with the Chinese headers (2 % invalid: an unknown quality grade);</li>
 *   <li>{@link BulkImportService#importFile} into a fresh database opened as the workstation opens it
 *       ({@code ;CIPHER=AES;WRITE_DELAY=0;REUSE_SPACE=FALSE}): encoding detection and SM3 of the file, parsing, row
 *       validation against the 2026.1 bundle, the in-file duplicate check, per valid row masking, HMAC-SM3 digest and
 *       SM4-GCM encryption, rejected rows sealed, rows stored in chunks (on the importer's store thread), the job row
 *       and the rows' identity keys registered as it ends (BULK_ROW_KEY) — timed, and the file size after
 *       closing;</li>
 *   <li>the anchor: the stored {@code BULK_ROW} rows written out with {@code CSVWRITE} (not timed), then loaded into the
 *       same table of another fresh database with the same settings by
 *       {@code INSERT INTO BULK_ROW SELECT * FROM CSVREAD(…)} in one statement and committed — timed. H2 only loads
 *       here: the rows are already validated and encrypted.</li>
 * </ol>
 * Output, one line per N: {@code bulk N rows: import S s = R rows/s (V valid); database B bytes; CSVREAD V rows S s = R rows/s; database B bytes}.
 * Usage: {@code BulkImportBenchmark N...} (default 10000 100000); {@code xlsx:N} imports the same rows written as the
 * first sheet of an XLSX file instead (IDs as text, hours and scores as numbers, dates as Excel dates), {@code utf8:N}
 * as a UTF-8 CSV (without BOM). The arguments run one after the other in the same JVM, each into a fresh database: the
 * first import of a fresh JVM is cold (interpreted, then compiled while it runs); repeat an argument to measure the
 * same import once the JIT has compiled it (JMH's warm-up iterations). {@code -Danchor=false} skips the anchor.
 */
public final class BulkImportBenchmark {
    static final String HEADER = "身份证号,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,取得日期,质量等级";

    private BulkImportBenchmark() {}

    public static void main(String[] args) throws Exception {
        String[] sizes = args.length == 0 ? new String[] {"10000", "100000"} : args;
        Path example = Path.of("domain/src/test/resources/examples/standards-2026.1.json"); // run from the repository root
        if (!Files.exists(example)) example = Path.of("..").resolve(example);
        StandardsBundle bundle = StandardsBundle.fromPayload(Json.parse(Files.readAllBytes(example)));
        for (String size : sizes) {
            String format = size.contains(":") ? size.substring(0, size.indexOf(':')) : "gbk";
            int n = Integer.parseInt(size.substring(size.indexOf(':') + 1));
            Path dir = Files.createTempDirectory("crb-bulk-bench");
            try {
                run(dir, n, bundle, format);
            } finally {
                try (var s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** {@code -Danchor=false}: the import alone, without H2's CSVREAD of the same rows beside it. */
    private static final boolean ANCHOR = !"false".equals(System.getProperty("anchor"));

    static void run(Path dir, int n, StandardsBundle bundle) throws Exception {
        run(dir, n, bundle, "gbk");
    }

    /** {@code format}: gbk (a CSV as Excel writes it on Chinese Windows), utf8 (a CSV) or xlsx. */
    static void run(Path dir, int n, StandardsBundle bundle, String format) throws Exception {
        boolean xlsx = format.equals("xlsx");
        Path csv = dir.resolve(xlsx ? "rows.xlsx" : "rows.csv");
        switch (format) {
            case "xlsx" -> generateXlsx(csv, n);
            case "utf8" -> generate(csv, n, java.nio.charset.StandardCharsets.UTF_8);
            case "gbk" -> generate(csv, n, Charset.forName("GBK"));
            default -> throw new IllegalArgumentException("format " + format + ": gbk, utf8 or xlsx");
        }
        Path rowsOut = dir.resolve("bulk_row.csv").toAbsolutePath();
        Path jobOut = dir.resolve("bulk_job.csv").toAbsolutePath();

        long valid;
        double importS;
        long importBytes;
        LocalDatabase db = LocalDatabase.open(dir.resolve("ours"), KeyWrap.randomKey());
        try {
            BulkImportService service = new BulkImportService(new BulkRepository(db), Clock.systemUTC(), BulkImportServiceTest.CLERK_KEY);
            long t0 = System.nanoTime();
            long[] allRead = {0};
            ImportProgress finishing = new ImportProgress() {
                @Override public void update(long rows, long bytesRead, long totalBytes) {}
                @Override public void finishing(long rows) { allRead[0] = System.nanoTime(); }
            };
            BulkImportService.ImportOutcome out = service.importFile(new BulkImportService.ImportRequest(csv, ReadOptions.DEFAULT, "TRN-0042",
                    bundle, null, ImportMode.PARTIAL, Locale.SIMPLIFIED_CHINESE), finishing, () -> false);
            long t1 = System.nanoTime();
            importS = (t1 - t0) / 1e9;
            // the part after the last row was read (the clerk's "saving and registering"): the last batches stored, the keys registered
            double finishingS = (t1 - allRead[0]) / 1e9;
            valid = out.job().validRows();
            if (out.job().totalRows() != n) throw new IllegalStateException("read " + out.job().totalRows() + " of " + n);
            if (!ANCHOR) {
                System.out.printf(Locale.ROOT, (format.equals("gbk") ? "bulk" : "bulk " + format) + " %d rows: import %.2f s = %.0f rows/s (%d valid; after the last row was read %.2f s)%n",
                        n, importS, n / importS, valid, finishingS);
                return;
            }
            db.dsl().execute("CALL CSVWRITE('" + rowsOut + "', 'SELECT * FROM BULK_ROW', 'charset=UTF-8')");
            db.dsl().execute("CALL CSVWRITE('" + jobOut + "', 'SELECT * FROM BULK_JOB', 'charset=UTF-8')");
        } finally {
            db.close();
        }
        importBytes = db.file().toFile().length();

        double csvS;
        long csvBytes;
        LocalDatabase anchor = LocalDatabase.open(dir.resolve("csvread"), KeyWrap.randomKey());
        try {
            anchor.dsl().execute("INSERT INTO BULK_JOB SELECT * FROM CSVREAD('" + jobOut + "', NULL, 'charset=UTF-8')");
            long t0 = System.nanoTime();
            int loaded = anchor.transaction(c -> c.dsl().execute(
                    "INSERT INTO BULK_ROW SELECT * FROM CSVREAD('" + rowsOut + "', NULL, 'charset=UTF-8')"));
            csvS = (System.nanoTime() - t0) / 1e9;
            if (loaded != valid) throw new IllegalStateException("CSVREAD loaded " + loaded + " of " + valid);
        } finally {
            anchor.close();
        }
        csvBytes = anchor.file().toFile().length();
        System.out.printf(Locale.ROOT, (format.equals("gbk") ? "bulk" : "bulk " + format) + " %d rows: import %.2f s = %.0f rows/s (%d valid); database %d bytes; "
                        + "CSVREAD %d rows %.2f s = %.0f rows/s; database %d bytes; " + (xlsx ? "xlsx" : "csv") + " file %d bytes%n",
                n, importS, n / importS, valid, importBytes, valid, csvS, valid / csvS, csvBytes, Files.size(csv));
    }

    /** The rows of {@link #generate} as the first sheet of an XLSX file, as Excel writes them: IDs as text, numbers and dates as numbers. */
    static void generateXlsx(Path file, int n) throws Exception {
        LocalDate base = LocalDate.of(1960, 1, 1);
        String[] header = HEADER.split(",");
        try (var out = Files.newOutputStream(file); var wb = new org.dhatim.fastexcel.Workbook(out, "bench", "1.0")) {
            var ws = wb.newWorksheet("成果");
            for (int c = 0; c < header.length; c++) ws.value(0, c, header[c]);
            for (int i = 0; i < n; i++) {
                int r = i + 1;
                LocalDate born = base.plusDays(i / 1000);
                String first = String.format(Locale.ROOT, "320102%04d%02d%02d%03d", born.getYear(), born.getMonthValue(), born.getDayOfMonth(), i % 1000);
                ws.value(r, 0, first + ResidentId.checkCharacter(first));
                ws.value(r, 1, "学生" + i);
                ws.value(r, 2, "学历教育");
                ws.value(r, 3, "AC-ACC-101");
                ws.value(r, 4, "基础会计");
                ws.value(r, 5, "理论");
                ws.value(r, 6, 48);
                ws.value(r, 7, 86);
                ws.value(r, 8, LocalDate.of(2020 + i % 5, 6, 30));
                ws.style(r, 8).format("yyyy-mm-dd").set();
                ws.value(r, 9, i % 50 == 7 ? "Z" : "A");
                if (r % 10_000 == 0) ws.flush();
            }
            ws.finish();
        }
    }

    /** N rows, every ID distinct (birth date and sequence number from the row number), every 50th with an unknown grade. */
    static void generate(Path file, int n) throws Exception {
        generate(file, n, Charset.forName("GBK"));
    }

    static void generate(Path file, int n, Charset charset) throws Exception {
        LocalDate base = LocalDate.of(1960, 1, 1);
        try (BufferedWriter w = Files.newBufferedWriter(file, charset)) {
            w.write(HEADER);
            w.write("\r\n");
            for (int i = 0; i < n; i++) {
                LocalDate born = base.plusDays(i / 1000);
                String first = String.format(Locale.ROOT, "320102%04d%02d%02d%03d", born.getYear(), born.getMonthValue(), born.getDayOfMonth(), i % 1000);
                String grade = i % 50 == 7 ? "Z" : "A";
                w.write(first + ResidentId.checkCharacter(first) + ",学生" + i + ",学历教育,AC-ACC-101,基础会计,理论,48,86,"
                        + (2020 + i % 5) + "/6/30," + grade + "\r\n");
            }
        }
    }
}
