package cn.crb.localdb;

import cn.crb.domain.bulk.PreparedRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform's per-row results land on the rows they name, whatever their order, across several JDBC batches. */
class BulkResultsTest {
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 26, 3, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void resultsAreStoredByRowNumber() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key)) {
            BulkRepository repo = new BulkRepository(db);
            long job = repo.createJob(new BulkRepository.NewJob("f.csv", "a".repeat(64), "CSV", "UTF_8", ',', List.of("身份证号"),
                    "TRN-0042", "2026.1", "PARTIAL", "batch-1", "{}", 1000), NOW);
            // 2,500 stored rows with gaps in the row numbers (rows 3, 6, 9, ... of the file were rejected or skipped)
            List<PreparedRow> rows = new ArrayList<>();
            List<Long> rowNos = new ArrayList<>();
            long seq = 0;
            for (int row = 2; rowNos.size() < 2500; row++) {
                if (row % 3 == 0) continue;
                rowNos.add((long) row);
                rows.add(new PreparedRow(row, "%064x".formatted(row), "AC-ACC-101", LocalDate.of(2024, 6, 30), "", "{\"rowNumber\":" + row + ",\"idMasked\":\"320102********" + String.format("%04d", row) + "\",\"idCipher\":{\"c\":[1,2]},"
                        + "\"nameMasked\":\"张*\",\"category\":\"ACADEMIC\",\"catalogueCode\":\"AC-ACC-101\",\"title\":\"基础会计 " + row + "\"}"));
                if (rows.size() == BulkRepository.BATCH) {
                    seq += repo.appendRows(job, seq, rows);
                    rows.clear();
                }
            }
            seq += repo.appendRows(job, seq, rows);
            repo.finishImport(job, BulkJobState.READY, 3800, 2500, 0, 0);

            List<BulkRepository.RowResult> results = new ArrayList<>();
            for (long r : rowNos) results.add(r % 7 == 0 ? new BulkRepository.RowResult(r, "REFUSED", "ALREADY_HELD") : new BulkRepository.RowResult(r, "ACCEPTED", null));
            results.add(new BulkRepository.RowResult(3, "ACCEPTED", null)); // a row the job does not hold: ignored
            Collections.reverse(results);
            repo.complete(job, results, null, NOW);

            List<BulkRepository.RowResult> stored = repo.results(job);
            assertThat(stored).hasSize(2500);
            for (int i = 0; i < stored.size(); i++) {
                long r = rowNos.get(i);
                assertThat(stored.get(i)).isEqualTo(r % 7 == 0 ? new BulkRepository.RowResult(r, "REFUSED", "ALREADY_HELD")
                        : new BulkRepository.RowResult(r, "ACCEPTED", null));
            }
            assertThat(repo.job(job).orElseThrow().state()).isEqualTo(BulkJobState.COMPLETE);

            // for display: the counts of all, and a page with the refused rows first, each with its masked learner and outcome
            long refused = rowNos.stream().filter(r -> r % 7 == 0).count();
            BulkRepository.ResultPage result = repo.resultPage(job, 1000);
            assertThat(result.counts()).isEqualTo(new BulkRepository.ResultCounts(2500 - refused, refused));
            List<BulkRepository.ResultLine> page = result.lines();
            assertThat(page).hasSize(1000);
            assertThat(page.subList(0, (int) refused)).allSatisfy(l -> assertThat(l.status()).isEqualTo("REFUSED"))
                    .extracting(BulkRepository.ResultLine::rowNumber).isSorted();
            assertThat(page.subList((int) refused, 1000)).allSatisfy(l -> assertThat(l.status()).isEqualTo("ACCEPTED"))
                    .extracting(BulkRepository.ResultLine::rowNumber).isSorted();
            assertThat(page.getFirst()).isEqualTo(new BulkRepository.ResultLine(7, "REFUSED", "ALREADY_HELD", "320102********0007", "张*",
                    "AC-ACC-101", "基础会计 7"));
            assertThat(page.get((int) refused).rowNumber()).isEqualTo(2);
            BulkRepository.ResultPage ten = repo.resultPage(job, 10);
            assertThat(ten.lines()).hasSize(10).allSatisfy(l -> assertThat(l.status()).isEqualTo("REFUSED"));
            assertThat(ten.lines()).extracting(BulkRepository.ResultLine::rowNumber).containsExactly(7L, 14L, 28L, 35L, 49L, 56L, 70L, 77L, 91L, 98L);
            assertThat(ten.counts()).isEqualTo(result.counts());

            // a completion run again (interrupted before the job's state was stored) replaces the results, never doubles them
            repo.complete(job, results, null, NOW);
            assertThat(repo.results(job)).hasSize(2500);
            assertThat(repo.resultPage(job, 10).counts()).isEqualTo(result.counts());

            // a row named twice: the later result counts
            List<BulkRepository.RowResult> twice = new ArrayList<>(results);
            twice.add(new BulkRepository.RowResult(7, "ACCEPTED", null));
            repo.complete(job, twice, null, NOW);
            assertThat(repo.results(job)).hasSize(2500).contains(new BulkRepository.RowResult(7, "ACCEPTED", null))
                    .doesNotContain(new BulkRepository.RowResult(7, "REFUSED", "ALREADY_HELD"));
            assertThat(repo.resultCounts(job)).isEqualTo(new BulkRepository.ResultCounts(2500 - refused + 1, refused - 1));
            assertThat(repo.refusedResults(job, 5_000)).hasSize((int) refused - 1).allSatisfy(r -> assertThat(r.status()).isEqualTo("REFUSED"));
            assertThat(repo.refusedResults(job, 3)).extracting(BulkRepository.RowResult::rowNumber).containsExactly(14L, 28L, 35L);

            // a status other than ACCEPTED and REFUSED (the contract does not close the list) is listed with the refused rows, after them
            twice.add(new BulkRepository.RowResult(14, "ON_HOLD", "REVIEW"));
            repo.complete(job, twice, null, NOW);
            BulkRepository.ResultPage withOther = repo.resultPage(job, 5_000);
            assertThat(withOther.counts()).isEqualTo(new BulkRepository.ResultCounts(2500 - refused + 1, refused - 1));
            assertThat(withOther.lines().subList(0, (int) refused - 1)).extracting(BulkRepository.ResultLine::status)
                    .endsWith("ON_HOLD").doesNotContain("ACCEPTED");
            assertThat(withOther.lines().get((int) refused - 2).rowNumber()).isEqualTo(14);
            assertThat(repo.refusedResults(job, 5_000)).hasSize((int) refused - 1).last().isEqualTo(new BulkRepository.RowResult(14, "ON_HOLD", "REVIEW"));
        }
    }

    /**
     * The upload notes each row's number while it reads the chunks, and completing then maps the results with those
     * numbers instead of reading every stored row again; numbers that do not cover every row are not used.
     */
    @Test
    void rowNumbersNotedWhileTheChunksAreReadMapTheResultsAndIncompleteOnesAreNotUsed() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key)) {
            BulkRepository repo = new BulkRepository(db);
            long job = repo.createJob(new BulkRepository.NewJob("f.csv", "b".repeat(64), "CSV", "UTF_8", ',', List.of("身份证号"),
                    "TRN-0042", "2026.1", "PARTIAL", "batch-2", "{}", 1000), NOW);
            List<PreparedRow> rows = new ArrayList<>();
            List<Long> rowNos = new ArrayList<>();
            long seq = 0;
            for (int row = 2; rowNos.size() < 2500; row++) {
                if (row % 3 == 0) continue; // gaps: rows rejected or skipped
                rowNos.add((long) row);
                rows.add(new PreparedRow(row, "%064x".formatted(row), "AC-ACC-101", LocalDate.of(2024, 6, 30), "", "{\"rowNumber\":" + row + "}"));
                if (rows.size() == BulkRepository.BATCH) {
                    seq += repo.appendRows(job, seq, rows);
                    rows.clear();
                }
            }
            repo.appendRows(job, seq, rows);
            repo.finishImport(job, BulkJobState.READY, 3800, 2500, 0, 0);
            BulkJob stored = repo.job(job).orElseThrow();
            List<BulkRepository.RowResult> results = new ArrayList<>();
            for (long r : rowNos) results.add(r % 7 == 0 ? new BulkRepository.RowResult(r, "REFUSED", "ALREADY_HELD") : new BulkRepository.RowResult(r, "ACCEPTED", null));
            Collections.shuffle(results, new java.util.Random(7));

            repo.complete(job, results, null, NOW);
            List<BulkRepository.RowResult> readFromTheRows = repo.results(job);
            assertThat(readFromTheRows).hasSize(2500);

            // noted while every chunk is read, as the upload does: the same results, row by row
            BulkRepository.RowNumbers noted = new BulkRepository.RowNumbers(stored.batchRows());
            List<String> sent = new ArrayList<>();
            for (int n = 0; n < stored.chunkCount(); n++) sent.addAll(repo.chunkRows(job, n, stored.chunkSize(), noted));
            assertThat(sent).hasSize(2500).first().isEqualTo("{\"rowNumber\":2}");
            repo.complete(job, results, null, NOW, noted);
            assertThat(repo.results(job)).isEqualTo(readFromTheRows);
            assertThat(repo.resultPage(job, 10).lines()).extracting(BulkRepository.ResultLine::rowNumber).startsWith(7L, 14L, 28L);

            // the noted numbers are what maps the results: numbers shifted by one row put each result on its neighbour
            BulkRepository.RowNumbers shifted = new BulkRepository.RowNumbers(stored.batchRows());
            for (int k = 0; k < 2500; k++) shifted.note(k, rowNos.get((k + 1) % 2500));
            repo.complete(job, results, null, NOW, shifted);
            assertThat(repo.results(job)).isNotEqualTo(readFromTheRows).hasSize(2500);

            // a chunk not read (numbers for 2,000 of 2,500 rows): the rows are read instead, and the results are right
            BulkRepository.RowNumbers partial = new BulkRepository.RowNumbers(stored.batchRows());
            for (int n = 0; n < 2; n++) repo.chunkRows(job, n, stored.chunkSize(), partial);
            repo.complete(job, results, null, NOW, partial);
            assertThat(repo.results(job)).isEqualTo(readFromTheRows);

            // numbers for another row count than the job's: not used either
            BulkRepository.RowNumbers other = new BulkRepository.RowNumbers(2);
            other.note(0, 2);
            other.note(1, 4);
            repo.complete(job, results, null, NOW, other);
            assertThat(repo.results(job)).isEqualTo(readFromTheRows);
        }
    }
}
