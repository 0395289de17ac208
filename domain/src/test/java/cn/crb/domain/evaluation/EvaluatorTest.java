package cn.crb.domain.evaluation;

import cn.crb.domain.Examples;
import cn.crb.domain.standards.CourseType;
import cn.crb.domain.standards.QualityGrade;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.domain.standards.StandardsLibrary;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Edge cases of each step of the contract-02 algorithm. */
class EvaluatorTest {
    private static final LocalDate APPLIED = LocalDate.parse("2026-10-08");
    private static final StandardsBundle BUNDLE = Examples.standards();
    private final Evaluator evaluator = new Evaluator();

    private static AcademicOutcome academic(String id, String code, String issuer, String hours, String score, QualityGrade grade, LocalDate achieved) {
        return new AcademicOutcome(id, code, issuer, code, grade, achieved, CourseType.THEORY, new BigDecimal(hours), new BigDecimal(score));
    }

    private static AcademicOutcome academic(String id, String code, String hours) {
        return academic(id, code, "NJU-CE", hours, "90", QualityGrade.A, LocalDate.parse("2024-06-30"));
    }

    private static VocationalOutcome vocational(String id, String cert, String level, boolean authority, LocalDate expiresOn) {
        String code = cert.startsWith("WEB") ? "VC-WEB-FE" : cert.startsWith("YCYT") ? "VC-BIGDATA-FIN" : "VC-ELEC";
        return new VocationalOutcome(id, code, "TRN-0042", cert, QualityGrade.A, LocalDate.parse("2025-03-01"), cert, level, authority, expiresOn);
    }

    private static RecognitionCase caseOf(String institution, String total, String already, Set<String> previous, Outcome... outcomes) {
        return new RecognitionCase("C-T", 1, APPLIED, new Programme(institution, "P", null, new BigDecimal(total), new BigDecimal(already)),
                previous, List.of(outcomes));
    }

    private static RecognitionCase caseOf(Outcome... outcomes) {
        return caseOf("JSOU", "80", "0", Set.of(), outcomes);
    }

    private static StandardsBundle bundleWith(Consumer<ObjectNode> change) {
        ObjectNode json = Examples.standardsJson();
        change.accept(json);
        return StandardsBundle.fromPayload(json);
    }

    private static ObjectNode catalogueEntry(ObjectNode bundle, String code) {
        for (var e : bundle.withArray("catalogue")) if (e.get("code").asText().equals(code)) return (ObjectNode) e;
        throw new IllegalArgumentException(code);
    }

    private EvaluationLine only(StandardsBundle b, Outcome o) {
        return evaluator.evaluate(b, caseOf(o)).lines().getFirst();
    }

    private static void assertLine(EvaluationLine l, LineStatus status, String credits, Reason... reasons) {
        assertThat(l.status()).isEqualTo(status);
        assertThat(l.creditsText()).isEqualTo(credits);
        assertThat(l.reasons()).containsExactly(reasons);
    }

    @Nested
    class Gates {
        @Test
        void catalogueRetiredOnTheAppliedOnDateIsRetiredButTheDayAfterIsNot() {
            StandardsBundle onDay = bundleWith(b -> catalogueEntry(b, "AC-CS-110").put("status", "RETIRED").put("retiredOn", "2026-10-08"));
            assertLine(only(onDay, academic("O-1", "AC-CS-110", "48")), LineStatus.INELIGIBLE, "0", Reason.CATALOGUE_RETIRED);
            StandardsBundle dayAfter = bundleWith(b -> catalogueEntry(b, "AC-CS-110").put("status", "RETIRED").put("retiredOn", "2026-10-09"));
            assertLine(only(dayAfter, academic("O-1", "AC-CS-110", "48")), LineStatus.ELIGIBLE, "3");
        }

        @Test
        void suspendedIssuerIsHeldWithNoCreditsAndNoTarget() {
            EvaluationLine l = only(BUNDLE, academic("O-1", "AC-ACC-101", "TRN-0081", "48", "90", QualityGrade.A, LocalDate.parse("2024-06-30")));
            assertLine(l, LineStatus.HOLD, "0", Reason.INSTITUTION_SUSPENDED);
            assertThat(l.targetCourse()).isNull();
            assertThat(l.ruleId()).isNull();
            assertThat(l.basis()).contains("2026.1:institutions[TRN-0081]");
        }

        @Test
        void unlistedIssuerWarningStaysWhenALaterStepDecides() {
            EvaluationLine l = only(BUNDLE, academic("O-1", "AC-ACC-101", "NOBODY", "48", "59", QualityGrade.A, LocalDate.parse("2024-06-30")));
            assertLine(l, LineStatus.INELIGIBLE, "0", Reason.INSTITUTION_UNLISTED, Reason.NOT_PASSED);
        }

        @Test
        void outcomeExactlyAtTheValidityLimitIsStillValid() {
            assertLine(only(BUNDLE, academic("O-1", "AC-CS-110", "NJU-CE", "48", "90", QualityGrade.A, LocalDate.parse("2021-10-08"))),
                    LineStatus.ELIGIBLE, "3");
            assertLine(only(BUNDLE, academic("O-1", "AC-CS-110", "NJU-CE", "48", "90", QualityGrade.A, LocalDate.parse("2021-10-07"))),
                    LineStatus.INELIGIBLE, "0", Reason.EXPIRED);
        }

        @Test
        void certificateExpiringBeforeAppliedOnIsExpiredButOnTheDayIsNot() {
            assertLine(only(BUNDLE, vocational("O-1", "ELEC-NVQ", "L4", false, APPLIED.minusDays(1))),
                    LineStatus.INELIGIBLE, "0", Reason.CERTIFICATE_EXPIRED);
            assertLine(only(BUNDLE, vocational("O-1", "ELEC-NVQ", "L4", false, APPLIED)), LineStatus.ELIGIBLE, "4");
        }

        @Test
        void previouslyRecognizedOutcomeIsADuplicate() {
            Evaluation e = evaluator.evaluate(BUNDLE, caseOf("JSOU", "80", "0", Set.of("O-1"), academic("O-1", "AC-CS-110", "48")));
            assertLine(e.lines().getFirst(), LineStatus.DUPLICATE, "0", Reason.ALREADY_RECOGNIZED);
            assertThat(e.totalText()).isEqualTo("0");
        }

        @Test
        void tooFewCreditsAfterRoundingAreBelowMinimum() {
            EvaluationLine l = only(BUNDLE, academic("O-1", "AC-ACC-101", "7"));
            assertLine(l, LineStatus.INELIGIBLE, "0", Reason.BELOW_MINIMUM);
            assertThat(l.targetCourse()).isNull();
            assertThat(l.ruleId()).isNull();
        }
    }

    @Nested
    class Amounts {
        @Test
        void authorityBonusIsCappedAtMaxBonusCredits() {
            // 6 + min(0.6, 0.5) = 6.5; SHOU has no rule for VC-WEB-FE so nothing else caps it
            Evaluation e = evaluator.evaluate(BUNDLE, caseOf("SHOU", "80", "0", Set.of(), vocational("O-1", "WEB-FE-1X", "MIDDLE", true, null)));
            EvaluationLine l = e.lines().getFirst();
            assertLine(l, LineStatus.ELIGIBLE, "6.5");
            assertThat(l.basis()).contains("2026.1:vocational.equivalences[WEB-FE-1X/MIDDLE]", "2026.1:vocational.maxBonusCredits");
        }

        @Test
        void authorityBonusBelowTheCapIsTheFullPercentage() {
            StandardsBundle fine = bundleWith(b -> b.withObject("limits").put("roundingStep", "0.1"));
            Evaluation e = evaluator.evaluate(fine, caseOf("SHOU", "80", "0", Set.of(), vocational("O-1", "YCYT-1X", "JUNIOR", true, null)));
            assertLine(e.lines().getFirst(), LineStatus.ELIGIBLE, "3.3");
        }

        @Test
        void socialCreditsStopAtTheScenarioMaximum() {
            SocialOutcome o = new SocialOutcome("O-1", "SL-VOLUNTEER", "JSOU", "v", QualityGrade.A, LocalDate.parse("2025-05-20"),
                    "VOLUNTEER", new BigDecimal("2000"), new BigDecimal("60"));
            EvaluationLine l = only(BUNDLE, o);
            assertLine(l, LineStatus.ELIGIBLE, "2");
            assertThat(l.basis()).contains("2026.1:social.scenarios[VOLUNTEER]");
        }

        @Test
        void nonTerminatingQuotientsAreKeptExactUntilTheSingleRounding() {
            // 10 h / 3 h-per-credit x 0.3 = exactly 1; truncating 3.333... first would give 0.999... -> 0.5
            StandardsBundle b = bundleWith(j -> {
                j.withObject("academic").withObject("hoursPerCredit").put("THEORY", "3");
                j.withObject("quality").withObject("B").put("factor", "0.3");
            });
            EvaluationLine l = only(b, academic("O-1", "AC-CS-110", "NJU-CE", "10", "90", QualityGrade.B, LocalDate.parse("2024-06-30")));
            assertLine(l, LineStatus.ELIGIBLE, "1");
        }

        @Test
        void firstConversionRuleInBundleOrderWins() {
            StandardsBundle b = bundleWith(j -> {
                ArrayNode rules = j.withArray("conversionRules");
                ObjectNode later = rules.addObject();
                later.put("id", "JS-R-9999").put("sourceCode", "AC-ACC-101").put("targetInstitution", "JSOU")
                        .put("targetCourse", "OTHER").put("targetCourseName", "x").put("maxCredits", "10");
            });
            EvaluationLine l = only(b, academic("O-1", "AC-ACC-101", "80"));
            assertThat(l.ruleId()).isEqualTo("JS-R-0001");
            assertThat(l.targetCourse()).isEqualTo("ACC101");
            assertLine(l, LineStatus.ELIGIBLE, "3");
            assertThat(l.basis()).containsSubsequence("2026.1:catalogue[AC-ACC-101]", "2026.1:quality.A",
                    "2026.1:academic.hoursPerCredit.THEORY", "2026.1:conversionRules[JS-R-0001]");
        }
    }

    @Nested
    class AcrossTheCase {
        @Test
        void sameOutcomeTwiceWithEqualCreditsKeepsTheEarlier() {
            Evaluation e = evaluator.evaluate(BUNDLE, caseOf(academic("O-1", "AC-CS-110", "48"), academic("O-2", "AC-CS-110", "48")));
            assertLine(e.lines().get(0), LineStatus.ELIGIBLE, "3");
            assertLine(e.lines().get(1), LineStatus.DUPLICATE, "0", Reason.SAME_OUTCOME_TWICE);
            assertThat(e.totalText()).isEqualTo("3");
        }

        @Test
        void sameCatalogueCodeWithDifferentCertificatesAreDifferentLearning() {
            Evaluation e = evaluator.evaluate(BUNDLE, caseOf(vocational("O-1", "ELEC-NVQ", "L4", false, null),
                    new VocationalOutcome("O-2", "VC-ELEC", "TRN-0042", "x", QualityGrade.A, LocalDate.parse("2025-03-01"), "ELEC-OTHER", "L4", false, null)));
            assertThat(e.lines().get(1).reasons()).containsExactly(Reason.NO_EQUIVALENCE);
            Evaluation both = evaluator.evaluate(BUNDLE, caseOf(vocational("O-1", "ELEC-NVQ", "L4", false, null),
                    vocational("O-2", "ELEC-NVQ", "L3", false, null)));
            assertLine(both.lines().get(0), LineStatus.DUPLICATE, "0", Reason.SAME_OUTCOME_TWICE);
            assertLine(both.lines().get(1), LineStatus.ELIGIBLE, "6");
        }

        @Test
        void capWithRemainderGivesPartial() {
            // cap = min(30, 20 x 0.4 - 0) = 8; 3 + 3 = 6, then 3 does not fit: remainder 2
            Evaluation e = evaluator.evaluate(BUNDLE, caseOf("JSOU", "20", "0", Set.of(),
                    academic("O-1", "AC-CS-110", "48"), academic("O-2", "AC-MKT-120", "48"), academic("O-3", "AC-CS-210", "48"),
                    academic("O-4", "AC-ACC-102", "16")));
            assertLine(e.lines().get(0), LineStatus.ELIGIBLE, "3");
            assertLine(e.lines().get(1), LineStatus.ELIGIBLE, "3");
            EvaluationLine partial = e.lines().get(2);
            assertLine(partial, LineStatus.PARTIAL, "2", Reason.CAPPED);
            assertThat(partial.ruleId()).isEqualTo("JS-R-0021");
            assertThat(partial.basis()).contains("2026.1:limits.maxShareOfProgramme");
            assertLine(e.lines().get(3), LineStatus.INELIGIBLE, "0", Reason.CAPPED);
            assertThat(e.totalText()).isEqualTo("8");
        }

        @Test
        void capWithNoRemainderMakesTheFirstThatDoesNotFitIneligible() {
            // cap = 15 x 0.4 = 6; 3 + 3 = 6 exactly, then nothing is left
            Evaluation e = evaluator.evaluate(BUNDLE, caseOf("JSOU", "15", "0", Set.of(),
                    academic("O-1", "AC-CS-110", "48"), academic("O-2", "AC-MKT-120", "48"), academic("O-3", "AC-ACC-102", "32")));
            assertLine(e.lines().get(2), LineStatus.INELIGIBLE, "0", Reason.CAPPED);
            assertThat(e.totalText()).isEqualTo("6");
        }

        @Test
        void laterSmallerLinesGetNothingEvenIfTheyWouldFit() {
            // cap = 10 x 0.4 = 4; 3 fits, 3 gets remainder 1, then 1 would fit but is after the first that did not
            Evaluation e = evaluator.evaluate(BUNDLE, caseOf("JSOU", "10", "0", Set.of(),
                    academic("O-1", "AC-CS-110", "48"), academic("O-2", "AC-MKT-120", "48"), academic("O-3", "AC-ACC-102", "16")));
            assertLine(e.lines().get(1), LineStatus.PARTIAL, "1", Reason.CAPPED);
            assertLine(e.lines().get(2), LineStatus.INELIGIBLE, "0", Reason.CAPPED);
        }

        @Test
        void capNeverGoesBelowZero() {
            Evaluation e = evaluator.evaluate(BUNDLE, caseOf("JSOU", "80", "40", Set.of(), academic("O-1", "AC-CS-110", "48")));
            assertLine(e.lines().getFirst(), LineStatus.INELIGIBLE, "0", Reason.CAPPED);
            assertThat(e.totalText()).isEqualTo("0");
        }

        @Test
        void perApplicationMaximumIsCitedWhenItBinds() {
            StandardsBundle b = bundleWith(j -> j.withObject("limits").put("maxCreditsPerApplication", "4"));
            Evaluation e = evaluator.evaluate(b, caseOf(academic("O-1", "AC-CS-110", "48"), academic("O-2", "AC-MKT-120", "48")));
            assertLine(e.lines().get(1), LineStatus.PARTIAL, "1", Reason.CAPPED);
            assertThat(e.lines().get(1).basis()).contains("2026.1:limits.maxCreditsPerApplication")
                    .doesNotContain("2026.1:limits.maxShareOfProgramme");
            assertThat(e.lines().get(0).basis()).doesNotContain("2026.1:limits.maxCreditsPerApplication");
        }

        @Test
        void capOrderTiesFollowCaseOrder() {
            // cap = 12.5 x 0.4 = 5 -> O-1 (3) granted in full, O-2 (3, later) gets the remainder 2
            Evaluation e = evaluator.evaluate(BUNDLE, caseOf("JSOU", "12.5", "0", Set.of(),
                    academic("O-1", "AC-CS-110", "48"), academic("O-2", "AC-MKT-120", "48")));
            assertLine(e.lines().get(0), LineStatus.ELIGIBLE, "3");
            assertLine(e.lines().get(1), LineStatus.PARTIAL, "2", Reason.CAPPED);
        }
    }

    @Test
    void libraryOverloadUsesTheVersionInForceOrRefuses() {
        StandardsLibrary library = new StandardsLibrary();
        RecognitionCase c = caseOf(academic("O-1", "AC-CS-110", "48"));
        assertThatThrownBy(() -> evaluator.evaluate(library, c)).isInstanceOf(NoStandardsInForceException.class).hasMessageContaining("2026-10-08");
        library.add(BUNDLE);
        assertThat(evaluator.evaluate(library, c).standardsVersion()).hasToString("2026.1");
    }

    @Test
    void creditsFormatting() {
        assertThat(Credits.format(new BigDecimal("1.50"))).isEqualTo("1.5");
        assertThat(Credits.format(new BigDecimal("3.0"))).isEqualTo("3");
        assertThat(Credits.format(new BigDecimal("0.00"))).isEqualTo("0");
        assertThat(Credits.format(new BigDecimal("10"))).isEqualTo("10");
        assertThat(Credits.format(new BigDecimal("1E+1"))).isEqualTo("10");
        assertThat(Credits.roundDown(new BigDecimal("12.4"), new BigDecimal("0.5"))).isEqualByComparingTo("12");
        assertThat(Credits.roundDown(new BigDecimal("-1"), new BigDecimal("0.5"))).isEqualByComparingTo("0");
    }
}
