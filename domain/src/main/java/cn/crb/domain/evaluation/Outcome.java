package cn.crb.domain.evaluation;

import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.QualityGrade;

import java.time.LocalDate;

/**
 * A learning outcome of a case (contract 03), with the fields every category has. The concrete record carries the
 * category-specific fields; {@link #category()} is determined by the record type.
 */
public sealed interface Outcome permits AcademicOutcome, VocationalOutcome, SocialOutcome {
    String outcomeId();
    OutcomeCategory category();
    String catalogueCode();
    String issuer();
    String title();
    QualityGrade qualityGrade();
    LocalDate achievedOn();

    /** The certificate code of a vocational outcome; null for the other categories. */
    default String certificateCode() { return null; }
}
