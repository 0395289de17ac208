package cn.crb.localdb;

import cn.crb.domain.bulk.PreparedRow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * How long storing the platform's per-row results of a finished upload takes ({@link BulkRepository#complete}), and
 * reading them back for the clerk ({@link BulkRepository#results}), for a job of N rows in a fresh encrypted database.
 * With {@code noted} after the rows, the chunks are first read as the upload reads them, noting the rows' numbers, and
 * the completion uses those ({@link BulkRepository.RowNumbers}).
 * Not a unit test: {@code java ... cn.crb.localdb.BulkCompleteBenchmark [rows] [noted]} (docs/performance.md, "Bulk import").
 */
public final class BulkCompleteBenchmark {
    /** A row as the workstation stores it: masked identity first, two SM4-GCM ciphertexts, the outcome (≈ 480 characters). */
    static String rowJson(int i) {
        String cipher = "\"" + "B".repeat(96) + "\"";
        return "{\"rowNumber\":" + (i + 2) + ",\"idMasked\":\"320102********" + String.format("%04d", i % 10_000) + "\",\"idDigest\":\""
                + "%064x".formatted(i) + "\",\"idCipher\":" + cipher + ",\"nameMasked\":\"张*\",\"nameCipher\":" + cipher
                + ",\"category\":\"ACADEMIC\",\"catalogueCode\":\"AC-ACC-101\",\"title\":\"基础会计\",\"courseType\":\"THEORY\",\"hours\":\"48\","
                + "\"score\":\"86\",\"achievedOn\":\"2024-06-30\",\"qualityGrade\":\"A\"}";
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("crb-complete-bench");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key)) {
            BulkRepository repo = new BulkRepository(db);
            long job = repo.createJob(new BulkRepository.NewJob("f.csv", "a".repeat(64), "CSV", "UTF_8", ',', List.of("身份证号"),
                    "TRN-0042", "2026.1", "PARTIAL", "bench", "{}", 1000), OffsetDateTime.now());
            List<PreparedRow> rows = new ArrayList<>(BulkRepository.BATCH);
            long seq = 0;
            for (int i = 0; i < n; i++) {
                rows.add(new PreparedRow(i + 2, "%064x".formatted(i), "AC-ACC-101", LocalDate.of(2024, 6, 30), "", rowJson(i)));
                if (rows.size() == BulkRepository.BATCH) {
                    seq += repo.appendRows(job, seq, rows);
                    rows.clear();
                }
            }
            repo.appendRows(job, seq, rows);
            repo.finishImport(job, BulkJobState.READY, n, n, 0, 0);
            List<BulkRepository.RowResult> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) results.add(new BulkRepository.RowResult(i + 2, i % 50 == 0 ? "REFUSED" : "ACCEPTED", i % 50 == 0 ? "ALREADY_HELD" : null));
            BulkRepository.RowNumbers noted = null;
            if (args.length > 1 && args[1].equals("noted")) {
                // as the upload does: every chunk read (for its SM3), the rows' numbers noted on the way
                BulkJob stored = repo.job(job).orElseThrow();
                noted = new BulkRepository.RowNumbers(stored.batchRows());
                long r0 = System.nanoTime();
                for (int c = 0; c < stored.chunkCount(); c++) repo.chunkRows(job, c, stored.chunkSize(), noted);
                System.out.printf("chunks read as the upload reads them, row numbers noted: %,d ms%n", (System.nanoTime() - r0) / 1_000_000);
            }
            long t0 = System.nanoTime();
            repo.complete(job, results, null, OffsetDateTime.now(), noted);
            long t1 = System.nanoTime();
            int read = repo.results(job).size();
            long t2 = System.nanoTime();
            System.out.printf("complete (%,d results%s): %,d ms; results read back (%,d): %,d ms%n", n, noted == null ? "" : ", row numbers noted", (t1 - t0) / 1_000_000, read, (t2 - t1) / 1_000_000);
            // what the wizard loads when the clerk opens the job: the counts, and the first 5,000 lines, refused rows first
            for (int round = 0; round < 3; round++) {
                long t3 = System.nanoTime();
                BulkRepository.ResultPage page = repo.resultPage(job, 2_000);
                System.out.printf("resultPage (%,d accepted + %,d refused; %,d lines, refused first): %,d ms%n", page.counts().accepted(),
                        page.counts().refused(), page.lines().size(), (System.nanoTime() - t3) / 1_000_000);
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
