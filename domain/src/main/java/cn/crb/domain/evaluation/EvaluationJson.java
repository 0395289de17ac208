package cn.crb.domain.evaluation;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of an evaluation: {@code {"standardsVersion", "verified", "lines": [...], "total"}}, each line
 * {@code {outcomeId, status, credits, targetCourse, ruleId, basis[], reasons[]}}. Credits and the total are decimal
 * strings without trailing zeros; targetCourse and ruleId are JSON null when absent.
 */
public final class EvaluationJson {
    private EvaluationJson() {}

    /** {@code verified} states whether the standards came from an envelope whose signature was verified. */
    public static ObjectNode toJson(Evaluation evaluation, boolean verified) {
        ObjectNode o = Json.object();
        o.put("standardsVersion", evaluation.standardsVersion().toString());
        o.put("verified", verified);
        ArrayNode lines = o.putArray("lines");
        for (EvaluationLine l : evaluation.lines()) lines.add(line(l));
        o.put("total", evaluation.totalText());
        return o;
    }

    public static ObjectNode line(EvaluationLine l) {
        ObjectNode n = Json.object();
        n.put("outcomeId", l.outcomeId());
        n.put("status", l.status().name());
        n.put("credits", l.creditsText());
        n.put("targetCourse", l.targetCourse());
        n.put("ruleId", l.ruleId());
        ArrayNode basis = n.putArray("basis");
        l.basis().forEach(basis::add);
        ArrayNode reasons = n.putArray("reasons");
        l.reasons().forEach(r -> reasons.add(r.name()));
        return n;
    }
}
