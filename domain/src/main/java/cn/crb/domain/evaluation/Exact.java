package cn.crb.domain.evaluation;

import java.math.BigDecimal;

/**
 * An exact non-negative quantity {@code num / den} ({@code den > 0}) so that a quotient such as 50 ÷ 24 is never
 * truncated before the single rounding of step 9.
 */
record Exact(BigDecimal num, BigDecimal den) {
    static Exact of(BigDecimal value) { return new Exact(value, BigDecimal.ONE); }

    static Exact ratio(BigDecimal num, BigDecimal den) {
        if (den.signum() <= 0) throw new IllegalArgumentException("denominator must be > 0");
        return new Exact(num, den);
    }

    Exact times(BigDecimal factor) { return new Exact(num.multiply(factor), den); }

    Exact plus(BigDecimal value) { return new Exact(num.add(value.multiply(den)), den); }

    Exact min(BigDecimal cap) { return num.compareTo(cap.multiply(den)) <= 0 ? this : of(cap); }

    /** The largest multiple of {@code step} that is {@code <= num/den}; 0 when the value is {@code <= 0}. */
    BigDecimal roundDown(BigDecimal step) {
        if (num.signum() <= 0) return BigDecimal.ZERO;
        return num.divideToIntegralValue(den.multiply(step)).multiply(step);
    }
}
