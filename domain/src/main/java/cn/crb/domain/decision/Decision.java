package cn.crb.domain.decision;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.evaluation.Credits;
import cn.crb.domain.evaluation.Evaluation;
import cn.crb.domain.evaluation.EvaluationLine;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A reviewer's decision on one case revision (contract 03, {@code creditbank.decision/1}). {@link #problems()} lists what
 * stops it from being signed; {@link #payload(Instant)} is exactly what is signed. The private note is never part of
 * the payload.
 */
public record Decision(String caseId, int caseRevision, String standardsVersion, Verdict verdict, List<DecisionLine> lines,
                       String comment, String privateNote) {
    public Decision {
        lines = List.copyOf(lines);
    }

    /** A first draft: every line granted as recommended, verdict APPROVE when something is granted, else REJECT. */
    public static Decision fromRecommendation(String caseId, int revision, Evaluation e) {
        List<DecisionLine> lines = new ArrayList<>();
        for (EvaluationLine l : e.lines()) {
            lines.add(new DecisionLine(l.outcomeId(), l.status().name(), l.credits(), l.credits(), l.targetCourse(), null));
        }
        Verdict v = e.total().signum() > 0 ? Verdict.APPROVE : Verdict.REJECT;
        return new Decision(caseId, revision, e.standardsVersion().toString(), v, lines, "", "");
    }

    /**
     * A problem that stops signing: a message key, the outcome it concerns (null for the whole decision) and, for a
     * limit passed, the limit (else null).
     */
    public record Problem(String code, String outcomeId, BigDecimal limit) {
        public Problem(String code, String outcomeId) {
            this(code, outcomeId, null);
        }
    }

    /** True for the receiving institution's CONFIRM/DECLINE, which answers the reviewer's decision rather than grading lines. */
    public boolean isInstitutionResponse() {
        return verdict == Verdict.CONFIRM || verdict == Verdict.DECLINE;
    }

    /** True for an inspection's CONFIRMED/IRREGULAR, which judges an archived case rather than grading lines anew. */
    public boolean isInspection() {
        return verdict == Verdict.CONFIRMED || verdict == Verdict.IRREGULAR;
    }

    private boolean grantsNothing() {
        return verdict == Verdict.REJECT || verdict == Verdict.REQUEST_MATERIALS || verdict == Verdict.DECLINE;
    }

    public BigDecimal totalGranted() {
        if (grantsNothing()) return BigDecimal.ZERO;
        return lines.stream().map(l -> l.grantedCredits() == null ? BigDecimal.ZERO : l.grantedCredits()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** As {@link #problems(GrantLimits)} without the standards' limits. */
    public List<Problem> problems() {
        return problems(GrantLimits.NONE);
    }

    /**
     * What stops this decision from being signed; for an approval, also the granted credits that pass the standards'
     * {@code limits} ({@code GRANTED_NOT_ON_STEP}, {@code GRANTED_ABOVE_RULE} per line, {@code TOTAL_ABOVE_CAP}).
     */
    public List<Problem> problems(GrantLimits limits) {
        List<Problem> out = new ArrayList<>();
        if (verdict == null) out.add(new Problem("VERDICT_REQUIRED", null));
        if (verdict != null && isInstitutionResponse()) {
            if (verdict == Verdict.DECLINE && (comment == null || comment.isBlank())) out.add(new Problem("DECLINE_REASON_REQUIRED", null));
            return out;
        }
        if (verdict != null && isInspection()) {
            if (verdict == Verdict.IRREGULAR && (comment == null || comment.isBlank())) out.add(new Problem("FINDINGS_REQUIRED", null));
            return out;
        }
        boolean anyDiffers = false;
        for (DecisionLine l : lines) {
            if (verdict == Verdict.REJECT || verdict == Verdict.REQUEST_MATERIALS) break;
            if (l.grantedCredits() == null) {
                out.add(new Problem("GRANTED_REQUIRED", l.outcomeId()));
                continue;
            }
            if (l.grantedCredits().signum() < 0) out.add(new Problem("GRANTED_NEGATIVE", l.outcomeId()));
            else if (!limits.onStep(l.grantedCredits())) out.add(new Problem("GRANTED_NOT_ON_STEP", l.outcomeId(), limits.roundingStep()));
            BigDecimal max = limits.lineMax().get(l.outcomeId());
            if (max != null && l.grantedCredits().compareTo(max) > 0) out.add(new Problem("GRANTED_ABOVE_RULE", l.outcomeId(), max));
            if (l.differs()) {
                anyDiffers = true;
                if (l.reason() == null || l.reason().isBlank()) out.add(new Problem("REASON_REQUIRED", l.outcomeId()));
            }
        }
        if (verdict == Verdict.APPROVE && anyDiffers) out.add(new Problem("APPROVE_MUST_MATCH", null));
        if (limits.cap() != null && (verdict == Verdict.APPROVE || verdict == Verdict.APPROVE_PARTIAL) && totalGranted().compareTo(limits.cap()) > 0) {
            out.add(new Problem("TOTAL_ABOVE_CAP", null, limits.cap()));
        }
        if ((verdict == Verdict.APPROVE || verdict == Verdict.APPROVE_PARTIAL) && totalGranted().signum() == 0) {
            out.add(new Problem("NOTHING_GRANTED", null));
        }
        if ((verdict == Verdict.REJECT || verdict == Verdict.REQUEST_MATERIALS) && (comment == null || comment.isBlank())) {
            out.add(new Problem("COMMENT_REQUIRED", null));
        }
        return out;
    }

    /**
     * What is allowed but probably not meant, for the person to confirm before signing (message keys
     * {@code decision.warning.*}): a partial approval in which every granted credit equals the recommendation
     * ({@code PARTIAL_UNCHANGED}; the contract allows it, but it reads as an approval).
     */
    public List<String> warnings() {
        if (verdict != Verdict.APPROVE_PARTIAL || lines.isEmpty()) return List.of();
        return lines.stream().anyMatch(DecisionLine::differs) ? List.of() : List.of("PARTIAL_UNCHANGED");
    }

    /** The signed payload, {@code decidedAt} in RFC 3339 UTC with milliseconds. */
    public ObjectNode payload(Instant decidedAt) {
        ObjectNode p = Json.object();
        p.put("caseId", caseId);
        p.put("caseRevision", caseRevision);
        p.put("standardsVersion", standardsVersion);
        p.put("verdict", verdict.name());
        p.put("decidedAt", Envelope.timestamp(decidedAt));
        ArrayNode ls = p.putArray("lines");
        boolean zero = grantsNothing();
        for (DecisionLine l : lines) {
            ObjectNode n = ls.addObject();
            n.put("outcomeId", l.outcomeId());
            n.put("recommendedCredits", Credits.format(l.recommendedCredits()));
            BigDecimal granted = zero ? BigDecimal.ZERO : l.grantedCredits();
            n.put("grantedCredits", Credits.format(granted));
            n.put("status", l.status());
            if (l.targetCourse() == null) n.putNull("targetCourse"); else n.put("targetCourse", l.targetCourse());
            // contract 03: a line granted other than recommended carries a reason; when the whole decision grants nothing
            // (reject, request materials, decline) the decision's comment — required for those verdicts — is that reason
            String reason = l.reason() == null || l.reason().isBlank() ? null : l.reason().strip();
            if (reason == null && zero && l.recommendedCredits().signum() != 0 && comment != null && !comment.isBlank()) reason = comment.strip();
            if (reason == null) n.putNull("reason"); else n.put("reason", reason);
        }
        p.put("totalGranted", Credits.format(totalGranted()));
        p.put("comment", comment == null ? "" : comment.strip());
        if (isInspection()) p.put("findings", comment == null ? "" : comment.strip());
        return p;
    }

    public Decision withVerdict(Verdict v) { return new Decision(caseId, caseRevision, standardsVersion, v, lines, comment, privateNote); }

    public Decision withLine(int index, DecisionLine line) {
        List<DecisionLine> l = new ArrayList<>(lines);
        l.set(index, line);
        return new Decision(caseId, caseRevision, standardsVersion, verdict, l, comment, privateNote);
    }

    public Decision withComment(String c) { return new Decision(caseId, caseRevision, standardsVersion, verdict, lines, c, privateNote); }

    public Decision withPrivateNote(String n) { return new Decision(caseId, caseRevision, standardsVersion, verdict, lines, comment, n); }

    /**
     * JSON of the draft as the person left it, private note included (stored only in the encrypted local database):
     * the lines as typed, also under a verdict that grants nothing — a reviewer who tries REJECT and goes back to a
     * partial approval finds the credits and reasons they typed, not zeros ({@link #signedJson} is what was signed).
     */
    public ObjectNode draftJson() {
        ObjectNode d = Json.object();
        d.put("caseId", caseId);
        d.put("caseRevision", caseRevision);
        d.put("standardsVersion", standardsVersion);
        if (verdict == null) d.putNull("verdict"); else d.put("verdict", verdict.name());
        ArrayNode ls = d.putArray("lines");
        for (DecisionLine l : lines) {
            ObjectNode n = ls.addObject();
            n.put("outcomeId", l.outcomeId());
            n.put("recommendedCredits", Credits.format(l.recommendedCredits()));
            if (l.grantedCredits() == null) n.putNull("grantedCredits"); else n.put("grantedCredits", Credits.format(l.grantedCredits()));
            n.put("status", l.status());
            if (l.targetCourse() == null) n.putNull("targetCourse"); else n.put("targetCourse", l.targetCourse());
            if (l.reason() == null) n.putNull("reason"); else n.put("reason", l.reason());
        }
        d.put("comment", comment == null ? "" : comment);
        d.put("privateNote", privateNote == null ? "" : privateNote);
        return d;
    }

    /**
     * This decision (a fresh draft of a new revision of the case) with what the person had typed on a draft of an
     * older revision: its verdict, comment and private note, and — on each outcome still in the case — the granted
     * credits and reason where they differed from that revision's recommendation. Other lines stay as recommended now.
     */
    public Decision withDraftOf(Decision older) {
        java.util.Map<String, DecisionLine> typed = new java.util.HashMap<>();
        for (DecisionLine l : older.lines()) if (l.differs() || l.reason() != null) typed.put(l.outcomeId(), l);
        List<DecisionLine> ls = new ArrayList<>(lines.size());
        for (DecisionLine l : lines) {
            DecisionLine o = typed.get(l.outcomeId());
            ls.add(o == null ? l : new DecisionLine(l.outcomeId(), l.status(), l.recommendedCredits(), o.grantedCredits(), l.targetCourse(), o.reason()));
        }
        return new Decision(caseId, caseRevision, standardsVersion, older.verdict() == null ? verdict : older.verdict(), ls,
                older.comment(), older.privateNote());
    }

    /**
     * This decision, read back from its signed record, as a draft to decide again (the platform refused it): under a
     * verdict that grants nothing the record holds every line at 0 with the comment as its reason; those lines are put
     * back as recommended, without that reason, so that a reviewer who now approves is asked for reasons of their own.
     */
    public Decision reopened() {
        if (!grantsNothing()) return this;
        String c = comment == null ? null : comment.strip();
        List<DecisionLine> ls = new ArrayList<>(lines.size());
        for (DecisionLine l : lines) {
            boolean copied = l.reason() != null && l.reason().equals(c);
            ls.add(new DecisionLine(l.outcomeId(), l.status(), l.recommendedCredits(), l.recommendedCredits(), l.targetCourse(), copied ? null : l.reason()));
        }
        return new Decision(caseId, caseRevision, standardsVersion, verdict, ls, comment, privateNote);
    }

    /** JSON of the decision as signed (the payload's lines and total) with the private note, for the signed record. */
    public ObjectNode signedJson() {
        ObjectNode d = payload(Instant.EPOCH);
        d.remove("decidedAt");
        d.put("privateNote", privateNote == null ? "" : privateNote);
        return d;
    }

    public static Decision fromDraftJson(com.fasterxml.jackson.databind.JsonNode d) {
        List<DecisionLine> lines = new ArrayList<>();
        for (var n : d.path("lines")) {
            lines.add(new DecisionLine(n.path("outcomeId").asText(), n.path("status").asText(),
                    new BigDecimal(n.path("recommendedCredits").asText("0")),
                    n.path("grantedCredits").isNull() ? null : new BigDecimal(n.path("grantedCredits").asText("0")),
                    n.path("targetCourse").isNull() ? null : n.path("targetCourse").asText(),
                    n.path("reason").isNull() ? null : n.path("reason").asText()));
        }
        return new Decision(d.path("caseId").asText(), d.path("caseRevision").asInt(), d.path("standardsVersion").asText(),
                d.path("verdict").isTextual() ? Verdict.valueOf(d.path("verdict").asText()) : null, lines, d.path("comment").asText(""),
                d.path("privateNote").asText(""));
    }
}
