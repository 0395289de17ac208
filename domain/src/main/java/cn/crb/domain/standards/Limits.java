package cn.crb.domain.standards;

import java.math.BigDecimal;

/**
 * Case-wide limits. Guarantees: {@code outcomeValidityYears >= 0}, {@code 0 <= maxShareOfProgramme <= 1},
 * {@code maxCreditsPerApplication >= 0}, {@code roundingStep > 0}.
 */
public record Limits(int outcomeValidityYears, BigDecimal maxShareOfProgramme, BigDecimal maxCreditsPerApplication,
                     BigDecimal roundingStep) {}
