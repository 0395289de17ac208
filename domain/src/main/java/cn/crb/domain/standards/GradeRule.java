package cn.crb.domain.standards;

import java.math.BigDecimal;

/** What a quality grade does: multiply credits by {@code factor} ({@code >= 0}), or store only if not convertible. */
public record GradeRule(BigDecimal factor, boolean convertible) {}
