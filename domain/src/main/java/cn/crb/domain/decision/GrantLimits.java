package cn.crb.domain.decision;

import cn.crb.domain.evaluation.Evaluator;
import cn.crb.domain.evaluation.Outcome;
import cn.crb.domain.evaluation.RecognitionCase;
import cn.crb.domain.standards.ConversionRule;
import cn.crb.domain.standards.Limits;
import cn.crb.domain.standards.StandardsBundle;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * What a reviewer may grant under the standards the recommendation used (contract 02): credits in multiples of
 * {@code limits.roundingStep} (step 9), on a line converted to a course at most its rule's {@code maxCredits}
 * (step 8), and in all at most the application's cap (step 11: {@code maxCreditsPerApplication} and
 * {@code maxShareOfProgramme} less what the programme already took). A reviewer may grant more than a line's
 * recommendation, with a reason, but not past what the published standards allow. The engine's own recommendation
 * always keeps within these limits. {@link #NONE} checks nothing (no standards at hand).
 *
 * @param roundingStep the step granted credits are multiples of, or null
 * @param cap          the most the whole application may be granted, or null
 * @param lineMax      per outcome id, the most its line may be granted (its conversion rule's ceiling)
 */
public record GrantLimits(BigDecimal roundingStep, BigDecimal cap, Map<String, BigDecimal> lineMax) {
    public static final GrantLimits NONE = new GrantLimits(null, null, Map.of());

    public GrantLimits {
        lineMax = Map.copyOf(lineMax);
    }

    /** The limits of {@code bundle} for the case {@code c}. */
    public static GrantLimits of(StandardsBundle bundle, RecognitionCase c) {
        Limits l = bundle.limits();
        BigDecimal cap = c.programme() == null ? null : Evaluator.applicationCap(l, c.programme());
        // the rule of every outcome, as step 8 finds it: also on the lines the engine granted nothing (held for a
        // person, capped, below a minimum), which carry no rule id but are the ones a reviewer raises
        Map<String, BigDecimal> max = new HashMap<>();
        String institution = c.programme() == null ? null : c.programme().institution();
        for (Outcome o : c.outcomes()) {
            if (o.catalogueCode() == null || institution == null) continue;
            bundle.conversionRule(o.catalogueCode(), institution).map(ConversionRule::maxCredits)
                    .ifPresent(m -> max.put(o.outcomeId(), m));
        }
        return new GrantLimits(l.roundingStep(), cap, max);
    }

    boolean onStep(BigDecimal credits) {
        return roundingStep == null || roundingStep.signum() <= 0 || credits.remainder(roundingStep).signum() == 0;
    }
}
