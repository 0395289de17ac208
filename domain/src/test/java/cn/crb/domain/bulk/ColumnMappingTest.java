package cn.crb.domain.bulk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static cn.crb.domain.bulk.BulkTestFiles.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The clerk's column mapping of the preview step: detection from headers, changes, ignored columns, and the import that follows it. */
class ColumnMappingTest {
    private static final Messages ZH = Messages.of(Locale.SIMPLIFIED_CHINESE);
    private static final Messages EN = Messages.of(Locale.ENGLISH);
    @TempDir Path dir;

    @Test
    void initialChoicesComeFromEnglishOrChineseHeadersAndTheErrorsColumnIsIgnored() {
        assertThat(ColumnMapping.initialChoice("身份证号")).isEqualTo(new ColumnMapping.Choice.Field(BulkColumn.ID_NUMBER));
        assertThat(ColumnMapping.initialChoice(" Achieved_On ")).isEqualTo(new ColumnMapping.Choice.Field(BulkColumn.ACHIEVED_ON));
        assertThat(ColumnMapping.initialChoice("质量 等级")).isEqualTo(new ColumnMapping.Choice.Field(BulkColumn.QUALITY_GRADE));
        assertThat(ColumnMapping.initialChoice("错误")).isEqualTo(ColumnMapping.IGNORE);
        assertThat(ColumnMapping.initialChoice("errors")).isEqualTo(ColumnMapping.IGNORE);
        assertThat(ColumnMapping.initialChoice("")).isEqualTo(ColumnMapping.IGNORE);
        assertThat(ColumnMapping.initialChoice("证件号码")).isEqualTo(ColumnMapping.AUTO);
    }

    @Test
    void anUnknownHeaderIsReportedUntilTheClerkMapsOrIgnoresIt() {
        List<String> header = List.of("证件号码", "姓名", "成果类别", "成果编码", "成果名称", "取得日期", "质量等级", "备注");
        List<ColumnMapping.Choice> choices = new ArrayList<>(header.stream().map(ColumnMapping::initialChoice).toList());
        HeaderMap auto = HeaderMap.of(header, ColumnMapping.of(choices), ZH);
        assertThat(auto.problems()).extracting(Problem::columnNumber, Problem::code, Problem::message).containsExactly(
                tuple(1, ProblemCode.COLUMN_UNKNOWN, "无法识别的列“证件号码”，已忽略"),
                tuple(8, ProblemCode.COLUMN_UNKNOWN, "无法识别的列“备注”，已忽略"),
                tuple(0, ProblemCode.COLUMN_MISSING, "缺少必填列“身份证号”"));
        assertThat(auto.usable()).isFalse();

        choices.set(0, new ColumnMapping.Choice.Field(BulkColumn.ID_NUMBER));
        choices.set(7, ColumnMapping.IGNORE);
        ColumnMapping mapped = ColumnMapping.of(choices);
        HeaderMap m = HeaderMap.of(header, mapped, ZH);
        assertThat(m.problems()).isEmpty();
        assertThat(m.usable()).isTrue();
        assertThat(m.position(BulkColumn.ID_NUMBER)).isZero();
        assertThat(m.label(BulkColumn.ID_NUMBER)).isEqualTo("证件号码");
        assertThat(mapped.choice(0)).isEqualTo(new ColumnMapping.Choice.Field(BulkColumn.ID_NUMBER));
        assertThat(mapped.choice(7)).isEqualTo(ColumnMapping.IGNORE);
    }

    @Test
    void ignoringARequiredColumnMakesItMissingAndAssigningTwiceIsADuplicate() {
        List<String> header = List.of("id_number", "name", "category", "catalogue_code", "title", "achieved_on", "quality_grade", "remark");
        List<ColumnMapping.Choice> choices = new ArrayList<>(header.stream().map(ColumnMapping::initialChoice).toList());
        choices.set(1, ColumnMapping.IGNORE);
        choices.set(7, new ColumnMapping.Choice.Field(BulkColumn.TITLE));
        HeaderMap m = HeaderMap.of(header, ColumnMapping.of(choices), EN);
        assertThat(m.problems()).extracting(Problem::columnNumber, Problem::code, Problem::message).containsExactly(
                tuple(8, ProblemCode.COLUMN_DUPLICATE, "Column \"remark\" appears twice; the later one is ignored"),
                tuple(0, ProblemCode.COLUMN_MISSING, "Required column \"name\" is missing"));
        assertThat(m.position(BulkColumn.TITLE)).isEqualTo(4);
    }

    @Test
    void thePreviewReadsTheFirstRowsInTheChosenEncodingAndTheImportFollowsTheMapping() throws Exception {
        StringBuilder text = new StringBuilder("证件号码,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,取得日期,质量等级,备注\r\n");
        for (int i = 1; i <= 30; i++) {
            text.append(id(i)).append(",学员").append(i).append(",学历教育,AC-ACC-101,基础会计,理论,48,86,2024-06-30,A,第").append(i).append("期\r\n");
            if (i == 3) text.append(",,,,,,,,,,\r\n");
        }
        Path f = BulkTestFiles.write(dir, "mapped.csv", text.toString(), Charset.forName("GBK"), new byte[0]);
        FileFacts facts = EncodingDetector.inspect(f, ReadLimits.DEFAULT, ZH);

        FilePreview p = FilePreview.read(facts, ReadOptions.DEFAULT, FilePreview.ROWS, ZH);
        assertThat(p.encoding()).isEqualTo(TextEncoding.GB18030);
        assertThat(p.delimiter()).isEqualTo(',');
        assertThat(p.header()).hasSize(11).startsWith("证件号码", "姓名");
        assertThat(p.rows()).hasSize(20);
        assertThat(p.more()).isTrue();
        assertThat(p.rows().get(3).rowNumber()).as("the blank row 5 is skipped, numbers are kept").isEqualTo(6);
        assertThat(p.rows().getFirst().cells()).containsExactly(id(1), "学员1", "学历教育", "AC-ACC-101", "基础会计", "理论", "48", "86", "2024-06-30", "A", "第1期");

        // read as UTF-8 instead, the Chinese headers come out as replacement characters
        FilePreview wrong = FilePreview.read(facts, ReadOptions.DEFAULT.withEncoding(TextEncoding.UTF_8), FilePreview.ROWS, ZH);
        assertThat(wrong.encoding()).isEqualTo(TextEncoding.UTF_8);
        assertThat(wrong.header().getFirst()).contains("\uFFFD");
        assertThat(wrong.map(ColumnMapping.AUTOMATIC, ZH).problems()).extracting(Problem::code).contains(ProblemCode.ENCODING_INVALID, ProblemCode.COLUMN_MISSING);

        List<ColumnMapping.Choice> choices = new ArrayList<>(p.header().stream().map(ColumnMapping::initialChoice).toList());
        choices.set(0, new ColumnMapping.Choice.Field(BulkColumn.ID_NUMBER));
        choices.set(10, ColumnMapping.IGNORE);
        BulkTestFiles.Collected c = BulkTestFiles.run(f, ReadOptions.DEFAULT.withMapping(ColumnMapping.of(choices)), Locale.SIMPLIFIED_CHINESE);
        assertThat(c.problems).isEmpty();
        assertThat(c.accepted).hasSize(30);
        assertThat(c.accepted.getFirst().idNumber()).isEqualTo(id(1));

        BulkTestFiles.Collected unmapped = BulkTestFiles.run(f);
        assertThat(unmapped.accepted).isEmpty();
        assertThat(unmapped.summary.headerUsable()).isFalse();
    }
}
