package cn.crb.domain.bench;

import cn.crb.domain.Examples;
import cn.crb.domain.Generated;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.evaluation.Evaluation;
import cn.crb.domain.evaluation.EvaluationLine;
import cn.crb.domain.evaluation.Evaluator;
import cn.crb.domain.evaluation.RecognitionCase;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.BundleVerifier;
import cn.crb.domain.standards.StandardsBundle;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The evaluation engine against a large generated bundle: 5,000 catalogue entries, 2,000 equivalences, 500
 * conversion rules (seeded, so every run measures the same bundle). Goals: at least 200,000 outcome evaluations
 * per second on one thread; loading a signed bundle (JSON parse, RFC 8785, SM2 verify, SM3, validation and
 * indexes) in under 300 ms. Run with {@code scripts/bench-evaluation.sh}; figures in {@code docs/performance.md}.
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EvaluationBenchmark {
    static final int CATALOGUE = 5_000;
    static final int EQUIVALENCES = 2_000;
    static final int RULES = 500;
    static final int CASES = 100;
    static final int OUTCOMES_PER_CASE = 10;
    static final int OUTCOMES = CASES * OUTCOMES_PER_CASE;

    private final Evaluator evaluator = new Evaluator();
    private StandardsBundle bundle;
    private RecognitionCase[] cases;
    private byte[] envelopeBytes;
    private String envelopeSm3;
    private BundleVerifier verifier;

    @Setup
    public void setUp() {
        Random r = new Random(2026_1L);
        ObjectNode payload = Generated.bundleOfSize(r, CATALOGUE, EQUIVALENCES, RULES);
        // the published limits, rates and quality grades, so that most outcomes go through every step
        ObjectNode example = Examples.standardsJson();
        for (String field : new String[] {"limits", "quality", "academic"}) payload.set(field, example.get(field));
        KeyPair platform = Sm2.generate();
        Envelope envelope = Envelope.unsigned(BundleVerifier.TYPE, payload)
                .sign(platform.getPrivate(), platform.getPublic(), BundleVerifier.ROLE, Instant.parse("2026-01-01T00:00:00Z"));
        envelopeBytes = Json.write(envelope.toJson()).getBytes(StandardCharsets.UTF_8);
        envelopeSm3 = envelope.sm3();
        verifier = new BundleVerifier(platform.getPublic());
        bundle = loadAndVerify();
        if (bundle.catalogue().size() != CATALOGUE || bundle.vocational().equivalences().size() != EQUIVALENCES
                || bundle.conversionRules().size() != RULES) {
            throw new IllegalStateException("generated bundle has the wrong size");
        }
        cases = new RecognitionCase[CASES];
        Map<String, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < CASES; i++) {
            cases[i] = RecognitionCase.fromJson(Generated.caseJson(r, payload, "C-BENCH-" + i, OUTCOMES_PER_CASE, OUTCOMES_PER_CASE));
            for (EvaluationLine line : evaluator.evaluate(bundle, cases[i]).lines()) statuses.merge(line.status().name(), 1, Integer::sum);
        }
        System.out.printf("%nbundle: %d catalogue entries, %d equivalences, %d rules, envelope %d bytes; %d cases x %d outcomes, statuses %s%n",
                CATALOGUE, EQUIVALENCES, RULES, envelopeBytes.length, CASES, OUTCOMES_PER_CASE, statuses);
    }

    /** Score = outcomes evaluated per second (100 cases of 10 outcomes per invocation, steps 1-11 and the total). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(OUTCOMES)
    public void evaluateOutcomes(Blackhole bh) {
        for (RecognitionCase c : cases) {
            Evaluation e = evaluator.evaluate(bundle, c);
            bh.consume(e);
        }
    }

    /** Score = milliseconds to turn the envelope's bytes into a verified, indexed bundle. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public StandardsBundle loadAndVerify() {
        BundleVerifier.Result result = verifier.verify(Json.parse(envelopeBytes), envelopeSm3);
        if (!(result instanceof BundleVerifier.Verified v)) throw new IllegalStateException("refused: " + result);
        return v.bundle();
    }
}
