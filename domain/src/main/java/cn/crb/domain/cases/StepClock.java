package cn.crb.domain.cases;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Whether the clock of a case's current step runs, read from the case document (contract 03):
 * <ul>
 *   <li>{@link State#CLOSED} — the case ended at this step ({@code closed}: rejected at REVIEW, declined at CONVERSION):
 *       nobody has anything left to do before a deadline;</li>
 *   <li>{@link State#PAUSED} — the reviewer requested materials ({@code awaitingMaterials}, or a history event
 *       {@code MATERIALS_REQUESTED} with nothing after it): "pauses the REVIEW clock until the materials arrive";</li>
 *   <li>{@link State#RUNNING} — otherwise, with {@link #pausedBefore} the time the step was paused earlier (from each
 *       {@code MATERIALS_REQUESTED} event to the next entry of the history, the new revision that brought the
 *       materials), which moves its deadline by as much.</li>
 * </ul>
 */
public record StepClock(State state, Duration pausedBefore) {
    public enum State { RUNNING, PAUSED, CLOSED }

    public static final StepClock RUNNING = new StepClock(State.RUNNING, Duration.ZERO);

    public StepClock {
        if (pausedBefore == null || pausedBefore.isNegative()) pausedBefore = Duration.ZERO;
    }

    /** The clock of {@code caseDoc}'s current step. */
    public static StepClock of(JsonNode caseDoc) {
        if (caseDoc == null) return RUNNING;
        if (caseDoc.path("closed").asBoolean(false)) return new StepClock(State.CLOSED, Duration.ZERO);
        Instant started = instant(caseDoc.path("stepStartedAt").asText(null));
        String step = caseDoc.path("step").asText("");
        Duration paused = Duration.ZERO;
        Instant pausedAt = null;
        for (JsonNode h : caseDoc.path("history")) {
            Instant at = instant(h.path("at").asText(null));
            if (at == null || started != null && at.isBefore(started) || !step.equals(h.path("step").asText(step))) continue;
            if (pausedAt != null) {
                // the next entry after the request: the materials arrived (a new revision), the clock runs again
                if (at.isAfter(pausedAt)) paused = paused.plus(Duration.between(pausedAt, at));
                pausedAt = null;
            }
            if ("MATERIALS_REQUESTED".equals(h.path("event").asText())) pausedAt = at;
        }
        if (pausedAt != null || caseDoc.path("awaitingMaterials").asBoolean(false)) return new StepClock(State.PAUSED, paused);
        return new StepClock(State.RUNNING, paused);
    }

    private static Instant instant(String s) {
        if (s == null || s.isEmpty()) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
