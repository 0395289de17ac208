package cn.crb.domain.bulk;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class ResidentIdTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    @Test
    void knownAnswersOfTheCheckCharacter() {
        assertThat(ResidentId.checkCharacter("11010519491231002")).isEqualTo('X');
        assertThat(ResidentId.problem("11010519491231002X", TODAY)).isEmpty();
        assertThat(ResidentId.problem("11010519491231002x", TODAY)).isEmpty();
        assertThat(ResidentId.checkCharacter("44052418800101001")).isEqualTo('4');
        assertThat(ResidentId.problem("440524188001010014", TODAY)).contains(ProblemCode.ID_BIRTHDATE); // 1880: before 1900
        assertThat(ResidentId.checkCharacter("31010419800101101")).isEqualTo('X');
        assertThat(ResidentId.problem("31010419800101101X", TODAY)).isEmpty();
    }

    @Test
    void refusesShapeChecksumAndBirthDate() {
        assertThat(ResidentId.problem("11010519491231002", TODAY)).contains(ProblemCode.ID_FORMAT);
        assertThat(ResidentId.problem("1101051949123100XX", TODAY)).contains(ProblemCode.ID_FORMAT);
        assertThat(ResidentId.problem("110105194912310021", TODAY)).contains(ProblemCode.ID_CHECKSUM);
        String feb30 = "11010519900230001";
        assertThat(ResidentId.problem(feb30 + ResidentId.checkCharacter(feb30), TODAY)).contains(ProblemCode.ID_BIRTHDATE);
        String future = "11010520301231001";
        assertThat(ResidentId.problem(future + ResidentId.checkCharacter(future), TODAY)).contains(ProblemCode.ID_BIRTHDATE);
    }

    @Test
    void masksIdAndNames() {
        assertThat(ResidentId.mask("11010519491231002x")).isEqualTo("110105********002X");
        assertThat(NameMasking.mask("张三")).isEqualTo("张*");
        assertThat(NameMasking.mask("欧阳修文")).isEqualTo("欧阳**");
        assertThat(NameMasking.mask("欧阳")).isEqualTo("欧*");
        assertThat(NameMasking.mask("王小明")).isEqualTo("王**");
        assertThat(NameMasking.mask("𠀀一")).isEqualTo("𠀀*");
    }

    @Test
    void cellParsers() {
        assertThat(CellParsers.date("2024-06-30")).contains(LocalDate.of(2024, 6, 30));
        assertThat(CellParsers.date("2024/6/30")).contains(LocalDate.of(2024, 6, 30));
        assertThat(CellParsers.date("2024.6.30")).contains(LocalDate.of(2024, 6, 30));
        assertThat(CellParsers.date("2024年6月30日")).contains(LocalDate.of(2024, 6, 30));
        assertThat(CellParsers.date("2024-02-30")).isEmpty();
        assertThat(CellParsers.date("30/6/2024")).isEmpty();
        assertThat(CellParsers.excelSerialDate("45473")).contains(LocalDate.of(2024, 6, 30));
        assertThat(CellParsers.decimal("12.50")).hasValueSatisfying(d -> assertThat(d.toPlainString()).isEqualTo("12.50"));
        assertThat(CellParsers.decimal("1e3")).isEmpty();
        assertThat(CellParsers.decimal("1,000")).isEmpty();
        assertThat(CellParsers.bool("是")).contains(true);
        assertThat(CellParsers.bool("FALSE")).contains(false);
        assertThat(CellParsers.bool("maybe")).isEmpty();
        assertThat(ResidentId.looksLikeExcelNumber("3.30106E+17")).isTrue();
    }
}
