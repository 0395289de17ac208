package cn.crb.domain.evaluation;

import cn.crb.domain.standards.CourseType;
import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.QualityGrade;

import java.math.BigDecimal;
import java.time.LocalDate;

/** An ACADEMIC outcome (学历教育成果): a course with its type, hours ({@code >= 0}) and score ({@code >= 0}). */
public record AcademicOutcome(String outcomeId, String catalogueCode, String issuer, String title, QualityGrade qualityGrade,
                              LocalDate achievedOn, CourseType courseType, BigDecimal hours, BigDecimal score) implements Outcome {
    @Override
    public OutcomeCategory category() { return OutcomeCategory.ACADEMIC; }
}
