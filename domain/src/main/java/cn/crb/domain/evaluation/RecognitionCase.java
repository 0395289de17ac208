package cn.crb.domain.evaluation;

import cn.crb.domain.json.JsonAt;
import cn.crb.domain.standards.CourseType;
import cn.crb.domain.standards.OutcomeCategory;
import cn.crb.domain.standards.QualityGrade;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of a recognition case (互认申请, contract 03) that the evaluation needs. Guarantees: at least one
 * outcome, outcome ids unique, every outcome has the fields of its category. Other case fields (learner, evidence,
 * history, …) are ignored here.
 */
public record RecognitionCase(String caseId, int revision, LocalDate appliedOn, Programme programme,
                              Set<String> previouslyRecognized, List<Outcome> outcomes) {
    public RecognitionCase {
        previouslyRecognized = Set.copyOf(previouslyRecognized);
        outcomes = List.copyOf(outcomes);
    }

    /**
     * Parses and validates a case. Throws {@link cn.crb.domain.json.JsonValidationException} naming the path of the
     * first bad field, e.g. {@code outcomes[2].hours: must be a decimal written as a string, e.g. "7.5", got number 54}.
     */
    public static RecognitionCase fromJson(JsonNode json) {
        JsonAt r = JsonAt.root(json).requireObject();
        String caseId = r.at("caseId").text();
        int revision = r.at("revision").integer(0, Integer.MAX_VALUE);
        LocalDate appliedOn = r.at("appliedOn").date();
        JsonAt p = r.at("programme").requireObject();
        Programme programme = new Programme(p.at("institution").text(), p.at("programmeCode").text(), p.at("name").textOrNull(),
                p.at("totalCredits").nonNegativeDecimal(), p.at("alreadyTransferredCredits").nonNegativeDecimal());
        Set<String> previous = new LinkedHashSet<>();
        JsonAt prevAt = r.at("previouslyRecognized");
        if (!prevAt.isNull()) for (JsonAt e : prevAt.elements()) previous.add(e.text());
        List<JsonAt> items = r.at("outcomes").elements();
        if (items.isEmpty()) throw r.at("outcomes").invalid("must hold at least one outcome");
        List<Outcome> outcomes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonAt o : items) {
            Outcome outcome = outcome(o);
            if (!ids.add(outcome.outcomeId())) throw o.at("outcomeId").invalid("duplicate \"" + outcome.outcomeId() + "\"");
            outcomes.add(outcome);
        }
        return new RecognitionCase(caseId, revision, appliedOn, programme, previous, outcomes);
    }

    private static Outcome outcome(JsonAt o) {
        String id = o.at("outcomeId").text();
        OutcomeCategory category = o.at("category").oneOf(OutcomeCategory.class);
        String code = o.at("catalogueCode").text();
        String issuer = o.at("issuer").text();
        String title = o.at("title").textOrNull();
        QualityGrade grade = o.at("qualityGrade").oneOf(QualityGrade.class);
        LocalDate achievedOn = o.at("achievedOn").date();
        return switch (category) {
            case ACADEMIC -> new AcademicOutcome(id, code, issuer, title, grade, achievedOn, o.at("courseType").oneOf(CourseType.class),
                    o.at("hours").nonNegativeDecimal(), o.at("score").nonNegativeDecimal());
            case VOCATIONAL -> new VocationalOutcome(id, code, issuer, title, grade, achievedOn, o.at("certificateCode").text(),
                    o.at("level").text(), o.at("authorityCertified").bool(), o.at("expiresOn").dateOrNull());
            case SOCIAL -> new SocialOutcome(id, code, issuer, title, grade, achievedOn, o.at("scenario").text(),
                    o.at("hours").nonNegativeDecimal(), o.at("score").nonNegativeDecimal());
        };
    }
}
