package cn.crb.localdb;

import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.ProblemCode;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.bulk.ResidentId;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BulkImportServiceTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T04:00:00Z"), ZoneId.of("Asia/Shanghai"));
    static final String HEADER = "身份证号,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,取得日期,质量等级";
    static final Charset GBK = Charset.forName("GBK");

    @TempDir
    Path dir;
    LocalDatabase db;
    BulkRepository repo;
    BulkImportService service;
    StandardsBundle bundle;

    /** The clerk's key id, as the audit log names its actors (64 hex digits). */
    public static final String CLERK_KEY = "c1e4".repeat(16);

    @BeforeEach
    void open() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        db = LocalDatabase.open(dir.resolve("db"), key);
        repo = new BulkRepository(db);
        service = new BulkImportService(repo, CLOCK, CLERK_KEY);
        bundle = StandardsBundle.fromPayload(Json.parse(Files.readAllBytes(Path.of("../domain/src/test/resources/examples/standards-2026.1.json"))));
    }

    @AfterEach
    void close() { db.close(); }

    static String id(int n) {
        String first = String.format("3201021990%02d%02d%03d", 1 + n % 12, 1 + n % 28, n % 1000);
        return first + ResidentId.checkCharacter(first);
    }

    static String row(int n, String grade) {
        return id(n) + ",学生" + n + ",学历教育,AC-ACC-101,基础会计,理论,48,86," + (2020 + n % 5) + "/6/30," + grade;
    }

    Path csv(String name, List<String> rows) throws Exception {
        return Files.write(dir.resolve(name), (HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n").getBytes(GBK));
    }

    BulkImportService.ImportOutcome run(Path f, ImportMode mode) throws Exception {
        return service.importFile(new BulkImportService.ImportRequest(f, ReadOptions.DEFAULT, "TRN-0042", bundle, null, mode, Locale.SIMPLIFIED_CHINESE),
                ImportProgress.NONE, () -> false);
    }

    @Test
    void importsStoresPreparedRowsInChunksAndNeverTwice() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 2500; i++) rows.add(row(i, "A"));
        rows.add(row(9000, "Z"));
        Path f = csv("a.csv", rows);
        AtomicLong lastRows = new AtomicLong();
        BulkImportService.ImportOutcome first = service.importFile(new BulkImportService.ImportRequest(f, ReadOptions.DEFAULT, "TRN-0042",
                bundle, null, ImportMode.PARTIAL, Locale.SIMPLIFIED_CHINESE), (r, b, t) -> lastRows.set(r), () -> false);
        assertThat(lastRows.get()).isEqualTo(2501);
        BulkJob job = first.job();
        assertThat(first.alreadyImported()).isFalse();
        assertThat(job.state()).isEqualTo(BulkJobState.READY);
        assertThat(job.encoding()).isEqualTo("GB18030");
        assertThat(job).extracting(BulkJob::totalRows, BulkJob::validRows, BulkJob::invalidRows, BulkJob::batchRows, BulkJob::skippedRows)
                .containsExactly(2501L, 2500L, 1L, 2500L, 0L);
        assertThat(job.chunkCount()).isEqualTo(3);
        List<String> chunk2 = repo.chunkRows(job.id(), 2, job.chunkSize());
        assertThat(chunk2).hasSize(500);
        assertThat(Json.parse(chunk2.get(0)).get("rowNumber").asLong()).isEqualTo(2002);
        assertThat(String.join("", repo.chunkRows(job.id(), 0, job.chunkSize()))).doesNotContain(id(0)).contains("idCipher");
        assertThat(repo.problems(job.id(), 0, 10)).extracting(p -> p.code()).containsExactly(ProblemCode.GRADE_INVALID);

        // the same file again: recognised by its SM3, nothing read or stored
        BulkImportService.ImportOutcome again = run(f, ImportMode.PARTIAL);
        assertThat(again.alreadyImported()).isTrue();
        assertThat(again.job().id()).isEqualTo(job.id());
        assertThat(service.inspect(f, ReadOptions.DEFAULT, Locale.ENGLISH).alreadyImportedAs()).isPresent();

        // another file repeating 100 stored rows and adding 5 new ones: only the new ones are queued
        List<String> overlap = new ArrayList<>(rows.subList(0, 100));
        for (int i = 3000; i < 3005; i++) overlap.add(row(i, "B"));
        BulkJob second = run(csv("b.csv", overlap), ImportMode.PARTIAL).job();
        assertThat(second).extracting(BulkJob::validRows, BulkJob::skippedRows, BulkJob::batchRows).containsExactly(105L, 100L, 5L);
        assertThat(repo.pendingUploads()).extracting(BulkJob::id).containsExactly(job.id(), second.id());
    }

    @Test
    void anotherImportStoringTheSameRowsMeanwhileLeavesThisOneWithNothingKeptAndAClearMessage() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 1500; i++) rows.add(row(i, "A"));
        Path a = csv("a.csv", rows);
        // a different file (one row more) holding the same 1,500 rows, imported in full while a.csv is half read
        List<String> more = new ArrayList<>(rows);
        more.add(row(4000, "A"));
        Path b = csv("b.csv", more);
        BulkJob[] other = new BulkJob[1];
        ImportProgress meanwhile = (read, bytes, total) -> {
            if (other[0] == null && read >= 1200) {
                try {
                    // a.csv's first 1,000 rows are stored (by its store thread) before b.csv is imported
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (db.dsl().fetchCount(cn.crb.localdb.jooq.Tables.BULK_ROW) < 1000) {
                        if (System.nanoTime() > deadline) throw new IllegalStateException("a.csv's first chunk was never stored");
                        Thread.sleep(10);
                    }
                    other[0] = run(b, ImportMode.PARTIAL).job();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        var request = new BulkImportService.ImportRequest(a, ReadOptions.DEFAULT, "TRN-0042", bundle, null, ImportMode.PARTIAL, Locale.SIMPLIFIED_CHINESE);
        assertThatThrownBy(() -> service.importFile(request, meanwhile, () -> false))
                .isInstanceOfSatisfying(cn.crb.domain.bulk.BulkFileException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProblemCode.DUPLICATE_ROW);
                    assertThat(e.getMessage()).contains("另一次导入").contains("重新导入");
                });
        assertThat(other[0].state()).isEqualTo(BulkJobState.READY);
        assertThat(other[0].batchRows()).isEqualTo(1501);
        assertThat(repo.jobs()).extracting(BulkJob::id).as("a.csv's job is removed").containsExactly(other[0].id());
        assertThat(db.dsl().fetchCount(cn.crb.localdb.jooq.Tables.BULK_ROW)).isEqualTo(1501);

        // importing a.csv again now skips every row: nothing is queued twice
        BulkJob again = run(a, ImportMode.PARTIAL).job();
        assertThat(again.state()).isEqualTo(BulkJobState.EMPTY);
        assertThat(again.skippedRows()).isEqualTo(1500);
    }

    @Test
    void allOrNothingBlocksAndQueuesNothingThenTheFixedFileGoesThrough() throws Exception {
        Path f = csv("c.csv", List.of(row(1, "A"), row(2, "Q"), row(3, "A")));
        BulkJob blocked = run(f, ImportMode.ALL_OR_NOTHING).job();
        assertThat(blocked.state()).isEqualTo(BulkJobState.BLOCKED);
        assertThat(blocked.batchRows()).isZero();
        assertThat(repo.liveJobByFileSm3(blocked.fileSm3())).isEmpty();

        Path rejects = dir.resolve("rejects.csv");
        assertThat(service.exportRejects(blocked.id(), rejects, Locale.SIMPLIFIED_CHINESE)).isEqualTo(1);
        String text = Files.readString(rejects, GBK);
        assertThat(text).startsWith(HEADER + ",错误\r\n").contains(id(2)).contains("[GRADE_INVALID]");

        // the clerk fixes the grade in the rejects file and imports it; the valid rows of the blocked file were never queued
        Files.writeString(rejects, text.replace(",Q,", ",A,"), GBK);
        BulkJob fixed = run(rejects, ImportMode.ALL_OR_NOTHING).job();
        assertThat(fixed.state()).isEqualTo(BulkJobState.READY);
        assertThat(fixed.batchRows()).isEqualTo(1);
        BulkJob whole = run(f, ImportMode.PARTIAL).job();
        assertThat(whole).extracting(BulkJob::state, BulkJob::batchRows, BulkJob::skippedRows).containsExactly(BulkJobState.READY, 2L, 0L);

        // on the audit chain, each in the transaction of what it records (contract 06): every import's ending, and the
        // rejected rows written out in clear, by the clerk at the workstation
        assertThat(db.dsl().select(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ACTION, cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ENTITY_TYPE,
                        cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ENTITY_ID, cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ACTOR_KEY_ID)
                .from(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY).orderBy(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.SEQ)
                .fetch(r -> String.join(" ", r.value1(), r.value2(), r.value3(), r.value4())))
                .containsExactly("BATCH_IMPORTED bulk-job " + blocked.id() + " " + CLERK_KEY, "PERSONAL_DATA_REVEALED bulk-job " + blocked.id() + " " + CLERK_KEY,
                        "BATCH_IMPORTED bulk-job " + fixed.id() + " " + CLERK_KEY, "BATCH_IMPORTED bulk-job " + whole.id() + " " + CLERK_KEY);
        assertThat(new AuditLog(CLOCK).verify(db.dsl()).ok()).isTrue();
    }

    @Test
    void aFileWhoseEveryRowWasRefusedMayBeImportedAgainInAnotherEncoding() throws Exception {
        // the header in English (the clerk's own template), the rows in Chinese, the file in GBK
        Path f = Files.write(dir.resolve("gbk.csv"), ("id_number,name,category,catalogue_code,title,course_type,hours,score,achieved_on,quality_grade\r\n"
                + row(1, "A") + "\r\n" + row(2, "B") + "\r\n").getBytes(GBK));
        // read as UTF-8 (chosen by hand, wrongly): the header is read, every Chinese cell is undecodable, every row refused
        BulkJob wrong = service.importFile(new BulkImportService.ImportRequest(f, ReadOptions.DEFAULT.withEncoding(cn.crb.domain.bulk.TextEncoding.UTF_8),
                "TRN-0042", bundle, null, ImportMode.PARTIAL, Locale.SIMPLIFIED_CHINESE), ImportProgress.NONE, () -> false).job();
        assertThat(wrong).extracting(BulkJob::state, BulkJob::batchRows).containsExactly(BulkJobState.BLOCKED, 0L);
        assertThat(repo.liveJobByFileSm3(wrong.fileSm3())).isEmpty();
        BulkImportService.ImportOutcome again = run(f, ImportMode.PARTIAL);
        assertThat(again.alreadyImported()).isFalse();
        assertThat(again.job()).extracting(BulkJob::state, BulkJob::batchRows).containsExactly(BulkJobState.READY, 2L);
    }

    /**
     * The ending's audit entry takes the chain's head: another transaction holding it (a sync's page of cases, a
     * signature) longer than H2's lock timeout must not make the finished import fail and be thrown away.
     */
    @Test
    void anImportEndsWhileAnotherTransactionHoldsTheAuditChainsHeadForAWhile() throws Exception {
        db.transaction(cfg -> new AuditLog(CLOCK).append(org.jooq.impl.DSL.using(cfg), CLERK_KEY, cn.crb.domain.audit.AuditAction.KEY_CREATED,
                "key", CLERK_KEY, Json.object()));
        long timeout = 2_000; // H2's lock timeout (its default: a second transaction's FOR UPDATE fails with 50200 after 2 s)
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> db.transaction(cfg -> {
            org.jooq.impl.DSL.using(cfg).fetch("SELECT SEQ FROM AUDIT_ENTRY ORDER BY SEQ DESC LIMIT 1 FOR UPDATE");
            held.countDown();
            Thread.sleep(timeout * 3 / 2 + 500);
            return null;
        }));
        held.await();
        BulkImportService.ImportOutcome o = run(csv("locked.csv", List.of(row(1, "A"), row(2, "A"))), ImportMode.PARTIAL);
        holder.join();
        assertThat(o.job().state()).isEqualTo(BulkJobState.READY);
        assertThat(o.job().batchRows()).isEqualTo(2);
        assertThat(new AuditLog(CLOCK).size(db.dsl())).isEqualTo(2);
    }

    @Test
    void cancelledImportQueuesNothingAndMayBeRedone() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) rows.add(row(i, "A"));
        Path f = csv("d.csv", rows);
        AtomicLong polls = new AtomicLong();
        BulkImportService.ImportOutcome o = service.importFile(new BulkImportService.ImportRequest(f, null, "TRN-0042", bundle, null, null, null),
                ImportProgress.NONE, () -> polls.incrementAndGet() > 1500);
        assertThat(o.summary().cancelled()).isTrue();
        assertThat(o.job().state()).isEqualTo(BulkJobState.CANCELLED);
        assertThat(o.job().batchRows()).isZero();
        assertThat(repo.chunkRows(o.job().id(), 0, 1000)).isEmpty();
        assertThat(run(f, ImportMode.PARTIAL).job().batchRows()).isEqualTo(3000);
    }
}
