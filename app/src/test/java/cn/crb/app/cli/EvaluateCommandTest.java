package cn.crb.app.cli;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluateCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new EvaluateCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = EvaluateCommandTest.class.getResourceAsStream("/examples/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private Path file(String name, JsonNode json) throws IOException {
        return file(name, Json.write(json).getBytes(StandardCharsets.UTF_8));
    }

    private Path standards() throws IOException { return file("standards.json", resource("standards-2026.1.json")); }

    private Path example(String id) throws IOException { return file(id + ".json", resource("cases/" + id + ".json")); }

    private static void assertOneLineError(Run r, String... fragments) {
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(fragments).doesNotContain("Exception", "\tat ");
    }

    @Test
    void evaluatesAnExampleAgainstABarePayload() throws IOException {
        Path caseFile = example("C-EX-06");
        Run r = run("--standards", standards().toString(), "--case", caseFile.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().strip().lines()).hasSize(1);
        JsonNode out = Json.parse(r.out());
        JsonNode expected = Json.parse(Files.readString(caseFile)).get("expected");
        assertThat(out.get("standardsVersion").asText()).isEqualTo("2026.1");
        assertThat(out.get("verified").asBoolean()).isFalse();
        assertThat(out.get("total")).isEqualTo(expected.get("total"));
        assertThat(out.get("lines")).hasSize(4);
        for (int i = 0; i < 4; i++) {
            JsonNode got = out.get("lines").get(i);
            JsonNode want = expected.get("lines").get(i);
            for (String f : new String[] {"outcomeId", "status", "credits", "targetCourse", "ruleId", "reasons"}) {
                assertThat(got.get(f)).as("line " + i + " " + f).isEqualTo(want.get(f));
            }
            assertThat(got.get("basis").get(0).asText()).startsWith("2026.1:catalogue[");
        }
    }

    @Test
    void malformedCaseExitsTwoWithOneLineNamingTheField() throws IOException {
        ObjectNode c = (ObjectNode) Json.parse(resource("cases/C-EX-01.json"));
        ((ObjectNode) c.withArray("outcomes").get(1)).put("hours", 64);
        Run r = run("--standards", standards().toString(), "--case", file("bad-case.json", c).toString());
        assertOneLineError(r, "bad-case.json", "outcomes[1].hours: must be a decimal written as a string");
    }

    @Test
    void malformedBundleOrJsonExitsTwoWithOneLine() throws IOException {
        ObjectNode s = (ObjectNode) Json.parse(resource("standards-2026.1.json"));
        ((ObjectNode) s.withArray("catalogue").get(3)).put("qfLevel", "4");
        assertOneLineError(run("--standards", file("bad-standards.json", s).toString(), "--case", example("C-EX-01").toString()),
                "catalogue[3].qfLevel: must be an integer 1-7");
        assertOneLineError(run("--standards", standards().toString(), "--case", file("broken.json", "{\"caseId\": ".getBytes(StandardCharsets.UTF_8)).toString()),
                "broken.json", "not valid JSON");
        assertOneLineError(run("--standards", dir.resolve("missing.json").toString(), "--case", example("C-EX-01").toString()),
                "missing.json", "cannot be read");
    }

    @Test
    void caseOutsideTheBundlePeriodIsRefused() throws IOException {
        ObjectNode c = (ObjectNode) Json.parse(resource("cases/C-EX-01.json"));
        c.put("appliedOn", "2025-10-08");
        assertOneLineError(run("--standards", standards().toString(), "--case", file("old.json", c).toString()),
                "appliedOn: 2025-10-08 is outside the effective period of standards 2026.1");
    }

    @Test
    void signedEnvelopeIsVerifiedOnlyAgainstTheRightKey() throws IOException {
        KeyPair platform = Sm2.generate();
        Envelope envelope = Envelope.unsigned("creditbank.standards/1", Json.parse(resource("standards-2026.1.json")))
                .sign(platform.getPrivate(), platform.getPublic(), "PLATFORM", Instant.parse("2026-01-01T00:00:00Z"));
        String signed = file("signed.json", envelope.toJson()).toString();
        String caseFile = example("C-EX-01").toString();
        String rightKey = file("platform.pem", Sm2.toPem(platform.getPublic()).getBytes(StandardCharsets.US_ASCII)).toString();
        String wrongKey = file("other.pem", Sm2.toPem(Sm2.generate().getPublic()).getBytes(StandardCharsets.US_ASCII)).toString();

        Run ok = run("--standards", signed, "--case", caseFile, "--trust", rightKey);
        assertThat(ok.exit()).as(ok.err()).isZero();
        JsonNode out = Json.parse(ok.out());
        assertThat(out.get("verified").asBoolean()).isTrue();
        assertThat(out.get("total").asText()).isEqualTo("4.5");

        assertOneLineError(run("--standards", signed, "--case", caseFile, "--trust", wrongKey), "refused (UNKNOWN_KEY)");
        assertOneLineError(run("--standards", signed, "--case", caseFile), "signed envelope", "--trust");
        assertOneLineError(run("--standards", standards().toString(), "--case", caseFile, "--trust", rightKey), "bare payload");

        ObjectNode tampered = (ObjectNode) envelope.toJson();
        tampered.withObject("payload").withObject("limits").put("maxCreditsPerApplication", "3");
        assertOneLineError(run("--standards", file("tampered.json", tampered).toString(), "--case", caseFile, "--trust", rightKey),
                "refused (BAD_SIGNATURE)");
    }

    @Test
    void forgedBundleFilesAreRefused() throws IOException {
        KeyPair platform = Sm2.generate();
        KeyPair forger = Sm2.generate();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        Envelope envelope = Envelope.unsigned("creditbank.standards/1", Json.parse(resource("standards-2026.1.json")))
                .sign(platform.getPrivate(), platform.getPublic(), "PLATFORM", at);
        String caseFile = example("C-EX-01").toString();
        String rightKey = file("platform.pem", Sm2.toPem(platform.getPublic()).getBytes(StandardCharsets.US_ASCII)).toString();

        // one byte changed in the file: the programme share 0.4 becomes 0.9
        String text = Json.write(envelope.toJson());
        String marker = "\"maxShareOfProgramme\":\"0.";
        int at04 = text.indexOf(marker) + marker.length();
        assertThat(text.charAt(at04)).isEqualTo('4');
        byte[] original = text.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = (text.substring(0, at04) + '9' + text.substring(at04 + 1)).getBytes(StandardCharsets.UTF_8);
        int changed = 0;
        for (int i = 0; i < bytes.length; i++) if (bytes[i] != original[i]) changed++;
        assertThat(changed).as("bytes changed").isEqualTo(1);
        assertOneLineError(run("--standards", file("one-byte.json", bytes).toString(), "--case", caseFile, "--trust", rightKey),
                "one-byte.json", "refused (BAD_SIGNATURE)");

        // signed by another key that claims the platform's key id
        String platformKeyId = Sm2.keyId(platform.getPublic());
        String signedAt = Envelope.timestamp(at);
        Envelope unsigned = Envelope.unsigned("creditbank.standards/1", envelope.payload());
        String value = Sm2.signBase64(forger.getPrivate(), unsigned.signingInput("PLATFORM", platformKeyId, signedAt));
        Envelope forged = new Envelope(unsigned.type(), unsigned.payload(),
                java.util.List.of(new Envelope.Signature("SM2-SM3", platformKeyId, "PLATFORM", signedAt, value)));
        assertOneLineError(run("--standards", file("forged.json", forged.toJson()).toString(), "--case", caseFile, "--trust", rightKey),
                "forged.json", "refused (BAD_SIGNATURE)");

        // signed by another key under its own id, trusted key is the platform's
        Envelope other = unsigned.sign(forger.getPrivate(), forger.getPublic(), "PLATFORM", at);
        assertOneLineError(run("--standards", file("other.json", other.toJson()).toString(), "--case", caseFile, "--trust", rightKey),
                "other.json", "refused (UNKNOWN_KEY)");
    }
}
