package cn.crb.sim;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

/**
 * The seeded demo world: 205 cases across every step, built with a fixed random seed from the current bundle,
 * with {@code stepStartedAt} spread around each step's deadline (some overdue, some due within two days) relative
 * to the simulated clock at seeding; REVIEW cases assigned to the two demo reviewers (three quarters to the
 * first), INSPECTION cases to the first; cases past REVIEW visible to the reviewer who decided them and to the
 * receiving institution's clerks, each carrying its reviewer's decision (approved as the engine recommends under the
 * standards in force when it was applied); one case in PUBLIC_NOTICE with an objection and an open arbitration before the
 * five-member panel (one member, of NJU-CE, has to recuse: an outcome is issued by NJU-CE).
 */
final class World {
    static final long SEED = 20261125L;
    /** How many cases to generate in one step. */
    record StepPlan(String step, int count) {}

    /** Cases per step, in the order they are generated. */
    static final List<StepPlan> PLAN = List.of(
            new StepPlan("APPLICATION", 20), new StepPlan("REVIEW", 90), new StepPlan("CONVERSION", 30),
            new StepPlan("PUBLIC_NOTICE", 25), new StepPlan("ARCHIVE", 25), new StepPlan("INSPECTION", 15));

    private World() {}

    static void seed(Tx tx, JsonNode bundle, Instant now) throws SQLException {
        Random random = new Random(SEED);
        CaseFactory factory = new CaseFactory(random, bundle);
        Person reviewer = DemoPeople.all(tx).stream().filter(p -> p.has("REVIEWER")).findFirst().orElseThrow();
        Person reviewer2 = DemoPeople.all(tx).stream().filter(p -> p.has("REVIEWER")).skip(1).findFirst().orElse(reviewer);
        JsonNode deadlines = bundle.path("workflow").path("deadlineDays");
        // the standards the platform holds, to decide the cases past REVIEW as their reviewer did (no random draw: the
        // world is otherwise the same as before they carried a decision)
        cn.crb.domain.standards.StandardsLibrary library = new cn.crb.domain.standards.StandardsLibrary();
        if (bundle instanceof ObjectNode current) library.add(cn.crb.domain.standards.StandardsBundle.fromPayload(Standards.previousDemoPayload(current)));
        library.add(cn.crb.domain.standards.StandardsBundle.fromPayload(bundle));
        int year = LocalDate.ofInstant(now, ZoneOffset.UTC).getYear();
        int seq = 0;
        ObjectNode arbitrationCandidate = null;
        for (StepPlan plan : PLAN) {
            String step = plan.step();
            int count = plan.count();
            int days = deadlines.path(step).asInt(step.equals("INSPECTION") ? 30 : 15);
            for (int i = 0; i < count; i++) {
                String caseId = String.format("C-%d-%06d", year, ++seq);
                Instant started = startedAt(random, now, step, days, i);
                Person decidedBy = step.equals("REVIEW") ? (i % 4 == 3 ? reviewer2 : reviewer) : (random.nextInt(4) == 0 ? reviewer2 : reviewer);
                ObjectNode c = factory.create(tx, caseId, step, started, decidedBy.personId());
                if (PAST_REVIEW.contains(step)) reviewersDecision(c, library).ifPresent(d -> c.set("decision", d));
                List<String> assignees = switch (step) {
                    case "REVIEW" -> List.of(decidedBy.personId());
                    case "INSPECTION" -> List.of(reviewer.personId());
                    default -> List.of();
                };
                List<String> audience = switch (step) {
                    case "APPLICATION", "REVIEW", "INSPECTION" -> List.of();
                    default -> {
                        List<String> a = new java.util.ArrayList<>();
                        a.add(decidedBy.personId());
                        Workflow.clerksOf(tx, c.path("programme").path("institution").asText()).forEach(p -> a.add(p.personId()));
                        yield a;
                    }
                };
                Cases.insert(tx, c, assignees, audience);
                if (step.equals("PUBLIC_NOTICE") && arbitrationCandidate == null && onlyNjuCeConflicts(c)) arbitrationCandidate = c;
            }
        }
        if (arbitrationCandidate == null) throw new IllegalStateException("seed produced no PUBLIC_NOTICE case with an NJU-CE outcome");
        ObjectNode objection = Json.object();
        objection.put("caseId", arbitrationCandidate.path("caseId").asText());
        objection.put("raisedBy", "learner");
        objection.put("raisedAt", cn.crb.domain.crypto.Envelope.timestamp(now.minus(Duration.ofDays(2))));
        objection.put("grounds", "申请人认为课程学时计算有误，认定学分偏少，请求复核。");
        objection.putArray("evidence");
        Workflow.openArbitration(tx, Cases.find(tx, arbitrationCandidate.path("caseId").asText()).orElseThrow().doc(), objection,
                now.minus(Duration.ofDays(1)), bundle.path("workflow").path("arbitration").path("deadlineDays").asInt(Workflow.DEFAULT_ARBITRATION_DAYS));
    }

    /** The steps a case reaches only after the platform accepted its reviewer's decision. */
    private static final java.util.Set<String> PAST_REVIEW = java.util.Set.of("CONVERSION", "PUBLIC_NOTICE", "ARCHIVE", "INSPECTION");

    /**
     * The reviewer's decision the case carries past REVIEW, as the platform records an accepted one
     * ({@code EnvelopeRules}: verdict, standards version, total and lines): the engine's recommendation under the
     * standards in force on the day applied, approved as recommended. Without it a demo clerk confirmed, and a read-only
     * case showed, no granted credits. None where the engine grants nothing: that decision would have been a REJECT, which
     * ends a case at REVIEW (such a seeded case is left as it was drawn, without a decision).
     */
    private static java.util.Optional<ObjectNode> reviewersDecision(ObjectNode c, cn.crb.domain.standards.StandardsLibrary library) {
        cn.crb.domain.evaluation.RecognitionCase rc = cn.crb.domain.evaluation.RecognitionCase.fromJson(c);
        cn.crb.domain.standards.StandardsBundle b = library.inForceOn(rc.appliedOn()).orElseThrow(
                () -> new IllegalStateException("no demo standards in force on " + rc.appliedOn() + " for " + rc.caseId()));
        cn.crb.domain.evaluation.Evaluation ev = new cn.crb.domain.evaluation.Evaluator().evaluate(b, rc);
        if (ev.total().signum() <= 0) return java.util.Optional.empty();
        cn.crb.domain.decision.Decision d = cn.crb.domain.decision.Decision.fromRecommendation(rc.caseId(), rc.revision(), ev)
                .withVerdict(cn.crb.domain.decision.Verdict.APPROVE);
        ObjectNode p = d.payload(Instant.EPOCH);
        ObjectNode dec = Json.object();
        dec.put("verdict", p.path("verdict").asText());
        dec.put("standardsVersion", p.path("standardsVersion").asText());
        dec.set("totalGranted", p.get("totalGranted"));
        dec.set("lines", p.get("lines"));
        return java.util.Optional.of(dec);
    }

    /**
     * The demo arbitration needs exactly one recusal (陈静 of NJU-CE) so that the other four can reach the quorum:
     * an outcome issued by NJU-CE, and neither an issuer nor the receiving institution among the other panel
     * members' institutions (SHOU, JSVC-01, GDIA).
     */
    private static boolean onlyNjuCeConflicts(JsonNode c) {
        if (!issuedBy(c, "NJU-CE")) return false;
        java.util.Set<String> others = java.util.Set.of("SHOU", "JSVC-01", "GDIA");
        if (others.contains(c.path("programme").path("institution").asText())) return false;
        for (JsonNode o : c.path("outcomes")) if (others.contains(o.path("issuer").asText())) return false;
        return true;
    }

    private static boolean issuedBy(JsonNode c, String institution) {
        for (JsonNode o : c.path("outcomes")) if (institution.equals(o.path("issuer").asText())) return true;
        return false;
    }

    /** Spread around the deadline: the first three overdue, the next three due within two days, the rest anywhere. */
    private static Instant startedAt(Random random, Instant now, String step, int days, int i) {
        long minutes;
        if (i < 3) minutes = (days + 1 + random.nextInt(4)) * 1440L + random.nextInt(1440);
        else if (i < 6) minutes = (days - 2) * 1440L + random.nextInt(1440);
        else minutes = random.nextInt((days + 5) * 1440);
        if (step.equals("APPLICATION")) minutes = random.nextInt(3 * 1440);
        return now.minus(Duration.ofMinutes(Math.max(1, minutes))).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
}
