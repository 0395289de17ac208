package cn.crb.domain.cases;

import cn.crb.domain.evaluation.Evaluation;
import cn.crb.domain.evaluation.EvaluationLine;
import cn.crb.domain.evaluation.Evaluator;
import cn.crb.domain.evaluation.RecognitionCase;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.BasisLookup;
import cn.crb.domain.standards.StandardsBundle;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

class BasisLookupTest {
    private static JsonNode res(String p) throws Exception {
        try (InputStream in = BasisLookupTest.class.getResourceAsStream(p)) { return Json.parse(in.readAllBytes()); }
    }

    @Test
    void everyClauseTheEngineWritesPointsAtAnEntryOfTheBundle() throws Exception {
        StandardsBundle b = StandardsBundle.fromPayload(res("/examples/standards-2026.1.json"));
        int clauses = 0;
        for (int i = 1; i <= 7; i++) {
            Evaluation e = new Evaluator().evaluate(b, RecognitionCase.fromJson(res("/examples/cases/C-EX-0" + i + ".json")));
            for (EvaluationLine l : e.lines()) {
                for (String clause : l.basis()) {
                    assertThat(BasisLookup.version(clause)).contains("2026.1");
                    // "catalogue"/"institutions" alone mean "looked up, not found": the whole list is the basis
                    assertThat(BasisLookup.entry(b, clause)).as(clause).isPresent();
                    clauses++;
                }
            }
        }
        assertThat(clauses).isGreaterThan(30);
        assertThat(BasisLookup.entry(b, "2026.1:conversionRules[JS-R-0001]").orElseThrow().path("targetCourse").asText()).isEqualTo("ACC101");
        assertThat(BasisLookup.entry(b, "2026.1:academic.hoursPerCredit.THEORY").orElseThrow().asText()).isNotEmpty();
        assertThat(BasisLookup.entry(b, "2026.1:conversionRules[NOPE]")).isEmpty();
    }
}
