package cn.crb.app.cases;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.domain.cases.Deadlines;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Pkcs12Keystore;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.decision.Verdict;
import cn.crb.domain.evaluation.Evaluation;
import cn.crb.domain.evaluation.Evaluator;
import cn.crb.domain.evaluation.RecognitionCase;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.DecisionRepository;
import cn.crb.localdb.OutboxRepository;
import cn.crb.localdb.StandardsRepository;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * One case for review: its document, the engine's recommendation under the version in force on {@code appliedOn},
 * the draft decision, and signing. Blocking: call from background tasks.
 */
public final class CaseService {
    private final ProfileSession session;
    private final ProfileService profiles;
    private final CaseRepository cases;
    private final StandardsRepository standards;
    private final DecisionRepository decisions;
    private final Clock clock;
    private final Evaluator evaluator = new Evaluator();
    private final cn.crb.localdb.ArbitrationRepository arbitrations;

    public CaseService(ProfileSession session, ProfileService profiles, Clock clock) {
        this.session = session;
        this.profiles = profiles;
        this.clock = clock;
        this.cases = new CaseRepository(session.database(), clock);
        this.standards = new StandardsRepository(session.database(), clock);
        this.decisions = new DecisionRepository(session.database(), clock);
        this.arbitrations = new cn.crb.localdb.ArbitrationRepository(session.database(), clock);
    }

    /** Why no objection can be raised on the case now, or empty when one can (contract 03; final arbitrations refuse it). */
    public Optional<cn.crb.domain.arbitration.Objections.Refusal> objectionRefusal(String caseId) {
        JsonNode doc = cases.caseJson(caseId).orElseThrow(() -> new IllegalArgumentException("no case " + caseId));
        return cn.crb.domain.arbitration.Objections.refusal(doc, cases.isWithdrawn(caseId), arbitrations.closedHere(caseId),
                arbitrations.objectionQueued(caseId));
    }

    /**
     * Raises an objection (contract 03, {@code creditbank.objection/1}) signed with the person's own key, queued with its
     * audit entry in one transaction. Refused, before the key is opened, when the case admits none.
     */
    public Envelope raiseObjection(String caseId, String grounds, char[] passphrase) throws ProfileException {
        var refusal = objectionRefusal(caseId);
        if (refusal.isPresent()) {
            cn.crb.domain.crypto.Passphrases.wipe(passphrase);
            throw new ProfileException(refusal.get() == cn.crb.domain.arbitration.Objections.Refusal.ARBITRATION_FINAL
                    ? ProfileException.Reason.ARBITRATION_FINAL : ProfileException.Reason.OBJECTION_REFUSED, refusal.get().name(), null);
        }
        if (grounds == null || grounds.isBlank()) {
            cn.crb.domain.crypto.Passphrases.wipe(passphrase);
            throw new IllegalArgumentException("an objection needs its grounds");
        }
        Pkcs12Keystore.Unlocked key;
        try {
            key = profiles.openSigningKey(session.summary().id(), passphrase);
        } finally {
            cn.crb.domain.crypto.Passphrases.wipe(passphrase);
        }
        Instant now = clock.instant();
        com.fasterxml.jackson.databind.node.ObjectNode p = cn.crb.domain.json.Json.object();
        p.put("caseId", caseId);
        p.put("raisedBy", session.summary().personId());
        p.put("raisedAt", Envelope.timestamp(now));
        p.put("grounds", grounds.strip());
        p.putArray("evidence");
        Envelope env = Envelope.unsigned("creditbank.objection/1", p).sign(key.privateKey(), key.publicKey(), session.summary().roles().getFirst(), now);
        arbitrations.queueObjection(caseId, env, key.keyId());
        return env;
    }

    /** Everything the case screen shows. {@code evaluation} is empty when no standards version applies yet. */
    public record CaseDetail(JsonNode document, RecognitionCase recognitionCase, Optional<Evaluation> evaluation,
                             Optional<StandardsBundle> bundle, Optional<Decision> decision, DecisionRepository.State state,
                             Deadlines.TimeLeft timeLeft, boolean institutionResponse, boolean inspection, NoAction noAction,
                             Integer draftCarriedFrom, OutboxRepository.Entry refusal) {
        /** Whether the person can decide on this revision of the case here and now. */
        public boolean actionable() { return noAction == null; }
    }

    /**
     * Why there is nothing for the person to decide on a case as it stands (contract 03: the workstation shows and
     * allows only what a person's roles allow, at the step that is theirs): the form is then shown read-only.
     */
    public enum NoAction {
        /** The case ended at its step (rejected, declined). */
        CLOSED,
        /** The reviewer asked for materials; the case waits for them (a new revision brings them). */
        AWAITING_MATERIALS,
        /** The case is at a step where someone else acts (the learner, the receiving institution, the platform, the public). */
        NOT_THIS_STEP,
        /** The step is one this person's roles do not act in (e.g. a clerk on a case in review). */
        ROLE,
        /** A conversion answered by the receiving institution's clerks, and this clerk's institution is another. */
        OTHER_INSTITUTION,
        /**
         * The time to answer a conversion has run out and the standards make that consent (contract 03, deemed consent):
         * the platform records it and refuses a late answer (DEADLINE_PASSED).
         */
        DEEMED_CONSENT,
        /**
         * As {@link #DEEMED_CONSENT}, but this clerk signed an answer in time that has not reached the platform: an answer
         * counts when it reaches the platform (contract 03), so the platform records the consent and refuses it.
         */
        DEEMED_CONSENT_ANSWER_UNSENT
    }

    /**
     * Why a person with {@code roles} at {@code institution} has nothing to decide on {@code doc} now, or null when they
     * do. {@code deemedConsent}: the standards in force make an overdue conversion consented; {@code left}: the step's
     * time left (null when not known).
     */
    static NoAction noAction(JsonNode doc, java.util.Collection<String> roles, String institution, boolean deemedConsent, Deadlines.TimeLeft left) {
        if (doc.path("closed").asBoolean(false)) return NoAction.CLOSED;
        String step = doc.path("step").asText("");
        return switch (step) {
            case "REVIEW" -> !roles.contains("REVIEWER") ? NoAction.ROLE
                    : cn.crb.domain.cases.StepClock.of(doc).state() == cn.crb.domain.cases.StepClock.State.PAUSED ? NoAction.AWAITING_MATERIALS : null;
            case "INSPECTION" -> roles.contains("REVIEWER") ? null : NoAction.ROLE;
            case "CONVERSION" -> {
                if (!roles.contains("CLERK")) yield NoAction.NOT_THIS_STEP;
                String receiving = doc.path("programme").path("institution").asText("");
                if (!receiving.isEmpty() && !receiving.equals(institution)) yield NoAction.OTHER_INSTITUTION;
                yield deemedConsent && left != null && left.urgency() == Deadlines.Urgency.OVERDUE ? NoAction.DEEMED_CONSENT : null;
            }
            default -> NoAction.NOT_THIS_STEP;
        };
    }

    /**
     * {@code noAction} corrected for this person's own answer to a conversion, signed on this revision before the time
     * ran out: taken by the platform, it stands (the case shows it as signed, not as deemed consent); still in the
     * outbox, it comes too late ({@link NoAction#DEEMED_CONSENT_ANSWER_UNSENT}).
     */
    private NoAction answeredInTime(NoAction noAction, Optional<DecisionRepository.Stored> stored) {
        if (noAction != NoAction.DEEMED_CONSENT) return noAction;
        Optional<OutboxRepository.State> sent = stored.filter(x -> x.state() == DecisionRepository.State.SIGNED && x.envelopeSm3() != null)
                .flatMap(x -> new OutboxRepository(session.database(), clock).state(x.envelopeSm3()));
        if (sent.isEmpty()) return noAction;
        return switch (sent.get()) {
            case ACCEPTED, DUPLICATE -> null;
            case QUEUED, SENDING -> NoAction.DEEMED_CONSENT_ANSWER_UNSENT;
            default -> noAction;
        };
    }

    public CaseDetail open(String caseId) {
        JsonNode doc = cases.caseJson(caseId).orElseThrow(() -> new IllegalArgumentException("no case " + caseId));
        RecognitionCase rc = RecognitionCase.fromJson(doc);
        Optional<StandardsBundle> bundle = standards.library().inForceOn(rc.appliedOn());
        Optional<Evaluation> ev = bundle.map(b -> evaluator.evaluate(b, rc));
        // (a document changed under the same revision may hold other outcomes than the draft was made for)
        Optional<DecisionRepository.Stored> stored = decisions.find(caseId, rc.revision()).filter(s -> sameOutcomes(s.decision(), rc));
        String started = doc.path("stepStartedAt").asText(null);
        Deadlines.TimeLeft left = Deadlines.timeLeft(doc.path("step").asText(null),
                started == null || started.isEmpty() ? null : OffsetDateTime.parse(started).toInstant(),
                bundle.map(StandardsBundle::workflow).orElse(null), clock.instant(), cn.crb.domain.cases.StepClock.of(doc));
        NoAction noAction = answeredInTime(noAction(doc, session.summary().roles(), session.summary().institution(),
                bundle.map(b -> b.workflow().deemedConsent()).orElse(false), left), stored);
        if (stored.isEmpty() && noAction != null) {
            // nothing to decide on this revision: what this person signed last on the case is shown (read-only), when its
            // lines are this revision's outcomes — e.g. the request for materials the case now waits on — and the
            // platform did not refuse it (a refused act is not the one that stands; the outbox shows the refusal)
            OutboxRepository outbox = new OutboxRepository(session.database(), clock);
            stored = decisions.latestSigned(caseId).filter(s -> sameOutcomes(s.decision(), rc))
                    .filter(s -> outbox.state(s.envelopeSm3()).map(st -> !st.needsPerson() && st != OutboxRepository.State.DISCARDED).orElse(true));
        }
        cases.clearReevaluation(caseId);
        // a clerk of the receiving institution answers a case in CONVERSION: confirm, or decline with a reason
        boolean institutionResponse = "CONVERSION".equals(doc.path("step").asText()) && session.summary().roles().contains("CLERK");
        // an archived case re-opened by the platform for a random quality check: CONFIRMED, or IRREGULAR with findings
        boolean inspection = "INSPECTION".equals(doc.path("step").asText());
        Optional<Decision> decision = stored.map(DecisionRepository.Stored::decision)
                // nothing to decide and nothing of this person's: what was decided on the case, read-only and with no
                // verdict of this person's (the granted credits were shown empty, the total 0)
                .or(() -> noAction != null && hasDecidedLines(doc)
                        ? ev.map(e -> asDecided(Decision.fromRecommendation(caseId, rc.revision(), e), doc).withVerdict(null)) : Optional.empty())
                .or(() -> noAction != null ? Optional.empty() : ev.map(e -> {
                    Decision fresh = Decision.fromRecommendation(caseId, rc.revision(), e);
                    // the clerk confirms, and the inspector checks, the conversion as decided — the reviewer's granted
                    // credits and reasons — not the engine's recommendation, which the reviewer may have changed
                    if (institutionResponse || inspection) fresh = asDecided(fresh, doc);
                    return institutionResponse ? fresh.withVerdict(Verdict.CONFIRM) : inspection ? fresh.withVerdict(Verdict.CONFIRMED) : fresh;
                }));
        // a new revision arrived while the reviewer had a draft on an older one (materials came in, the case changed):
        // what they typed is carried over, to be checked against this revision, rather than hidden behind a fresh form
        Integer carriedFrom = null;
        if (stored.isEmpty() && noAction == null && !institutionResponse && !inspection && decision.isPresent()) {
            // this revision's own draft, made before its document changed (other outcomes), comes before an older one
            Optional<DecisionRepository.Stored> older = decisions.find(caseId, rc.revision())
                    .filter(x -> x.state() == DecisionRepository.State.DRAFT)
                    .or(() -> decisions.latestDraftBefore(caseId, rc.revision()));
            if (older.isPresent()) {
                decision = Optional.of(decision.get().withDraftOf(older.get().decision()));
                carriedFrom = older.get().decision().caseRevision();
            }
        }
        // the person's signed act on this revision, refused by the platform: shown with why, and what to do next
        OutboxRepository.Entry refusal = stored.filter(x -> x.state() == DecisionRepository.State.SIGNED && x.envelopeSm3() != null)
                .flatMap(x -> new OutboxRepository(session.database(), clock).entry(x.envelopeSm3()))
                .filter(e -> e.state().needsPerson()).orElse(null);
        return new CaseDetail(doc, rc, ev, bundle, decision, stored.map(DecisionRepository.Stored::state).orElse(DecisionRepository.State.DRAFT),
                left, institutionResponse, inspection, noAction, carriedFrom, refusal);
    }

    /** What the standards in force for the case allow to be granted on it (no limits without them). */
    cn.crb.domain.decision.GrantLimits grantLimits(String caseId) {
        RecognitionCase rc = RecognitionCase.fromJson(cases.caseJson(caseId).orElseThrow(() -> new IllegalArgumentException("no case " + caseId)));
        return standards.library().inForceOn(rc.appliedOn()).map(b -> cn.crb.domain.decision.GrantLimits.of(b, rc))
                .orElse(cn.crb.domain.decision.GrantLimits.NONE);
    }

    private static boolean sameOutcomes(Decision d, RecognitionCase rc) {
        if (d.lines().size() != rc.outcomes().size()) return false;
        for (int i = 0; i < d.lines().size(); i++) if (!d.lines().get(i).outcomeId().equals(rc.outcomes().get(i).outcomeId())) return false;
        return true;
    }

    /** Whether the case carries lines as decided: a final arbitration that kept credits, or the reviewer's approval. */
    static boolean hasDecidedLines(JsonNode doc) {
        return arbitrationKeptCredits(doc.path("arbitration"))
                || java.util.Set.of("APPROVE", "APPROVE_PARTIAL").contains(doc.path("decision").path("verdict").asText());
    }

    private static boolean arbitrationKeptCredits(JsonNode arbitration) {
        return "FINAL".equals(arbitration.path("state").asText())
                && java.util.Set.of("UPHOLD", "AMEND").contains(arbitration.path("outcome").asText()) && arbitration.path("finalLines").size() > 0;
    }

    /**
     * {@code d} with the lines as decided: after a final arbitration that kept credits (UPHOLD, AMEND), its
     * {@code finalLines}; otherwise the reviewer's approval the case carries ({@code decision}, APPROVE or
     * APPROVE_PARTIAL) — its recommended and granted credits, status, target course, reason and standards version, so
     * that the confirmation repeats the decision rather than mixing it with this workstation's own recommendation
     * (which may come from another standards version). What an arbitration's line leaves out (it carries credits only)
     * is taken from the reviewer's line, and only without one from this workstation's. Without either, {@code d} as
     * recommended.
     */
    static Decision asDecided(Decision d, JsonNode doc) {
        JsonNode decision = doc.path("decision");
        JsonNode arbitration = doc.path("arbitration");
        java.util.Map<String, JsonNode> byOutcome = new java.util.HashMap<>();
        boolean arbitrated = arbitrationKeptCredits(arbitration);
        java.util.Map<String, JsonNode> reviewed = new java.util.HashMap<>();
        for (JsonNode l : decision.path("lines")) reviewed.put(l.path("outcomeId").asText(), l);
        if (arbitrated) {
            for (JsonNode l : arbitration.path("finalLines")) byOutcome.put(l.path("outcomeId").asText(), l);
        } else if (java.util.Set.of("APPROVE", "APPROVE_PARTIAL").contains(decision.path("verdict").asText())) {
            byOutcome.putAll(reviewed);
        } else {
            return d;
        }
        // an amended line carries the credits the panel set, and no reason of its own: the arbitration is its reason
        // (a line granted other than recommended without one is refused, MALFORMED). It is signed content, written in
        // the language of the record (as the platform's notices are), not in the language of this person's screen.
        String byArbitration = "按仲裁结果（" + arbitration.path("arbitrationId").asText("") + "，" + arbitration.path("outcome").asText("") + "）";
        String version = decision.path("standardsVersion").isTextual() ? decision.path("standardsVersion").asText() : d.standardsVersion();
        List<cn.crb.domain.decision.DecisionLine> lines = new java.util.ArrayList<>();
        for (cn.crb.domain.decision.DecisionLine l : d.lines()) {
            JsonNode decided = byOutcome.get(l.outcomeId());
            try {
                if (decided == null || !decided.path("grantedCredits").isTextual()) {
                    lines.add(l);
                    continue;
                }
                // the recommendation the decision was made against, where the platform's line (or the reviewer's) says
                JsonNode withRecommendation = decided.path("recommendedCredits").isTextual() ? decided : reviewed.getOrDefault(l.outcomeId(), decided);
                java.math.BigDecimal recommended = withRecommendation.path("recommendedCredits").isTextual()
                        ? new java.math.BigDecimal(withRecommendation.path("recommendedCredits").asText()) : l.recommendedCredits();
                java.math.BigDecimal granted = new java.math.BigDecimal(decided.path("grantedCredits").asText());
                String reason = decided.path("reason").isTextual() ? decided.path("reason").asText()
                        : arbitrated && granted.compareTo(recommended) != 0 ? byArbitration : null;
                // what the decided line leaves out (an arbitration's line carries credits only) is the reviewer's, and
                // only without that this workstation's own
                JsonNode review = reviewed.get(l.outcomeId());
                String status = decided.path("status").isTextual() ? decided.path("status").asText()
                        : review != null && review.path("status").isTextual() ? review.path("status").asText() : l.status();
                JsonNode withCourse = decided.has("targetCourse") ? decided : review != null && review.has("targetCourse") ? review : null;
                String targetCourse = withCourse == null ? l.targetCourse()
                        : withCourse.path("targetCourse").isTextual() ? withCourse.path("targetCourse").asText() : null;
                lines.add(new cn.crb.domain.decision.DecisionLine(l.outcomeId(), status, recommended, granted, targetCourse, reason));
            } catch (NumberFormatException e) {
                lines.add(l); // a line the platform wrote unreadably stays as recommended; the person sees both columns
            }
        }
        return new Decision(d.caseId(), d.caseRevision(), version, d.verdict(), lines, d.comment(), d.privateNote());
    }

    /** Writes the printable notice (决定书) of the case's signed decision as PDF; see {@link cn.crb.app.print.NoticeService}. */
    public cn.crb.app.print.NoticeService.Printed exportNotice(String caseId, java.util.Locale locale, java.nio.file.Path out) throws ProfileException {
        return new cn.crb.app.print.NoticeService(session, clock).decisionNotice(caseId, locale, out);
    }

    public void saveDraft(Decision d) {
        decisions.saveDraft(d, session.summary().keyId());
    }

    /**
     * Signs the decision with the person's own key (the passphrase opens the keystore; it is not kept) and, in one
     * local transaction, stores it, queues the envelope in the outbox and audits it. Returns the envelope.
     */
    public Envelope sign(Decision d, char[] passphrase) throws ProfileException {
        String role = d.verdict() == Verdict.CONFIRM || d.verdict() == Verdict.DECLINE ? "CLERK" : "REVIEWER";
        if (!session.summary().roles().contains(role)) {
            cn.crb.domain.crypto.Passphrases.wipe(passphrase); // refused before it is used: not left in memory either
            throw new ProfileException(ProfileException.Reason.ROLE_NOT_HELD, role, null);
        }
        // the limits of the standards are checked here too, not only by the form: nothing past them is signed
        List<Decision.Problem> problems = d.isInstitutionResponse() || d.isInspection() ? d.problems() : d.problems(grantLimits(d.caseId()));
        if (!problems.isEmpty()) {
            cn.crb.domain.crypto.Passphrases.wipe(passphrase);
            throw new IllegalArgumentException("the decision cannot be signed: " + problems);
        }
        Pkcs12Keystore.Unlocked key;
        try {
            key = profiles.openSigningKey(session.summary().id(), passphrase);
        } finally {
            cn.crb.domain.crypto.Passphrases.wipe(passphrase);
        }
        if (!key.keyId().equals(session.summary().keyId())) {
            throw new ProfileException(ProfileException.Reason.STORAGE, "the keystore holds another key than the enrolled one", null);
        }
        Instant now = clock.instant();
        Envelope env = Envelope.unsigned("creditbank.decision/1", d.payload(now)).sign(key.privateKey(), key.publicKey(), role, now);
        decisions.sign(d, env, session.summary().keyId());
        return env;
    }
}
