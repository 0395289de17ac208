package cn.crb.domain.evaluation;

import java.math.BigDecimal;
import java.util.List;

/**
 * The recommendation for one outcome. Guarantees: {@code credits} is a non-negative multiple of the bundle's
 * rounding step, and is 0 unless the status is ELIGIBLE or PARTIAL; {@code targetCourse} and {@code ruleId} are
 * both null or both set, and are set only on ELIGIBLE and PARTIAL lines; {@code basis} lists, as
 * {@code <version>:<path>} in step order, every bundle entry consulted by steps 1-9 for this line and, on a line
 * that step 11 changed, the limit(s) that bound the cap (see {@code docs/evaluation-choices.md}).
 */
public record EvaluationLine(String outcomeId, LineStatus status, BigDecimal credits, String targetCourse, String ruleId,
                             List<String> basis, List<Reason> reasons) {
    public EvaluationLine {
        basis = List.copyOf(basis);
        reasons = List.copyOf(reasons);
    }

    /** The credits as a plain decimal string without trailing zeros. */
    public String creditsText() { return Credits.format(credits); }
}
