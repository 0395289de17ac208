package cn.crb.domain.evaluation;

import cn.crb.domain.Generated;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.ConversionRule;
import cn.crb.domain.standards.Limits;
import cn.crb.domain.standards.StandardsBundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based tests of the evaluation over seeded, generated bundles and cases ({@link Generated}). Each seed is
 * one example; a failure names the seed, and {@code new Random(seed)} reproduces the exact bundle and case.
 * Written as JUnit parameterized tests over a seeded generator rather than with jqwik: see
 * {@code docs/performance.md} ("Property tests").
 */
class EvaluationPropertiesTest {
    private static final int EXAMPLES = 400;
    private static final Evaluator EVALUATOR = new Evaluator();

    static LongStream seeds() { return LongStream.range(0, EXAMPLES).map(i -> 0x5EED_0000L + i); }

    /** One generated example: the payload and case JSON, parsed, and evaluated once. */
    private record Example(long seed, ObjectNode payload, ObjectNode caseJson, StandardsBundle bundle, RecognitionCase c, Evaluation result) {
        static Example of(long seed) {
            Random r = new Random(seed);
            ObjectNode payload = Generated.bundle(r, Generated.Sizes.small(r));
            ObjectNode caseJson = Generated.caseJson(r, payload, "C-GEN-" + seed, 1, 12);
            StandardsBundle bundle = StandardsBundle.fromPayload(payload);
            RecognitionCase c = RecognitionCase.fromJson(caseJson);
            return new Example(seed, payload, caseJson, bundle, c, EVALUATOR.evaluate(bundle, c));
        }

        Limits limits() { return bundle.limits(); }
    }

    /** cap = min(maxCreditsPerApplication, totalCredits × maxShareOfProgramme − alreadyTransferredCredits), rounded down, ≥ 0. */
    private static BigDecimal cap(Limits limits, Programme programme) {
        BigDecimal share = programme.totalCredits().multiply(limits.maxShareOfProgramme()).subtract(programme.alreadyTransferredCredits());
        BigDecimal raw = limits.maxCreditsPerApplication().min(share);
        if (raw.signum() <= 0) return BigDecimal.ZERO;
        return raw.divideToIntegralValue(limits.roundingStep()).multiply(limits.roundingStep());
    }

    private static boolean grants(EvaluationLine line) {
        return line.status() == LineStatus.ELIGIBLE || line.status() == LineStatus.PARTIAL;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void totalNeverExceedsTheCap(long seed) {
        Example e = Example.of(seed);
        BigDecimal cap = cap(e.limits(), e.c().programme());
        assertThat(cap.signum()).isGreaterThanOrEqualTo(0);
        assertThat(e.result().total()).as("seed %d: total %s, cap %s", seed, e.result().total(), cap).isLessThanOrEqualTo(cap);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyCreditIsANonNegativeMultipleOfTheRoundingStep(long seed) {
        Example e = Example.of(seed);
        BigDecimal step = e.limits().roundingStep();
        for (EvaluationLine line : e.result().lines()) {
            assertThat(line.credits().signum()).as("seed %d %s", seed, line).isGreaterThanOrEqualTo(0);
            assertThat(line.credits().remainder(step).signum()).as("seed %d %s step %s", seed, line, step).isZero();
        }
        assertThat(e.result().total().remainder(step).signum()).as("seed %d total", seed).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void lineShapeAndTotalAreConsistent(long seed) {
        Example e = Example.of(seed);
        List<EvaluationLine> lines = e.result().lines();
        assertThat(lines).extracting(EvaluationLine::outcomeId).containsExactlyElementsOf(e.c().outcomes().stream().map(Outcome::outcomeId).toList());
        BigDecimal sum = BigDecimal.ZERO;
        int partial = 0;
        for (EvaluationLine line : lines) {
            String where = "seed " + seed + " " + line;
            if (grants(line)) {
                assertThat(line.credits().signum()).as(where).isPositive();
                sum = sum.add(line.credits());
            } else {
                assertThat(line.credits().signum()).as(where).isZero();
                assertThat(line.targetCourse()).as(where).isNull();
            }
            assertThat(line.targetCourse() == null).as(where + " targetCourse and ruleId both set or both null").isEqualTo(line.ruleId() == null);
            if (line.status() == LineStatus.PARTIAL) {
                partial++;
                assertThat(line.reasons()).as(where).endsWith(Reason.CAPPED);
            }
            assertThat(line.basis()).as(where).isNotEmpty().doesNotHaveDuplicates().allMatch(b -> b.startsWith(e.bundle().version() + ":"));
            assertThat(line.basis().getFirst()).as(where).startsWith(e.bundle().version() + ":catalogue");
            assertThat(line.reasons().stream().filter(r -> r != Reason.INSTITUTION_UNLISTED).count())
                    .as(where + " one deciding reason, none on a full grant").isEqualTo(line.status() == LineStatus.ELIGIBLE ? 0 : 1);
        }
        assertThat(partial).as("seed %d: at most one PARTIAL line", seed).isLessThanOrEqualTo(1);
        assertThat(e.result().total()).as("seed %d: total = sum of ELIGIBLE and PARTIAL", seed).isEqualByComparingTo(sum);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void grantingLinesRespectTheirRuleAndAreDistinctLearnings(long seed) {
        Example e = Example.of(seed);
        Map<String, ConversionRule> rules = new HashMap<>();
        for (ConversionRule r : e.bundle().conversionRules()) rules.put(r.id(), r);
        Set<List<String>> learnings = new HashSet<>();
        for (int i = 0; i < e.result().lines().size(); i++) {
            EvaluationLine line = e.result().lines().get(i);
            Outcome o = e.c().outcomes().get(i);
            if (!grants(line)) continue;
            String where = "seed " + seed + " " + line;
            assertThat(learnings.add(java.util.Arrays.asList(o.catalogueCode(), o.certificateCode()))).as(where + " same learning granted twice").isTrue();
            if (line.ruleId() != null) {
                ConversionRule rule = rules.get(line.ruleId());
                assertThat(rule.sourceCode()).as(where).isEqualTo(o.catalogueCode());
                assertThat(rule.targetInstitution()).as(where).isEqualTo(e.c().programme().institution());
                assertThat(line.targetCourse()).as(where).isEqualTo(rule.targetCourse());
                assertThat(line.credits()).as(where).isLessThanOrEqualTo(rule.maxCredits());
            }
            assertThat(e.c().previouslyRecognized()).as(where).doesNotContain(o.outcomeId());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void evaluationIsDeterministic(long seed) {
        Example e = Example.of(seed);
        assertThat(EVALUATOR.evaluate(e.bundle(), e.c())).as("seed %d, same objects", seed).isEqualTo(e.result());
        Evaluation fresh = new Evaluator().evaluate(StandardsBundle.fromPayload(Json.parse(Json.write(e.payload()))),
                RecognitionCase.fromJson(Json.parse(Json.write(e.caseJson()))));
        assertThat(fresh).as("seed %d, freshly parsed", seed).isEqualTo(e.result());
        assertThat(Json.write(EvaluationJson.toJson(fresh, false))).isEqualTo(Json.write(EvaluationJson.toJson(e.result(), false)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void resultDoesNotDependOnTheOrderOfBundleEntries(long seed) {
        Example e = Example.of(seed);
        ObjectNode shuffled = e.payload().deepCopy();
        Random r = new Random(~seed);
        shuffle(shuffled.withArray("catalogue"), r);
        shuffle(shuffled.withObject("vocational").withArray("equivalences"), r);
        shuffle(shuffled.withArray("institutions"), r);
        shuffle(shuffled.withObject("social").withArray("scenarios"), r);
        shuffle(shuffled.withArray("qualificationFramework"), r);
        shuffleRulesKeepingFirstPerSourceAndTarget(shuffled.withArray("conversionRules"), r);
        Evaluation again = EVALUATOR.evaluate(StandardsBundle.fromPayload(shuffled), e.c());
        assertThat(again).as("seed %d, shuffled bundle", seed).isEqualTo(e.result());
    }

    /** Lifting the caps only ever adds credits, and leaves every line that step 11 did not touch unchanged. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void capsOnlyRemoveCredits(long seed) {
        Example e = Example.of(seed);
        ObjectNode lifted = e.payload().deepCopy();
        lifted.withObject("limits").put("maxShareOfProgramme", "1").put("maxCreditsPerApplication", "1000000");
        ObjectNode liftedCase = e.caseJson().deepCopy();
        liftedCase.withObject("programme").put("totalCredits", "1000000").put("alreadyTransferredCredits", "0");
        Evaluation free = EVALUATOR.evaluate(StandardsBundle.fromPayload(lifted), RecognitionCase.fromJson(liftedCase));
        assertThat(free.lines()).as("seed %d", seed).noneMatch(l -> l.reasons().contains(Reason.CAPPED));
        assertThat(free.total()).isGreaterThanOrEqualTo(e.result().total());
        boolean anyCapped = false;
        for (int i = 0; i < free.lines().size(); i++) {
            EvaluationLine capped = e.result().lines().get(i);
            EvaluationLine line = free.lines().get(i);
            String where = "seed " + seed + " " + capped + " vs " + line;
            if (capped.reasons().contains(Reason.CAPPED)) {
                anyCapped = true;
                assertThat(line.status()).as(where).isEqualTo(LineStatus.ELIGIBLE);
                assertThat(capped.credits()).as(where).isLessThan(line.credits());
            } else {
                assertThat(capped).as(where).isEqualTo(line);
            }
        }
        if (!anyCapped) assertThat(e.result().total()).as("seed %d", seed).isEqualByComparingTo(free.total());
    }

    /** Guards the generator: over all seeds, every status and every reason code occurs, and some cases hit a cap of 0. */
    @Test
    void generatorReachesEveryStatusAndReason() {
        Set<LineStatus> statuses = EnumSet.noneOf(LineStatus.class);
        Set<Reason> reasons = EnumSet.noneOf(Reason.class);
        int zeroCaps = 0;
        int withRule = 0;
        for (long seed : seeds().toArray()) {
            Example e = Example.of(seed);
            if (cap(e.limits(), e.c().programme()).signum() == 0) zeroCaps++;
            for (EvaluationLine line : e.result().lines()) {
                statuses.add(line.status());
                reasons.addAll(line.reasons());
                if (line.ruleId() != null) withRule++;
            }
        }
        assertThat(statuses).containsExactlyInAnyOrder(LineStatus.values());
        assertThat(reasons).containsExactlyInAnyOrder(Reason.values());
        assertThat(zeroCaps).isPositive();
        assertThat(withRule).isPositive();
    }

    private static void shuffle(ArrayNode array, Random r) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        Collections.shuffle(items, r);
        array.removeAll();
        items.forEach(array::add);
    }

    /**
     * The first rule per (sourceCode, targetInstitution) is normative, so rules sharing that key keep their relative
     * order; everything else is shuffled.
     */
    private static void shuffleRulesKeepingFirstPerSourceAndTarget(ArrayNode rules, Random r) {
        List<JsonNode> original = new ArrayList<>();
        rules.forEach(original::add);
        List<JsonNode> shuffled = new ArrayList<>(original);
        Collections.shuffle(shuffled, r);
        Map<String, List<JsonNode>> inOrder = new HashMap<>();
        for (JsonNode rule : original) inOrder.computeIfAbsent(key(rule), k -> new ArrayList<>()).add(rule);
        Map<String, Integer> taken = new HashMap<>();
        rules.removeAll();
        for (JsonNode slot : shuffled) {
            String k = key(slot);
            int n = taken.merge(k, 1, Integer::sum) - 1;
            rules.add(inOrder.get(k).get(n));
        }
    }

    private static String key(JsonNode rule) { return rule.get("sourceCode").asText() + "\u0000" + rule.get("targetInstitution").asText(); }
}
