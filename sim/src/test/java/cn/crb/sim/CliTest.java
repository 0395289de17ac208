package cn.crb.sim;

import cn.crb.domain.crypto.Sm2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {
    @TempDir Path dir;

    record Run(int rc, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = PlatformSimMain.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void adminIssueCodePrintsTheCodeAlone() throws IOException {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()))) {
            Run r = run("admin", "--url", sim.baseUrl().toString(), "issue-code", "--role", "REVIEWER", "--institution", "JSOU", "--name", "测试");
            assertThat(r.rc()).isZero();
            assertThat(r.err()).isEmpty();
            String code = r.out().strip();
            assertThat(code).matches("EC(-[0-9A-Z]{4}){4}");
            SimClient.Device d = new SimClient(sim.baseUrl()).enrol(code);
            assertThat(d.enrolment().path("displayName").asText()).isEqualTo("测试");
            assertThat(new SimClient(sim.baseUrl()).enrolRaw(code, Sm2.generate()).status()).isEqualTo(410);
        }
    }

    @Test
    void errorsExitTwoWithOneLine() throws IOException {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()))) {
            Run r = run("admin", "--url", sim.baseUrl().toString(), "issue-code", "--role", "KING");
            assertThat(r.rc()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).doesNotContain("\n").contains("MALFORMED").doesNotContain("at cn.crb");
        }
        Run unreachable = run("admin", "--url", "http://127.0.0.1:1", "issue-code", "--role", "REVIEWER");
        assertThat(unreachable.rc()).isEqualTo(2);
        assertThat(unreachable.err().strip()).doesNotContain("\n").contains("cannot connect");
        Run usage = run("admin", "issue-code");
        assertThat(usage.rc()).isEqualTo(2);
        Run debug = run("--debug", "admin", "--url", "http://127.0.0.1:1", "issue-code", "--role", "REVIEWER");
        assertThat(debug.rc()).isEqualTo(2);
        assertThat(debug.err()).contains("\tat ");
    }
}
