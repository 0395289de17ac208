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
