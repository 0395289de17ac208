package cn.crb.domain.decision;

import java.math.BigDecimal;

/** One outcome's line in a decision: what the engine recommended and what the reviewer grants, with a reason when they differ. */
public record DecisionLine(String outcomeId, String status, BigDecimal recommendedCredits, BigDecimal grantedCredits,
                           String targetCourse, String reason) {
    public DecisionLine {
        recommendedCredits = normalize(recommendedCredits);
        grantedCredits = normalize(grantedCredits);
    }

    /** Same value, one representation (3.0 and 3 are the same credits). */
    static BigDecimal normalize(BigDecimal v) {
        if (v == null) return null;
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    public boolean differs() {
        return grantedCredits == null || recommendedCredits == null || grantedCredits.compareTo(recommendedCredits) != 0;
    }
}
