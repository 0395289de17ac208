package cn.crb.domain.arbitration;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * When an objection ({@code creditbank.objection/1}) may be raised on a case (contract 03): during PUBLIC_NOTICE or
 * after a REJECT at REVIEW, never while an arbitration is open, and never once an arbitration is final.
 */
public final class Objections {
    /** Why no objection can be raised now. */
    public enum Refusal { ARBITRATION_FINAL, ARBITRATION_OPEN, WRONG_STEP, WITHDRAWN, ALREADY_RAISED }

    private Objections() {}

    /**
     * @param closedHere      an arbitration result for the case was signed on this workstation (final even before the
     *                        platform's copy of the case says so)
     * @param alreadyQueued   an objection on the case is already in this workstation's outbox
     */
    public static Optional<Refusal> refusal(JsonNode caseDoc, boolean withdrawn, boolean closedHere, boolean alreadyQueued) {
        JsonNode arb = caseDoc.path("arbitration");
        if (closedHere || arb.isObject() && "FINAL".equals(arb.path("state").asText())) return Optional.of(Refusal.ARBITRATION_FINAL);
        if (withdrawn) return Optional.of(Refusal.WITHDRAWN);
        if (arb.isObject()) return Optional.of(Refusal.ARBITRATION_OPEN);
        if (alreadyQueued) return Optional.of(Refusal.ALREADY_RAISED);
        boolean rejected = caseDoc.path("closed").asBoolean(false) && "REJECTED".equals(caseDoc.path("closedReason").asText());
        if (!"PUBLIC_NOTICE".equals(caseDoc.path("step").asText()) && !rejected) return Optional.of(Refusal.WRONG_STEP);
        return Optional.empty();
    }
}
