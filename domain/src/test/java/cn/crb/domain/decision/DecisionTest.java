package cn.crb.domain.decision;

import cn.crb.domain.evaluation.Evaluation;
import cn.crb.domain.evaluation.Evaluator;
import cn.crb.domain.evaluation.RecognitionCase;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionTest {
    private static JsonNode res(String p) throws Exception {
        try (InputStream in = DecisionTest.class.getResourceAsStream(p)) { return Json.parse(in.readAllBytes()); }
    }

    private static Evaluation ex01() throws Exception {
        return new Evaluator().evaluate(StandardsBundle.fromPayload(res("/examples/standards-2026.1.json")),
                RecognitionCase.fromJson(res("/examples/cases/C-EX-01.json")));
    }

    @Test
    void aDraftFromTheRecommendationCanBeSignedAsIs() throws Exception {
        Decision d = Decision.fromRecommendation("C-EX-01", 1, ex01());
        assertThat(d.verdict()).isEqualTo(Verdict.APPROVE);
        assertThat(d.problems()).isEmpty();
        JsonNode p = d.payload(Instant.parse("2026-11-23T08:15:00.123Z"));
        assertThat(p.path("decidedAt").asText()).isEqualTo("2026-11-23T08:15:00.123Z");
        assertThat(p.path("totalGranted").asText()).isEqualTo(ex01().totalText());
        assertThat(p.path("lines").get(0).path("grantedCredits").asText()).isEqualTo("3");
        assertThat(p.path("lines").get(0).path("reason").isNull()).isTrue();
        assertThat(p.has("privateNote")).isFalse();
    }

    @Test
    void grantedCreditsKeepToTheStandardsStepRuleCeilingAndCap() throws Exception {
        StandardsBundle bundle = StandardsBundle.fromPayload(res("/examples/standards-2026.1.json"));
        // every worked example's recommendation keeps within the limits it was computed under
        for (int i = 1; i <= 7; i++) {
            RecognitionCase c = RecognitionCase.fromJson(res("/examples/cases/C-EX-0" + i + ".json"));
            Evaluation e = new Evaluator().evaluate(bundle, c);
            Decision d = Decision.fromRecommendation(c.caseId(), c.revision(), e);
            if (d.verdict() == Verdict.APPROVE) assertThat(d.problems(GrantLimits.of(bundle, c))).as(c.caseId()).isEmpty();
        }
        RecognitionCase c = RecognitionCase.fromJson(res("/examples/cases/C-EX-01.json"));
        Evaluation e = ex01();
        GrantLimits limits = GrantLimits.of(bundle, c);
        assertThat(limits.roundingStep()).isEqualByComparingTo("0.5");
        Decision d = Decision.fromRecommendation("C-EX-01", 1, e).withVerdict(Verdict.APPROVE_PARTIAL);
        DecisionLine l0 = d.lines().get(0);
        assertThat(l0.targetCourse()).as("line 0 is converted to a course under a rule").isNotNull();
        BigDecimal ceiling = limits.lineMax().get(l0.outcomeId());
        assertThat(ceiling).isNotNull();

        // 2.3 is not a multiple of the rounding step 0.5
        Decision offStep = d.withLine(0, new DecisionLine(l0.outcomeId(), l0.status(), l0.recommendedCredits(), new BigDecimal("2.3"), l0.targetCourse(), "学时按比例折算"));
        assertThat(offStep.problems(limits)).containsExactly(new Decision.Problem("GRANTED_NOT_ON_STEP", l0.outcomeId(), new BigDecimal("0.5")));
        assertThat(offStep.problems()).as("without the standards nothing is checked").isEmpty();
        // more than the course the rule converts to is worth
        BigDecimal above = ceiling.add(BigDecimal.ONE);
        Decision overRule = d.withLine(0, new DecisionLine(l0.outcomeId(), l0.status(), l0.recommendedCredits(), above, l0.targetCourse(), "另加实践学分"));
        assertThat(overRule.problems(limits)).extracting(Decision.Problem::code).contains("GRANTED_ABOVE_RULE");
        assertThat(overRule.problems(limits)).filteredOn(x -> x.code().equals("GRANTED_ABOVE_RULE")).singleElement()
                .satisfies(x -> assertThat(x.limit()).isEqualByComparingTo(ceiling));
        // a line may be raised above its recommendation with a reason, up to the ceiling
        if (l0.recommendedCredits().compareTo(ceiling) < 0) {
            Decision raised = d.withLine(0, new DecisionLine(l0.outcomeId(), l0.status(), l0.recommendedCredits(), ceiling, l0.targetCourse(), "复核成绩后上调"));
            assertThat(raised.problems(limits)).isEmpty();
        }
        // a line the engine held for a person (no rule id on it) still has its rule's ceiling: C-EX-04's O-2, AC-ACC-102, 4
        RecognitionCase held = RecognitionCase.fromJson(res("/examples/cases/C-EX-04.json"));
        Decision h = Decision.fromRecommendation(held.caseId(), held.revision(), new Evaluator().evaluate(bundle, held)).withVerdict(Verdict.APPROVE_PARTIAL);
        int i2 = java.util.stream.IntStream.range(0, h.lines().size()).filter(i -> h.lines().get(i).outcomeId().equals("O-2")).findFirst().orElseThrow();
        DecisionLine o2 = h.lines().get(i2);
        assertThat(o2.status()).isEqualTo("HOLD");
        java.util.function.Function<String, List<String>> codes = granted -> h.withLine(i2, new DecisionLine(o2.outcomeId(), o2.status(),
                o2.recommendedCredits(), new BigDecimal(granted), o2.targetCourse(), "核实后认定")).problems(GrantLimits.of(bundle, held))
                .stream().map(Decision.Problem::code).toList();
        assertThat(codes.apply("5")).contains("GRANTED_ABOVE_RULE");
        assertThat(codes.apply("4")).doesNotContain("GRANTED_ABOVE_RULE");
        // in all, no more than the application's cap
        GrantLimits tight = new GrantLimits(limits.roundingStep(), e.total().subtract(new BigDecimal("0.5")), limits.lineMax());
        assertThat(d.problems(tight)).containsExactly(new Decision.Problem("TOTAL_ABOVE_CAP", null, e.total().subtract(new BigDecimal("0.5"))));
        assertThat(d.withVerdict(Verdict.REJECT).withComment("材料不全").problems(tight)).as("a rejection grants nothing").isEmpty();
    }

    @Test
    void aChangedLineNeedsAReasonAndAPartialVerdict() throws Exception {
        Decision d = Decision.fromRecommendation("C-EX-01", 1, ex01());
        DecisionLine l0 = d.lines().get(0);
        Decision changed = d.withLine(0, new DecisionLine(l0.outcomeId(), l0.status(), l0.recommendedCredits(), new BigDecimal("2"), l0.targetCourse(), ""));
        assertThat(changed.problems()).extracting(Decision.Problem::code).containsExactlyInAnyOrder("REASON_REQUIRED", "APPROVE_MUST_MATCH");
        Decision fixed = changed.withVerdict(Verdict.APPROVE_PARTIAL)
                .withLine(0, new DecisionLine(l0.outcomeId(), l0.status(), l0.recommendedCredits(), new BigDecimal("2"), l0.targetCourse(), "成绩单学时不足"));
        assertThat(fixed.problems()).isEmpty();
        assertThat(fixed.warnings()).isEmpty();
        // a partial approval that changes nothing may be signed, after a word of warning
        assertThat(d.withVerdict(Verdict.APPROVE_PARTIAL).problems()).isEmpty();
        assertThat(d.withVerdict(Verdict.APPROVE_PARTIAL).warnings()).containsExactly("PARTIAL_UNCHANGED");
        assertThat(d.warnings()).isEmpty();
        assertThat(fixed.totalGranted()).isEqualByComparingTo(ex01().total().subtract(BigDecimal.ONE));
        assertThat(Decision.fromDraftJson(fixed.withPrivateNote("与王老师核对过").draftJson())).isEqualTo(fixed.withPrivateNote("与王老师核对过"));
    }

    @Test
    void aDraftKeepsTheLinesAsTypedUnderAVerdictThatGrantsNothingWhileTheSignedRecordHoldsWhatWasSigned() throws Exception {
        Decision d = Decision.fromRecommendation("C-EX-01", 1, ex01());
        DecisionLine l0 = d.lines().get(0);
        Decision partial = d.withVerdict(Verdict.APPROVE_PARTIAL)
                .withLine(0, new DecisionLine(l0.outcomeId(), l0.status(), l0.recommendedCredits(), new BigDecimal("2"), l0.targetCourse(), "成绩单学时不足"));
        // the reviewer tries REJECT with a comment, and saves (every keystroke does)
        Decision tried = Decision.fromDraftJson(partial.withVerdict(Verdict.REJECT).withComment("材料不全").draftJson());
        assertThat(tried.lines().get(0).grantedCredits()).isEqualByComparingTo("2");
        assertThat(tried.lines().get(0).reason()).isEqualTo("成绩单学时不足");
        assertThat(tried.lines().get(1).grantedCredits()).isEqualByComparingTo(d.lines().get(1).grantedCredits());
        // … and goes back to the partial approval: nothing typed was lost
        assertThat(tried.withVerdict(Verdict.APPROVE_PARTIAL).problems()).isEmpty();
        assertThat(tried.withVerdict(Verdict.APPROVE_PARTIAL).totalGranted()).isEqualByComparingTo(partial.totalGranted());
        // what a REJECT signs grants nothing, and the signed record says so
        JsonNode signed = partial.withVerdict(Verdict.REJECT).withComment("材料不全").signedJson();
        assertThat(signed.path("totalGranted").asText()).isEqualTo("0");
        assertThat(signed.path("lines").get(0).path("grantedCredits").asText()).isEqualTo("0");
        // refused by the platform and reopened: the lines come back as recommended, without the comment as their reason
        Decision back = Decision.fromDraftJson(signed).reopened();
        assertThat(back.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(back.lines()).allSatisfy(l -> assertThat(l.grantedCredits()).isEqualByComparingTo(l.recommendedCredits()));
        assertThat(back.lines().get(0).reason()).as("the reviewer's own reason stays").isEqualTo("成绩单学时不足");
        assertThat(back.lines().subList(1, back.lines().size())).allSatisfy(l -> assertThat(l.reason()).isNull());
        assertThat(back.withVerdict(Verdict.APPROVE).problems()).isEmpty();
        // an emptied cell stays empty in the draft (the person is typing), and a draft without a verdict can be read
        Decision emptied = d.withLine(0, new DecisionLine(l0.outcomeId(), l0.status(), l0.recommendedCredits(), null, l0.targetCourse(), null));
        assertThat(Decision.fromDraftJson(emptied.draftJson()).lines().get(0).grantedCredits()).isNull();
        assertThat(Decision.fromDraftJson(d.withVerdict(null).draftJson()).verdict()).isNull();
    }

    @Test
    void theReceivingInstitutionConfirmsOrDeclinesWithAReason() throws Exception {
        Decision d = Decision.fromRecommendation("C-EX-01", 2, ex01());
        Decision confirm = d.withVerdict(Verdict.CONFIRM);
        assertThat(confirm.problems()).isEmpty();
        assertThat(confirm.isInstitutionResponse()).isTrue();
        assertThat(confirm.payload(Instant.EPOCH).path("verdict").asText()).isEqualTo("CONFIRM");
        Decision decline = d.withVerdict(Verdict.DECLINE);
        assertThat(decline.problems()).extracting(Decision.Problem::code).containsExactly("DECLINE_REASON_REQUIRED");
        Decision withReason = decline.withComment("本校该专业已停招");
        assertThat(withReason.problems()).isEmpty();
        assertThat(withReason.payload(Instant.EPOCH).path("totalGranted").asText()).isEqualTo("0");
        assertThat(withReason.payload(Instant.EPOCH).path("comment").asText()).isEqualTo("本校该专业已停招");
    }

    @Test
    void rejectionGrantsNothingAndNeedsAComment() throws Exception {
        Decision r = Decision.fromRecommendation("C-EX-01", 1, ex01()).withVerdict(Verdict.REJECT);
        assertThat(r.problems()).extracting(Decision.Problem::code).containsExactly("COMMENT_REQUIRED");
        Decision ok = r.withComment("证明材料不符合要求");
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.payload(Instant.EPOCH).path("totalGranted").asText()).isEqualTo("0");
        assertThat(ok.payload(Instant.EPOCH).path("lines").get(0).path("grantedCredits").asText()).isEqualTo("0");
    }

    @Test
    void anInspectionIsConfirmedOrIrregularWithFindings() throws Exception {
        Decision d = Decision.fromRecommendation("C-EX-01", 1, ex01()).withVerdict(Verdict.CONFIRMED);
        assertThat(d.isInspection()).isTrue();
        assertThat(d.problems()).isEmpty();
        Decision irregular = d.withVerdict(Verdict.IRREGULAR);
        assertThat(irregular.problems()).extracting(Decision.Problem::code).containsExactly("FINDINGS_REQUIRED");
        Decision withFindings = irregular.withComment("  证书编号与发证机构记录不符  ");
        assertThat(withFindings.problems()).isEmpty();
        JsonNode p = withFindings.payload(Instant.parse("2026-11-23T08:15:00Z"));
        assertThat(p.path("verdict").asText()).isEqualTo("IRREGULAR");
        assertThat(p.path("findings").asText()).isEqualTo("证书编号与发证机构记录不符");
        assertThat(Decision.fromRecommendation("C-EX-01", 1, ex01()).payload(Instant.EPOCH).has("findings")).isFalse();
    }

    @Test
    void aDecisionThatGrantsNothingGivesItsCommentAsTheReasonOfEveryReducedLine() throws Exception {
        for (Verdict v : new Verdict[]{Verdict.REJECT, Verdict.REQUEST_MATERIALS, Verdict.DECLINE}) {
            Decision d = Decision.fromRecommendation("C-EX-01", 1, ex01()).withVerdict(v).withComment(" 请补充成绩单原件。 ");
            assertThat(d.problems()).isEmpty();
            JsonNode p = d.payload(Instant.EPOCH);
            assertThat(p.path("totalGranted").asText()).isEqualTo("0");
            for (JsonNode l : p.path("lines")) {
                assertThat(l.path("grantedCredits").asText()).isEqualTo("0");
                if (new BigDecimal(l.path("recommendedCredits").asText()).signum() != 0) {
                    assertThat(l.path("reason").asText()).as(v + " line " + l.path("outcomeId").asText()).isEqualTo("请补充成绩单原件。");
                } else {
                    assertThat(l.path("reason").isNull()).isTrue();
                }
            }
        }
    }
}
