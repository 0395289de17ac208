package cn.crb.domain.evaluation;

import cn.crb.domain.Examples;
import cn.crb.domain.json.JsonValidationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecognitionCaseTest {

    private static void assertRejected(String example, Consumer<ObjectNode> change, String message) {
        ObjectNode json = Examples.caseJson(example);
        change.accept(json);
        assertThatThrownBy(() -> RecognitionCase.fromJson(json))
                .isInstanceOf(JsonValidationException.class)
                .hasMessageStartingWith(message);
    }

    private static ObjectNode outcome(ObjectNode c, int i) { return (ObjectNode) c.withArray("outcomes").get(i); }

    @Test
    void parsesEveryCategory() {
        RecognitionCase c = RecognitionCase.fromJson(Examples.caseJson("C-EX-04"));
        assertThat(c.outcomes()).hasSize(8);
        assertThat(c.outcomes().get(6)).isInstanceOf(VocationalOutcome.class);
        assertThat(c.outcomes().get(6).certificateCode()).isEqualTo("WEB-FE-1X");
        assertThat(c.outcomes().getFirst().certificateCode()).isNull();
        assertThat(RecognitionCase.fromJson(Examples.caseJson("C-EX-03")).outcomes()).allMatch(o -> o instanceof SocialOutcome);
        assertThat(RecognitionCase.fromJson(Examples.caseJson("C-EX-05")).previouslyRecognized()).containsExactly("O-1");
    }

    @Test
    void badFieldsAreNamedByPath() {
        assertRejected("C-EX-01", c -> outcome(c, 2).put("hours", 54), "outcomes[2].hours: must be a decimal written as a string");
        assertRejected("C-EX-01", c -> outcome(c, 1).put("hours", "-3"), "outcomes[1].hours: must not be negative");
        assertRejected("C-EX-01", c -> outcome(c, 0).put("courseType", "LAB"), "outcomes[0].courseType: must be one of [THEORY, PRACTICE, MIXED]");
        assertRejected("C-EX-01", c -> outcome(c, 0).put("qualityGrade", "D"), "outcomes[0].qualityGrade: must be one of [A, B, C]");
        assertRejected("C-EX-01", c -> outcome(c, 1).put("outcomeId", "O-1"), "outcomes[1].outcomeId: duplicate \"O-1\"");
        assertRejected("C-EX-02", c -> outcome(c, 3).remove("level"), "outcomes[3].level: must be a non-empty string, got nothing (missing)");
        assertRejected("C-EX-02", c -> outcome(c, 0).put("authorityCertified", "yes"), "outcomes[0].authorityCertified: must be true or false");
        assertRejected("C-EX-02", c -> outcome(c, 3).put("expiresOn", "30/06/2026"), "outcomes[3].expiresOn: must be a date YYYY-MM-DD");
        assertRejected("C-EX-03", c -> outcome(c, 0).remove("scenario"), "outcomes[0].scenario: must be a non-empty string");
        assertRejected("C-EX-01", c -> c.withObject("programme").put("totalCredits", "eighty"), "programme.totalCredits: must be a decimal");
        assertRejected("C-EX-01", c -> c.remove("appliedOn"), "appliedOn: must be a date YYYY-MM-DD, got nothing (missing)");
        assertRejected("C-EX-01", c -> c.putArray("outcomes"), "outcomes: must hold at least one outcome");
    }
}
