package cn.crb.domain.decision;

import cn.crb.domain.evaluation.Credits;
import cn.crb.domain.evaluation.Evaluation;
import cn.crb.domain.evaluation.EvaluationLine;
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

    /** The limits of {@code bundle} for {@code c}, with each line's ceiling from the rule {@code e} applied to it. */
    public static GrantLimits of(StandardsBundle bundle, RecognitionCase c, Evaluation e) {
        Limits l = bundle.limits();
        BigDecimal cap = null;
        if (c.programme() != null && c.programme().totalCredits() != null) {
            BigDecimal already = c.programme().alreadyTransferredCredits() == null ? BigDecimal.ZERO : c.programme().alreadyTransferredCredits();
            BigDecimal share = c.programme().totalCredits().multiply(l.maxShareOfProgramme()).subtract(already);
            cap = Credits.roundDown(l.maxCreditsPerApplication().min(share), l.roundingStep());
        }
        Map<String, ConversionRule> rules = new HashMap<>();
        for (ConversionRule r : bundle.conversionRules()) rules.put(r.id(), r);
        Map<String, BigDecimal> max = new HashMap<>();
        for (EvaluationLine line : e.lines()) {
            ConversionRule r = line.ruleId() == null ? null : rules.get(line.ruleId());
            if (r != null && r.maxCredits() != null) max.put(line.outcomeId(), r.maxCredits());
        }
        return new GrantLimits(l.roundingStep(), cap, max);
    }

    boolean onStep(BigDecimal credits) {
        return roundingStep == null || roundingStep.signum() <= 0 || credits.remainder(roundingStep).signum() == 0;
    }
}
