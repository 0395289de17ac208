package cn.crb.localdb;

import cn.crb.domain.bulk.PreparedRow;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static cn.crb.localdb.jooq.Tables.BULK_IDENTITY;
import static cn.crb.localdb.jooq.Tables.BULK_JOB;
import static cn.crb.localdb.jooq.Tables.BULK_ROW;
import static cn.crb.localdb.jooq.Tables.BULK_ROW_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A row's identity (idDigest, catalogueCode, achievedOn, certificateCode) is registered when its job ends live: by a
 * 64-bit key pointing at the stored row (V43), or by its four values when the key is taken by another identity or the
 * identity was registered before V43 (V42 copied the rows stored before it into BULK_IDENTITY). Rows of earlier live
 * jobs are skipped, and two jobs that stored the same row side by side cannot both end live.
 */
class BulkIdentityTest {
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 26, 3, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static BulkRepository.NewJob job(String sm3) {
        return new BulkRepository.NewJob("f.csv", sm3, "CSV", "GB18030", ',', List.of("身份证号"), "TRN-0042", "2026.1", "PARTIAL",
                "batch-" + sm3.charAt(0), "{}", 500);
    }

    private static PreparedRow row(int n) {
        return new PreparedRow(n + 1, "%064x".formatted(n), "AC-ACC-101", LocalDate.of(2024, 6, 30), "", "{\"n\":" + n + "}");
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String legacyJson(int n) {
        return "{\"row\":" + n + ",\"title\":\"" + "课程".repeat(200) + "\"}";
    }

    /** Identities registered, by key or by their four values. */
    private static int registered(LocalDatabase db) {
        return db.dsl().fetchCount(BULK_ROW_KEY) + db.dsl().fetchCount(BULK_IDENTITY);
    }

    @Test
    void rowsOfAnEarlierLiveJobAreSkippedAndTheirIdentitiesAppearOnlyWhenTheJobEnds() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key())) {
            BulkRepository repo = new BulkRepository(db);
            long first = repo.createJob(job("a".repeat(64)), NOW);
            assertThat(repo.appendRows(first, 0, List.of(row(1), row(2), row(3)))).isEqualTo(3);
            assertThat(registered(db)).as("not before the job ends").isZero();
            repo.finishImport(first, BulkJobState.READY, 3, 3, 0, 0);
            assertThat(registered(db)).isEqualTo(3);

            long second = repo.createJob(job("b".repeat(64)), NOW);
            assertThat(repo.appendRows(second, 0, List.of(row(2), row(4), row(3), row(5)))).as("rows 2 and 3 are the first job's").isEqualTo(2);
            repo.finishImport(second, BulkJobState.READY, 4, 4, 0, 2);
            assertThat(db.dsl().select(BULK_ROW.ID_DIGEST).from(BULK_ROW).where(BULK_ROW.JOB_ID.eq(second)).orderBy(BULK_ROW.SEQ).fetch(BULK_ROW.ID_DIGEST))
                    .containsExactly(row(4).idDigest(), row(5).idDigest());
            assertThat(registered(db)).isEqualTo(5);

            // a job that ends BLOCKED keeps no row and registers nothing; deleting a live job frees its identities
            long blocked = repo.createJob(job("c".repeat(64)), NOW);
            repo.appendRows(blocked, 0, List.of(row(6)));
            repo.finishImport(blocked, BulkJobState.BLOCKED, 2, 1, 1, 0);
            assertThat(registered(db)).isEqualTo(5);
            repo.deleteJob(second);
            assertThat(registered(db)).isEqualTo(3);
        }
    }

    @Test
    void twoJobsHoldingTheSameRowCannotBothEndLive() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key())) {
            BulkRepository repo = new BulkRepository(db);
            long a = repo.createJob(job("a".repeat(64)), NOW);
            long b = repo.createJob(job("b".repeat(64)), NOW);
            // both read side by side: neither has ended, so neither skips the shared row 7
            assertThat(repo.appendRows(a, 0, List.of(row(7), row(8)))).isEqualTo(2);
            assertThat(repo.appendRows(b, 0, List.of(row(9), row(7)))).isEqualTo(2);
            repo.finishImport(a, BulkJobState.READY, 2, 2, 0, 0);
            assertThatThrownBy(() -> repo.finishImport(b, BulkJobState.READY, 2, 2, 0, 0)).isInstanceOf(BulkRepository.IdentityConflictException.class);
            // nothing of the failed ending was written: b is still importing, only a's identities are registered
            assertThat(db.dsl().select(BULK_JOB.STATE).from(BULK_JOB).where(BULK_JOB.ID.eq(b)).fetchOne(BULK_JOB.STATE)).isEqualTo("IMPORTING");
            assertThat(db.dsl().select(BULK_ROW_KEY.JOB_ID).from(BULK_ROW_KEY).fetch(BULK_ROW_KEY.JOB_ID)).containsOnly(a).hasSize(2);
            assertThat(db.dsl().fetchCount(BULK_IDENTITY)).isZero();
        }
    }

    @Test
    void keysGatheredWhileImportingAreTheKeysOfTheStoredRows() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key())) {
            BulkRepository repo = new BulkRepository(db);
            long a = repo.createJob(job("a".repeat(64)), NOW);
            BulkRepository.JobKeys keys = new BulkRepository.JobKeys();
            List<PreparedRow> first = new ArrayList<>();
            for (int n = 1; n <= 1500; n++) first.add(row(n));
            assertThat(repo.appendRows(a, 0, first.subList(0, 1000), keys)).isEqualTo(1000);
            assertThat(repo.appendRows(a, 1000, first.subList(1000, 1500), keys)).isEqualTo(500);
            repo.finishImport(a, BulkJobState.READY, 1500, 1500, 0, 0, keys);
            // b's keys are read back from its rows; rows 1000..1499 are a's and skipped
            long b = repo.createJob(job("b".repeat(64)), NOW);
            List<PreparedRow> second = new ArrayList<>();
            for (int n = 1000; n <= 2000; n++) second.add(row(n));
            assertThat(repo.appendRows(b, 0, second)).isEqualTo(500);
            repo.finishImport(b, BulkJobState.READY, 1001, 1001, 0, 501);

            var stored = db.dsl().select(BULK_ROW_KEY.FP, BULK_ROW_KEY.JOB_ID, BULK_ROW_KEY.SEQ).from(BULK_ROW_KEY).fetch();
            assertThat(stored).hasSize(2000);
            for (var k : stored) {
                var r = db.dsl().selectFrom(BULK_ROW).where(BULK_ROW.JOB_ID.eq(k.value2()).and(BULK_ROW.SEQ.eq(k.value3()))).fetchOne();
                assertThat(k.value1()).isEqualTo(BulkRepository.identityKey(r.getIdDigest(), r.getCatalogueCode(), r.getAchievedOn(), r.getCertificateCode()));
            }
            assertThat(db.dsl().fetchCount(BULK_IDENTITY)).isZero();
            repo.deleteJob(a);
            assertThat(db.dsl().fetchCount(BULK_ROW_KEY)).isEqualTo(500);
        }
    }

    @Test
    void differentIdentitiesWithTheSameKeyAreAllRegisteredAndStillSkippedOrRefused() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key())) {
            // every identity gets key 42: the first is registered by key, the others by their four values
            BulkRepository repo = new BulkRepository(db, (d, c, on, cert) -> 42L);
            long a = repo.createJob(job("a".repeat(64)), NOW);
            assertThat(repo.appendRows(a, 0, List.of(row(1), row(2), row(3)), new BulkRepository.JobKeys())).isEqualTo(3);
            repo.finishImport(a, BulkJobState.READY, 3, 3, 0, 0);
            assertThat(db.dsl().fetchCount(BULK_ROW_KEY)).isEqualTo(1);
            assertThat(db.dsl().fetchCount(BULK_IDENTITY)).isEqualTo(2);

            // a later job skips all three (one found through the key, two through their values) and stores the new one
            long b = repo.createJob(job("b".repeat(64)), NOW);
            BulkRepository.JobKeys keys = new BulkRepository.JobKeys();
            assertThat(repo.appendRows(b, 0, List.of(row(3), row(4), row(1), row(2)), keys)).isEqualTo(1);
            repo.finishImport(b, BulkJobState.READY, 4, 4, 0, 3, keys);
            assertThat(registered(db)).isEqualTo(4);

            // two side-by-side jobs with the same row: the second ending is refused, even through the values table
            long c = repo.createJob(job("c".repeat(64)), NOW);
            long d = repo.createJob(job("d".repeat(64)), NOW);
            repo.appendRows(c, 0, List.of(row(5)));
            repo.appendRows(d, 0, List.of(row(6), row(5)));
            repo.finishImport(c, BulkJobState.READY, 1, 1, 0, 0);
            assertThatThrownBy(() -> repo.finishImport(d, BulkJobState.READY, 2, 2, 0, 0)).isInstanceOf(BulkRepository.IdentityConflictException.class);
            assertThat(registered(db)).isEqualTo(5);
            assertThat(db.dsl().select(BULK_JOB.STATE).from(BULK_JOB).where(BULK_JOB.ID.eq(d)).fetchOne(BULK_JOB.STATE)).isEqualTo("IMPORTING");
        }
    }

    @Test
    void aTakenKeyInALargeJobSendsOnlyItsOwnBatchToTheValuesTable() {
        PreparedRow five = row(5);
        long keyOfFive = BulkRepository.identityKey(five.idDigest(), five.catalogueCode(), five.achievedOn(), five.certificateCode());
        String collider = row(2100).idDigest();
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key())) {
            // row 2100's key is row 5's; every other key is the product's
            BulkRepository repo = new BulkRepository(db, (d, c, on, cert) -> d.equals(collider) ? keyOfFive : BulkRepository.identityKey(d, c, on, cert));
            long a = repo.createJob(job("a".repeat(64)), NOW);
            List<PreparedRow> first = new ArrayList<>();
            for (int n = 1; n <= 10; n++) first.add(row(n));
            repo.appendRows(a, 0, first);
            repo.finishImport(a, BulkJobState.READY, 10, 10, 0, 0);

            long b = repo.createJob(job("b".repeat(64)), NOW);
            BulkRepository.JobKeys keys = new BulkRepository.JobKeys();
            long seq = 0;
            for (int from = 1001; from <= 3500; from += 1000) {
                List<PreparedRow> chunk = new ArrayList<>();
                for (int n = from; n < Math.min(from + 1000, 3501); n++) chunk.add(row(n));
                seq += repo.appendRows(b, seq, chunk, keys);
            }
            assertThat(seq).isEqualTo(2500);
            repo.finishImport(b, BulkJobState.READY, 2500, 2500, 0, 0, keys);
            assertThat(db.dsl().fetchCount(BULK_ROW_KEY)).isEqualTo(10 + 2499);
            assertThat(db.dsl().select(BULK_IDENTITY.ID_DIGEST, BULK_IDENTITY.JOB_ID).from(BULK_IDENTITY).fetch().map(r -> List.of(r.value1(), r.value2())))
                    .containsExactly(List.of(collider, b));
            assertThat(repo.job(b).orElseThrow().batchRows()).isEqualTo(2500);

            // both rows that share the key are found again by a later job
            long c = repo.createJob(job("c".repeat(64)), NOW);
            assertThat(repo.appendRows(c, 0, List.of(row(2100), row(5), row(7000)))).isEqualTo(1);
        }
    }

    @Test
    void anEndingThatFailsPartWayLeavesNoneOfItsKeys() {
        // keys in row order, 1,000 per registering transaction: row 5 (held by an earlier live job) is in the third
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key())) {
            BulkRepository repo = new BulkRepository(db, (d, c, on, cert) -> Long.parseLong(d.substring(56), 16) % 100_000 == 5
                    ? 2_500 : Long.parseLong(d.substring(56), 16) % 100_000, 1000);
            long a = repo.createJob(job("a".repeat(64)), NOW);
            repo.appendRows(a, 0, List.of(row(5)));
            // job b reads a file that also holds row 5 while job a has not yet ended: nothing is skipped
            long b = repo.createJob(job("b".repeat(64)), NOW);
            BulkRepository.JobKeys keys = new BulkRepository.JobKeys();
            long seq = 0;
            for (int from = 0; from < 3000; from += 1000) {
                List<PreparedRow> chunk = new ArrayList<>();
                for (int n = from; n < from + 1000; n++) chunk.add(n == 2_500 ? row(5) : row(100_000 + n));
                seq += repo.appendRows(b, seq, chunk, keys);
            }
            assertThat(seq).isEqualTo(3000);
            repo.finishImport(a, BulkJobState.READY, 1, 1, 0, 0);

            assertThatThrownBy(() -> repo.finishImport(b, BulkJobState.READY, 3000, 3000, 0, 0, keys))
                    .isInstanceOf(BulkRepository.IdentityConflictException.class);
            // two transactions of b's keys had been committed: removed again
            assertThat(db.dsl().fetchCount(BULK_ROW_KEY, BULK_ROW_KEY.JOB_ID.eq(b))).isZero();
            assertThat(db.dsl().fetchCount(BULK_ROW_KEY)).isEqualTo(1);
            assertThat(repo.job(b).orElseThrow().state()).isEqualTo(BulkJobState.IMPORTING);
        }
    }

    @Test
    void keysOfAJobThatIsNotLiveAreNotTakenAsRegistered() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key())) {
            BulkRepository repo = new BulkRepository(db);
            // job a has stored rows 1..3 and registered their keys in a first transaction, but has not ended
            long a = repo.createJob(job("a".repeat(64)), NOW);
            BulkRepository.JobKeys keys = new BulkRepository.JobKeys();
            repo.appendRows(a, 0, List.of(row(1), row(2), row(3)), keys);
            for (int i = 0; i < keys.size(); i++) {
                PreparedRow r = row(i + 1);
                db.dsl().insertInto(BULK_ROW_KEY, BULK_ROW_KEY.FP, BULK_ROW_KEY.JOB_ID, BULK_ROW_KEY.SEQ)
                        .values(BulkRepository.identityKey(r.idDigest(), r.catalogueCode(), r.achievedOn(), r.certificateCode()), a, (long) i).execute();
            }
            // ... and row 3 by its four values (a key shared with another identity)
            PreparedRow three = row(3);
            db.dsl().insertInto(BULK_IDENTITY, BULK_IDENTITY.ID_DIGEST, BULK_IDENTITY.CATALOGUE_CODE, BULK_IDENTITY.ACHIEVED_ON,
                    BULK_IDENTITY.CERTIFICATE_CODE, BULK_IDENTITY.JOB_ID)
                    .values(three.idDigest(), three.catalogueCode(), three.achievedOn(), three.certificateCode(), a).execute();
            // job b stores them: if a then failed, skipping them would lose them
            long b = repo.createJob(job("b".repeat(64)), NOW);
            assertThat(repo.appendRows(b, 0, List.of(row(1), row(2), row(3), row(4)))).isEqualTo(4);
            // once a is live they are skipped
            db.dsl().update(BULK_JOB).set(BULK_JOB.STATE, "READY").set(BULK_JOB.LIVE_FILE_SM3, BULK_JOB.FILE_SM3).where(BULK_JOB.ID.eq(a)).execute();
            long c = repo.createJob(job("c".repeat(64)), NOW);
            assertThat(repo.appendRows(c, 0, List.of(row(1), row(2), row(3), row(4)))).isEqualTo(1);
        }
    }

    @Test
    void identitiesRegisteredByTheirValuesBeforeKeysExistedAreSkipped() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("db"), key())) {
            BulkRepository repo = new BulkRepository(db);
            long a = repo.createJob(job("a".repeat(64)), NOW);
            repo.finishImport(a, BulkJobState.EMPTY, 0, 0, 0, 0);
            // as migration V42 left them: four values, no key
            db.dsl().insertInto(BULK_IDENTITY).set(BULK_IDENTITY.ID_DIGEST, row(1).idDigest()).set(BULK_IDENTITY.CATALOGUE_CODE, "AC-ACC-101")
                    .set(BULK_IDENTITY.ACHIEVED_ON, LocalDate.of(2024, 6, 30)).set(BULK_IDENTITY.CERTIFICATE_CODE, "").set(BULK_IDENTITY.JOB_ID, a).execute();
            long b = repo.createJob(job("b".repeat(64)), NOW);
            assertThat(repo.appendRows(b, 0, List.of(row(1), row(2)))).isEqualTo(1);
            assertThat(db.dsl().select(BULK_ROW.ID_DIGEST).from(BULK_ROW).where(BULK_ROW.JOB_ID.eq(b)).fetch(BULK_ROW.ID_DIGEST)).containsExactly(row(2).idDigest());
        }
    }

    @Test
    // up to V45 (the migrations after it are not what these two tests are about, and Flyway refuses a gap below them)
    void v43ToV45RunAgainAfterAKillBeforeFlywayRecordedThem() throws SQLException {
        String url = "jdbc:h2:" + dir.resolve("rerun").toAbsolutePath() + ";DB_CLOSE_DELAY=0";
        Flyway.configure().dataSource(url, "crb", "crb").locations("classpath:db/migration").target("45").load().migrate();
        // H2 committed each DDL statement; the process died before Flyway wrote its history rows
        try (Connection c = DriverManager.getConnection(url, "crb", "crb"); var s = c.createStatement()) {
            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('43', '44', '45')");
        }
        var result = Flyway.configure().dataSource(url, "crb", "crb").locations("classpath:db/migration").target("45").load().migrate();
        assertThat(result.migrationsExecuted).isEqualTo(3);
        assertThat(result.targetSchemaVersion).isEqualTo("45");
    }

    @Test
    void theMigrationRegistersTheIdentitiesOfRowsStoredBeforeIt() throws SQLException {
        String url = "jdbc:h2:" + dir.resolve("old").toAbsolutePath() + ";DB_CLOSE_DELAY=0";
        Flyway.configure().dataSource(url, "crb", "crb").locations("classpath:db/migration").target("41").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "crb", "crb"); var s = c.createStatement()) {
            s.execute("INSERT INTO BULK_JOB (ID, FILE_NAME, FILE_SM3, LIVE_FILE_SM3, FILE_FORMAT, HEADER_JSON, INSTITUTION, STANDARDS_VERSION,"
                    + " IMPORT_MODE, TOTAL_ROWS, VALID_ROWS, INVALID_ROWS, SKIPPED_ROWS, BATCH_ROWS, STATE, BATCH_ID, KEY_ENVELOPE, CHUNK_SIZE, CREATED_AT)"
                    + " VALUES (1, 'f.csv', '" + "a".repeat(64) + "', '" + "a".repeat(64) + "', 'CSV', '[]', 'TRN-0042', '2026.1', 'PARTIAL',"
                    + " 2, 2, 0, 0, 2, 'READY', 'b1', '{}', 500, TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00')");
            for (int n = 1; n <= 2; n++) {
                s.execute("INSERT INTO BULK_ROW (JOB_ID, SEQ, ROW_NO, ID_DIGEST, CATALOGUE_CODE, ACHIEVED_ON, CERTIFICATE_CODE, ROW_JSON)"
                        + " VALUES (1, " + (n - 1) + ", " + (n + 1) + ", '" + row(n).idDigest() + "', 'AC-ACC-101', DATE '2024-06-30', '', '" + legacyJson(n) + "')");
            }
            // the platform's results, where versions before V45 kept them: the job completed, its first row refused
            s.execute("UPDATE BULK_ROW SET RESULT_STATUS = 'REFUSED', RESULT_CODE = 'ALREADY_HELD' WHERE SEQ = 0");
            s.execute("UPDATE BULK_ROW SET RESULT_STATUS = 'ACCEPTED' WHERE SEQ = 1");
            s.execute("UPDATE BULK_JOB SET STATE = 'COMPLETE' WHERE ID = 1");
        }
        Flyway.configure().dataSource(url, "crb", "crb").locations("classpath:db/migration").target("45").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "crb", "crb"); var s = c.createStatement()) {
            var rs = s.executeQuery("SELECT ID_DIGEST, JOB_ID FROM BULK_IDENTITY ORDER BY ID_DIGEST");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(row(1).idDigest());
            assertThat(rs.getLong(2)).isEqualTo(1);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(row(2).idDigest());
            assertThat(rs.next()).isFalse();
            // the rows' JSON, stored as CLOBs of more than 256 bytes (H2's LOB store), survived V44's change to text kept in the row
            var json = s.executeQuery("SELECT ROW_JSON FROM BULK_ROW ORDER BY SEQ");
            for (int n = 1; n <= 2; n++) {
                assertThat(json.next()).isTrue();
                assertThat(json.getString(1)).isEqualTo(legacyJson(n));
            }
            // the identity is now kept once in BULK_IDENTITY: a second copy there is refused
            assertThatThrownBy(() -> s.execute("INSERT INTO BULK_IDENTITY VALUES ('" + row(1).idDigest() + "', 'AC-ACC-101', DATE '2024-06-30', '', 1)"))
                    .isInstanceOf(SQLException.class);
            // V45 copied the stored result to BULK_RESULT; run again (killed before Flyway recorded it), it copies nothing twice
            assertThat(results(s)).containsExactly("1/0/2/REFUSED/ALREADY_HELD", "1/1/3/ACCEPTED/null");
            var counts = s.executeQuery("SELECT ACCEPTED_ROWS, REFUSED_ROWS FROM BULK_JOB WHERE ID = 1");
            assertThat(counts.next()).isTrue();
            assertThat(counts.getLong(1)).isEqualTo(1);
            assertThat(counts.getLong(2)).isEqualTo(1);
            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '45'");
        }
        assertThat(Flyway.configure().dataSource(url, "crb", "crb").locations("classpath:db/migration").target("45").load().migrate().migrationsExecuted).isEqualTo(1);
        try (Connection c = DriverManager.getConnection(url, "crb", "crb"); var s = c.createStatement()) {
            assertThat(results(s)).containsExactly("1/0/2/REFUSED/ALREADY_HELD", "1/1/3/ACCEPTED/null");
        }
    }

    private static List<String> results(java.sql.Statement s) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        var rs = s.executeQuery("SELECT JOB_ID, SEQ, ROW_NO, STATUS, CODE FROM BULK_RESULT ORDER BY JOB_ID, SEQ");
        while (rs.next()) out.add(rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3) + "/" + rs.getString(4) + "/" + rs.getString(5));
        return out;
    }
}
