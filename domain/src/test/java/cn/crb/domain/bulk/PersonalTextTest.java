package cn.crb.domain.bulk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Problems are stored, reported and shown without a reveal step, so what they quote of a cell must not carry an ID
 * that landed where it does not belong: a row shifted by an unquoted comma, a file without its header row, an ID
 * Excel turned into a number.
 */
class PersonalTextTest {
    @TempDir Path dir;

    @Test
    void runsOfElevenOrMoreDigitsKeepTheirFirstSixAndLastFour() {
        assertThat(PersonalText.maskDigitRuns("330106199001011234")).isEqualTo("330106********1234");
        assertThat(PersonalText.maskDigitRuns("33010619900101123X")).isEqualTo("330106********123X").isEqualTo(ResidentId.mask("33010619900101123X"));
        assertThat(PersonalText.maskDigitRuns("３３０１０６１９９００１０１１２３４")).isEqualTo("３３０１０６********１２３４"); // typed full-width
        assertThat(PersonalText.maskDigitRuns("330106 19900101 1234")).isEqualTo("330106 ******** 1234");
        assertThat(PersonalText.maskDigitRuns("330106-1990-0101-123X")).isEqualTo("330106-****-****-123X");
        assertThat(PersonalText.maskDigitRuns("330106199001011234.0")).isEqualTo("330106********1234.0");
        assertThat(PersonalText.maskDigitRuns("3.30106199001011E+17")).isEqualTo("3.30106*****1011E+17");
        assertThat(PersonalText.maskDigitRuns("类别 330106199001011234 未知")).isEqualTo("类别 330106********1234 未知");
        assertThat(PersonalText.maskDigitRuns("13812345678")).isEqualTo("138123*5678");
        // scores, Excel's float leftovers, dates (two of them too), codes and words are quoted as they are
        for (String kept : List.of("48.5", "86.00000000000", "100.000000000001", "85.9999999999999", "2024/6/30", "2024-06-30 2025-01-01",
                "2024年6月30日", "AC-ACC-101", "1234567890", "学历教育", "3.30106E+17", "")) {
            assertThat(PersonalText.maskDigitRuns(kept)).as(kept).isEqualTo(kept);
            assertThat(PersonalText.hasIdLikeDigits(kept)).as(kept).isFalse();
        }
        assertThat(PersonalText.maskDigitRuns(null)).isNull();
        assertThat(PersonalText.hasIdLikeDigits("3.30106199001011E+17")).isTrue();
    }

    @Test
    void aRowShiftedByAnUnquotedCommaQuotesTheIdItPutInTheWrongColumnMasked() throws Exception {
        String id = BulkTestFiles.id(21);
        // "Li, Wei" unquoted: the ID lands in 类别 and the category in 成果编码
        Path f = BulkTestFiles.utf8(dir, "shifted.csv", BulkTestFiles.HEADER_ZH + "\n"
                + "Li, Wei," + id + ",学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2024-06-30,,A,\n");
        BulkTestFiles.Collected c = BulkTestFiles.run(f);
        assertThat(c.codes()).contains(ProblemCode.CATEGORY_UNKNOWN);
        for (Problem p : c.problems) {
            assertThat(p.message()).as(p.code().name()).doesNotContain(id).doesNotContain(id.substring(6, 14));
            assertThat(p.column()).doesNotContain(id);
        }
        Problem category = c.problems.stream().filter(p -> p.code() == ProblemCode.CATEGORY_UNKNOWN).findFirst().orElseThrow();
        assertThat(category.message()).contains(id.substring(0, 6) + "********" + id.substring(14));
    }

    @Test
    void anIdTurnedIntoANumberWithAllItsDigitsIsQuotedMasked() throws Exception {
        Path f = BulkTestFiles.utf8(dir, "sci.csv", BulkTestFiles.HEADER_ZH + "\n"
                + "3.30106199001011E+17,张三,学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2024-06-30,,A,\n");
        Problem p = BulkTestFiles.run(f).problems.stream().filter(x -> x.code() == ProblemCode.ID_FORMAT).findFirst().orElseThrow();
        assertThat(p.message()).contains("3.30106*****1011E+17").doesNotContain("19900101");
    }

    @Test
    void aFileWithoutItsHeaderRowQuotesItsFirstRowMaskedAndStoresItMasked() throws Exception {
        String id = BulkTestFiles.id(22);
        List<String> first = List.of(id, "欧阳修文", "学历教育", "AC-ACC-101", "基础会计");
        Path f = BulkTestFiles.utf8(dir, "noheader.csv", String.join(",", first) + ",理论,48,86,,,,,2024-06-30,,A,\n");
        BulkTestFiles.Collected c = BulkTestFiles.run(f, ReadOptions.DEFAULT, Locale.ENGLISH);
        assertThat(c.codes()).contains(ProblemCode.COLUMN_UNKNOWN, ProblemCode.COLUMN_MISSING);
        for (Problem p : c.problems) {
            assertThat(p.message() + " " + p.column()).doesNotContain(id).doesNotContain("欧阳修文").doesNotContain(id.substring(6, 14));
        }
        assertThat(c.problems).extracting(Problem::column).contains(id.substring(0, 6) + "********" + id.substring(14), "欧阳**");
        assertThat(HeaderMap.looksLikeData(first)).isTrue();
        assertThat(HeaderMap.storable(first)).containsExactly(id.substring(0, 6) + "********" + id.substring(14), "欧阳**", "学***", "A*********", "基***");
        // a real header is kept as read, whatever its words
        List<String> header = List.of("身份证号", "姓名", "备注 2024");
        assertThat(HeaderMap.looksLikeData(header)).isFalse();
        assertThat(HeaderMap.storable(header)).isEqualTo(header);
    }

    /**
     * A file without its header row, its columns mapped by hand in the wizard: the first row is then a header for the
     * import, and every row's problems carry its cells as their column labels — masked.
     */
    @Test
    void aFileWithoutItsHeaderMappedByHandLabelsItsColumnsMasked() throws Exception {
        String first = BulkTestFiles.id(23);
        // a 17th column repeats the ID (a remark); the clerk maps it to the ID too, by mistake
        List<String> rows = List.of(first + ",欧阳修文,学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2024-06-30,,A,," + first,
                BulkTestFiles.id(24) + ",王五,学历教育,AC-ACC-101,基础会计,理论,48,86,,,,,2099-06-30,,Q,," + BulkTestFiles.id(24),
                BulkTestFiles.id(25) + ",赵六,学历教育,,基础会计,理论,48,86,,,,,2024-06-30,,A,," + BulkTestFiles.id(25));
        Path f = BulkTestFiles.utf8(dir, "byhand.csv", String.join("\n", rows) + "\n");
        List<ColumnMapping.Choice> choices = new java.util.ArrayList<>();
        for (BulkColumn c : List.of(BulkColumn.ID_NUMBER, BulkColumn.NAME, BulkColumn.CATEGORY, BulkColumn.CATALOGUE_CODE, BulkColumn.TITLE,
                BulkColumn.COURSE_TYPE, BulkColumn.HOURS, BulkColumn.SCORE, BulkColumn.CERTIFICATE_CODE, BulkColumn.LEVEL,
                BulkColumn.AUTHORITY_CERTIFIED, BulkColumn.SCENARIO, BulkColumn.ACHIEVED_ON, BulkColumn.EXPIRES_ON, BulkColumn.QUALITY_GRADE,
                BulkColumn.EVIDENCE)) choices.add(new ColumnMapping.Choice.Field(c));
        choices.add(new ColumnMapping.Choice.Field(BulkColumn.ID_NUMBER));
        BulkTestFiles.Collected c = BulkTestFiles.run(f, ReadOptions.DEFAULT.withMapping(ColumnMapping.of(choices)), Locale.SIMPLIFIED_CHINESE);
        assertThat(c.codes()).contains(ProblemCode.COLUMN_DUPLICATE, ProblemCode.DATE_IN_FUTURE, ProblemCode.GRADE_INVALID, ProblemCode.FIELD_REQUIRED);
        for (Problem p : c.problems) {
            assertThat(p.message() + " " + p.column()).as(p.code().name()).doesNotContain(first).doesNotContain("欧阳修文").doesNotContain(first.substring(6, 14));
        }
        assertThat(c.problems).extracting(Problem::column).contains(first.substring(0, 6) + "********" + first.substring(14));
    }
}
