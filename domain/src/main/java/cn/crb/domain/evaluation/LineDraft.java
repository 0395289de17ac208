package cn.crb.domain.evaluation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The mutable working state of one line while a case is evaluated; frozen into an {@link EvaluationLine}. */
final class LineDraft {
    final Outcome outcome;
    final int index;
    private final String versionPrefix;
    LineStatus status;
    BigDecimal credits = BigDecimal.ZERO;
    String targetCourse;
    String ruleId;
    private final List<String> basis = new ArrayList<>();
    private final List<Reason> reasons = new ArrayList<>();

    LineDraft(Outcome outcome, int index, String versionPrefix) {
        this.outcome = outcome;
        this.index = index;
        this.versionPrefix = versionPrefix;
    }

    LineDraft cite(String path) {
        String entry = versionPrefix + path;
        if (!basis.contains(entry)) basis.add(entry);
        return this;
    }

    LineDraft warn(Reason reason) {
        reasons.add(reason);
        return this;
    }

    /** Decides a line that grants nothing: 0 credits, no target. */
    LineDraft decide(LineStatus status, Reason reason) {
        this.status = status;
        this.credits = BigDecimal.ZERO;
        this.targetCourse = null;
        this.ruleId = null;
        reasons.add(reason);
        return this;
    }

    LineDraft grant(LineStatus status, BigDecimal credits) {
        this.status = status;
        this.credits = credits;
        return this;
    }

    boolean is(LineStatus s) { return status == s; }

    EvaluationLine freeze() {
        return new EvaluationLine(outcome.outcomeId(), status, credits, targetCourse, ruleId, basis, reasons);
    }
}
