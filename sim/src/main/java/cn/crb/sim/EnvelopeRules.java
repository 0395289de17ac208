package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each envelope type means to the platform: which roles may sign it, what must hold for it to be accepted,
 * and what it changes. Called inside the intake transaction after the signatures verified.
 */
final class EnvelopeRules {
    static final Map<String, Set<String>> ROLES_BY_TYPE = Map.of(
            "creditbank.decision/1", Set.of("REVIEWER", "CLERK"),
            "creditbank.vote/1", Set.of("PANEL_MEMBER", "PANEL_CHAIR"),
            "creditbank.arbitration/1", Set.of("PANEL_CHAIR"),
            "creditbank.objection/1", Person.ROLES,
            "creditbank.submission-batch/1", Set.of("CLERK"),
            "creditbank.audit-checkpoint/1", Person.ROLES);
    static final Set<String> PLATFORM_TYPES = Set.of("creditbank.standards/1", "creditbank.tree-head/1", "creditbank.profile/1");
    private static final Set<String> REVIEW_VERDICTS = Set.of("APPROVE", "APPROVE_PARTIAL", "REJECT", "REQUEST_MATERIALS");
    private static final Set<String> INSPECTION_VERDICTS = Set.of("CONFIRMED", "IRREGULAR");
    private static final Set<String> CONVERSION_VERDICTS = Set.of("CONFIRM", "DECLINE");
    private static final Set<String> POSITIONS = Set.of("UPHOLD", "AMEND", "OVERTURN");

    /** A verified signer of the envelope. */
    record Signer(String keyId, String role, Person person) {}

    private final Standards standards;

    EnvelopeRules(Standards standards) {
        this.standards = standards;
    }

    /** Applies an envelope whose signatures verified; throws a refusal when it cannot be accepted. */
    void apply(Tx tx, Envelope env, List<Signer> signers, Instant now) throws SQLException, Refusal {
        JsonNode p = env.payload();
        switch (env.type()) {
            case "creditbank.decision/1" -> decision(tx, p, signers.getFirst(), now);
            case "creditbank.vote/1" -> vote(tx, p, signers.getFirst());
            case "creditbank.arbitration/1" -> arbitrationResult(tx, p, signers.getFirst(), now);
            case "creditbank.objection/1" -> objection(tx, p, now);
            case "creditbank.submission-batch/1" -> require(p, "batchId", "rowCount", "fileSm3", "chunkSm3s");
            case "creditbank.audit-checkpoint/1" -> require(p, "seq", "hash", "at");
            default -> throw Refusal.rejected("MALFORMED", "unknown type " + env.type());
        }
    }

    private void decision(Tx tx, JsonNode p, Signer signer, Instant now) throws SQLException, Refusal {
        require(p, "caseId", "caseRevision", "standardsVersion", "verdict", "decidedAt");
        if (!p.get("caseRevision").canConvertToInt()) throw Refusal.rejected("MALFORMED", "caseRevision must be an integer");
        Cases.Stored s = caseOf(tx, p);
        String verdict = p.path("verdict").asText();
        if (s.withdrawn()) throw Refusal.conflict("CASE_WITHDRAWN", "case " + s.caseId() + " was withdrawn");
        if (!standards.has(tx, p.path("standardsVersion").asText())) {
            throw Refusal.rejected("STANDARDS_VERSION_UNKNOWN", "no standards version " + p.path("standardsVersion").asText());
        }
        checkLines(p);
        ObjectNode doc = s.doc();
        String by = signer.person().personId();
        if (REVIEW_VERDICTS.contains(verdict) || INSPECTION_VERDICTS.contains(verdict)) {
            if (!signer.role().equals("REVIEWER")) throw Refusal.rejected("ROLE_NOT_ALLOWED", "a " + verdict + " decision is a reviewer's");
            if (!Cases.assignees(tx, s.caseId()).contains(by)) throw Refusal.rejected("NOT_ASSIGNED", "case " + s.caseId() + " is not assigned to " + by);
            String step = REVIEW_VERDICTS.contains(verdict) ? "REVIEW" : "INSPECTION";
            checkRevision(s, p, step);
            switch (verdict) {
                case "APPROVE", "APPROVE_PARTIAL" -> Workflow.advance(tx, withDecision(doc, p), "CONVERSION", now, by, verdict);
                case "REJECT" -> {
                    ObjectNode d = withDecision(doc, p);
                    d.put("closed", true);
                    d.put("closedReason", "REJECTED");
                    Workflow.advance(tx, d, "REVIEW", now, by, "REJECTED");
                }
                case "REQUEST_MATERIALS" -> {
                    ObjectNode d = withDecision(doc, p);
                    d.put("awaitingMaterials", true);
                    Workflow.advance(tx, d, "REVIEW", now, by, "MATERIALS_REQUESTED");
                }
                default -> Workflow.advance(tx, withDecision(doc, p), "ARCHIVE", now, by, "INSPECTION_" + verdict);
            }
        } else if (CONVERSION_VERDICTS.contains(verdict)) {
            if (!signer.role().equals("CLERK")) throw Refusal.rejected("ROLE_NOT_ALLOWED", "a " + verdict + " response is a clerk's");
            if (!s.receivingInstitution().equals(signer.person().institution())) {
                throw Refusal.rejected("NOT_ASSIGNED", "only clerks of " + s.receivingInstitution() + " respond on " + s.caseId());
            }
            checkRevision(s, p, "CONVERSION");
            if (verdict.equals("DECLINE") && p.path("comment").asText("").isBlank() && p.path("reason").asText("").isBlank()) {
                throw Refusal.rejected("MALFORMED", "a DECLINE needs a reason (comment)");
            }
            int days = standards.payload(p.path("standardsVersion").asText()).map(b -> b.path("workflow").path("deadlineDays").path("CONVERSION").asInt(10)).orElse(10);
            boolean deemed = standards.payload(p.path("standardsVersion").asText()).map(b -> b.path("workflow").path("deemedConsent").asBoolean(true)).orElse(true);
            if (deemed && Instant.parse(s.doc().path("stepStartedAt").asText()).plus(Duration.ofDays(days)).isBefore(now)) {
                Workflow.advance(tx, doc, "PUBLIC_NOTICE", now, "platform", "DEEMED_CONSENT");
                throw Refusal.conflict("DEADLINE_PASSED", "the conversion deadline passed; the platform recorded deemed consent");
            }
            if (verdict.equals("CONFIRM")) {
                Workflow.advance(tx, doc, "PUBLIC_NOTICE", now, by, "CONFIRMED");
            } else {
                ObjectNode d = doc.deepCopy();
                d.put("closed", true);
                d.put("closedReason", "DECLINED");
                d.put("declineReason", p.path("comment").asText("").isBlank() ? p.path("reason").asText() : p.path("comment").asText());
                Workflow.advance(tx, d, "CONVERSION", now, by, "DECLINED");
            }
        } else {
            throw Refusal.rejected("MALFORMED", "unknown verdict " + verdict);
        }
    }

    private static ObjectNode withDecision(ObjectNode doc, JsonNode p) {
        ObjectNode d = doc.deepCopy();
        d.remove("awaitingMaterials");
        ObjectNode dec = d.putObject("decision");
        dec.put("verdict", p.path("verdict").asText());
        dec.put("standardsVersion", p.path("standardsVersion").asText());
        if (p.has("totalGranted")) dec.set("totalGranted", p.get("totalGranted"));
        if (p.has("lines")) dec.set("lines", p.get("lines"));
        return d;
    }

    private static void checkRevision(Cases.Stored s, JsonNode p, String step) throws Refusal {
        int rev = p.path("caseRevision").asInt();
        if (rev != s.revision()) throw Refusal.conflict("STALE_REVISION", "case " + s.caseId() + " is at revision " + s.revision() + ", the decision is on " + rev);
        if (!s.step().equals(step) || s.doc().path("closed").asBoolean(false)) {
            throw Refusal.conflict("STALE_REVISION", "case " + s.caseId() + " is in " + s.step() + (s.doc().path("closed").asBoolean(false) ? " (closed)" : "") + ", not " + step);
        }
    }

    private static void checkLines(JsonNode p) throws Refusal {
        JsonNode lines = p.get("lines");
        if (lines == null || lines.isNull()) return;
        if (!lines.isArray()) throw Refusal.rejected("MALFORMED", "lines must be an array");
        for (JsonNode l : lines) {
            JsonNode rec = l.get("recommendedCredits");
            JsonNode granted = l.get("grantedCredits");
            if (rec == null || granted == null || rec.isNull() || granted.isNull()) continue;
            try {
                String reason = l.path("reason").isTextual() ? l.path("reason").asText() : "";
                if (new BigDecimal(rec.asText()).compareTo(new BigDecimal(granted.asText())) != 0 && reason.isBlank()) {
                    throw Refusal.rejected("MALFORMED", "line " + l.path("outcomeId").asText() + ": granted differs from recommended without a reason");
                }
            } catch (NumberFormatException e) {
                throw Refusal.rejected("MALFORMED", "line " + l.path("outcomeId").asText() + ": credits must be decimals written as strings");
            }
        }
    }

    private void vote(Tx tx, JsonNode p, Signer signer) throws SQLException, Refusal {
        require(p, "caseId", "arbitrationId", "memberKeyId", "position");
        Cases.Stored s = caseOf(tx, p);
        JsonNode arb = openArbitration(s, p);
        if (!POSITIONS.contains(p.path("position").asText())) throw Refusal.rejected("MALFORMED", "position must be one of " + POSITIONS);
        if (!p.path("memberKeyId").asText().equals(signer.keyId())) throw Refusal.rejected("MALFORMED", "memberKeyId is not the signer's key");
        if (!Workflow.isPanelMember(tx, arb.path("arbitrationId").asText(), signer.person().personId(), false)) {
            throw Refusal.rejected("NOT_ASSIGNED", signer.person().personId() + " is not on the panel of " + arb.path("arbitrationId").asText());
        }
    }

    private void arbitrationResult(Tx tx, JsonNode p, Signer signer, Instant now) throws SQLException, Refusal {
        require(p, "caseId", "arbitrationId", "votes", "outcome", "closedAt");
        Cases.Stored s = caseOf(tx, p);
        JsonNode arb = openArbitration(s, p);
        String arbitrationId = arb.path("arbitrationId").asText();
        if (!Workflow.isPanelMember(tx, arbitrationId, signer.person().personId(), true)) {
            throw Refusal.rejected("NOT_ASSIGNED", signer.person().personId() + " does not chair " + arbitrationId);
        }
        Set<String> recused = new HashSet<>();
        for (JsonNode r : p.path("recused")) recused.add(r.isTextual() ? r.asText() : r.path("keyId").asText(r.path("personId").asText()));
        // contract 03: a member whose institution issued any outcome of the case, or receives it, must recuse
        Set<String> conflicted = new HashSet<>();
        for (JsonNode o : s.doc().path("outcomes")) if (o.hasNonNull("issuer")) conflicted.add(o.path("issuer").asText());
        if (s.doc().path("programme").hasNonNull("institution")) conflicted.add(s.doc().path("programme").path("institution").asText());
        Map<String, Integer> tally = new HashMap<>();
        Set<String> voters = new HashSet<>();
        List<JsonNode> amendments = new java.util.ArrayList<>();
        String chairPosition = null;
        for (JsonNode v : p.path("votes")) {
            Envelope vote;
            try {
                vote = Envelope.fromJson(v);
            } catch (IllegalArgumentException e) {
                throw Refusal.rejected("MALFORMED", "a vote is not an envelope: " + e.getMessage());
            }
            if (!vote.type().equals("creditbank.vote/1")) throw Refusal.rejected("MALFORMED", "votes[] must hold creditbank.vote/1 envelopes");
            var check = vote.verify((keyId, role) -> {
                try {
                    Enrolments.EnrolledKey k = Enrolments.key(tx, keyId);
                    return k != null && k.person().has(role) && (role.equals("PANEL_MEMBER") || role.equals("PANEL_CHAIR"))
                            && Workflow.isPanelMember(tx, arbitrationId, k.person().personId(), false) ? k.publicKey() : null;
                } catch (SQLException e) {
                    throw new Db.StoreException(e);
                }
            });
            if (!check.ok()) throw Refusal.rejected("BAD_SIGNATURE".equals(check.code()) ? "BAD_SIGNATURE" : "UNKNOWN_KEY", "vote: " + check.detail());
            String member = vote.signatures().getFirst().keyId();
            JsonNode vp = vote.payload();
            if (!arbitrationId.equals(vp.path("arbitrationId").asText()) || !s.caseId().equals(vp.path("caseId").asText())) {
                throw Refusal.rejected("MALFORMED", "a vote of another arbitration or case");
            }
            if (!member.equals(vp.path("memberKeyId").asText())) throw Refusal.rejected("MALFORMED", "a vote's memberKeyId is not its signer's key");
            Person voter = Enrolments.key(tx, member).person();
            if (recused.contains(member)) throw Refusal.rejected("MALFORMED", "votes[] holds the vote of a member listed as recused");
            if (voter.institution() != null && conflicted.contains(voter.institution())) {
                throw Refusal.rejected("MALFORMED", "votes[] holds the vote of " + voter.personId() + ", whose institution " + voter.institution() + " must recuse");
            }
            if (!voters.add(voter.personId())) throw Refusal.rejected("MALFORMED", "votes[] holds two votes of " + voter.personId());
            String position = vp.path("position").asText();
            if (!POSITIONS.contains(position)) throw Refusal.rejected("MALFORMED", "position must be one of " + POSITIONS);
            if (position.equals("AMEND")) amendments.add(vp.path("amendedLines"));
            tally.merge(position, 1, Integer::sum);
            if (Enrolments.key(tx, member).person().personId().equals(signer.person().personId())) chairPosition = position;
        }
        int quorum = standards.inForce(java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC))
                .map(b -> b.path("workflow").path("arbitration").path("quorum").asInt(3)).orElse(3);
        if (voters.size() < quorum) throw Refusal.rejected("MALFORMED", "no quorum: " + voters.size() + " votes, " + quorum + " needed");
        int max = tally.values().stream().max(Integer::compare).orElse(0);
        List<String> leaders = tally.entrySet().stream().filter(e -> e.getValue() == max).map(Map.Entry::getKey).toList();
        String winner = leaders.size() == 1 ? leaders.getFirst() : leaders.contains(chairPosition) ? chairPosition : null;
        if (winner == null || !winner.equals(p.path("outcome").asText())) {
            throw Refusal.rejected("MALFORMED", "the outcome " + p.path("outcome").asText() + " does not follow from the votes " + tally);
        }
        if (winner.equals("AMEND")) {
            // contract 03: AMEND requires the amended lines of the winning AMEND votes to agree
            Map<String, java.math.BigDecimal> agreed = credits(amendments.getFirst());
            for (JsonNode l : amendments) {
                if (agreed.isEmpty() || !credits(l).equals(agreed)) throw Refusal.rejected("MALFORMED", "the AMEND votes' amended lines do not agree");
            }
            if (!credits(p.path("finalLines")).equals(agreed)) throw Refusal.rejected("MALFORMED", "finalLines are not the agreed amended lines");
        }
        ObjectNode doc = s.doc().deepCopy();
        ObjectNode a = ((ObjectNode) doc.get("arbitration"));
        a.put("state", "FINAL");
        a.put("outcome", winner);
        a.put("closedAt", p.path("closedAt").asText());
        if (p.has("finalLines")) a.set("finalLines", p.get("finalLines"));
        tx.update("UPDATE arbitration SET state = 'FINAL', doc = ? WHERE arbitration_id = ?", Json.write(a), arbitrationId);
        doc.remove("closed");
        doc.remove("closedReason");
        Workflow.advance(tx, doc, "ARCHIVE", now, signer.person().personId(), "ARBITRATION_" + winner);
    }

    /** Lines {@code [{outcomeId, grantedCredits}]} as outcome → credits, compared by value (2 = 2.0). */
    private static Map<String, java.math.BigDecimal> credits(JsonNode lines) throws Refusal {
        Map<String, java.math.BigDecimal> m = new java.util.TreeMap<>();
        try {
            for (JsonNode l : lines) m.put(l.path("outcomeId").asText(), new java.math.BigDecimal(l.path("grantedCredits").asText()).stripTrailingZeros());
        } catch (NumberFormatException e) {
            throw Refusal.rejected("MALFORMED", "credits must be decimals written as strings");
        }
        return m;
    }

    private static JsonNode openArbitration(Cases.Stored s, JsonNode p) throws Refusal {
        if (s.withdrawn()) throw Refusal.conflict("CASE_WITHDRAWN", "case " + s.caseId() + " was withdrawn");
        JsonNode arb = Workflow.arbitration(s.doc());
        if (arb == null || !arb.path("arbitrationId").asText().equals(p.path("arbitrationId").asText())) {
            throw Refusal.rejected("MALFORMED", "case " + s.caseId() + " has no arbitration " + p.path("arbitrationId").asText());
        }
        if ("FINAL".equals(arb.path("state").asText())) throw Refusal.conflict("ARBITRATION_FINAL", "arbitration " + arb.path("arbitrationId").asText() + " is final");
        return arb;
    }

    private void objection(Tx tx, JsonNode p, Instant now) throws SQLException, Refusal {
        require(p, "caseId", "raisedBy", "raisedAt", "grounds");
        Cases.Stored s = caseOf(tx, p);
        String refusal = Objections.refusal(s);
        if (refusal != null) throw Refusal.conflict(refusal, "no objection can be opened on " + s.caseId() + " now");
        int days = standards.inForce(java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC))
                .map(b -> b.path("workflow").path("arbitration").path("deadlineDays").asInt(Workflow.DEFAULT_ARBITRATION_DAYS)).orElse(Workflow.DEFAULT_ARBITRATION_DAYS);
        Workflow.openArbitration(tx, s.doc(), p, now, days);
    }

    private static Cases.Stored caseOf(Tx tx, JsonNode p) throws SQLException, Refusal {
        String id = p.path("caseId").asText();
        return Cases.find(tx, id).orElseThrow(() -> Refusal.rejected("MALFORMED", "unknown case " + id));
    }

    private static void require(JsonNode p, String... fields) throws Refusal {
        for (String f : fields) {
            if (p.get(f) == null || p.get(f).isNull()) throw Refusal.rejected("MALFORMED", "payload." + f + " is required");
        }
    }
}
