package cn.crb.domain.bulk;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

import static cn.crb.domain.bulk.BulkTestFiles.HEADER_EN;
import static cn.crb.domain.bulk.BulkTestFiles.HEADER_ZH;
import static cn.crb.domain.bulk.BulkTestFiles.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class BulkReadValidateTest {
    @TempDir
    Path dir;

    private static String academic(String id, String name, String date) {
        return id + "," + name + ",学历教育,AC-ACC-101,基础会计,理论,48,86.5,,,,," + date + ",,A,";
    }

    @Test
    void gbkCsvWithChineseHeadersInAnyOrderAndAllDateStyles() throws Exception {
        String header = "姓名,身份证号,成果类别,成果编码,成果名称,课程类型,学时,成绩,取得日期,质量等级";
        String text = header + "\r\n"
                + "张三," + id(1) + ",学历教育,AC-ACC-101,基础会计,理论,48,86.5,2024-06-30,A\r\n"
                + "欧阳修文," + id(2) + ",学历教育,AC-ACC-101,基础会计,实践,48,90,2024/6/30,B\r\n"
                + "李四," + id(3) + ",学历教育,AC-ACC-101,基础会计,理实一体,48,70,2024.6.30,A\r\n"
                + "王五," + id(4) + ",学历教育,AC-ACC-101,基础会计,理论,48,70,2024年6月30日,C\r\n";
        Path f = BulkTestFiles.write(dir, "gbk.csv", text, Charset.forName("GBK"), new byte[0]);
        BulkTestFiles.Collected c = BulkTestFiles.run(f);
        assertThat(c.summary.facts().detectedEncoding()).isEqualTo(TextEncoding.GB18030);
        assertThat(c.summary.encoding()).isEqualTo(TextEncoding.GB18030);
        assertThat(c.problems).isEmpty();
        assertThat(c.accepted).extracting(BulkRow::rowNumber, BulkRow::name, BulkRow::achievedOn).containsExactly(
                tuple(2L, "张三", LocalDate.of(2024, 6, 30)), tuple(3L, "欧阳修文", LocalDate.of(2024, 6, 30)),
                tuple(4L, "李四", LocalDate.of(2024, 6, 30)), tuple(5L, "王五", LocalDate.of(2024, 6, 30)));
        assertThat(c.accepted.get(0).hours()).isEqualByComparingTo("48");
        assertThat(c.accepted.get(0).score()).isEqualTo(new BigDecimal("86.5"));
    }

    @Test
    void utf16WithBomAndTabSeparated() throws Exception {
        String text = HEADER_EN.replace(',', '\t') + "\n" + academic(id(5), "赵六", "2025-01-02").replace(',', '\t') + "\n";
        Path le = BulkTestFiles.write(dir, "u16le.csv", text, StandardCharsets.UTF_16LE, new byte[] {(byte) 0xFF, (byte) 0xFE});
        Path be = BulkTestFiles.write(dir, "u16be.csv", text, StandardCharsets.UTF_16BE, new byte[] {(byte) 0xFE, (byte) 0xFF});
        for (Path f : new Path[] {le, be}) {
            BulkTestFiles.Collected c = BulkTestFiles.run(f);
            assertThat(c.problems).isEmpty();
            assertThat(c.summary.delimiter()).isEqualTo('\t');
            assertThat(c.accepted).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("赵六"));
        }
        assertThat(BulkTestFiles.run(le).summary.encoding()).isEqualTo(TextEncoding.UTF_16LE_BOM);
        assertThat(BulkTestFiles.run(be).summary.encoding()).isEqualTo(TextEncoding.UTF_16BE_BOM);
    }

    @Test
    void utf8WithAndWithoutBomAndQuotedFields() throws Exception {
        String text = HEADER_EN + "\n" + id(6) + ",\"  钱七 \",ACADEMIC,AC-ACC-101,\"基础会计, \"\"上\"\"\nmultiline\",THEORY,48,86,,,,,2025-01-02,,a,\n";
        Path bom = BulkTestFiles.write(dir, "bom.csv", text, StandardCharsets.UTF_8, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        BulkTestFiles.Collected c = BulkTestFiles.run(bom);
        assertThat(c.summary.encoding()).isEqualTo(TextEncoding.UTF_8_BOM);
        assertThat(c.problems).isEmpty();
        assertThat(c.accepted.get(0).title()).isEqualTo("基础会计, \"上\"\nmultiline");
        assertThat(c.accepted.get(0).name()).isEqualTo("钱七");
        // "UTF-8" chosen by hand for the file with the mark: the mark is skipped, not read into the first column's name
        BulkTestFiles.Collected chosen = BulkTestFiles.run(bom, ReadOptions.DEFAULT.withEncoding(TextEncoding.UTF_8), Locale.ENGLISH);
        assertThat(chosen.problems).isEmpty();
        assertThat(chosen.accepted).extracting(BulkRow::name).containsExactly("钱七");
        BulkTestFiles.Collected plain = BulkTestFiles.run(BulkTestFiles.utf8(dir, "plain.csv", text));
        assertThat(plain.summary.encoding()).isEqualTo(TextEncoding.UTF_8);
        assertThat(plain.accepted).hasSize(1);
    }

    @Test
    void utf8CutShortInItsLastCharacterIsStillReadAsUtf8() throws Exception {
        // the last row ends in a Chinese character whose last byte is missing (a copy stopped short): the title
        String text = "id_number,name,category,catalogue_code,course_type,hours,score,achieved_on,quality_grade,title\n"
                + id(8) + ",周九,ACADEMIC,AC-ACC-101,THEORY,48,86,2025-01-02,A,基础会计\n"
                + id(9) + ",吴十,ACADEMIC,AC-ACC-101,THEORY,48,86,2025-01-02,A,基础会计";
        byte[] whole = text.getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve("cut.csv");
        Files.write(f, java.util.Arrays.copyOf(whole, whole.length - 1));
        BulkTestFiles.Collected c = BulkTestFiles.run(f);
        assertThat(c.summary.facts().detectedEncoding()).isEqualTo(TextEncoding.UTF_8);
        assertThat(c.summary.facts().encodingStrict()).isFalse();
        assertThat(c.accepted).extracting(BulkRow::name).containsExactly("周九");
        assertThat(c.problems).extracting(Problem::row, Problem::code).containsExactly(tuple(3L, ProblemCode.ENCODING_INVALID));
        // a GBK file is not taken for one: its bytes are no UTF-8 before the end either
        Path gbk = BulkTestFiles.write(dir, "gbk-cut.csv", text, Charset.forName("GBK"), new byte[0]);
        assertThat(BulkTestFiles.run(gbk).summary.facts().detectedEncoding()).isEqualTo(TextEncoding.GB18030);
    }

    @Test
    void overriddenEncodingThatDoesNotFitIsReportedPerCell() throws Exception {
        String text = HEADER_EN + "\n" + academic(id(7), "孙八", "2025-01-02") + "\n";
        Path f = BulkTestFiles.write(dir, "gbk2.csv", text, Charset.forName("GBK"), new byte[0]);
        BulkTestFiles.Collected c = BulkTestFiles.run(f, ReadOptions.DEFAULT.withEncoding(TextEncoding.UTF_8), Locale.ENGLISH);
        assertThat(c.problems).extracting(Problem::row, Problem::columnNumber, Problem::code).contains(
                tuple(2L, 2, ProblemCode.ENCODING_INVALID), tuple(2L, 3, ProblemCode.ENCODING_INVALID));
        assertThat(c.accepted).isEmpty();
        Path zh = BulkTestFiles.write(dir, "gbk3.csv", HEADER_ZH + "\n", Charset.forName("GBK"), new byte[0]);
        assertThat(c.problems).filteredOn(p -> p.code() == ProblemCode.ENCODING_INVALID)
                .allSatisfy(p -> assertThat(p.message()).contains("not valid in the chosen encoding"));
        BulkTestFiles.Collected header = BulkTestFiles.run(zh, ReadOptions.DEFAULT.withEncoding(TextEncoding.UTF_8), Locale.ENGLISH);
        assertThat(header.codes()).contains(ProblemCode.ENCODING_INVALID);
        // the header's cells too say in what the characters are not valid (the placeholder was left empty)
        assertThat(header.problems).filteredOn(p -> p.code() == ProblemCode.ENCODING_INVALID)
                .allSatisfy(p -> assertThat(p.message()).contains("not valid in the chosen encoding"));
    }

    /** A certificate code of the equivalence table typed in other case is that certificate: its levels are checked. */
    @Test
    void certificateCodesOfTheTableAreMatchedWhateverTheirCase() throws Exception {
        String rows = String.join("\n",
                id(21) + ",孙八,职业技能,VC-WEB-FE,网页,,,,web-fe-1x,中级,否,,2024-06-30,,A,",
                id(22) + ",周九,职业技能,VC-WEB-FE,网页,,,,Web-Fe-1X,特级,否,,2024-06-30,,A,");
        BulkTestFiles.Collected c = BulkTestFiles.run(BulkTestFiles.utf8(dir, "cert-case.csv", HEADER_ZH + "\n" + rows + "\n"));
        assertThat(c.accepted).extracting(BulkRow::certificateCode, BulkRow::level).containsExactly(tuple("WEB-FE-1X", "MIDDLE"));
        assertThat(c.problems).extracting(Problem::row, Problem::code).containsExactly(tuple(3L, ProblemCode.LEVEL_UNKNOWN));
    }

    /** An ID whose last three digits Excel turned into 000: the message says so, not which check digit would fit. */
    @Test
    void anIdEndingIn000WithAWrongCheckDigitIsNamedAsExcelsDoing() throws Exception {
        String zeroed = java.util.stream.IntStream.range(11, 40).mapToObj(n -> id(n).substring(0, 15) + "000")
                .filter(z -> ResidentId.checkCharacter(z.substring(0, 17)) != '0').findFirst().orElseThrow();
        BulkTestFiles.Collected c = BulkTestFiles.run(BulkTestFiles.utf8(dir, "zeroed.csv", HEADER_EN + "\n" + academic(zeroed, "吴十", "2024-06-30") + "\n"));
        assertThat(c.problems).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.ID_CHECKSUM);
            assertThat(p.message()).startsWith("身份证号末三位为 000 且校验位不符（" + zeroed.substring(0, 6)).contains("Excel").doesNotContain(zeroed);
        });
    }

    @Test
    void everyRowProblemWithItsRowAndColumn() throws Exception {
        String future = LocalDate.now(BulkTestFiles.CLOCK).plusDays(3).toString();
        String[] rows = {
                /* 2 */ "11010519491231002X,张三,学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2024-06-30,,A,",
                /* 3 */ "110105194912310021,李四,外星,AC-ZZZ-999,基础会计,理论,abc,101,,,,,2024-13-01,,D,x.pdf",
                /* 4 */ "3.30106E+17,,学历教育,AC-GEN-001,,理论,0,50,,,,,2024-06-30,,A,",
                /* 5 */ "11010519900230001" + ResidentId.checkCharacter("11010519900230001") + ",王五,职业技能,VC-WEB-FE,网页,,,,WEB-FE-1X,特级,是,,"
                        + future + ",,B,",
                /* 6 */ id(8) + ",赵六,社会学习,SL-MOOC,慕课,,10,80,,,,TREKKING,2024-06-30,,A,",
                /* 7 */ "11010519491231002X,张三,学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2024-06-30,,A,",
                /* 8 */ id(9) + ",孙八,职业技能,VC-WEB-FE,网页,,,,WEB-FE-1X,中级,否,,2024-06-30,2024-01-01,A,",
                /* 9 */ id(10) + ",周九,社会学习,SL-MOOC,慕课,,,,,,,MOOC,2024-06-30,,A,",
        };
        Path f = BulkTestFiles.utf8(dir, "bad.csv", HEADER_ZH + ",备注\n" + String.join("\n", rows) + "\n");
        BulkTestFiles.Collected c = BulkTestFiles.run(f);
        assertThat(c.accepted).extracting(BulkRow::rowNumber).containsExactly(2L);
        assertThat(c.accepted.get(0).idNumber()).isEqualTo("11010519491231002X");
        assertThat(c.problems).extracting(Problem::row, Problem::columnNumber, Problem::code).contains(
                tuple(1L, 17, ProblemCode.COLUMN_UNKNOWN),
                tuple(3L, 1, ProblemCode.ID_CHECKSUM),
                tuple(3L, 3, ProblemCode.CATEGORY_UNKNOWN),
                tuple(3L, 4, ProblemCode.CATALOGUE_UNKNOWN),
                tuple(3L, 7, ProblemCode.NUMBER_INVALID),
                tuple(3L, 8, ProblemCode.NUMBER_OUT_OF_RANGE),
                tuple(3L, 13, ProblemCode.DATE_INVALID),
                tuple(3L, 15, ProblemCode.GRADE_INVALID),
                tuple(3L, 16, ProblemCode.EVIDENCE_MISSING),
                tuple(4L, 1, ProblemCode.ID_FORMAT),
                tuple(4L, 2, ProblemCode.FIELD_REQUIRED),
                tuple(4L, 4, ProblemCode.CATALOGUE_RETIRED),
                tuple(4L, 5, ProblemCode.FIELD_REQUIRED),
                tuple(4L, 7, ProblemCode.NUMBER_OUT_OF_RANGE),
                tuple(5L, 1, ProblemCode.ID_BIRTHDATE),
                tuple(5L, 10, ProblemCode.LEVEL_UNKNOWN),
                tuple(5L, 13, ProblemCode.DATE_IN_FUTURE),
                tuple(6L, 12, ProblemCode.SCENARIO_UNKNOWN),
                tuple(7L, 1, ProblemCode.DUPLICATE_ROW),
                tuple(8L, 14, ProblemCode.DATE_ORDER),
                tuple(9L, 7, ProblemCode.FIELD_REQUIRED),
                tuple(9L, 8, ProblemCode.FIELD_REQUIRED));
        // the levels the certificate has, as the clerk may write them, lowest first
        Problem level = c.problems.stream().filter(p -> p.code() == ProblemCode.LEVEL_UNKNOWN).findFirst().orElseThrow();
        assertThat(level.message()).startsWith("证书“WEB-FE-1X”没有等级“特级”：可选 ").doesNotContain("JUNIOR").doesNotContain("MIDDLE").doesNotContain("SENIOR");
        Problem dup = c.problems.stream().filter(p -> p.code() == ProblemCode.DUPLICATE_ROW).findFirst().orElseThrow();
        assertThat(dup.message()).isEqualTo("与第 2 行重复（身份证号、成果编码、取得日期、证书编码相同）");
        Problem numeric = c.problems.stream().filter(p -> p.code() == ProblemCode.ID_FORMAT).findFirst().orElseThrow();
        assertThat(numeric.message()).contains("文本").contains("3.30106E+17");
        assertThat(numeric.column()).isEqualTo("身份证号");
        assertThat(c.summary.rows()).isEqualTo(8);
        assertThat(c.summary.rejected()).isEqualTo(7);
        // the level 中级 is read as MIDDLE for row 8's certificate, so its only problem is the date order
        assertThat(c.problems.stream().filter(p -> p.row() == 8).map(Problem::code)).containsExactly(ProblemCode.DATE_ORDER);
    }

    @Test
    void aCategoryMismatchNamesBothCategoriesInTheClerksLanguage() throws Exception {
        Path f = BulkTestFiles.utf8(dir, "mismatch.csv", HEADER_ZH + "\n" + id(14) + ",钱十,社会学习,AC-ACC-101,基础会计,,10,80,,,,MOOC,2024-06-30,,A,\n");
        Problem zh = BulkTestFiles.run(f).problems.stream().filter(p -> p.code() == ProblemCode.CATEGORY_MISMATCH).findFirst().orElseThrow();
        assertThat(zh.message()).isEqualTo("成果编码“AC-ACC-101”属于类别 学历教育，与本行类别 社会学习 不符");
        Problem en = BulkTestFiles.run(f, ReadOptions.DEFAULT, Locale.ENGLISH).problems.stream().filter(p -> p.code() == ProblemCode.CATEGORY_MISMATCH)
                .findFirst().orElseThrow();
        assertThat(en.message()).isEqualTo("Catalogue code \"AC-ACC-101\" belongs to category ACADEMIC, not SOCIAL");
    }

    @Test
    void messagesInEnglishAndMissingColumns() throws Exception {
        Path f = BulkTestFiles.utf8(dir, "nocol.csv", "id_number,name,category,title,achieved_on\n" + id(11) + ",A,ACADEMIC,t,2024-01-01\n");
        BulkTestFiles.Collected c = BulkTestFiles.run(f, ReadOptions.DEFAULT, Locale.ENGLISH);
        assertThat(c.problems).extracting(Problem::row, Problem::code, Problem::message).containsExactlyInAnyOrder(
                tuple(1L, ProblemCode.COLUMN_MISSING, "Required column \"catalogue_code\" is missing"),
                tuple(1L, ProblemCode.COLUMN_MISSING, "Required column \"quality_grade\" is missing"));
        assertThat(c.summary.headerUsable()).isFalse();
        assertThat(c.summary.rows()).isZero();
        assertThat(c.summary.submittable(ImportMode.PARTIAL)).isFalse();
    }

    @Test
    void allOrNothingAndPartial() throws Exception {
        Path f = BulkTestFiles.utf8(dir, "mixed.csv", HEADER_EN + "\n" + academic(id(12), "甲", "2024-01-01") + "\n"
                + academic(id(13), "乙", "2024-01-01").replace(",A,", ",Z,") + "\n");
        BulkTestFiles.Collected c = BulkTestFiles.run(f);
        assertThat(c.summary.accepted()).isEqualTo(1);
        assertThat(c.summary.rejected()).isEqualTo(1);
        assertThat(c.summary.submittable(ImportMode.PARTIAL)).isTrue();
        assertThat(c.summary.submittable(ImportMode.ALL_OR_NOTHING)).isFalse();
    }

    @Test
    void xlsxWithNumericIdsDatesAndNumbers() throws Exception {
        Path f = dir.resolve("clerk.xlsx");
        try (OutputStream out = Files.newOutputStream(f); Workbook wb = new Workbook(out, "test", "1.0")) {
            Worksheet other = wb.newWorksheet("说明");
            other.value(0, 0, "read me");
            Worksheet ws = wb.newWorksheet("数据");
            String[] h = HEADER_ZH.split(",");
            for (int i = 0; i < h.length; i++) ws.value(0, i, h[i]);
            fill(ws, 1, id(14), "张三");
            ws.value(1, h.length + 1, "已补交材料"); // a clerk's note in a column without a header: no value moved in a sheet
            fill(ws, 2, null, "李四");
            ws.value(2, 0, new BigDecimal("330106199001011234")); // Excel keeps 15 digits: stored as a number
            fill(ws, 3, id(15), "王五");
            ws.value(3, 12, LocalDate.of(2024, 6, 30));
            ws.style(3, 12).format("yyyy-mm-dd").set();
            ws.value(3, 6, 32.5);
            fill(ws, 4, id(16), "赵六");
            ws.value(4, 12, 45473); // a serial date typed without date format
        }
        BulkTestFiles.Collected c = BulkTestFiles.run(f, ReadOptions.DEFAULT.withSheet("数据"), Locale.SIMPLIFIED_CHINESE);
        assertThatThrownBy(() -> BulkTestFiles.run(f, ReadOptions.DEFAULT.withSheet("成绩"), Locale.SIMPLIFIED_CHINESE))
                .isInstanceOfSatisfying(BulkFileException.class, e -> assertThat(e.getMessage()).contains("没有名为“成绩”的工作表"));
        assertThat(c.summary.facts().format()).isEqualTo(FileFormat.XLSX);
        assertThat(c.accepted).extracting(BulkRow::rowNumber).containsExactly(2L, 4L, 5L);
        assertThat(c.accepted.get(1).achievedOn()).isEqualTo(LocalDate.of(2024, 6, 30));
        assertThat(c.accepted.get(1).hours()).isEqualByComparingTo("32.5");
        assertThat(c.accepted.get(2).achievedOn()).isEqualTo(LocalDate.of(2024, 6, 30));
        assertThat(c.problems).extracting(Problem::row, Problem::columnNumber, Problem::code).containsExactly(tuple(3L, 1, ProblemCode.ID_FORMAT));
        assertThat(c.problems.get(0).message()).contains("文本");
        assertThat(BulkFileReader.sheetNames(f, ReadLimits.DEFAULT, Locale.SIMPLIFIED_CHINESE)).containsExactly("说明", "数据");
        BulkTestFiles.Collected first = BulkTestFiles.run(f);
        assertThat(first.problems).extracting(Problem::code).contains(ProblemCode.COLUMN_UNKNOWN, ProblemCode.COLUMN_MISSING);
    }

    private static void fill(Worksheet ws, int r, String id, String name) {
        if (id != null) ws.value(r, 0, id);
        ws.value(r, 1, name);
        ws.value(r, 2, "学历教育");
        ws.value(r, 3, "AC-CS-110");
        ws.value(r, 4, "程序设计");
        ws.value(r, 5, "理论");
        ws.value(r, 6, 48);
        ws.value(r, 7, 88);
        ws.value(r, 12, "2024-06-30");
        ws.value(r, 14, "A");
    }

    @Test
    void unclosedQuoteAndOversizeFieldFailClearlyWithBoundedReading() throws Exception {
        StringBuilder big = new StringBuilder(HEADER_EN).append('\n').append(academic(id(17), "甲", "2024-01-01")).append('\n');
        big.append(id(18)).append(",\"乙,ACADEMIC,AC-ACC-101,t,THEORY,48,86,,,,,2024-01-01,,A,\n");
        for (int i = 0; i < 200_000; i++) big.append(academic(id(19), "丙", "2024-01-01")).append('\n');
        Path f = BulkTestFiles.utf8(dir, "unclosed.csv", big.toString());
        assertThatThrownBy(() -> BulkTestFiles.run(f)).isInstanceOfSatisfying(BulkFileException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.FILE_FIELD_TOO_LONG);
            assertThat(e.getMessage()).isEqualTo("第 3 行起的一个单元格超过 10000 个字符：多半是引号未闭合");
        });
        Path small = BulkTestFiles.utf8(dir, "unclosed-small.csv", HEADER_EN + "\n" + academic(id(17), "甲", "2024-01-01") + "\n\"oops,x\n");
        assertThatThrownBy(() -> BulkTestFiles.run(small)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.code()).isEqualTo(ProblemCode.FILE_UNCLOSED_QUOTE));
        // a quote in the middle of a value: refused with the row it is in and what to do, in the clerk's language
        Path stray = BulkTestFiles.utf8(dir, "stray.csv", HEADER_EN + "\n" + academic(id(17), "甲", "2024-01-01") + "\n"
                + academic(id(18), "\"乙\"二", "2024-01-01") + "\n" + academic(id(19), "\"丙\" ", "2024-01-01") + "\n");
        assertThatThrownBy(() -> BulkTestFiles.run(stray)).isInstanceOfSatisfying(BulkFileException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.FILE_STRAY_QUOTE);
            assertThat(e.getMessage()).startsWith("第 3 行有一个用双引号括起的值后面还跟着其他字符");
        });
        // spaces after a quoted value are read as the parser reads them: not a stray quote
        Path spaced = BulkTestFiles.utf8(dir, "spaced.csv", HEADER_EN + "\n" + academic(id(19), "\"丙\" ", "2024-01-01") + "\n");
        assertThat(BulkTestFiles.run(spaced).accepted).extracting(BulkRow::name).containsExactly("丙");
        // a second quoted value after the spaces is a stray quote too (it was taken for an escaped quote and the
        // parser then refused the file in English, with no row)
        Path twoQuoted = BulkTestFiles.utf8(dir, "two-quoted.csv", HEADER_EN + "\n" + academic(id(17), "甲", "2024-01-01") + "\n"
                + academic(id(19), "\"丙\" \"丁\"", "2024-01-01") + "\n");
        assertThatThrownBy(() -> BulkTestFiles.run(twoQuoted)).isInstanceOfSatisfying(BulkFileException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.FILE_STRAY_QUOTE);
            assertThat(e.getMessage()).startsWith("第 3 行有一个用双引号括起的值后面还跟着其他字符");
        });
        Path longField = BulkTestFiles.utf8(dir, "long.csv", HEADER_EN + "\n" + "x".repeat(20_000) + ",a\n");
        assertThatThrownBy(() -> BulkTestFiles.run(longField)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.code()).isEqualTo(ProblemCode.FILE_FIELD_TOO_LONG));
        Path wide = BulkTestFiles.utf8(dir, "wide.csv", HEADER_EN + "\n" + ",".repeat(100_000) + "\n");
        assertThatThrownBy(() -> BulkTestFiles.run(wide)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("第 2 行"));
        ReadOptions tiny = ReadOptions.DEFAULT.withLimits(ReadLimits.DEFAULT.withMaxFileBytes(100));
        assertThatThrownBy(() -> BulkTestFiles.run(f, tiny, Locale.ENGLISH)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.code()).isEqualTo(ProblemCode.FILE_TOO_LARGE));
    }

    @Test
    void xlsxZipBombIsStoppedOnRealInflatedBytes() throws Exception {
        Path f = dir.resolve("bomb.xlsx");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("xl/worksheets/sheet1.xml"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 64; i++) zip.write(zeros);
            zip.closeEntry();
        }
        assertThat(Files.size(f)).isLessThan(200_000);
        assertThatThrownBy(() -> BulkTestFiles.run(f)).isInstanceOfSatisfying(BulkFileException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.FILE_XLSX_TOO_LARGE);
            assertThat(e.getMessage()).contains("压缩比超过").doesNotContain("ratio"); // all of it in the clerk's language
        });
        ReadOptions capped = ReadOptions.DEFAULT.withLimits(ReadLimits.DEFAULT.withXlsx(8L * 1024 * 1024, 100_000));
        assertThatThrownBy(() -> BulkTestFiles.run(f, capped, Locale.ENGLISH)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("more than 8,388,608 bytes once inflated"));
    }
}
