package cn.crb.app.cli;

import cn.crb.sim.PlatformSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code crb sync} and {@code crb outbox list} against a running reference platform. */
class SyncCommandTest {
    @TempDir static Path simDir;
    static PlatformSim sim;

    @BeforeAll
    static void start() throws IOException {
        sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
    }

    @AfterAll
    static void stop() { sim.close(); }

    @Test
    void syncPrintsAReportAndTheOutboxListsWhatWasSent(@TempDir Path home) throws IOException {
        Path pass = home.resolve("pass.txt");
        Files.writeString(pass, "一个足够长的口令 with 7 words\n");
        PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.displayName().equals("张明")).findFirst().orElseThrow();
        assertThat(ProfileCommandTest.crb("profile", "create", "--home", home.toString(), "--platform", sim.baseUrl().toString(),
                "--enrol", reviewer.enrolmentCode(), "--passphrase-file", pass.toString()).exit()).isZero();

        ProfileCommandTest.Result r = ProfileCommandTest.crb("sync", "--home", home.toString(), "--passphrase-file", pass.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("^pulled \\d+ cases, pushed 1 envelopes: 1 accepted, 0 duplicate, 0 conflict, 0 rejected")
                .contains("sync:       COMPLETE").contains("installed 2025.2, 2026.1").containsPattern("cases: +\\d{2,} new")
                .contains("1 accepted").contains("checkpoint: signed and queued").contains("verified tree head of size 1");

        ProfileCommandTest.Result pending = ProfileCommandTest.crb("outbox", "list", "--home", home.toString(), "--passphrase-file", pass.toString());
        assertThat(pending.exit()).isZero();
        assertThat(pending.out()).contains("nothing pending or refused");
        ProfileCommandTest.Result all = ProfileCommandTest.crb("outbox", "list", "--all", "--home", home.toString(), "--passphrase-file", pass.toString());
        assertThat(all.out()).contains("ACCEPTED\tcreditbank.audit-checkpoint/1");

        Path wrong = home.resolve("wrong.txt");
        Files.writeString(wrong, "not the passphrase at all, sorry\n");
        ProfileCommandTest.Result refused = ProfileCommandTest.crb("sync", "--home", home.toString(), "--passphrase-file", wrong.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err()).startsWith("crb: ").doesNotContain("Exception");
    }

    @Test
    void anUnreachablePlatformExitsWithThreeAndLosesNothing(@TempDir Path home, @TempDir Path otherSim) throws IOException {
        Path pass = home.resolve("pass.txt");
        Files.writeString(pass, "一个足够长的口令 with 7 words\n");
        PlatformSim down = PlatformSim.start(new PlatformSim.Options(0, otherSim, true, List.of()));
        String code = down.issueEnrolmentCode("REVIEWER", "JSOU", "离线审核员");
        assertThat(ProfileCommandTest.crb("profile", "create", "--home", home.toString(), "--platform", down.baseUrl().toString(),
                "--enrol", code, "--passphrase-file", pass.toString()).exit()).isZero();
        down.close();
        ProfileCommandTest.Result r = ProfileCommandTest.crb("sync", "--home", home.toString(), "--passphrase-file", pass.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("could not be reached").contains("nothing is lost");
        assertThat(r.out()).contains("sync:       RETRY_LATER");
    }
}
