package cn.crb.app.cases;

import cn.crb.app.profile.ProfileSession;
import cn.crb.domain.cases.Deadlines;
import cn.crb.domain.evaluation.Evaluation;
import cn.crb.domain.evaluation.Evaluator;
import cn.crb.domain.evaluation.RecognitionCase;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.domain.standards.StandardsLibrary;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.StandardsRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inbox: every cached case with its time left on the current step (from the standards version in force on the
 * case's {@code appliedOn}) and the engine's recommended total. Computed offline; blocking, call in the background.
 */
public final class InboxService {
    private static final Logger LOG = LoggerFactory.getLogger(InboxService.class);
    private final CaseRepository cases;
    private final StandardsRepository standards;
    private final Clock clock;
    private final Evaluator evaluator = new Evaluator();
    /** The person on whose workstation the engine runs: the actor of its EVALUATION_RUN entries. */
    private final String actorKeyId;

    public InboxService(ProfileSession session, Clock clock) {
        this.cases = new CaseRepository(session.database(), clock);
        this.actorKeyId = session.summary().keyId();
        this.standards = new StandardsRepository(session.database(), clock);
        this.clock = clock;
    }

    /** One inbox line. {@code recommendedTotal} is null when no standards version applies to the case yet. */
    public record Item(CaseRepository.InboxRow row, Deadlines.TimeLeft timeLeft, BigDecimal recommendedTotal, String standardsVersion) {
        public Item withTotal(BigDecimal total) { return new Item(row, timeLeft, total, standardsVersion); }
    }

    /** Every cached case, with the recommendations not yet computed computed and stored first (may take a while for many). */
    public List<Item> load() {
        Snapshot s = snapshot();
        Map<String, BigDecimal> computed = computeRecommendations(s.missing());
        return s.items().stream().map(i -> computed.containsKey(i.row().caseId()) ? i.withTotal(computed.get(i.row().caseId())) : i).toList();
    }

    /**
     * The inbox at once: every cached case with its time left and its stored recommendation; {@code missing} lists the
     * cases whose recommendation is still to be computed ({@link #computeRecommendations}), so a large pull does not
     * keep the person waiting for the list.
     */
    public record Snapshot(List<Item> items, List<String> missing) {}

    public Snapshot snapshot() {
        long t0 = System.nanoTime();
        StandardsLibrary library = standards.library();
        Instant now = clock.instant();
        List<CaseRepository.InboxRow> rows = cases.inbox();
        List<String> missing = new ArrayList<>();
        List<Item> out = new ArrayList<>(rows.size());
        for (CaseRepository.InboxRow r : rows) {
            Optional<StandardsBundle> bundle = library.inForceOn(r.appliedOn());
            if (r.recommendedTotal() == null && bundle.isPresent()) missing.add(r.caseId());
            Deadlines.TimeLeft left = Deadlines.timeLeft(r.step(), r.stepStartedAt() == null ? null : r.stepStartedAt().toInstant(),
                    bundle.map(StandardsBundle::workflow).orElse(null), now, r.clock());
            out.add(new Item(r, left, r.recommendedTotal(), bundle.map(b -> b.version().toString()).orElse(null)));
        }
        LOG.info("inbox of {} cases read in {} ms, {} recommendations to compute", out.size(), (System.nanoTime() - t0) / 1_000_000, missing.size());
        return new Snapshot(out, missing);
    }

    /** Evaluates the given cases under the version in force on their appliedOn and stores the totals; returns them. */
    public Map<String, BigDecimal> computeRecommendations(List<String> caseIds) {
        if (caseIds.isEmpty()) return Map.of();
        StandardsLibrary library = standards.library();
        java.util.Map<String, CaseRepository.Recommendation> computed = new java.util.HashMap<>();
        for (var e : cases.caseJsons(caseIds).entrySet()) {
            try {
                RecognitionCase c = RecognitionCase.fromJson(e.getValue());
                library.inForceOn(c.appliedOn()).ifPresent(b -> {
                    Evaluation ev = evaluator.evaluate(b, c);
                    computed.put(e.getKey(), new CaseRepository.Recommendation(e.getKey(), c.revision(), ev.total(), b.version().toString()));
                });
            } catch (IllegalArgumentException ex) {
                LOG.warn("case {} cannot be evaluated: {}", e.getKey(), ex.getMessage());
            }
        }
        cases.storeRecommendations(new ArrayList<>(computed.values()), actorKeyId);
        Map<String, BigDecimal> totals = new java.util.HashMap<>();
        computed.forEach((k, v) -> totals.put(k, v.total()));
        return totals;
    }

    /** Evaluates one case against the version in force on its appliedOn. */
    public Optional<Evaluation> evaluate(String caseId) {
        StandardsLibrary library = standards.library();
        return cases.caseJson(caseId).flatMap(json -> {
            RecognitionCase c = RecognitionCase.fromJson(json);
            return library.inForceOn(c.appliedOn()).map(b -> evaluator.evaluate(b, c));
        });
    }
}
