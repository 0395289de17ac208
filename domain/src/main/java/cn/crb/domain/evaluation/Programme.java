package cn.crb.domain.evaluation;

import java.math.BigDecimal;

/** The target programme of a case; credit amounts are {@code >= 0}. {@code name} may be null. */
public record Programme(String institution, String programmeCode, String name, BigDecimal totalCredits,
                        BigDecimal alreadyTransferredCredits) {}
