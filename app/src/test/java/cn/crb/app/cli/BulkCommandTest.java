package cn.crb.app.cli;

import cn.crb.domain.bulk.ResidentId;
import cn.crb.domain.json.Json;
import cn.crb.sim.PlatformSim;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static cn.crb.app.cli.ProfileCommandTest.crb;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code crb import} and {@code crb submit} for a clerk, against a running reference platform. */
class BulkCommandTest {
    static final Charset GBK = Charset.forName("GBK");
    static final String HEADER = "身份证号,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,证书编码,等级,取得日期,质量等级";
    static final String HEADER_EN = "id_number,name,category,catalogue_code,title,course_type,hours,score,certificate_code,level,achieved_on,quality_grade";

    static String id(int n) {
        String first = String.format("3301061988%02d%02d%03d", 1 + n % 12, 1 + n % 28, n % 1000);
        return first + ResidentId.checkCharacter(first);
    }

    static String row(int n) {
        return id(n) + ",学员" + n + ",学历教育,AC-CS-110,程序设计,理论,48," + (60 + n % 40) + ",,,2024/6/30,A";
    }

    /** A clerk profile in {@code home} enrolled with {@code sim}, standards pulled by {@code crb sync}. Returns the passphrase file. */
    static Path clerk(PlatformSim sim, Path home) throws IOException {
        Path pass = Files.writeString(home.resolve("pass.txt"), "经办人的口令 long enough 42\n");
        String code = sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷");
        assertThat(crb("profile", "create", "--home", home.toString(), "--platform", sim.baseUrl().toString(), "--enrol", code,
                "--passphrase-file", pass.toString()).exit()).isZero();
        ProfileCommandTest.Result sync = crb("sync", "--home", home.toString(), "--passphrase-file", pass.toString());
        assertThat(sync.exit()).as(sync.err()).isZero();
        assertThat(sync.out()).contains("installed 2025.2, 2026.1");
        return pass;
    }

    @Test
    void importReportsAndQueuesThenSubmitSendsOnceSignedAsClerk(@TempDir Path simDir, @TempDir Path home) throws IOException {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()))) {
            Path pass = clerk(sim, home);
            String bad = id(9).substring(0, 17) + (id(9).charAt(17) == '1' ? '2' : '1');
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < 1203; i++) rows.add(row(i));
            rows.add(bad + ",王五,学历教育,AC-CS-110,程序设计,理论,48,70,,,2024/6/30,A");     // row 1205: check digit
            rows.add(id(2000) + ",赵六,学历教育,XX-NOPE-1,不存在,理论,48,70,,,2024/6/30,A"); // row 1206: unknown code
            rows.add(row(5));                                                                  // row 1207: duplicate of row 7
            Path file = Files.write(home.resolve("毕业生.csv"), (HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n").getBytes(GBK));
            Path report = home.resolve("report.json");
            Path rejects = home.resolve("rejects.csv");

            ProfileCommandTest.Result imp = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file", file.toString(),
                    "--report", report.toString(), "--rejects", rejects.toString());
            assertThat(imp.err()).isEmpty();
            assertThat(imp.exit()).isZero();
            assertThat(imp.out()).startsWith("imported 毕业生.csv as job 1: 1206 rows read, 1203 accepted, 3 rejected, 1 duplicates; 1203 queued for submission")
                    .contains("CSV, GB18030/GBK, ','-separated").contains("partial → READY")
                    .contains("problems:  CATALOGUE_UNKNOWN 1, DUPLICATE_ROW 1, ID_CHECKSUM 1").contains("rejects:   3 rows written to");
            JsonNode r = Json.parse(Files.readAllBytes(report));
            assertThat(r.get("file").asText()).isEqualTo(file.toString());
            assertThat(r.get("encoding").asText()).isEqualTo("GB18030/GBK");
            assertThat(List.of(r.get("rowsRead").asLong(), r.get("accepted").asLong(), r.get("rejected").asLong(), r.get("duplicates").asLong(),
                    r.get("queued").asLong())).containsExactly(1206L, 1203L, 3L, 1L, 1203L);
            assertThat(r.get("errors")).hasSize(3);
            JsonNode e0 = r.get("errors").get(0);
            assertThat(e0.get("row").asLong()).isEqualTo(1205);
            assertThat(e0.get("column").asText()).isEqualTo("身份证号");
            assertThat(e0.get("code").asText()).isEqualTo("ID_CHECKSUM");
            assertThat(e0.get("message").asText()).contains("校验位");
            assertThat(r.get("errors").get(1).get("code").asText()).isEqualTo("CATALOGUE_UNKNOWN");
            assertThat(r.get("errors").get(2).get("code").asText()).isEqualTo("DUPLICATE_ROW");
            assertThat(r.get("errors").get(2).get("message").asText()).contains("7");
            List<String> rej = Files.readAllLines(rejects, GBK);
            assertThat(rej).hasSize(4);
            assertThat(rej.get(0)).startsWith(HEADER + ",");
            // the ID as a text formula, so that Excel neither shows 3.20102E+17 nor saves back only 15 digits
            assertThat(rej.get(1)).startsWith("\"=\"\"" + bad + "\"\"\",王五");
            // the raw IDs are in no report: only in the rejects file, which the clerk asked for
            assertThat(Files.readString(report, StandardCharsets.UTF_8)).doesNotContain(bad).doesNotContain(id(2000));

            // the same file again: recognised, nothing read or queued
            ProfileCommandTest.Result again = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file", file.toString(),
                    "--report", report.toString());
            assertThat(again.exit()).isZero();
            assertThat(again.out()).startsWith("already imported as job 1 (READY)");
            assertThat(Json.parse(Files.readAllBytes(report)).get("alreadyImported").asBoolean()).isTrue();

            ProfileCommandTest.Result sub = crb("submit", "--home", home.toString(), "--passphrase-file", pass.toString());
            assertThat(sub.err()).isEmpty();
            assertThat(sub.exit()).isZero();
            assertThat(sub.out()).contains("job 1 毕业生.csv: batch ").contains("1203 rows, 1203 accepted, 0 refused")
                    .contains("submitted 1 of 1 batches: 1203 accepted, 0 refused");
            assertThat(crb("submit", "--home", home.toString(), "--passphrase-file", pass.toString()).out()).contains("nothing to submit");

            // the clerk fixes the rejects but one code is still wrong: all-or-nothing (messages in English) queues nothing, exit 1
            List<String> fixed = new ArrayList<>(List.of(HEADER, id(3009) + ",王五,学历教育,AC-CS-110,程序设计,理论,48,70,,,2024/6/30,A",
                    id(2000) + ",赵六,学历教育,XX-NOPE-2,不存在,理论,48,70,,,2024/6/30,A", row(5)));
            Path fixedFile = Files.write(home.resolve("fixed.csv"), (String.join("\r\n", fixed) + "\r\n").getBytes(GBK));
            ProfileCommandTest.Result blocked = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file",
                    fixedFile.toString(), "--all-or-nothing", "--lang", "en", "--report", report.toString());
            assertThat(blocked.exit()).isEqualTo(1);
            assertThat(blocked.out()).contains("all-or-nothing → BLOCKED (nothing queued").contains("0 queued for submission");
            assertThat(Json.parse(Files.readAllBytes(report)).get("errors").get(0).get("message").asText()).contains("is not in the catalogue");
            // the same GBK file read as UTF-8: nothing queued (exit 1), and the likely cause named
            ProfileCommandTest.Result wrongEncoding = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file",
                    fixedFile.toString(), "--encoding", "UTF-8", "--lang", "en", "--report", report.toString());
            assertThat(wrongEncoding.exit()).isEqualTo(1);
            assertThat(wrongEncoding.out()).contains("partial → BLOCKED (nothing queued: the header could not be read; if the file was read in the wrong encoding, import it again with --encoding)");
            // with the header in English only the rows are garbled: every row rejected
            Path english = Files.write(home.resolve("english-header.csv"), (String.join("\r\n", HEADER_EN, fixed.get(1), fixed.get(3)) + "\r\n").getBytes(GBK));
            ProfileCommandTest.Result rowsGarbled = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file",
                    english.toString(), "--encoding", "UTF-8", "--lang", "en", "--report", report.toString());
            assertThat(rowsGarbled.exit()).isEqualTo(1);
            assertThat(rowsGarbled.out()).contains("2 rows read, 0 accepted, 2 rejected")
                    .contains("partial → BLOCKED (nothing queued: every row was rejected; if the file was read in the wrong encoding, import it again with --encoding)");
            fixed.set(2, id(2000) + ",赵六,学历教育,AC-CS-110,程序设计,理论,48,70,,,2024/6/30,A");
            Files.write(fixedFile, (String.join("\r\n", fixed) + "\r\n").getBytes(GBK));
            ProfileCommandTest.Result ok = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file",
                    fixedFile.toString(), "--mode", "all-or-nothing", "--report", report.toString());
            assertThat(ok.exit()).isZero();
            // row 4 repeats a row already submitted: skipped, not sent twice
            assertThat(ok.out()).contains("all-or-nothing → READY").contains("1 duplicates; 2 queued for submission")
                    .contains("1 already imported or submitted earlier");
            ProfileCommandTest.Result sub2 = crb("submit", "--home", home.toString(), "--passphrase-file", pass.toString());
            assertThat(sub2.exit()).isZero();
            assertThat(sub2.out()).contains("2 rows, 2 accepted, 0 refused");
        }
    }

    /**
     * Two workstations of the same institution send the same graduates: the platform refuses every row of the second
     * batch (already on the learners' accounts). {@code crb submit} lists the first 1,000 refused rows and says how many
     * more there are, rather than printing (or holding) every one.
     */
    @Test
    void aSecondWorkstationSendingTheSameOutcomesHearsEveryRowRefusedAndHowManyMoreThanListed(@TempDir Path simDir, @TempDir Path home,
                                                                                              @TempDir Path other) throws IOException {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()))) {
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < 1005; i++) rows.add(row(i));
            byte[] csv = (HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n").getBytes(GBK);
            for (Path h : List.of(home, other)) {
                Path pass = clerk(sim, h);
                Path file = Files.write(h.resolve("毕业生.csv"), csv);
                ProfileCommandTest.Result imp = crb("import", "--home", h.toString(), "--passphrase-file", pass.toString(), "--file", file.toString(),
                        "--report", h.resolve("report.json").toString());
                assertThat(imp.exit()).as(imp.err()).isZero();
                assertThat(imp.out()).contains("1005 accepted, 0 rejected");
                ProfileCommandTest.Result sub = crb("submit", "--home", h.toString(), "--passphrase-file", pass.toString());
                assertThat(sub.exit()).as(sub.err()).isZero();
                if (h.equals(home)) {
                    assertThat(sub.out()).contains("1005 rows, 1005 accepted, 0 refused").doesNotContain("  row ");
                    continue;
                }
                assertThat(sub.out()).contains("1005 rows, 0 accepted, 1005 refused")
                        .contains("submitted 1 of 1 batches: 0 accepted, 1005 refused");
                List<String> listed = sub.out().lines().filter(l -> l.startsWith("  row ")).toList();
                assertThat(listed).hasSize(1000);
                assertThat(listed.getFirst()).isEqualTo("  row 2: REFUSED ALREADY_ON_ACCOUNT");
                assertThat(listed.getLast()).isEqualTo("  row 1001: REFUSED ALREADY_ON_ACCOUNT");
                assertThat(sub.out()).contains("  ... and 5 more refused rows (all are listed in the workstation's results)");
            }
        }
    }

    @Test
    void errorsAreOneLineAndAnUnreachablePlatformExitsThreeLosingNothing(@TempDir Path simDir, @TempDir Path home) throws IOException {
        PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
        int port = sim.baseUrl().getPort();
        Path pass;
        try {
            pass = clerk(sim, home);
        } finally {
            sim.close();
        }
        Path report = home.resolve("r.json");
        ProfileCommandTest.Result missing = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file",
                home.resolve("nope.csv").toString(), "--report", report.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip().lines()).hasSize(1);
        assertThat(missing.err()).startsWith("crb: no file");
        Path junk = Files.writeString(home.resolve("x.csv"), "a,b\n1,2\n");
        ProfileCommandTest.Result enc = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file", junk.toString(),
                "--encoding", "latin-9", "--report", report.toString());
        assertThat(enc.exit()).isEqualTo(2);
        assertThat(enc.err()).startsWith("crb: unknown --encoding latin-9").doesNotContain("Exception");
        // a report (or rejects) path that cannot be written is refused before anything is read: the file below is then
        // imported as job 1, not found already imported
        ProfileCommandTest.Result noFolder = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file", junk.toString(),
                "--report", home.resolve("no-such-folder").resolve("r.json").toString());
        assertThat(noFolder.exit()).isEqualTo(2);
        assertThat(noFolder.err()).startsWith("crb: --report: no folder").contains("nothing was read or stored");
        ProfileCommandTest.Result rejectsFolder = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file", junk.toString(),
                "--report", report.toString(), "--rejects", home.toString());
        assertThat(rejectsFolder.exit()).isEqualTo(2);
        assertThat(rejectsFolder.err()).startsWith("crb: --rejects " + home + " is a folder");
        // --debug after the subcommand (it is inherited) prints the stack trace
        ProfileCommandTest.Result debug = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file", junk.toString(),
                "--report", home.resolve("no-such-folder").resolve("r.json").toString(), "--debug");
        assertThat(debug.err()).startsWith("crb: --report: no folder").contains("\tat cn.crb.app.cli.ImportCommand");

        // UTF-8 with BOM, tab-separated, English headers; imported while the platform is down
        String tsv = "\uFEFFid_number\tname\tcategory\tcatalogue_code\ttitle\tcourse_type\thours\tscore\tachieved_on\tquality_grade\r\n"
                + id(1) + "\t张三\tACADEMIC\tAC-CS-110\t程序设计\tTHEORY\t48\t88\t2024-06-30\tA\r\n"
                + id(2) + "\t李四\tACADEMIC\tAC-CS-110\t程序设计\tTHEORY\t48\t90\t2024.6.30\tB\r\n";
        Path file = Files.writeString(home.resolve("term.tsv"), tsv, StandardCharsets.UTF_8);
        ProfileCommandTest.Result imp = crb("import", "--home", home.toString(), "--passphrase-file", pass.toString(), "--file", file.toString(),
                "--report", report.toString(), "--lang", "en");
        assertThat(imp.exit()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("as job 1: 2 rows read, 2 accepted, 0 rejected").contains("UTF-8 (BOM), tab-separated");

        ProfileCommandTest.Result down = crb("submit", "--home", home.toString(), "--passphrase-file", pass.toString(), "--attempts", "1");
        assertThat(down.exit()).isEqualTo(3);
        assertThat(down.err().strip().lines()).hasSize(1);
        assertThat(down.err()).contains("could not be reached").contains("nothing is lost");

        // the platform comes back on the same address: the queued import is sent, once
        try (PlatformSim back = PlatformSim.start(new PlatformSim.Options(port, simDir, true, List.of()))) {
            ProfileCommandTest.Result sub = crb("submit", "--home", home.toString(), "--passphrase-file", pass.toString());
            assertThat(sub.exit()).as(sub.err()).isZero();
            assertThat(sub.out()).contains("term.tsv").contains("2 rows, 2 accepted, 0 refused");
        }
    }
}
