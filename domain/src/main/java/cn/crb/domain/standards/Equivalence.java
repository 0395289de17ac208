package cn.crb.domain.standards;

import java.math.BigDecimal;

/** One row of the certificate–credit equivalence table: (certificateCode, level) is worth {@code credits}. */
public record Equivalence(String certificateCode, String level, BigDecimal credits) {
    /** The key used in basis paths: {@code CERT/LEVEL}. */
    public String key() { return certificateCode + "/" + level; }
}
