package cn.crb.domain.standards;

import java.time.LocalDate;

/**
 * One catalogue entry (成果编码). Guarantees: {@code qfLevel} is a level of the bundle's framework;
 * {@code retiredOn} is non-null exactly when {@code status} is RETIRED.
 */
public record CatalogueEntry(String code, OutcomeCategory category, String name, int qfLevel,
                             CatalogueStatus status, LocalDate retiredOn) {

    /** True when the entry is RETIRED with {@code retiredOn <= date}. */
    public boolean isRetiredOn(LocalDate date) {
        return status == CatalogueStatus.RETIRED && !retiredOn.isAfter(date);
    }
}
