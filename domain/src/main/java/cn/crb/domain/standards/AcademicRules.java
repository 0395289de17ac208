package cn.crb.domain.standards;

import java.math.BigDecimal;
import java.util.Map;

/** Academic conversion: hours per credit for every {@link CourseType} (each {@code > 0}) and the pass mark. */
public record AcademicRules(Map<CourseType, BigDecimal> hoursPerCredit, BigDecimal minPassingScore) {
    public AcademicRules {
        hoursPerCredit = Map.copyOf(hoursPerCredit);
    }

    public BigDecimal hoursPerCredit(CourseType type) { return hoursPerCredit.get(type); }
}
