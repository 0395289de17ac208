package cn.crb.app.cli;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every published worked example, evaluated by {@code crb evaluate}, gives exactly its {@code expected} block. */
class EvaluateExamplesTest {
    @TempDir Path dir;

    private Path copy(String resource) throws Exception {
        Path p = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = getClass().getResourceAsStream("/examples/" + resource)) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C-EX-01", "C-EX-02", "C-EX-03", "C-EX-04", "C-EX-05", "C-EX-06", "C-EX-07"})
    void commandLineMatchesTheExpectedBlock(String example) throws Exception {
        Path standards = copy("standards-2026.1.json");
        Path caseFile = copy("cases/" + example + ".json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CrbMain.run(new String[]{"evaluate", "--standards", standards.toString(), "--case", caseFile.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(err.toString()).isEmpty();
        assertThat(exit).isZero();
        JsonNode result = Json.parse(out.toString());
        JsonNode expected = Json.parse(Files.readString(caseFile)).get("expected");
        assertThat(result.path("standardsVersion").asText()).isEqualTo("2026.1");
        assertThat(result.path("verified").asBoolean()).isFalse();
        assertThat(result.path("total").asText()).isEqualTo(expected.path("total").asText());
        assertThat(result.path("lines").size()).isEqualTo(expected.path("lines").size());
        for (int i = 0; i < expected.path("lines").size(); i++) {
            JsonNode e = expected.path("lines").get(i);
            JsonNode a = result.path("lines").get(i);
            for (String f : new String[]{"outcomeId", "status", "credits", "targetCourse", "ruleId"}) {
                assertThat(a.path(f).asText(null)).as("%s line %d %s", example, i, f).isEqualTo(e.path(f).asText(null));
            }
            assertThat(a.path("reasons").toString()).as("%s line %d reasons", example, i).isEqualTo(e.path("reasons").toString());
        }
    }
}
