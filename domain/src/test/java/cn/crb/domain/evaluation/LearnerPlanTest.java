package cn.crb.domain.evaluation;

import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class LearnerPlanTest {
    private static JsonNode res(String p) throws Exception {
        try (InputStream in = LearnerPlanTest.class.getResourceAsStream(p)) {
            return Json.parse(in.readAllBytes());
        }
    }

    @Test
    void outcomesOldestFirstWithTheirFrameworkLevelAndTheCreditsAccumulatedTowardTheProgramme() throws Exception {
        StandardsBundle b = StandardsBundle.fromPayload(res("/examples/standards-2026.1.json"));
        JsonNode doc = res("/examples/cases/C-EX-04.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.path("programme")).put("alreadyTransferredCredits", "6");
        RecognitionCase rc = RecognitionCase.fromJson(doc);
        Evaluation e = new Evaluator().evaluate(b, rc);
        LearnerPlan plan = LearnerPlan.of(rc, b, e);

        assertThat(plan.timeline()).extracting(LearnerPlan.Step::outcomeId).containsExactly("O-4", "O-1", "O-2", "O-3", "O-5", "O-6", "O-8", "O-7");
        assertThat(plan.timeline().getFirst().achievedOn()).isEqualTo(LocalDate.parse("2021-10-07"));
        // running sum: starts at what was transferred before, adds each line's recommendation in time order
        BigDecimal running = new BigDecimal("6");
        for (LearnerPlan.Step s : plan.timeline()) {
            EvaluationLine line = e.lines().stream().filter(l -> l.outcomeId().equals(s.outcomeId())).findFirst().orElseThrow();
            running = running.add(line.credits());
            assertThat(s.credits()).isEqualByComparingTo(line.credits());
            assertThat(s.status()).isEqualTo(line.status());
            assertThat(s.cumulative()).isEqualByComparingTo(running);
        }
        assertThat(plan.recommended()).isEqualByComparingTo(e.total());
        assertThat(plan.afterThisCase()).isEqualByComparingTo(new BigDecimal("6").add(e.total())).isEqualByComparingTo(running);
        assertThat(plan.total()).isEqualByComparingTo("80");
        assertThat(plan.stillToEarn()).isEqualByComparingTo(new BigDecimal("80").subtract(running));
        assertThat(plan.transferCap()).isEqualByComparingTo("32");  // 80 × maxShareOfProgramme 0.4
        assertThat(plan.transferCapLeft()).isEqualByComparingTo(new BigDecimal("32").subtract(running));

        LearnerPlan.Step accounting = plan.timeline().get(1);   // O-1, AC-ACC-102 from TRN-0077
        assertThat(accounting.qfLevel().level()).isEqualTo(4);
        assertThat(accounting.qfLevel().name()).isEqualTo("四级");
        assertThat(accounting.issuerName()).isEqualTo("无锡速成技能培训中心");
        assertThat(plan.timeline().getFirst().issuerName()).isEqualTo("南京大学继续教育学院");
        LearnerPlan.Step unlisted = plan.timeline().stream().filter(s -> s.outcomeId().equals("O-6")).findFirst().orElseThrow();
        assertThat(unlisted.qfLevel()).as("AC-XX-999 is not in the catalogue").isNull();
        LearnerPlan.Step unknownIssuer = plan.timeline().stream().filter(s -> s.outcomeId().equals("O-8")).findFirst().orElseThrow();
        assertThat(unknownIssuer.issuerName()).isNull();
    }

    @Test
    void withoutStandardsTheTimelineStandsWithoutCredits() throws Exception {
        RecognitionCase rc = RecognitionCase.fromJson(res("/examples/cases/C-EX-05.json"));
        LearnerPlan plan = LearnerPlan.of(rc, null, null);
        assertThat(plan.timeline()).hasSize(4).allSatisfy(s -> {
            assertThat(s.credits()).isNull();
            assertThat(s.cumulative()).isNull();
            assertThat(s.qfLevel()).isNull();
        });
        assertThat(plan.timeline().getFirst().previouslyRecognized()).isTrue();
        assertThat(plan.transferCap()).isNull();
        assertThat(plan.stillToEarn()).isEqualByComparingTo("80");
    }
}
