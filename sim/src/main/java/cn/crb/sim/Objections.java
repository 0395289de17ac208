package cn.crb.sim;

import cn.crb.sim.http.Problem;
import com.fasterxml.jackson.databind.JsonNode;

/** When an objection may open an arbitration (contract 03): during PUBLIC_NOTICE or after a REJECT, and never after a final arbitration. */
final class Objections {
    private Objections() {}

    /** The reason the objection cannot be accepted, as a contract code, or null when it can. */
    static String refusal(Cases.Stored s) {
        if (s.withdrawn()) return "CASE_WITHDRAWN";
        JsonNode arb = Workflow.arbitration(s.doc());
        if (arb != null) return "ARBITRATION_FINAL".equals(arb.path("state").asText()) || "FINAL".equals(arb.path("state").asText()) ? "ARBITRATION_FINAL" : "ARBITRATION_OPEN";
        boolean rejected = s.doc().path("closed").asBoolean(false) && "REJECTED".equals(s.doc().path("closedReason").asText());
        if (!s.step().equals("PUBLIC_NOTICE") && !rejected) return "STALE_REVISION";
        return null;
    }

    static void check(Cases.Stored s) {
        String r = refusal(s);
        if (r != null) throw new Problem(409, r, "Conflict", "no objection can be opened on " + s.caseId() + " now (" + r + ")");
    }
}
