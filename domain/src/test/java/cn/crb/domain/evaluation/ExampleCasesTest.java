package cn.crb.domain.evaluation;

import cn.crb.domain.Examples;
import cn.crb.domain.standards.StandardsBundle;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The published worked examples are normative: every expected field must be reproduced exactly. */
class ExampleCasesTest {
    static final List<String> CASES = Examples.CASES;
    private static final StandardsBundle BUNDLE = Examples.standards();

    @ParameterizedTest(name = "{0}")
    @FieldSource("CASES")
    void reproducesTheExpectedBlock(String id) {
        JsonNode json = Examples.caseJson(id);
        JsonNode expected = json.get("expected");
        Evaluation result = new Evaluator().evaluate(BUNDLE, RecognitionCase.fromJson(json));

        assertThat(result.standardsVersion()).hasToString("2026.1");
        assertThat(result.lines()).hasSize(expected.get("lines").size());
        for (int i = 0; i < result.lines().size(); i++) {
            EvaluationLine line = result.lines().get(i);
            JsonNode want = expected.get("lines").get(i);
            String where = id + " line " + i;
            assertThat(line.outcomeId()).as(where + " outcomeId").isEqualTo(want.get("outcomeId").asText());
            assertThat(line.status().name()).as(where + " status").isEqualTo(want.get("status").asText());
            assertThat(line.creditsText()).as(where + " credits").isEqualTo(want.get("credits").asText());
            assertThat(line.targetCourse()).as(where + " targetCourse").isEqualTo(textOrNull(want.get("targetCourse")));
            assertThat(line.ruleId()).as(where + " ruleId").isEqualTo(textOrNull(want.get("ruleId")));
            assertThat(line.reasons().stream().map(Enum::name).toList()).as(where + " reasons").isEqualTo(texts(want.get("reasons")));
            if (want.has("basis")) assertThat(line.basis()).as(where + " basis").isEqualTo(texts(want.get("basis")));
            assertThat(line.basis()).as(where + " basis cites the version").allMatch(b -> b.startsWith("2026.1:"));
        }
        assertThat(result.totalText()).as(id + " total").isEqualTo(expected.get("total").asText());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("CASES")
    void jsonOutputCarriesTheSameValues(String id) {
        JsonNode json = Examples.caseJson(id);
        JsonNode out = EvaluationJson.toJson(new Evaluator().evaluate(BUNDLE, RecognitionCase.fromJson(json)), false);
        assertThat(out.get("standardsVersion").asText()).isEqualTo("2026.1");
        assertThat(out.get("verified").asBoolean()).isFalse();
        assertThat(out.get("total").asText()).isEqualTo(json.get("expected").get("total").asText());
        for (int i = 0; i < out.get("lines").size(); i++) {
            JsonNode got = out.get("lines").get(i);
            JsonNode want = json.get("expected").get("lines").get(i);
            for (String f : List.of("outcomeId", "status", "credits", "targetCourse", "ruleId", "reasons")) {
                assertThat(got.get(f)).as(id + " line " + i + " " + f).isEqualTo(want.get(f));
            }
            assertThat(got.get("basis").isArray()).isTrue();
        }
    }

    private static String textOrNull(JsonNode n) { return n == null || n.isNull() ? null : n.asText(); }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
