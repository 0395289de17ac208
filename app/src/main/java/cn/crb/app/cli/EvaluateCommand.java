package cn.crb.app.cli;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.evaluation.Evaluation;
import cn.crb.domain.evaluation.EvaluationJson;
import cn.crb.domain.evaluation.Evaluator;
import cn.crb.domain.evaluation.RecognitionCase;
import cn.crb.domain.json.Json;
import cn.crb.domain.json.JsonValidationException;
import cn.crb.domain.standards.BundleVerifier;
import cn.crb.domain.standards.StandardsBundle;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;

/**
 * {@code crb evaluate --standards FILE --case FILE [--trust PEM]}: evaluates one case against one standards bundle
 * and prints one JSON object {@code {"standardsVersion", "verified", "lines", "total"}} to standard output (exit 0).
 * The standards file is either a bare payload ({@code "verified": false}) or a {@code creditbank.standards/1}
 * envelope, which must verify against the platform key given with {@code --trust} ({@code "verified": true}).
 * Any problem with the inputs (unreadable file, malformed JSON, a bad field, a refused envelope, a case whose
 * {@code appliedOn} is outside the bundle's effective period) exits 2 with one line on standard error naming the
 * file, the field and what is wrong; nothing is printed to standard output then.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a case against a standards bundle (contract 02) and print the recommendation as JSON.")
public final class EvaluateCommand implements Callable<Integer> {
    static final int INPUT_ERROR = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--standards", required = true, paramLabel = "FILE",
            description = "Standards bundle: a bare creditbank.standards/1 payload or a signed envelope.")
    private Path standardsFile;

    @Option(names = "--case", required = true, paramLabel = "FILE", description = "The case (contract 03) as JSON.")
    private Path caseFile;

    @Option(names = "--trust", paramLabel = "PEM", description = "The pinned platform public key (PEM) to verify an envelope.")
    private Path trustFile;

    /** Standards as loaded: the bundle and whether a signature was verified. */
    private record Loaded(StandardsBundle bundle, boolean verified) {}

    /** A problem with the inputs, reported as one line. */
    private static final class InputException extends Exception {
        InputException(String message) { super(message, null, false, false); }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Loaded standards = loadStandards();
            RecognitionCase c = loadCase();
            StandardsBundle b = standards.bundle();
            if (!b.isInForceOn(c.appliedOn())) {
                throw new InputException("case " + caseFile + ": appliedOn: " + c.appliedOn() + " is outside the effective period of standards "
                        + b.version() + " (" + b.effectiveFrom() + " to " + (b.effectiveUntil() == null ? "open" : b.effectiveUntil()) + ")");
            }
            Evaluation evaluation = new Evaluator().evaluate(b, c);
            out.println(Json.write(EvaluationJson.toJson(evaluation, standards.verified())));
            out.flush();
            return 0;
        } catch (InputException e) {
            err.println("evaluate: " + e.getMessage().replaceAll("\\R", " "));
            err.flush();
            return INPUT_ERROR;
        }
    }

    private Loaded loadStandards() throws InputException {
        String what = "standards " + standardsFile;
        JsonNode json = readJson(what, standardsFile);
        if (!Envelope.looksLikeEnvelope(json)) {
            if (trustFile != null) {
                throw new InputException(what + ": is a bare payload, not a signed envelope, so it cannot be verified against --trust");
            }
            return new Loaded(validated(what, () -> StandardsBundle.fromPayload(json)), false);
        }
        if (trustFile == null) {
            throw new InputException(what + ": is a signed envelope; give the pinned platform key with --trust PEM to verify it");
        }
        BundleVerifier.Result result = new BundleVerifier(trustKey()).verify(json, null);
        return switch (result) {
            case BundleVerifier.Verified v -> new Loaded(v.bundle(), true);
            case BundleVerifier.Refused r -> throw new InputException(what + ": refused (" + r.reason() + "): " + r.message());
        };
    }

    private RecognitionCase loadCase() throws InputException {
        String what = "case " + caseFile;
        JsonNode json = readJson(what, caseFile);
        return validated(what, () -> RecognitionCase.fromJson(json));
    }

    private PublicKey trustKey() throws InputException {
        String pem = readText("--trust " + trustFile, trustFile);
        try {
            return Sm2.fromPem(pem);
        } catch (Sm2.CryptoException e) {
            throw new InputException("--trust " + trustFile + ": not a PEM SM2 public key (" + e.getMessage() + ")");
        }
    }

    private interface Parse<T> {
        T run();
    }

    private static <T> T validated(String what, Parse<T> parse) throws InputException {
        try {
            return parse.run();
        } catch (JsonValidationException e) {
            throw new InputException(what + ": " + e.getMessage());
        }
    }

    private static JsonNode readJson(String what, Path file) throws InputException {
        String text = readText(what, file);
        try {
            return Json.parse(text);
        } catch (Json.MalformedJsonException e) {
            throw new InputException(what + ": not valid JSON: " + e.getMessage());
        }
    }

    private static String readText(String what, Path file) throws InputException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(what + ": cannot be read (no such file)");
        } catch (AccessDeniedException e) {
            throw new InputException(what + ": cannot be read (permission denied)");
        } catch (IOException e) {
            throw new InputException(what + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
