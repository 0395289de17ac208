package cn.crb.domain.evaluation;

import cn.crb.domain.standards.CatalogueEntry;
import cn.crb.domain.standards.Institution;
import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.QfLevel;
import cn.crb.domain.standards.StandardsBundle;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The learner's "accumulation and planning" view of a case (学分积累与规划; issue 7): the case's outcomes in the
 * order they were achieved, each with its qualification-framework level (资历框架等级, from the bundle's catalogue)
 * and the credits recommended for it, accumulated on top of what the learner already transferred into the target
 * programme; and where that leaves the learner against the programme's total and the bundle's transfer cap
 * ({@code limits.maxShareOfProgramme}). Computed only from what the case carries, the bundle and the evaluation.
 *
 * @param alreadyTransferred credits transferred into the programme before this case
 * @param recommended        credits this case's evaluation recommends (0 without an evaluation)
 * @param afterThisCase      {@code alreadyTransferred + recommended}
 * @param total              the programme's total credits
 * @param stillToEarn        {@code total - afterThisCase}, not below 0
 * @param transferCap        the most credits transfer can bring into the programme, or null without a bundle
 * @param transferCapLeft    {@code transferCap - afterThisCase}, not below 0, or null
 * @param timeline           the outcomes, oldest first
 */
public record LearnerPlan(Programme programme, BigDecimal alreadyTransferred, BigDecimal recommended, BigDecimal afterThisCase,
                          BigDecimal total, BigDecimal stillToEarn, BigDecimal transferCap, BigDecimal transferCapLeft,
                          List<Step> timeline) {
    public LearnerPlan {
        timeline = List.copyOf(timeline);
    }

    /**
     * One outcome on the learner's timeline.
     *
     * @param qfLevel      the qualification-framework level of its catalogue entry, or null when the bundle does not list it
     * @param credits      recommended credits (0 when the line carries none, null without an evaluation)
     * @param cumulative   credits in the programme once this and every earlier outcome count (null without an evaluation)
     * @param previouslyRecognized whether the case says this outcome was already recognized before
     */
    public record Step(LocalDate achievedOn, String outcomeId, String title, OutcomeCategory category, String issuer, String issuerName,
                       QfLevel qfLevel, BigDecimal credits, LineStatus status, BigDecimal cumulative, boolean previouslyRecognized) {}

    /** The plan of {@code rc}; {@code bundle} and {@code evaluation} may be null (no standards in force yet). */
    public static LearnerPlan of(RecognitionCase rc, StandardsBundle bundle, Evaluation evaluation) {
        Programme p = rc.programme();
        Map<String, EvaluationLine> lines = new HashMap<>();
        if (evaluation != null) evaluation.lines().forEach(l -> lines.put(l.outcomeId(), l));
        Map<Integer, QfLevel> levels = new HashMap<>();
        if (bundle != null) bundle.qualificationFramework().forEach(q -> levels.put(q.level(), q));

        List<Outcome> ordered = new ArrayList<>(rc.outcomes());
        // oldest first; the case's own order among outcomes of the same day (a stable sort)
        ordered.sort(Comparator.comparing(Outcome::achievedOn));
        BigDecimal running = p.alreadyTransferredCredits();
        List<Step> steps = new ArrayList<>();
        for (Outcome o : ordered) {
            EvaluationLine l = lines.get(o.outcomeId());
            BigDecimal credits = evaluation == null ? null : l == null ? BigDecimal.ZERO : l.credits();
            if (credits != null) running = running.add(credits);
            Optional<CatalogueEntry> entry = bundle == null ? Optional.empty() : bundle.catalogueEntry(o.catalogueCode());
            String issuerName = bundle == null ? null : bundle.institution(o.issuer()).map(Institution::name).orElse(null);
            steps.add(new Step(o.achievedOn(), o.outcomeId(), o.title() != null ? o.title() : entry.map(CatalogueEntry::name).orElse(o.catalogueCode()),
                    o.category(), o.issuer(), issuerName, entry.map(e -> levels.get(e.qfLevel())).orElse(null), credits,
                    l == null ? null : l.status(), credits == null ? null : running, rc.previouslyRecognized().contains(o.outcomeId())));
        }
        BigDecimal recommended = evaluation == null ? BigDecimal.ZERO : evaluation.total();
        BigDecimal after = p.alreadyTransferredCredits().add(recommended);
        BigDecimal cap = bundle == null ? null : p.totalCredits().multiply(bundle.limits().maxShareOfProgramme()).stripTrailingZeros();
        return new LearnerPlan(p, p.alreadyTransferredCredits(), recommended, after, p.totalCredits(),
                p.totalCredits().subtract(after).max(BigDecimal.ZERO), cap, cap == null ? null : cap.subtract(after).max(BigDecimal.ZERO), steps);
    }
}
