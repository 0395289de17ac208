package cn.crb.domain.evaluation;

import cn.crb.domain.standards.AcademicRules;
import cn.crb.domain.standards.CatalogueEntry;
import cn.crb.domain.standards.ConversionRule;
import cn.crb.domain.standards.Equivalence;
import cn.crb.domain.standards.GradeRule;
import cn.crb.domain.standards.Institution;
import cn.crb.domain.standards.Limits;
import cn.crb.domain.standards.SocialScenario;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.domain.standards.StandardsLibrary;
import cn.crb.domain.standards.VocationalRules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static cn.crb.domain.evaluation.LineStatus.DUPLICATE;
import static cn.crb.domain.evaluation.LineStatus.ELIGIBLE;
import static cn.crb.domain.evaluation.LineStatus.HOLD;
import static cn.crb.domain.evaluation.LineStatus.INELIGIBLE;
import static cn.crb.domain.evaluation.LineStatus.PARTIAL;
import static cn.crb.domain.evaluation.LineStatus.STORE_ONLY;

/**
 * The normative evaluation of contract 02, steps 1-11, in exact decimal arithmetic (no floating point anywhere).
 * Stateless and thread-safe. For each outcome the first step that decides its status ends it; intermediate
 * quotients are kept exact and rounded once, down to the bundle's rounding step, in step 9. Lines that grant
 * nothing carry 0 credits and no target course. The warning {@code INSTITUTION_UNLISTED} stays on a line whatever
 * is decided later.
 */
public final class Evaluator {

    /** Evaluates against the version of {@code library} in force on the case's {@code appliedOn} date. */
    public Evaluation evaluate(StandardsLibrary library, RecognitionCase c) {
        StandardsBundle bundle = library.inForceOn(c.appliedOn()).orElseThrow(() -> new NoStandardsInForceException(c.appliedOn()));
        return evaluate(bundle, c);
    }

    /** Evaluates against the given bundle (the caller vouches that it is the one in force on {@code appliedOn}). */
    public Evaluation evaluate(StandardsBundle bundle, RecognitionCase c) {
        String prefix = bundle.version() + ":";
        List<LineDraft> drafts = new ArrayList<>(c.outcomes().size());
        LocalDate oldestValid = c.appliedOn().minusYears(bundle.limits().outcomeValidityYears());
        for (int i = 0; i < c.outcomes().size(); i++) {
            drafts.add(evaluateOutcome(bundle, c, oldestValid, new LineDraft(c.outcomes().get(i), i, prefix)));
        }
        keepOneOfSameOutcome(drafts);
        applyCaps(bundle.limits(), c.programme(), drafts);
        BigDecimal total = BigDecimal.ZERO;
        List<EvaluationLine> lines = new ArrayList<>(drafts.size());
        for (LineDraft d : drafts) {
            if (d.is(ELIGIBLE) || d.is(PARTIAL)) total = total.add(d.credits);
            lines.add(d.freeze());
        }
        return new Evaluation(bundle.version(), c.caseId(), lines, total);
    }

    /** Steps 1-9 for one outcome. */
    private static LineDraft evaluateOutcome(StandardsBundle b, RecognitionCase c, LocalDate oldestValid, LineDraft d) {
        Outcome o = d.outcome;
        LocalDate appliedOn = c.appliedOn();
        // 1. Catalogue
        Optional<CatalogueEntry> found = b.catalogueEntry(o.catalogueCode());
        if (found.isEmpty()) return d.cite("catalogue").decide(INELIGIBLE, Reason.CATALOGUE_UNKNOWN);
        CatalogueEntry entry = found.get();
        d.cite("catalogue", entry.code());
        if (entry.isRetiredOn(appliedOn)) return d.decide(INELIGIBLE, Reason.CATALOGUE_RETIRED);
        if (entry.category() != o.category()) return d.decide(INELIGIBLE, Reason.CATEGORY_MISMATCH);
        // 2. Issuer
        Optional<Institution> issuer = b.institution(o.issuer());
        if (issuer.isEmpty()) {
            d.cite("institutions").warn(Reason.INSTITUTION_UNLISTED);
        } else {
            d.cite("institutions", issuer.get().code());
            switch (issuer.get().status()) {
                case BLACKLISTED -> { return d.decide(INELIGIBLE, Reason.INSTITUTION_BLACKLISTED); }
                case SUSPENDED -> { return d.decide(HOLD, Reason.INSTITUTION_SUSPENDED); }
                case ACTIVE -> { }
            }
        }
        // 3. Age
        d.cite("limits.outcomeValidityYears");
        if (o.achievedOn().isBefore(oldestValid)) {
            return d.decide(INELIGIBLE, Reason.EXPIRED);
        }
        if (o instanceof VocationalOutcome v && v.expiresOn() != null && v.expiresOn().isBefore(appliedOn)) {
            return d.decide(INELIGIBLE, Reason.CERTIFICATE_EXPIRED);
        }
        // 4. Already converted
        if (c.previouslyRecognized().contains(o.outcomeId())) return d.decide(DUPLICATE, Reason.ALREADY_RECOGNIZED);
        // 5. Quality
        GradeRule grade = b.grade(o.qualityGrade());
        d.cite("quality." + o.qualityGrade());
        if (!grade.convertible()) return d.decide(STORE_ONLY, Reason.GRADE_NOT_CONVERTIBLE);
        // 6. Base credits
        Exact base = switch (o) {
            case AcademicOutcome a -> academicBase(b.academic(), a, d);
            case VocationalOutcome v -> vocationalBase(b, v, d);
            case SocialOutcome s -> socialBase(b, s, d);
        };
        if (base == null) return d;
        // 7. Quality factor
        Exact credits = base.times(grade.factor());
        // 8. Target
        Optional<ConversionRule> rule = b.conversionRule(o.catalogueCode(), c.programme().institution());
        if (rule.isPresent()) {
            ConversionRule r = rule.get();
            d.cite("conversionRules", r.id());
            credits = credits.min(r.maxCredits());
            d.targetCourse = r.targetCourse();
            d.ruleId = r.id();
        }
        // 9. Rounding
        d.cite("limits.roundingStep");
        BigDecimal rounded = credits.roundDown(b.limits().roundingStep());
        if (rounded.signum() == 0) return d.decide(INELIGIBLE, Reason.BELOW_MINIMUM);
        return d.grant(ELIGIBLE, rounded);
    }

    private static Exact academicBase(AcademicRules rules, AcademicOutcome a, LineDraft d) {
        d.cite("academic.minPassingScore");
        if (a.score().compareTo(rules.minPassingScore()) < 0) {
            d.decide(INELIGIBLE, Reason.NOT_PASSED);
            return null;
        }
        d.cite("academic.hoursPerCredit." + a.courseType());
        return Exact.ratio(a.hours(), rules.hoursPerCredit(a.courseType()));
    }

    private static Exact vocationalBase(StandardsBundle b, VocationalOutcome v, LineDraft d) {
        Optional<Equivalence> eq = b.equivalence(v.certificateCode(), v.level());
        if (eq.isEmpty()) {
            d.cite("vocational.equivalences").decide(INELIGIBLE, Reason.NO_EQUIVALENCE);
            return null;
        }
        d.cite("vocational.equivalences", eq.get().key());
        BigDecimal credits = eq.get().credits();
        if (!v.authorityCertified()) return Exact.of(credits);
        VocationalRules rules = b.vocational();
        d.cite("vocational.authorityBonusPercent").cite("vocational.maxBonusCredits");
        return Exact.ratio(credits.multiply(rules.authorityBonusPercent()), BigDecimal.valueOf(100))
                .min(rules.maxBonusCredits())
                .plus(credits);
    }

    private static Exact socialBase(StandardsBundle b, SocialOutcome s, LineDraft d) {
        Optional<SocialScenario> found = b.scenario(s.scenario());
        if (found.isEmpty()) {
            d.cite("social.scenarios").decide(INELIGIBLE, Reason.SCENARIO_UNKNOWN);
            return null;
        }
        SocialScenario sc = found.get();
        d.cite("social.scenarios", sc.code());
        if (s.hours().compareTo(sc.minHours()) < 0) {
            d.decide(INELIGIBLE, Reason.INSUFFICIENT_HOURS);
            return null;
        }
        if (s.score().compareTo(sc.minScore()) < 0) {
            d.decide(INELIGIBLE, Reason.ASSESSMENT_NOT_MET);
            return null;
        }
        return Exact.ratio(s.hours(), sc.hoursPerCredit()).min(sc.maxCredits());
    }

    /** Step 10: among ELIGIBLE lines with the same (catalogueCode, certificateCode) keep the most credits, earliest on ties. */
    private static void keepOneOfSameOutcome(List<LineDraft> drafts) {
        record Learning(String catalogueCode, String certificateCode) {}
        Map<Learning, LineDraft> kept = new HashMap<>();
        for (LineDraft d : drafts) {
            if (!d.is(ELIGIBLE)) continue;
            Learning key = new Learning(d.outcome.catalogueCode(), d.outcome.certificateCode());
            LineDraft best = kept.get(key);
            if (best == null) {
                kept.put(key, d);
            } else if (d.credits.compareTo(best.credits) > 0) {
                best.decide(DUPLICATE, Reason.SAME_OUTCOME_TWICE);
                kept.put(key, d);
            } else {
                d.decide(DUPLICATE, Reason.SAME_OUTCOME_TWICE);
            }
        }
    }

    /**
     * Step 11's cap: the most one application may be granted — {@code maxCreditsPerApplication}, or the programme's
     * share ({@code totalCredits × maxShareOfProgramme − alreadyTransferredCredits}) when smaller — rounded down to the
     * rounding step, never below 0. Also what a reviewer's granted credits are held to ({@code GrantLimits}).
     */
    public static BigDecimal applicationCap(Limits limits, Programme programme) {
        return Credits.roundDown(limits.maxCreditsPerApplication().min(shareCap(limits, programme)), limits.roundingStep());
    }

    private static BigDecimal shareCap(Limits limits, Programme programme) {
        return programme.totalCredits().multiply(limits.maxShareOfProgramme()).subtract(programme.alreadyTransferredCredits());
    }

    /** Step 11: grant ELIGIBLE lines largest first (case order on ties) up to the cap. */
    private static void applyCaps(Limits limits, Programme programme, List<LineDraft> drafts) {
        BigDecimal shareCap = shareCap(limits, programme);
        BigDecimal perApplication = limits.maxCreditsPerApplication();
        BigDecimal cap = applicationCap(limits, programme);
        List<String> binding = new ArrayList<>();
        if (perApplication.compareTo(shareCap) <= 0) binding.add("limits.maxCreditsPerApplication");
        if (shareCap.compareTo(perApplication) <= 0) binding.add("limits.maxShareOfProgramme");

        List<LineDraft> eligible = new ArrayList<>();
        for (LineDraft d : drafts) if (d.is(ELIGIBLE)) eligible.add(d);
        eligible.sort(Comparator.comparing((LineDraft d) -> d.credits).reversed().thenComparingInt(d -> d.index));

        BigDecimal granted = BigDecimal.ZERO;
        boolean full = false;
        for (LineDraft d : eligible) {
            if (!full && granted.add(d.credits).compareTo(cap) <= 0) {
                granted = granted.add(d.credits);
                continue;
            }
            binding.forEach(d::cite);
            if (full) {
                d.decide(INELIGIBLE, Reason.CAPPED);
                continue;
            }
            full = true;
            BigDecimal remainder = Credits.roundDown(cap.subtract(granted), limits.roundingStep());
            if (remainder.signum() > 0) {
                d.grant(PARTIAL, remainder).warn(Reason.CAPPED);
            } else {
                d.decide(INELIGIBLE, Reason.CAPPED);
            }
        }
    }
}
