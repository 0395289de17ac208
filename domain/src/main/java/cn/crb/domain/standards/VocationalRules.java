package cn.crb.domain.standards;

import java.math.BigDecimal;
import java.util.List;

/** Vocational conversion: the equivalence table (bundle order) and the authority-certification bonus. */
public record VocationalRules(List<Equivalence> equivalences, BigDecimal authorityBonusPercent, BigDecimal maxBonusCredits) {
    public VocationalRules {
        equivalences = List.copyOf(equivalences);
    }
}
