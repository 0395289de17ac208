package cn.crb.domain.evaluation;

import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.QualityGrade;

import java.time.LocalDate;

/** A VOCATIONAL outcome (职业技能成果): a certificate at a level; {@code expiresOn} may be null (no expiry). */
public record VocationalOutcome(String outcomeId, String catalogueCode, String issuer, String title, QualityGrade qualityGrade,
                                LocalDate achievedOn, String certificateCode, String level, boolean authorityCertified,
                                LocalDate expiresOn) implements Outcome {
    @Override
    public OutcomeCategory category() { return OutcomeCategory.VOCATIONAL; }
}
