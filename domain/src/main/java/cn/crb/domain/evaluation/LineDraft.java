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

    /**
     * Cites a bundle entry. Evaluator cites each path at most once per line by construction (steps 1-9 each consult
     * distinct entries, step 11 cites the binding limits once), so no duplicate check is made on this hot path.
     */
    LineDraft cite(String path) {
        basis.add(versionPrefix + path);
        return this;
    }

    /** Cites {@code section[key]} in a single concatenation. */
    LineDraft cite(String section, String key) {
        basis.add(versionPrefix + section + "[" + key + "]");
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
