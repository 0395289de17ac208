package cn.crb.domain.bulk;

import cn.crb.domain.standards.CourseType;
import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.QualityGrade;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A row that passed every check, normalised: the ID upper-cased, codes as the bundle spells them, levels in the
 * table's terms (初级 → JUNIOR), decimals exact. Fields that do not apply to the category are null. Holds the raw
 * ID: it stays on the workstation and is turned into masked, digested and encrypted values by {@link BatchCrypto}.
 */
public record BulkRow(long rowNumber, String idNumber, String name, OutcomeCategory category, String catalogueCode,
                      String title, CourseType courseType, BigDecimal hours, BigDecimal score, String certificateCode,
                      String level, Boolean authorityCertified, String scenario, LocalDate achievedOn, LocalDate expiresOn,
                      QualityGrade qualityGrade, String evidence) {
    public BulkRow {
        Objects.requireNonNull(idNumber);
        Objects.requireNonNull(category);
        Objects.requireNonNull(catalogueCode);
        Objects.requireNonNull(achievedOn);
        Objects.requireNonNull(qualityGrade);
    }

    @Override
    public String toString() { // never print the ID or the name
        return "BulkRow[row " + rowNumber + ", " + category + ", " + catalogueCode + ", " + achievedOn + "]";
    }
}
