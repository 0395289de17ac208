package cn.crb.localdb;

import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static cn.crb.localdb.BulkImportServiceTest.GBK;
import static cn.crb.localdb.BulkImportServiceTest.HEADER;
import static cn.crb.localdb.BulkImportServiceTest.id;
import static cn.crb.localdb.BulkImportServiceTest.row;
import static cn.crb.localdb.jooq.Tables.BULK_REJECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: the raw ID is never written to the local database in clear — neither for valid rows (masked, digested,
 * batch-encrypted) nor for rejected rows (sealed under a key derived from the database key) — while the rejects file
 * still gives the clerk the IDs as typed. Searched in every column of every table, and in the raw database files.
 */
class RawIdNotStoredTest {
    @TempDir Path dir;

    @Test
    void noRawIdInAnyTableNorInTheFileYetTheRejectsExportHasThem() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        StandardsBundle bundle = StandardsBundle.fromPayload(Json.parse(Files.readAllBytes(Path.of("../domain/src/test/resources/examples/standards-2026.1.json"))));
        String badCheck = id(7).substring(0, 17) + (id(7).charAt(17) == '1' ? '2' : '1');
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) rows.add(row(i, "A"));
        rows.add(row(100, "Z"));                                                    // valid ID, bad grade
        rows.add(row(101, "A").replace("AC-ACC-101", "XX-NOPE-1"));                 // valid ID, unknown catalogue code
        rows.add(badCheck + ",学生X,学历教育,AC-ACC-101,基础会计,理论,48,86,2024/6/30,A"); // wrong check digit
        Path f = Files.write(dir.resolve("f.csv"), (HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n").getBytes(GBK));
        List<String> rawIds = new ArrayList<>();
        for (int i = 0; i < 50; i++) rawIds.add(id(i));
        List<String> rejectedIds = List.of(id(100), id(101), badCheck);
        rawIds.addAll(rejectedIds);

        Path dbDir = dir.resolve("db");
        long jobId;
        try (LocalDatabase db = LocalDatabase.open(dbDir, key)) {
            BulkImportService service = new BulkImportService(new BulkRepository(db), BulkImportServiceTest.CLOCK, BulkImportServiceTest.CLERK_KEY);
            BulkJob job = service.importFile(new BulkImportService.ImportRequest(f, ReadOptions.DEFAULT, "TRN-0042", bundle, null,
                    ImportMode.PARTIAL, Locale.SIMPLIFIED_CHINESE), ImportProgress.NONE, () -> false).job();
            jobId = job.id();
            assertThat(job.invalidRows()).isEqualTo(3);
            assertThat(job.batchRows()).isEqualTo(50);
            String everything = everyCell(db);
            assertThat(everything).contains("320102").contains("AC-ACC-101"); // the scan does see stored data (masks, codes)
            for (String raw : rawIds) assertThat(everything).as("raw ID in a table").doesNotContain(raw);
        }
        assertThat(rawBytesContain(dbDir, rawIds)).as("raw ID in the database files").isEmpty();

        // the rejects file still holds every rejected ID as typed
        try (LocalDatabase db = LocalDatabase.open(dbDir, key)) {
            Path out = dir.resolve("rejects.csv");
            assertThat(new BulkImportService(new BulkRepository(db), BulkImportServiceTest.CLOCK, BulkImportServiceTest.CLERK_KEY).exportRejects(jobId, out, Locale.ENGLISH)).isEqualTo(3);
            String text = Files.readString(out, GBK);
            for (String raw : rejectedIds) assertThat(text).contains(raw);
        }
    }

    /**
     * IDs where they do not belong are not stored in clear either: a file without its header row (its first row of
     * data taken for the header, stored with the job and quoted by the column problems), a row shifted by an unquoted
     * comma (the ID quoted as an unknown category), an ID Excel turned into a number with all its digits.
     */
    @Test
    void noRawIdStoredFromAFileWithoutItsHeaderNorFromAShiftedRow() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        StandardsBundle bundle = StandardsBundle.fromPayload(Json.parse(Files.readAllBytes(Path.of("../domain/src/test/resources/examples/standards-2026.1.json"))));
        Path headerless = Files.write(dir.resolve("h.csv"), (row(1, "A") + "\r\n" + row(2, "A") + "\r\n").getBytes(GBK));
        Path shifted = Files.write(dir.resolve("s.csv"), (HEADER + "\r\n" + "Li, Wei," + row(3, "A").substring(row(3, "A").indexOf(',') + 1).replace("学生3", id(3)) + "\r\n"
                + "3.20102199003040E+17,学生4,学历教育,AC-ACC-101,基础会计,理论,48,86,2024/6/30,A\r\n").getBytes(GBK));
        Path dbDir = dir.resolve("db");
        try (LocalDatabase db = LocalDatabase.open(dbDir, key)) {
            BulkImportService service = new BulkImportService(new BulkRepository(db), BulkImportServiceTest.CLOCK, BulkImportServiceTest.CLERK_KEY);
            for (Path f : List.of(headerless, shifted)) {
                BulkJob job = service.importFile(new BulkImportService.ImportRequest(f, ReadOptions.DEFAULT, "TRN-0042", bundle, null,
                        ImportMode.PARTIAL, Locale.SIMPLIFIED_CHINESE), ImportProgress.NONE, () -> false).job();
                assertThat(job.batchRows()).isZero();
            }
            String everything = everyCell(db);
            assertThat(everything).contains("COLUMN_UNKNOWN").contains("CATEGORY_UNKNOWN").contains(id(3).substring(0, 6) + "********");
            for (String raw : List.of(id(1), id(2), id(3), "3.20102199003040")) assertThat(everything).as("raw ID in a table").doesNotContain(raw);
            assertThat(everything).doesNotContain("学生1");
        }
        assertThat(rawBytesContain(dbDir, List.of(id(1), id(2), id(3), "3.20102199003040"))).isEmpty();
    }

    @Test
    void rejectsStoredInClearByAnEarlierVersionAreSealedWhenTheDatabaseOpens() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        StandardsBundle bundle = StandardsBundle.fromPayload(Json.parse(Files.readAllBytes(Path.of("../domain/src/test/resources/examples/standards-2026.1.json"))));
        Path f = Files.write(dir.resolve("g.csv"), (HEADER + "\r\n" + row(1, "A") + "\r\n" + row(2, "Z") + "\r\n").getBytes(GBK));
        Path dbDir = dir.resolve("db");
        long jobId;
        try (LocalDatabase db = LocalDatabase.open(dbDir, key)) {
            jobId = new BulkImportService(new BulkRepository(db), BulkImportServiceTest.CLOCK, BulkImportServiceTest.CLERK_KEY).importFile(new BulkImportService.ImportRequest(f,
                    ReadOptions.DEFAULT, "TRN-0042", bundle, null, ImportMode.PARTIAL, Locale.ENGLISH), ImportProgress.NONE, () -> false).job().id();
            // what the previous version wrote: the cells as clear JSON
            db.dsl().update(BULK_REJECT).set(BULK_REJECT.CELLS_JSON, "[\"" + id(2) + "\",\"学生2\",\"学历教育\",\"AC-ACC-101\",\"基础会计\",\"理论\",\"48\",\"86\",\"2022/6/30\",\"Z\"]")
                    .set(BULK_REJECT.CELLS_SEALED, DSL.inline((String) null)).execute();
            assertThat(everyCell(db)).contains(id(2));
        }
        try (LocalDatabase db = LocalDatabase.open(dbDir, key)) {
            assertThat(everyCell(db)).doesNotContain(id(2));
            Path out = dir.resolve("rejects.csv");
            assertThat(new BulkImportService(new BulkRepository(db), BulkImportServiceTest.CLOCK, BulkImportServiceTest.CLERK_KEY).exportRejects(jobId, out, Locale.ENGLISH)).isEqualTo(1);
            assertThat(Files.readString(out, GBK)).contains(id(2)).contains("学生2");
        }
    }

    /** Every value of every column of every table of the workstation's schema, as text. */
    static String everyCell(LocalDatabase db) {
        StringBuilder sb = new StringBuilder();
        List<Table<?>> tables = db.dsl().meta().getSchemas("PUBLIC").getFirst().getTables();
        assertThat(tables).extracting(Table::getName).contains("BULK_JOB", "BULK_ROW", "BULK_REJECT", "BULK_PROBLEM");
        for (Table<?> t : tables) {
            for (Record r : db.dsl().fetch("SELECT * FROM PUBLIC.\"" + t.getName() + "\"")) {
                for (Field<?> fld : r.fields()) sb.append(r.get(fld)).append('\u0001');
            }
        }
        return sb.toString();
    }

    /** The raw IDs found (as UTF-8/ASCII or UTF-16 bytes) in any file of the database folder. */
    static List<String> rawBytesContain(Path dbDir, List<String> ids) throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dbDir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(p);
                for (String id : ids) {
                    if (indexOf(bytes, id.getBytes(StandardCharsets.US_ASCII)) >= 0 || indexOf(bytes, id.getBytes(StandardCharsets.UTF_16LE)) >= 0
                            || indexOf(bytes, id.getBytes(StandardCharsets.UTF_16BE)) >= 0) found.add(id + " in " + p.getFileName());
                }
            }
        }
        return found;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
