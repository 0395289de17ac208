package cn.crb.domain.arbitration;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One member's vote. {@code amendedLines} (outcome id → credits) is required for AMEND and empty otherwise;
 * two AMEND votes agree when their amended lines are equal as numbers.
 */
public record Vote(String memberKeyId, Position position, Map<String, BigDecimal> amendedLines, String reason) {
    public Vote {
        // one representation per value (2.0 and 2 are the same credits), so that equal amendments compare equal
        java.util.Map<String, BigDecimal> norm = new java.util.TreeMap<>();
        if (amendedLines != null) amendedLines.forEach((k, v) -> {
            BigDecimal x = v.stripTrailingZeros();
            norm.put(k, x.scale() < 0 ? x.setScale(0) : x);
        });
        amendedLines = java.util.Collections.unmodifiableMap(norm);
    }

    boolean agreesWith(Vote other) {
        if (!amendedLines.keySet().equals(other.amendedLines.keySet())) return false;
        for (var e : amendedLines.entrySet()) {
            if (e.getValue().compareTo(other.amendedLines.get(e.getKey())) != 0) return false;
        }
        return true;
    }
}
