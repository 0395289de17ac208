package cn.crb.app.ui.bulk;

import cn.crb.app.bulk.BulkService;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.standards.StandardsService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.bulk.BulkColumn;
import cn.crb.domain.bulk.ColumnMapping;
import cn.crb.domain.bulk.FileFormat;
import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ProblemCode;
import cn.crb.domain.bulk.ResidentId;
import cn.crb.domain.bulk.TextEncoding;
import cn.crb.localdb.BulkJobState;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The Bulk submission screen's state, without the toolkit, against the real reference platform and a real clerk profile. */
class BulkViewModelTest {
    private static final char[] PASS = "批量提交 Test-Passphrase 9".toCharArray();
    private static final Charset GBK = Charset.forName("GBK");
    static final String HEADER = "身份证号,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,证书编码,等级,取得日期,质量等级";

    static String id(int n) {
        String first = String.format("3201021985%02d%02d%03d", 1 + n % 12, 1 + n % 28, n % 1000);
        return first + ResidentId.checkCharacter(first);
    }

    /** Installs the platform's standards 2026.1 in the clerk's profile, as a sync would. */
    private static void installStandards(PlatformSim sim, ProfileSession session, Path home) throws Exception {
        Path bundle = home.resolve("2026.1.json");
        Files.writeString(bundle, get(sim.baseUrl(), "/api/v1/standards/2026.1", session.repository().token().orElseThrow()));
        assertThat(new StandardsService(session, Clock.systemUTC()).importFile(bundle).installed()).isTrue();
    }

    static String wrongCheck(String id) {
        char c = id.charAt(17) == '1' ? '2' : '1';
        return id.substring(0, 17) + c;
    }

    @Test
    void thePreviewShowsTheDetectedEncodingAndMappingAndTheImportFollowsTheClerksChoices(@TempDir Path simDir, @TempDir Path home) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, Clock.systemUTC(), 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"),
                    PASS, PASS, "t", s -> { })) {
                installStandards(sim, session, home);

                // the ID column is headed 证件号码 (not a known header) and a remarks column follows the fields
                StringBuilder csv = new StringBuilder("证件号码,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,取得日期,质量等级,备注\r\n");
                for (int i = 1; i <= 25; i++) csv.append(id(100 + i)).append(",学员").append(i).append(",学历教育,AC-CS-110,程序设计,理论,48,80,2024/6/30,A,第一期\r\n");
                Path file = Files.write(home.resolve("mapped.csv"), csv.toString().getBytes(GBK));

                BulkViewModel vm = new BulkViewModel(new BulkService(session, profiles, http, Clock.systemUTC()), Background.sameThread(),
                        new I18n(Locale.SIMPLIFIED_CHINESE));
                assertThat(vm.stepProperty().get()).isEqualTo(BulkViewModel.Step.CHOOSE);
                vm.chooseFile(file);
                assertThat(vm.stepProperty().get()).isEqualTo(BulkViewModel.Step.PREVIEW);
                assertThat(vm.previewTextProperty().get()).isEqualTo("前 20 行（后面还有更多行） · 编码：GB18030/GBK · 分隔符：逗号");
                assertThat(vm.previewRows()).hasSize(20);
                assertThat(vm.previewRows().getFirst().rowNumber()).isEqualTo(2);
                // shown masked, as everywhere without a reveal: the ID to its first 6 and last 4, the name to its surname
                assertThat(vm.previewRows().getFirst().cells()).startsWith(id(101).substring(0, 6) + "********" + id(101).substring(14), "学**")
                        .contains("学历教育", "AC-CS-110");
                assertThat(vm.mappedColumns()).extracting(BulkViewModel.MappedColumn::header).containsExactly(
                        "证件号码", "姓名", "成果类别", "成果编码", "成果名称", "课程类型", "学时", "成绩", "取得日期", "质量等级", "备注");
                assertThat(vm.mappedColumns()).extracting(c -> vm.choiceText(c.choiceProperty().get())).containsExactly(
                        "（无法识别）", "姓名（name）", "成果类别（category）", "成果编码（catalogue_code）", "成果名称（title）", "课程类型（course_type）",
                        "学时（hours）", "成绩（score）", "取得日期（achieved_on）", "质量等级（quality_grade）", "（无法识别）");
                assertThat(vm.mappedColumns().getFirst().choices()).hasSize(2 + BulkColumn.values().length);
                assertThat(vm.mappedColumns().get(1).choices()).as("a recognised column has no 'not recognised' choice").hasSize(1 + BulkColumn.values().length);
                assertThat(vm.mappingProblems()).extracting(p -> p.code())
                        .containsExactly(ProblemCode.COLUMN_UNKNOWN, ProblemCode.COLUMN_UNKNOWN, ProblemCode.COLUMN_MISSING);
                assertThat(vm.mappingTextProperty().get()).isEqualTo("无法识别的列“证件号码”，已忽略\n无法识别的列“备注”，已忽略\n缺少必填列“身份证号”");

                // the clerk overrides the encoding: the preview is read again (and shows the damage)
                vm.encodingProperty().set(BulkViewModel.ENCODINGS.get(1));
                assertThat(vm.previewTextProperty().get()).contains("编码：UTF-8 ·");
                assertThat(vm.mappedColumns().getFirst().header()).contains("\uFFFD");
                assertThat(vm.mappingProblems()).extracting(p -> p.code()).contains(ProblemCode.ENCODING_INVALID);
                vm.encodingProperty().set(BulkViewModel.ENCODINGS.getFirst());
                assertThat(vm.mappedColumns().getFirst().header()).isEqualTo("证件号码");

                // maps 证件号码 to the ID field and ignores the remarks: nothing left to report
                vm.mappedColumns().getFirst().choiceProperty().set(new ColumnMapping.Choice.Field(BulkColumn.ID_NUMBER));
                vm.mappedColumns().getLast().choiceProperty().set(ColumnMapping.IGNORE);
                assertThat(vm.mappingProblems()).isEmpty();
                assertThat(vm.mappingTextProperty().get()).isEqualTo("每一列都已对应到字段或已忽略，可以导入。");
                assertThat(vm.choiceText(ColumnMapping.IGNORE)).isEqualTo("忽略此列");

                vm.importFile();
                assertThat(vm.stepProperty().get()).isEqualTo(BulkViewModel.Step.RESULTS);
                assertThat(vm.jobProperty().get()).extracting(j -> j.totalRows(), j -> j.validRows(), j -> j.invalidRows()).containsExactly(25L, 25L, 0L);
                assertThat(vm.problems()).isEmpty();
                assertThat(vm.summaryTextProperty().get()).startsWith("mapped.csv：共 25 行");

                // another file, without the ID column: what was shown of the first one goes as soon as it is chosen
                Path noIds = Files.write(home.resolve("no-ids.csv"), "姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,取得日期,质量等级\r\n学员1,学历教育,AC-CS-110,程序设计,理论,48,80,2024/6/30,A\r\n"
                        .getBytes(GBK));
                vm.chooseFile(noIds);
                assertThat(vm.jobProperty().get()).isNull();
                assertThat(vm.summaryTextProperty().get()).isEmpty();
                assertThat(vm.exportPathProperty().get()).isEmpty();
                // imported as it is: blocked before any row was read, and told so (not "export the rejects", there are none)
                vm.importFile();
                assertThat(vm.messageProperty().get()).isEqualTo(
                        "文件缺少必填列（身份证号），未读取任何数据行，也没有可导出的错误行。请在文件中补齐这些列（列名可用中文或英文，顺序不限）后重新导入。");
                assertThat(vm.summaryTextProperty().get()).isEqualTo("no-ids.csv：缺少必填列，未读取数据行 · " + vm.stateText(vm.jobProperty().get().state()));

                // a file without its header row: its first row (a learner's) is shown masked as the columns' headers, and
                // what reads like a name in a column not yet mapped is masked until the clerk maps the columns
                Path noHeader = Files.write(home.resolve("no-header.csv"), (id(201) + ",欧阳修文,学历教育,AC-CS-110,程序设计,理论,48,80,2024/6/30,A\r\n"
                        + id(202) + ",王五,学历教育,AC-CS-110,程序设计,理论,48,80,2024/6/30,A\r\n").getBytes(GBK));
                vm.chooseFile(noHeader);
                assertThat(vm.mappedColumns()).extracting(BulkViewModel.MappedColumn::shownHeader)
                        .startsWith(id(201).substring(0, 6) + "********" + id(201).substring(14), "欧阳**");
                assertThat(vm.previewRows().getFirst().cells()).startsWith(id(202).substring(0, 6) + "********" + id(202).substring(14), "王*", "学***")
                        .contains("AC-CS-110", "48", "2024/6/30");
                vm.mappedColumns().get(1).choiceProperty().set(new ColumnMapping.Choice.Field(BulkColumn.NAME));
                vm.mappedColumns().get(2).choiceProperty().set(new ColumnMapping.Choice.Field(BulkColumn.CATEGORY));
                assertThat(vm.previewRows().getFirst().cells()).startsWith(id(202).substring(0, 6) + "********" + id(202).substring(14), "王*", "学历教育");

                // the name column headed 学员姓名, which is not a header the workstation knows: no reveal, no full names
                Path names = Files.write(home.resolve("names.csv"), ("身份证号,学员姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,取得日期,质量等级\r\n"
                        + id(101) + ",欧阳明华,学历教育,AC-CS-110,程序设计,理论,48,80,2024/6/30,A\r\n").getBytes(GBK));
                vm.chooseFile(names);
                assertThat(vm.previewRows().getFirst().cells()).doesNotContain("欧阳明华").contains("欧阳**", "程序设计", "学历教育");
            }
        }
    }

    @Test
    void clerkImportsAGbkFileSeesProblemsInChineseExportsRejectsAndSubmits(@TempDir Path simDir, @TempDir Path home) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, Clock.systemUTC(), 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"),
                    PASS, PASS, "t", s -> { })) {
                installStandards(sim, session, home);

                // rows 2–4 valid, row 5 a wrong check digit, row 6 a code not in the catalogue
                String csv = HEADER + "\r\n"
                        + id(1) + ",张三,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n"
                        + id(2) + ",欧阳娜娜,职业技能,VC-WEB-FE,Web前端,,,,WEB-FE-1X,中级,2024年5月1日,B\r\n"
                        + id(3) + ",李四,学历教育,AC-CS-110,程序设计,理论,48,90,,,2024/6/30,A\r\n"
                        + wrongCheck(id(4)) + ",王五,学历教育,AC-CS-110,程序设计,理论,48,70,,,2024/6/30,A\r\n"
                        + id(5) + ",赵六,学历教育,XX-NOPE-1,不存在的成果,理论,48,70,,,2024/6/30,A\r\n";
                Path file = Files.write(home.resolve("毕业生.csv"), csv.getBytes(GBK));

                BulkViewModel vm = new BulkViewModel(new BulkService(session, profiles, http, Clock.systemUTC()), Background.sameThread(),
                        new I18n(Locale.SIMPLIFIED_CHINESE));
                vm.loadJobs();
                assertThat(vm.jobs()).isEmpty();
                assertThat(vm.canImport().get()).isFalse();

                vm.chooseFile(file);
                assertThat(vm.formatProperty().get()).isEqualTo(FileFormat.CSV);
                assertThat(vm.formatTextProperty().get()).contains("GB18030/GBK").contains("识别的编码");
                assertThat(vm.alreadyTextProperty().get()).isEmpty();
                assertThat(vm.sheets()).isEmpty();
                assertThat(vm.encodings()).extracting(vm::encodingText).containsExactly("自动识别", "UTF-8", "GB18030/GBK", "UTF-16LE (BOM)", "UTF-16BE (BOM)");
                assertThat(vm.modes()).extracting(vm::modeText).first().asString().startsWith("部分提交");
                assertThat(vm.canImport().get()).isTrue();

                vm.modeProperty().set(ImportMode.PARTIAL);
                vm.importFile();
                assertThat(vm.runningProperty().get()).isFalse();
                assertThat(vm.messageProperty().get()).isEqualTo("导入完成，有效行已排队等待提交。");
                var job = vm.jobProperty().get();
                assertThat(job.state()).isEqualTo(BulkJobState.READY);
                assertThat(job).extracting(j -> j.totalRows(), j -> j.validRows(), j -> j.invalidRows(), j -> j.skippedRows())
                        .containsExactly(5L, 3L, 2L, 0L);
                assertThat(vm.summaryTextProperty().get()).isEqualTo("毕业生.csv：共 5 行，有效 3 行，无效 2 行，已提交过而跳过 0 行 · 待提交");
                assertThat(vm.problems()).extracting(p -> p.row(), p -> p.code())
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(5L, ProblemCode.ID_CHECKSUM), org.assertj.core.groups.Tuple.tuple(6L, ProblemCode.CATALOGUE_UNKNOWN));
                assertThat(vm.problems().get(0).message()).contains("身份证号校验位错误");
                assertThat(BulkViewModel.columnText(vm.problems().get(0))).isEqualTo("A 身份证号");
                assertThat(vm.problems().get(1).message()).contains("成果编码").contains("XX-NOPE-1");
                assertThat(BulkViewModel.columnText(vm.problems().get(1))).isEqualTo("D 成果编码");

                // the raw ID of a rejected row is shown only when the clerk asks, and the viewing is audited first
                java.util.concurrent.atomic.AtomicReference<BulkViewModel.RevealedRow> shown = new java.util.concurrent.atomic.AtomicReference<>();
                vm.reveal(vm.problems().get(0), shown::set);
                assertThat(shown.get().row()).isEqualTo(5L);
                assertThat(shown.get().cells().getFirst()).isEqualTo(java.util.Map.entry("A 身份证号", wrongCheck(id(4))));
                assertThat(vm.messageProperty().get()).isEqualTo("已显示第 5 行原始内容，查看记录已写入审计日志");
                assertThat(session.repository().recentAudit(3)).anySatisfy(e -> {
                    assertThat(e.action()).isEqualTo("PERSONAL_DATA_REVEALED");
                    assertThat(e.entityId()).isEqualTo(job.id() + ":5");
                    assertThat(e.actorKeyId()).isEqualTo(session.summary().keyId());
                });
                assertThat(session.repository().verifyAudit().ok()).isTrue();
                assertThat(vm.problemsNoteProperty().get()).isEmpty();
                assertThat(vm.jobs()).hasSize(1);
                assertThat(vm.jobLabel(vm.jobs().getFirst())).contains("毕业生.csv").contains("待提交").contains("有效 3").contains("无效 2");
                assertThat(vm.canExport().get()).isTrue();
                assertThat(vm.canSubmit().get()).isTrue();

                // rejects: same format and encoding (GBK), with the errors column, only the two bad rows
                Path rejects = home.resolve("rejects.csv");
                vm.exportRejects(rejects);
                assertThat(vm.messageProperty().get()).isEqualTo("已导出 2 行错误行到 rejects.csv。");
                List<String> lines = Files.readAllLines(rejects, GBK);
                assertThat(lines).hasSize(3);
                assertThat(lines.get(0)).startsWith(HEADER).contains("错误");
                assertThat(lines.get(1)).startsWith("\"=\"\"" + wrongCheck(id(4)) + "\"\"\",").contains("王五").contains("身份证号校验位错误");
                assertThat(lines.get(2)).contains("XX-NOPE-1");

                // the export field suggests a file next to the source; typed there, an existing file is never overwritten
                Path suggested = home.resolve("毕业生_错误行.csv");
                assertThat(vm.exportPathProperty().get()).isEqualTo(suggested.toString());
                vm.exportRejectsToTypedPath();
                assertThat(vm.messageProperty().get()).isEqualTo("已导出 2 行错误行到 毕业生_错误行.csv。");
                assertThat(Files.readAllLines(suggested, GBK)).isEqualTo(lines);
                Files.writeString(suggested, "kept");
                vm.exportRejectsToTypedPath();
                assertThat(vm.messageProperty().get()).isEqualTo("毕业生_错误行.csv 已存在，未覆盖：请换一个文件名，或用“另存为…”选择位置。");
                assertThat(Files.readString(suggested)).isEqualTo("kept");

                // the same file again: recognised by its SM3
                vm.chooseFile(file);
                assertThat(vm.alreadyTextProperty().get()).contains("已于").contains("第 " + job.id() + " 号").contains("不会重复导入")
                        .contains(java.time.format.DateTimeFormatter.ofLocalizedDate(java.time.format.FormatStyle.MEDIUM).withLocale(Locale.SIMPLIFIED_CHINESE).format(java.time.LocalDate.now()));
                vm.importFile();
                assertThat(vm.messageProperty().get()).isEqualTo("此文件此前已导入，未再次读取。");
                assertThat(vm.jobs()).hasSize(1);

                // a wrong passphrase: nothing sent, told in Chinese
                vm.submit("not the passphrase".toCharArray());
                assertThat(vm.messageProperty().get()).isEqualTo("口令不正确。数据未作任何更改。");
                assertThat(vm.results()).isEmpty();
                assertThat(vm.jobProperty().get().state()).isEqualTo(BulkJobState.READY);

                vm.submit(PASS.clone());
                assertThat(vm.messageProperty().get()).isEqualTo("提交完成：平台受理 3 行，退回 0 行。");
                assertThat(vm.jobProperty().get().state()).isEqualTo(BulkJobState.COMPLETE);
                assertThat(vm.results()).extracting(r -> r.rowNumber()).containsExactly(2L, 3L, 4L);
                assertThat(vm.results()).extracting(vm::resultStatusText).containsOnly("已受理");
                // each result says whose outcome it is, masked as sent
                assertThat(vm.results().get(1)).isEqualTo(new cn.crb.localdb.BulkRepository.ResultLine(3, "ACCEPTED", null,
                        cn.crb.domain.bulk.ResidentId.mask(id(2)), cn.crb.domain.bulk.NameMasking.mask("欧阳娜娜"), "VC-WEB-FE", "Web前端"));
                assertThat(vm.results().get(1).idMasked()).doesNotContain(id(2).substring(6, 14)).hasSize(18);
                assertThat(vm.resultsTextProperty().get()).isEqualTo("平台受理 3 行，退回 0 行。");
                assertThat(vm.canSubmit().get()).isFalse();
                assertThat(vm.jobLabel(vm.jobs().getFirst())).contains("已完成");

                // a second file overlapping the first: the submitted rows are skipped; the platform refuses nothing new twice
                String csv2 = HEADER + "\r\n"
                        + id(1) + ",张三,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n"
                        + id(6) + ",孙七,学历教育,AC-CS-110,程序设计,理论,48,95,,,2024/6/30,A\r\n";
                vm.chooseFile(Files.write(home.resolve("补报.csv"), csv2.getBytes(GBK)));
                vm.importFile();
                assertThat(vm.jobProperty().get()).extracting(j -> j.validRows(), j -> j.skippedRows(), j -> j.batchRows()).containsExactly(2L, 1L, 1L);
                assertThat(vm.jobs()).hasSize(2);
                vm.submit(PASS.clone());
                assertThat(vm.results()).extracting(r -> r.rowNumber(), r -> r.status()).containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "ACCEPTED"));

                // picking the first job from the list shows its problems and results again
                vm.show(vm.jobs().get(1));
                assertThat(vm.problems()).hasSize(2);
                assertThat(vm.results()).hasSize(3);
            }
        }
    }

    @Test
    void problemsFilterByCodeAndColumnWithCounts(@TempDir Path simDir, @TempDir Path home) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, Clock.systemUTC(), 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"),
                    PASS, PASS, "t", s -> { })) {
                installStandards(sim, session, home);
                // row 3: check digit; row 4: check digit and grade; row 5: catalogue code; row 6: grade; rows 2 and 7 valid
                String csv = HEADER + "\r\n"
                        + id(1) + ",张三,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n"
                        + wrongCheck(id(2)) + ",李四,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n"
                        + wrongCheck(id(3)) + ",王五,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,Q\r\n"
                        + id(4) + ",赵六,学历教育,XX-NOPE-1,不存在,理论,48,88,,,2024/6/30,A\r\n"
                        + id(5) + ",孙七,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,D\r\n"
                        + id(6) + ",周八,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,B\r\n";
                BulkService service = new BulkService(session, profiles, http, Clock.systemUTC());
                BulkViewModel vm = new BulkViewModel(service, Background.sameThread(), new I18n(Locale.SIMPLIFIED_CHINESE));
                assertThat(vm.codeChoices()).isEmpty();
                vm.chooseFile(Files.write(home.resolve("筛选.csv"), csv.getBytes(GBK)));
                vm.importFile();
                assertThat(vm.problems()).hasSize(5);
                assertThat(vm.codeChoices()).extracting(vm::codeChoiceText)
                        .containsExactly("全部错误代码（5）", "ID_CHECKSUM（2）", "CATALOGUE_UNKNOWN（1）", "GRADE_INVALID（2）");
                assertThat(vm.columnChoices()).extracting(vm::columnChoiceText)
                        .containsExactly("全部列（5）", "A 身份证号（2）", "D 成果编码（1）", "L 质量等级（2）");
                assertThat(vm.codeFilterProperty().get().code()).isNull();
                assertThat(vm.problemsNoteProperty().get()).isEmpty();

                vm.codeFilterProperty().set(vm.codeChoices().get(3));
                assertThat(vm.problems()).extracting(p -> p.row(), p -> p.code())
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, ProblemCode.GRADE_INVALID), org.assertj.core.groups.Tuple.tuple(6L, ProblemCode.GRADE_INVALID));
                assertThat(vm.problemsNoteProperty().get()).isEqualTo("筛选出 2 个问题，共 5 个。");
                vm.columnFilterProperty().set(vm.columnChoices().get(1));  // GRADE_INVALID in column A: none
                assertThat(vm.problems()).isEmpty();
                assertThat(vm.problemsNoteProperty().get()).isEqualTo("筛选出 0 个问题，共 5 个。");
                vm.codeFilterProperty().set(vm.codeChoices().getFirst());  // any code in column A
                assertThat(vm.problems()).extracting(p -> p.row()).containsExactly(3L, 4L);
                assertThat(vm.problems()).extracting(p -> p.code()).containsOnly(ProblemCode.ID_CHECKSUM);
                vm.columnFilterProperty().set(vm.columnChoices().getFirst());
                assertThat(vm.problems()).hasSize(5);
                assertThat(vm.problemsNoteProperty().get()).isEmpty();

                // showing another job resets the filters to everything
                vm.codeFilterProperty().set(vm.codeChoices().get(2));
                assertThat(vm.problems()).hasSize(1);
                vm.show(vm.jobProperty().get());
                assertThat(vm.codeFilterProperty().get().code()).isNull();
                assertThat(vm.problems()).hasSize(5);

                BulkViewModel en = new BulkViewModel(service, Background.sameThread(), new I18n(Locale.ENGLISH));
                en.show(vm.jobProperty().get());
                assertThat(en.codeChoices()).extracting(en::codeChoiceText).startsWith("All codes (5)", "ID_CHECKSUM (2)");
                assertThat(en.columnChoices()).extracting(en::columnChoiceText).startsWith("All columns (5)", "A 身份证号 (2)");
                en.codeFilterProperty().set(en.codeChoices().get(1));
                assertThat(en.problemsNoteProperty().get()).isEqualTo("2 of 5 problems shown.");
            }
        }
    }

    @Test
    void encodingOverrideAllOrNothingAndEnglish(@TempDir Path simDir, @TempDir Path home) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, Clock.systemUTC(), 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"),
                    PASS, PASS, "t", s -> { })) {
                BulkViewModel vm = new BulkViewModel(new BulkService(session, profiles, http, Clock.systemUTC()), Background.sameThread(),
                        new I18n(Locale.ENGLISH));
                String csv = HEADER + "\r\n" + id(1) + ",张三,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n"
                        + wrongCheck(id(2)) + ",李四,学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n";
                Path file = Files.write(home.resolve("a.csv"), csv.getBytes(GBK));

                // without standards rows cannot be checked
                vm.chooseFile(file);
                vm.importFile();
                assertThat(vm.messageProperty().get()).isEqualTo("No standards version is held yet, so rows cannot be checked. Sync first.");

                installStandards(sim, session, home);

                vm.chooseFile(file);
                assertThat(vm.formatTextProperty().get()).startsWith("CSV · detected encoding: GB18030/GBK");
                vm.encodingProperty().set(new BulkViewModel.EncodingOption(TextEncoding.GB18030));
                vm.modeProperty().set(ImportMode.ALL_OR_NOTHING);
                vm.importFile();
                assertThat(vm.jobProperty().get().state()).isEqualTo(BulkJobState.BLOCKED);
                assertThat(vm.messageProperty().get()).startsWith("Invalid rows or a missing required column: nothing was queued.");
                assertThat(vm.problems()).singleElement().satisfies(p -> {
                    assertThat(p.row()).isEqualTo(3);
                    assertThat(p.message()).doesNotContainPattern("\\p{IsHan}{3}").containsIgnoringCase("check");
                });
                assertThat(vm.canSubmit().get()).isFalse();
                assertThat(vm.canExport().get()).isTrue();
                assertThat(vm.jobLabel(vm.jobs().getFirst())).contains("Not submitted (invalid rows)");

                // the same GBK file read as UTF-8: its Chinese header cannot be read, and the message says why
                vm.chooseFile(file);
                vm.encodingProperty().set(new BulkViewModel.EncodingOption(TextEncoding.UTF_8));
                vm.modeProperty().set(ImportMode.PARTIAL);
                vm.importFile();
                assertThat(vm.messageProperty().get()).isEqualTo("The header has characters that are not valid in UTF-8, and no row was read: "
                        + "the encoding chosen is most likely wrong. Choose another and import again.");
                // with an English header only the rows are garbled: every row rejected, nothing queued, the likely cause named
                String english = "id_number,name,category,catalogue_code,title,course_type,hours,score,certificate_code,level,achieved_on,quality_grade";
                Path rows = Files.write(home.resolve("b.csv"), (english + csv.substring(csv.indexOf("\r\n"))).getBytes(GBK));
                vm.chooseFile(rows);
                vm.encodingProperty().set(new BulkViewModel.EncodingOption(TextEncoding.UTF_8));
                vm.importFile();
                assertThat(vm.jobProperty().get().state()).isEqualTo(BulkJobState.BLOCKED);
                assertThat(vm.messageProperty().get()).startsWith("Every row is invalid: nothing was queued. If the file is not meant to be read as UTF-8");
            }
        }
    }

    @Test
    void importAndUploadCanBeCancelledAndTheUploadResumes(@TempDir Path simDir, @TempDir Path home) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, Clock.systemUTC(), 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"),
                    PASS, PASS, "t", s -> { })) {
                installStandards(sim, session, home);
                StringBuilder b = new StringBuilder(HEADER).append("\r\n");
                for (int i = 0; i < 2300; i++) {
                    b.append(id(i)).append(",学员").append(i).append(",学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A\r\n");
                }
                Path file = Files.write(home.resolve("big.csv"), b.toString().getBytes(GBK));
                BulkViewModel vm = new BulkViewModel(new BulkService(session, profiles, http, Clock.systemUTC()), Background.sameThread(),
                        new I18n(Locale.SIMPLIFIED_CHINESE));

                // the clerk cancels as soon as the first progress (rows and bytes) is shown
                List<String> seen = new java.util.ArrayList<>();
                javafx.beans.value.ChangeListener<String> cancelOnProgress = (o, a, t) -> {
                    if (t != null && t.matches("已读取 [1-9]\\d* 行（.+ / .+）")) {
                        seen.add(t);
                        vm.cancel();
                    }
                };
                vm.chooseFile(file);
                vm.progressTextProperty().addListener(cancelOnProgress);
                vm.importFile();
                vm.progressTextProperty().removeListener(cancelOnProgress);
                assertThat(seen).isNotEmpty();
                assertThat(vm.messageProperty().get()).isEqualTo("导入已取消，未排队任何行。");
                assertThat(vm.jobProperty().get().state()).isEqualTo(BulkJobState.CANCELLED);
                assertThat(vm.jobProperty().get().totalRows()).isLessThan(2300);
                assertThat(vm.canSubmit().get()).isFalse();

                // a cancelled import does not count as imported: the same file imports fully
                vm.chooseFile(file);
                assertThat(vm.alreadyTextProperty().get()).isEmpty();
                List<String> texts = new java.util.ArrayList<>();
                List<Boolean> cancellable = new java.util.ArrayList<>();
                javafx.beans.value.ChangeListener<String> collect = (o, a, t) -> {
                    texts.add(t);
                    cancellable.add(vm.runningProperty().get() && !vm.finishingProperty().get());
                };
                vm.progressTextProperty().addListener(collect);
                vm.importFile();
                vm.progressTextProperty().removeListener(collect);
                assertThat(vm.jobProperty().get()).extracting(j -> j.state(), j -> j.validRows(), j -> j.chunkCount())
                        .containsExactly(BulkJobState.READY, 2300L, 3);
                // once every row is read the clerk is told what the last seconds are spent on, then the progress clears
                assertThat(texts).contains("已读完 2,300 行，正在保存并登记…");
                assertThat(texts.indexOf("已读完 2,300 行，正在保存并登记…")).isEqualTo(texts.size() - 2);
                assertThat(texts.getLast()).isEmpty();
                // reading can be cancelled; the saving after it cannot (the button is disabled), and nothing is left finishing
                assertThat(cancellable.get(texts.size() - 3)).isTrue();
                assertThat(cancellable.get(texts.size() - 2)).isFalse();
                assertThat(vm.finishingProperty().get()).isFalse();

                // the upload is cancelled after the first chunk: paused, resumable
                javafx.beans.value.ChangeListener<String> cancelAfterChunk = (o, a, t) -> {
                    if ("已发送 1 / 3 块".equals(t)) vm.cancel();
                };
                vm.progressTextProperty().addListener(cancelAfterChunk);
                vm.submit(PASS.clone());
                vm.progressTextProperty().removeListener(cancelAfterChunk);
                assertThat(vm.messageProperty().get()).isEqualTo("提交已暂停；已发送的部分已保存，再次提交将从中断处继续。");
                assertThat(vm.jobProperty().get().state()).isEqualTo(BulkJobState.UPLOADING);
                assertThat(vm.canSubmit().get()).isTrue();
                vm.submit(PASS.clone());
                assertThat(vm.messageProperty().get()).isEqualTo("提交完成：平台受理 2,300 行，退回 0 行。");
                // 2,000 of the 2,300 results listed (a million-row job is not loaded whole); the counts cover all
                assertThat(vm.results()).hasSize(BulkViewModel.RESULT_LIMIT).extracting(r -> r.rowNumber()).startsWith(2L, 3L, 4L);
                assertThat(vm.resultsTextProperty().get()).isEqualTo("平台受理 2,300 行，退回 0 行。下面列出前 2,000 行。");
                assertThat(vm.jobs()).extracting(j -> j.state()).containsExactly(BulkJobState.COMPLETE, BulkJobState.CANCELLED);
            }
        }
    }

    @Test
    void xlsxOffersItsSheetsAndImportsTheChosenOne(@TempDir Path simDir, @TempDir Path home) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, Clock.systemUTC(), 1_000);
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("CLERK", "TRN-0042", "周婷"),
                    PASS, PASS, "t", s -> { })) {
                installStandards(sim, session, home);
                Path f = home.resolve("clerk.xlsx");
                try (java.io.OutputStream out = Files.newOutputStream(f); org.dhatim.fastexcel.Workbook wb = new org.dhatim.fastexcel.Workbook(out, "test", "1.0")) {
                    wb.newWorksheet("说明").value(0, 0, "read me");
                    org.dhatim.fastexcel.Worksheet ws = wb.newWorksheet("数据");
                    String[] h = HEADER.split(",");
                    for (int r = 0; r < 3; r++) {
                        String[] cells = r == 0 ? h : (id(20 + r) + ",学员" + r + ",学历教育,AC-CS-110,程序设计,理论,48,88,,,2024/6/30,A").split(",", -1);
                        for (int c = 0; c < cells.length; c++) if (!cells[c].isEmpty()) ws.value(r, c, cells[c]);
                    }
                }
                BulkViewModel vm = new BulkViewModel(new BulkService(session, profiles, http, Clock.systemUTC()), Background.sameThread(),
                        new I18n(Locale.SIMPLIFIED_CHINESE));
                vm.chooseFile(f);
                assertThat(vm.formatProperty().get()).isEqualTo(FileFormat.XLSX);
                assertThat(vm.formatTextProperty().get()).startsWith("Excel (XLSX)");
                assertThat(vm.sheets()).containsExactly("说明", "数据");
                assertThat(vm.sheetProperty().get()).isEqualTo("说明");
                vm.sheetProperty().set("数据");
                vm.importFile();
                assertThat(vm.jobProperty().get()).extracting(j -> j.state(), j -> j.validRows(), j -> j.invalidRows(), j -> j.format())
                        .containsExactly(BulkJobState.READY, 2L, 0L, "XLSX");
                assertThat(vm.problems()).isEmpty();
            }
        }
    }

    private static String get(URI base, String path, String token) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        }
    }
}
