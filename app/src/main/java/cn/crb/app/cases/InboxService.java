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

    public InboxService(ProfileSession session, Clock clock) {
        this.cases = new CaseRepository(session.database(), clock);
        this.standards = new StandardsRepository(session.database(), clock);
        this.clock = clock;
    }

    /** One inbox line. {@code recommendedTotal} is null when no standards version applies to the case yet. */
    public record Item(CaseRepository.InboxRow row, Deadlines.TimeLeft timeLeft, BigDecimal recommendedTotal, String standardsVersion) {}

    public List<Item> load() {
        long t0 = System.nanoTime();
        StandardsLibrary library = standards.library();
        Instant now = clock.instant();
        List<CaseRepository.InboxRow> rows = cases.inbox();
        // recommendations not yet computed for the current revision (new or updated cases) are computed once and stored
        List<String> missing = rows.stream().filter(r -> r.recommendedTotal() == null && library.inForceOn(r.appliedOn()).isPresent())
                .map(CaseRepository.InboxRow::caseId).toList();
        java.util.Map<String, CaseRepository.Recommendation> computed = new java.util.HashMap<>();
        if (!missing.isEmpty()) {
            for (var e : cases.caseJsons(missing).entrySet()) {
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
            cases.storeRecommendations(new ArrayList<>(computed.values()));
        }
        List<Item> out = new ArrayList<>(rows.size());
        for (CaseRepository.InboxRow r : rows) {
            Optional<StandardsBundle> bundle = library.inForceOn(r.appliedOn());
            Deadlines.TimeLeft left = Deadlines.timeLeft(r.step(), r.stepStartedAt() == null ? null : r.stepStartedAt().toInstant(),
                    bundle.map(StandardsBundle::workflow).orElse(null), now, "MATERIALS_REQUESTED".equals(r.localState()));
            CaseRepository.Recommendation fresh = computed.get(r.caseId());
            BigDecimal total = fresh != null ? fresh.total() : r.recommendedTotal();
            out.add(new Item(r, left, total, bundle.map(b -> b.version().toString()).orElse(null)));
        }
        LOG.info("inbox of {} cases computed in {} ms", out.size(), (System.nanoTime() - t0) / 1_000_000);
        return out;
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
