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
                rows.add(new PreparedRow(row, "%064x".formatted(row), "AC-ACC-101", LocalDate.of(2024, 6, 30), "", "{\"row\":" + row + "}"));
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
        }
    }
}
