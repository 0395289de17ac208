package cn.crb.domain.arbitration;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.evaluation.Credits;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signed documents of an arbitration (contract 03): a member's {@code creditbank.vote/1} and the chair's
 * {@code creditbank.arbitration/1}, and the panel as the platform sends it inside a case
 * ({@code arbitration.panel[{personId, displayName, institution, chair, keyIds[]}]}).
 */
public final class ArbitrationDocuments {
    public static final String VOTE_TYPE = "creditbank.vote/1";
    public static final String RESULT_TYPE = "creditbank.arbitration/1";

    private ArbitrationDocuments() {}

    /** A panel member as the platform lists them: every key the person has enrolled may sign for them. */
    public record Member(PanelMember member, List<String> keyIds) {
        public Member {
            keyIds = List.copyOf(keyIds);
        }

        public boolean holds(String keyId) { return keyIds.contains(keyId); }
    }

    /**
     * The panel of the case's arbitration. A member's session identity ({@link PanelMember#keyId()}) is their first
     * enrolled key, or {@code person:<id>} while they have none (they cannot sign then).
     */
    public static List<Member> panel(JsonNode arbitration) {
        List<Member> out = new ArrayList<>();
        for (JsonNode m : arbitration.path("panel")) {
            List<String> keys = new ArrayList<>();
            for (JsonNode k : m.path("keyIds")) keys.add(k.asText());
            String personId = m.path("personId").asText();
            String id = keys.isEmpty() ? "person:" + personId : keys.getFirst();
            out.add(new Member(new PanelMember(personId, id, m.path("displayName").asText(personId),
                    m.path("institution").isTextual() ? m.path("institution").asText() : null, m.path("chair").asBoolean(false)), keys));
        }
        return out;
    }

    /** The vote as signed: {@code memberKeyId} is the key that signs it. */
    public static ObjectNode votePayload(String caseId, String arbitrationId, String signingKeyId, Vote v) {
        ObjectNode p = Json.object();
        p.put("caseId", caseId);
        p.put("arbitrationId", arbitrationId);
        p.put("memberKeyId", signingKeyId);
        p.put("position", v.position().name());
        if (v.position() == Position.AMEND) p.set("amendedLines", lines(v.amendedLines()));
        p.put("reason", v.reason() == null ? "" : v.reason().strip());
        return p;
    }

    /** The vote a signed {@code creditbank.vote/1} carries, under the member's session identity. */
    public static Vote vote(JsonNode payload, String memberId) {
        Map<String, BigDecimal> amended = new LinkedHashMap<>();
        for (JsonNode l : payload.path("amendedLines")) amended.put(l.path("outcomeId").asText(), new BigDecimal(l.path("grantedCredits").asText()));
        return new Vote(memberId, Position.valueOf(payload.path("position").asText()), amended, payload.path("reason").asText(""));
    }

    /**
     * The chair's result: the panel, who recused (every key of theirs), the signed votes of the deciding round, the
     * outcome, the final lines (the amended lines for AMEND, the decision's lines as they stand for UPHOLD; an empty
     * list for OVERTURN, which sets the decision aside for the platform to act on), the minutes and the closing time.
     */
    public static ObjectNode resultPayload(ArbitrationSession s, List<Member> panel, List<Envelope> votes, ArbitrationSession.Decided outcome,
                                           JsonNode decisionLines, String minutes, Instant closedAt) {
        ObjectNode p = Json.object();
        p.put("caseId", s.caseId());
        p.put("arbitrationId", s.arbitrationId());
        ArrayNode pn = p.putArray("panel");
        ArrayNode rec = p.putArray("recused");
        for (Member m : panel) {
            ObjectNode n = pn.addObject();
            n.put("personId", m.member().personId());
            n.put("displayName", m.member().displayName());
            if (m.member().institution() == null) n.putNull("institution"); else n.put("institution", m.member().institution());
            n.put("chair", m.member().chair());
            ArrayNode keys = n.putArray("keyIds");
            m.keyIds().forEach(keys::add);
            if (s.recused().contains(m.member().keyId())) m.keyIds().forEach(rec::add);
        }
        ArrayNode vs = p.putArray("votes");
        for (Envelope e : votes) vs.add(e.toJson());
        p.put("outcome", outcome.position().name());
        p.put("decidedByChair", outcome.byChair());
        switch (outcome.position()) {
            case AMEND -> p.set("finalLines", lines(outcome.amendedLines()));
            case UPHOLD -> p.set("finalLines", decisionLines == null || decisionLines.isMissingNode() ? Json.array() : decisionLines.deepCopy());
            // contract 03 lists finalLines in every result; an overturned decision leaves no lines standing
            case OVERTURN -> p.set("finalLines", Json.array());
        }
        p.put("minutes", minutes == null ? "" : minutes);
        p.put("closedAt", Envelope.timestamp(closedAt));
        return p;
    }

    private static ArrayNode lines(Map<String, BigDecimal> amended) {
        ArrayNode a = Json.array();
        amended.forEach((k, v) -> a.addObject().put("outcomeId", k).put("grantedCredits", Credits.format(v)));
        return a;
    }
}
