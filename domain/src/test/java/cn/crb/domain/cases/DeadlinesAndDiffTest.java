package cn.crb.domain.cases;

import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.domain.standards.StandardsDiff;
import cn.crb.domain.standards.Workflow;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlinesAndDiffTest {
    private static final Workflow WF = new Workflow(Map.of("REVIEW", 15, "CONVERSION", 10), true, new Workflow.Arbitration(3, 3, 15));
    private static final Instant START = Instant.parse("2026-11-01T02:00:00Z");

    @Test
    void timeLeftCountsCalendarDaysFromTheStepStart() {
        Deadlines.TimeLeft t = Deadlines.timeLeft("REVIEW", START, WF, Instant.parse("2026-11-10T02:00:00Z"), false);
        assertThat(t.deadline()).isEqualTo(Instant.parse("2026-11-16T02:00:00Z"));
        assertThat(t.left()).isEqualTo(Duration.ofDays(6));
        assertThat(t.urgency()).isEqualTo(Deadlines.Urgency.ON_TRACK);
        assertThat(Deadlines.timeLeft("REVIEW", START, WF, Instant.parse("2026-11-14T03:00:00Z"), false).urgency()).isEqualTo(Deadlines.Urgency.DUE_SOON);
        assertThat(Deadlines.timeLeft("REVIEW", START, WF, Instant.parse("2026-11-15T20:00:00Z"), false).urgency()).isEqualTo(Deadlines.Urgency.DUE_TODAY);
        Deadlines.TimeLeft over = Deadlines.timeLeft("REVIEW", START, WF, Instant.parse("2026-11-17T02:00:00Z"), false);
        assertThat(over.urgency()).isEqualTo(Deadlines.Urgency.OVERDUE);
        assertThat(over.left()).isEqualTo(Duration.ofDays(-1));
        assertThat(Deadlines.timeLeft("REVIEW", START, WF, Instant.parse("2026-12-30T00:00:00Z"), true).urgency()).isEqualTo(Deadlines.Urgency.PAUSED);
        assertThat(Deadlines.timeLeft("APPLICATION", START, WF, START, false).urgency()).isEqualTo(Deadlines.Urgency.NO_DEADLINE);
        assertThat(over.sortKey()).isLessThan(t.sortKey());
    }

    @Test
    void requestingMaterialsPausesTheReviewClockAndTheTimePausedMovesTheDeadline() {
        // day 4 of 15: the reviewer's REQUEST_MATERIALS is accepted (a new revision, same step, the clock paused)
        ObjectNode c = Json.object().put("step", "REVIEW").put("stepStartedAt", "2026-11-01T02:00:00Z");
        ArrayNode h = c.putArray("history");
        h.addObject().put("at", "2026-10-30T08:00:00Z").put("step", "APPLICATION").put("by", "learner");
        h.addObject().put("at", "2026-11-01T02:00:00Z").put("step", "REVIEW").put("by", "platform");
        h.addObject().put("at", "2026-11-05T02:00:00Z").put("step", "REVIEW").put("by", "P-1").put("event", "MATERIALS_REQUESTED");
        c.put("awaitingMaterials", true);
        StepClock paused = StepClock.of(c);
        assertThat(paused.state()).isEqualTo(StepClock.State.PAUSED);
        Deadlines.TimeLeft t = Deadlines.timeLeft("REVIEW", START, WF, Instant.parse("2026-11-20T00:00:00Z"), paused);
        assertThat(t.urgency()).as("not overdue on day 19: the clock stopped on day 4").isEqualTo(Deadlines.Urgency.PAUSED);
        assertThat(t.left()).isNull();

        // the materials arrive ten days later (the next revision's history entry): 11 of the 15 days are left from then
        c.remove("awaitingMaterials");
        h.addObject().put("at", "2026-11-15T02:00:00Z").put("step", "REVIEW").put("by", "learner").put("event", "MATERIALS_RECEIVED");
        StepClock running = StepClock.of(c);
        assertThat(running).isEqualTo(new StepClock(StepClock.State.RUNNING, Duration.ofDays(10)));
        Deadlines.TimeLeft after = Deadlines.timeLeft("REVIEW", START, WF, Instant.parse("2026-11-20T02:00:00Z"), running);
        assertThat(after.deadline()).isEqualTo(Instant.parse("2026-11-26T02:00:00Z"));
        assertThat(after.left()).isEqualTo(Duration.ofDays(6));

        // a pause of an earlier REVIEW period (before this step started) does not count
        c.put("stepStartedAt", "2026-11-16T00:00:00Z");
        assertThat(StepClock.of(c).pausedBefore()).isEqualTo(Duration.ZERO);

        // the request alone in the history (the flag not sent) pauses as well
        ObjectNode only = Json.object().put("step", "REVIEW").put("stepStartedAt", "2026-11-01T02:00:00Z");
        only.putArray("history").addObject().put("at", "2026-11-05T02:00:00Z").put("step", "REVIEW").put("event", "MATERIALS_REQUESTED");
        assertThat(StepClock.of(only).state()).isEqualTo(StepClock.State.PAUSED);
    }

    @Test
    void aCaseClosedAtItsStepHasNoDeadline() {
        // rejected at REVIEW: the step stays REVIEW, but nothing is left to do before its deadline
        ObjectNode c = Json.object().put("step", "REVIEW").put("stepStartedAt", "2026-11-01T02:00:00Z").put("closed", true).put("closedReason", "REJECTED");
        Deadlines.TimeLeft t = Deadlines.timeLeft("REVIEW", START, WF, Instant.parse("2026-12-30T00:00:00Z"), StepClock.of(c));
        assertThat(t.urgency()).isEqualTo(Deadlines.Urgency.NO_DEADLINE);
        assertThat(t.sortKey()).isEqualTo(Long.MAX_VALUE);
        assertThat(StepClock.of(Json.object().put("step", "REVIEW"))).isEqualTo(StepClock.RUNNING);
    }

    @Test
    void diffListsAddedRemovedAndChangedEntries() throws Exception {
        ObjectNode p;
        try (InputStream in = getClass().getResourceAsStream("/examples/standards-2026.1.json")) {
            p = (ObjectNode) Json.parse(in.readAllBytes());
        }
        ObjectNode next = p.deepCopy();
        next.put("version", "2027.1").put("effectiveFrom", "2027-01-01").put("supersedes", "2026.1");
        ArrayNode cat = next.withArray("catalogue");
        String removedCode = cat.get(0).path("code").asText();
        cat.remove(0);
        cat.addObject().put("code", "AC-NEW-001").put("category", "ACADEMIC").put("name", "新课程").put("qfLevel", 4)
                .put("status", "ACTIVE").putNull("retiredOn");
        ((ObjectNode) next.withArray("conversionRules").get(0)).put("maxCredits", "9");
        ((ObjectNode) next.get("limits")).put("maxCreditsPerApplication", "40");

        List<StandardsDiff.Change> d = StandardsDiff.between(StandardsBundle.fromPayload(p), StandardsBundle.fromPayload(next));
        assertThat(d).anySatisfy(c -> assertThat(c).extracting("section", "key", "kind").containsExactly("catalogue", removedCode, StandardsDiff.Kind.REMOVED));
        assertThat(d).anySatisfy(c -> assertThat(c).extracting("section", "key", "kind").containsExactly("catalogue", "AC-NEW-001", StandardsDiff.Kind.ADDED));
        assertThat(d).anySatisfy(c -> {
            assertThat(c.section()).isEqualTo("conversionRules");
            assertThat(c.kind()).isEqualTo(StandardsDiff.Kind.CHANGED);
            assertThat(c.after()).contains("\"maxCredits\":\"9\"");
            assertThat(c.summary()).endsWith("→ \"9\"").startsWith("maxCredits: ");
        });
        assertThat(d).anySatisfy(c -> assertThat(c).extracting("section", "key", "kind")
                .containsExactly("limits", "limits.maxCreditsPerApplication", StandardsDiff.Kind.CHANGED));
        assertThat(d).hasSize(4);
        assertThat(StandardsDiff.between(StandardsBundle.fromPayload(p), StandardsBundle.fromPayload(p))).isEmpty();
    }
}
