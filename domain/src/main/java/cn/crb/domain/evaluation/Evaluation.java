package cn.crb.domain.evaluation;

import cn.crb.domain.standards.StandardsVersion;

import java.math.BigDecimal;
import java.util.List;

/**
 * The evaluation of a case against one standards version: one line per outcome in case order, and the total,
 * which is the sum of credits of the ELIGIBLE and PARTIAL lines.
 */
public record Evaluation(StandardsVersion standardsVersion, String caseId, List<EvaluationLine> lines, BigDecimal total) {
    public Evaluation {
        lines = List.copyOf(lines);
    }

    public String totalText() { return Credits.format(total); }
}
