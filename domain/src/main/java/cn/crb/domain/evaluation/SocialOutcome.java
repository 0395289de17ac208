package cn.crb.domain.evaluation;

import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.QualityGrade;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A SOCIAL outcome (社会学习成果): a scenario code, hours ({@code >= 0}) and assessment score ({@code >= 0}). */
public record SocialOutcome(String outcomeId, String catalogueCode, String issuer, String title, QualityGrade qualityGrade,
                            LocalDate achievedOn, String scenario, BigDecimal hours, BigDecimal score) implements Outcome {
    @Override
    public OutcomeCategory category() { return OutcomeCategory.SOCIAL; }
}
