package cn.crb.domain.evaluation;

import java.math.BigDecimal;

/** Exact credit arithmetic helpers: rounding down to a step and formatting without trailing zeros. */
public final class Credits {
    private Credits() {}

    /** {@code "1.5"}, {@code "3"}, {@code "0"}, {@code "10"}: plain notation, no trailing zeros, no exponent. */
    public static String format(BigDecimal value) {
        if (value.signum() == 0) return "0";
        return value.stripTrailingZeros().toPlainString();
    }

    /** The largest multiple of {@code step} ({@code > 0}) that is {@code <= value}; 0 for values {@code <= 0}. */
    public static BigDecimal roundDown(BigDecimal value, BigDecimal step) {
        if (value.signum() <= 0) return BigDecimal.ZERO;
        return value.divideToIntegralValue(step).multiply(step);
    }
}
