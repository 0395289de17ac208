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
        assertThat(PersonalText.maskDigitRuns("33010619900101123X")).isEqualTo("330106*******1123X");
        assertThat(PersonalText.maskDigitRuns("3.30106199001011E+17")).isEqualTo("3.30106*****1011E+17");
        assertThat(PersonalText.maskDigitRuns("类别 330106199001011234 未知")).isEqualTo("类别 330106********1234 未知");
        assertThat(PersonalText.maskDigitRuns("13812345678")).isEqualTo("138123*5678");
        for (String kept : List.of("48.5", "2024/6/30", "2024年6月30日", "AC-ACC-101", "1234567890", "学历教育", "3.30106E+17", "")) {
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
}
