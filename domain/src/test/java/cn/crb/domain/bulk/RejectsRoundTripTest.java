package cn.crb.domain.bulk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static cn.crb.domain.bulk.BulkTestFiles.HEADER_ZH;
import static cn.crb.domain.bulk.BulkTestFiles.id;
import static org.assertj.core.api.Assertions.assertThat;

class RejectsRoundTripTest {
    @TempDir
    Path dir;

    private Path export(BulkTestFiles.Collected c, String name) throws Exception {
        Path out = dir.resolve(name);
        List<List<Problem>> byRow = new ArrayList<>();
        for (RawRow r : c.rejected) byRow.add(c.problems.stream().filter(p -> p.row() == r.rowNumber()).toList());
        try (RejectsWriter w = RejectsWriter.open(out, SourceFormat.of(c.summary), Locale.SIMPLIFIED_CHINESE)) {
            for (int i = 0; i < c.rejected.size(); i++) w.write(c.rejected.get(i).texts(), byRow.get(i));
        }
        return out;
    }

    @Test
    void gbkRejectsAreWrittenInGbkFixedAndAccepted() throws Exception {
        String ok = id(1) + ",张三,学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2024-06-30,,A,";
        String bad = id(2) + ",李四,学历教育,AC-ACC-101,=HYPERLINK(\"http://x\"),理论,48,86,,,,,2024-06-30,,Z,";
        String bad2 = id(3) + ",王五,学历教育,AC-ACC-101,@SUM(A1),理论,-5,86,,,,,2024-06-30,,A,";
        Path f = BulkTestFiles.write(dir, "in.csv", HEADER_ZH + "\r\n" + ok + "\r\n" + bad + "\r\n" + bad2 + "\r\n", Charset.forName("GBK"), new byte[0]);
        BulkTestFiles.Collected first = BulkTestFiles.run(f);
        assertThat(first.accepted).hasSize(1);
        assertThat(first.rejected).hasSize(2);
        Path rejects = export(first, "rejects.csv");
        String text = Files.readString(rejects, Charset.forName("GB18030"));
        assertThat(text).startsWith(HEADER_ZH + ",错误\r\n");
        assertThat(text).contains(",\"'=HYPERLINK(\"\"http://x\"\")\",").contains(",'@SUM(A1),").contains(",'-5,")
                .contains("质量等级: 质量等级“Z”无效：应为 A、B 或 C [GRADE_INVALID]");
        assertThat(text).doesNotContain(",=").doesNotContain(",@").doesNotContain(",-5");

        String fixed = text.replace("\"'=HYPERLINK(\"\"http://x\"\")\"", "基础会计").replace(",Z,", ",A,")
                .replace("'@SUM(A1)", "基础会计").replace(",'-5,", ",5,");
        Path again = BulkTestFiles.write(dir, "fixed.csv", fixed, Charset.forName("GBK"), new byte[0]);
        BulkTestFiles.Collected second = BulkTestFiles.run(again);
        assertThat(second.summary.encoding()).isEqualTo(TextEncoding.GB18030);
        assertThat(second.problems).isEmpty();
        assertThat(second.accepted).extracting(BulkRow::name).containsExactly("李四", "王五");
    }

    /** A value beyond the header's last column rejects its row, with the column; the rejects file keeps the value. */
    @Test
    void aValueBeyondTheHeaderRejectsItsRowAndIsKeptInTheRejects() throws Exception {
        String ok = id(5) + ",张三,学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2024-06-30,,A,";
        String wide = id(6) + ",李四,学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2024-06-30,,A,,补考通过";
        String trailing = id(7) + ",王五,学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2024-06-30,,A,,, ";
        Path f = BulkTestFiles.write(dir, "wide.csv", HEADER_ZH + "\r\n" + ok + "\r\n" + wide + "\r\n" + trailing + "\r\n", Charset.forName("GBK"), new byte[0]);
        BulkTestFiles.Collected first = BulkTestFiles.run(f);
        assertThat(first.accepted).extracting(BulkRow::name).as("blank cells beyond the header change nothing").containsExactly("张三", "王五");
        assertThat(first.problems).singleElement().satisfies(p -> {
            assertThat(p.row()).isEqualTo(3);
            assertThat(p.columnNumber()).isEqualTo(17);
            assertThat(p.code()).isEqualTo(ProblemCode.ROW_EXTRA_CELLS);
            assertThat(p.message()).isEqualTo("表头之外的第 17 列还有内容“补考通过”：多半是某个值中的逗号没有用双引号括起，使其后的值都错了列");
        });
        String text = Files.readString(export(first, "wide-rejects.csv"), Charset.forName("GB18030"));
        assertThat(text.lines().toList().get(1)).endsWith("[ROW_EXTRA_CELLS],补考通过");
    }

    @Test
    void xlsxRejectsAreXlsxAndUtf16RejectsKeepTheirBomAndTabs() throws Exception {
        String bad = id(4) + "\t李四\t学历教育\tAC-ACC-101\t基础会计\t理论\t48\t86\t\t\t\t\t2024-06-30\t\tZ\t";
        Path f = BulkTestFiles.write(dir, "in16.csv", HEADER_ZH.replace(',', '\t') + "\n" + bad + "\n",
                Charset.forName("UTF-16LE"), new byte[] {(byte) 0xFF, (byte) 0xFE});
        BulkTestFiles.Collected c = BulkTestFiles.run(f);
        Path rejects = export(c, "r16.csv");
        byte[] bytes = Files.readAllBytes(rejects);
        assertThat(bytes[0]).isEqualTo((byte) 0xFF);
        assertThat(bytes[1]).isEqualTo((byte) 0xFE);
        BulkTestFiles.Collected re = BulkTestFiles.run(rejects);
        assertThat(re.summary.encoding()).isEqualTo(TextEncoding.UTF_16LE_BOM);
        assertThat(re.summary.delimiter()).isEqualTo('\t');
        assertThat(re.codes()).containsExactly(ProblemCode.GRADE_INVALID); // the errors column is ignored

        SourceFormat xlsx = new SourceFormat(FileFormat.XLSX, null, null, c.summary.header());
        Path out = dir.resolve("r.xlsx");
        try (RejectsWriter w = RejectsWriter.open(out, xlsx, Locale.ENGLISH)) {
            w.write(c.rejected.get(0).texts(), c.problems);
        }
        BulkTestFiles.Collected fromXlsx = BulkTestFiles.run(out);
        assertThat(fromXlsx.summary.facts().format()).isEqualTo(FileFormat.XLSX);
        assertThat(fromXlsx.summary.header()).last().isEqualTo("errors");
        assertThat(fromXlsx.codes()).containsExactly(ProblemCode.GRADE_INVALID);
    }

    @Test
    void longNumbersStayTextInASpreadsheetAndReadBackAsWritten() throws Exception {
        String idNumber = java.util.stream.IntStream.range(1, 200).mapToObj(BulkTestFiles::id)
                .filter(s -> Character.isDigit(s.charAt(17))).findFirst().orElseThrow();
        String bad = idNumber + ",李四,学历教育,AC-ACC-101,基础会计,理论,48,86,0012345,,,,2024-06-30,,Z,";
        Path f = BulkTestFiles.write(dir, "in.csv", HEADER_ZH + "\r\n" + bad + "\r\n", java.nio.charset.StandardCharsets.UTF_8, new byte[0]);
        BulkTestFiles.Collected first = BulkTestFiles.run(f);
        assertThat(first.codes()).containsExactly(ProblemCode.GRADE_INVALID);
        String text = Files.readString(export(first, "rejects.csv"));
        // Excel would show 3.20102E+17 and save back only 15 significant digits; the leading zeros would go too
        assertThat(text).contains("\"=\"\"" + idNumber + "\"\"\",").contains(",\"=\"\"0012345\"\"\",").contains(",48,86,");

        BulkTestFiles.Collected again = BulkTestFiles.run(BulkTestFiles.write(dir, "fixed.csv", text.replace(",Z,", ",A,"),
                java.nio.charset.StandardCharsets.UTF_8, new byte[0]));
        assertThat(again.problems).isEmpty();
        assertThat(again.accepted).hasSize(1);
        assertThat(again.accepted.get(0).idNumber()).isEqualTo(idNumber);
        assertThat(again.accepted.get(0).certificateCode()).isEqualTo("0012345");
        assertThat(CsvRowSource.textOf("=\"0012\"")).isEqualTo("0012");
        assertThat(CsvRowSource.textOf("=\"a\"&\"b\"")).isEqualTo("=\"a\"&\"b\"");
        assertThat(CsvRowSource.textOf("=1+1")).isEqualTo("=1+1");
        assertThat(RejectsWriter.isLongDigits("48")).isFalse();
        assertThat(RejectsWriter.isLongDigits("20240630")).isFalse();
        assertThat(RejectsWriter.isLongDigits("07")).isTrue();
    }

    @Test
    void neutralisesEveryDangerousLead() {
        for (String v : new String[] {"=1+1", "+1", "-1", "@x", "\tx", "\rx"}) assertThat(RejectsWriter.neutralise(v)).isEqualTo("'" + v);
        assertThat(RejectsWriter.neutralise("张三")).isEqualTo("张三");
        assertThat(RejectsWriter.neutralise("")).isEmpty();
    }
}
