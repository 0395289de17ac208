package cn.crb.domain.standards;

import java.math.BigDecimal;

/** A social-learning scenario: hours per credit ({@code > 0}), minimum hours and score, and a credit ceiling. */
public record SocialScenario(String code, String name, BigDecimal hoursPerCredit, BigDecimal minHours,
                             BigDecimal minScore, BigDecimal maxCredits) {}
