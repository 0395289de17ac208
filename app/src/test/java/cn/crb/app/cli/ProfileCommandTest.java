package cn.crb.app.cli;

import cn.crb.sim.PlatformSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code crb profile create/show} against a running reference platform. */
class ProfileCommandTest {
    @TempDir static Path simDir;
    static PlatformSim sim;

    @BeforeAll
    static void start() throws IOException {
        sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
    }

    @AfterAll
    static void stop() { sim.close(); }

    record Result(int exit, String out, String err) {}

    static Result crb(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CrbMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void aPassphraseFileWithAByteOrderMarkOpensProfilesMadeInTheWindowAndThoseAnEarlierCommandLineMade(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("pass.txt"), "\uFEFF一个足够长的口令 with 7 words\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // typed in the window (no mark), and made by crb profile create before 2026-11-29 from this file (the mark kept)
        for (String passphrase : List.of("一个足够长的口令 with 7 words", "\uFEFF一个足够长的口令 with 7 words")) {
            Path home = Files.createDirectories(dir.resolve("home-" + passphrase.length()));
            try (cn.crb.sync.HttpTransport http = new cn.crb.sync.HttpTransport()) {
                cn.crb.app.profile.ProfileService profiles = new cn.crb.app.profile.ProfileService(new cn.crb.app.profile.WorkstationHome(home), http,
                        java.time.Clock.systemUTC(), 1_000);
                profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("REVIEWER", null, "审核员"), passphrase.toCharArray(),
                        passphrase.toCharArray(), "t", step -> { }).close();
            }
            Result verified = crb("audit", "verify", "--home", home.toString(), "--passphrase-file", file.toString());
            assertThat(verified.exit()).as(verified.err()).isZero();
            assertThat(verified.out()).startsWith("OK ");
        }
    }

    @Test
    void createThenShowPrintsPersonRolesAndKeyId(@TempDir Path home) throws IOException {
        Path pass = home.resolve("pass.txt");
        Files.writeString(pass, "一个足够长的口令 with 7 words\n");
        PlatformSim.DemoPerson chair = sim.demoPeople().stream().filter(p -> p.roles().contains("PANEL_CHAIR")).findFirst().orElseThrow();
        Result created = crb("profile", "create", "--home", home.toString(), "--platform", sim.baseUrl().toString(),
                "--enrol", chair.enrolmentCode(), "--passphrase-file", pass.toString());
        assertThat(created.err()).isEmpty();
        assertThat(created.exit()).isZero();
        assertThat(created.out()).contains(chair.displayName()).contains("PANEL_CHAIR").containsPattern("key id: +[0-9a-f]{64}");

        Result shown = crb("profile", "show", "--home", home.toString());
        assertThat(shown.exit()).isZero();
        assertThat(shown.out()).contains(chair.displayName()).contains("PANEL_MEMBER, PANEL_CHAIR").containsPattern("key id: +[0-9a-f]{64}");

        // the same code again: refused, one line, exit 2, no stack trace
        Result again = crb("profile", "create", "--home", home.toString(), "--platform", sim.baseUrl().toString(),
                "--enrol", chair.enrolmentCode(), "--passphrase-file", pass.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err().strip().lines()).hasSize(1);
        assertThat(again.err()).startsWith("crb: ").contains("refused").doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** Pins given once at creation serve every later command: they are kept in the home's platform.properties. */
    @Test
    void pinsGivenWhenCreatingAProfileAreKeptForLaterCommands(@TempDir Path tlsDir, @TempDir Path home) throws IOException {
        try (PlatformSim tls = PlatformSim.start(new PlatformSim.Options(0, tlsDir, true, List.of()).withTls())) {
            Path pass = home.resolve("pass.txt");
            Files.writeString(pass, "一个足够长的口令 with 7 words\n");
            PlatformSim.DemoPerson reviewer = tls.demoPeople().stream().filter(p -> p.roles().contains("REVIEWER")).findFirst().orElseThrow();
            // the code from a file, out of the process list
            Path code = Files.writeString(home.resolve("code.txt"), reviewer.enrolmentCode() + "\r\n");
            Result created = crb("profile", "create", "--home", home.toString(), "--platform", tls.baseUrl().toString(),
                    "--enrol-file", code.toString(), "--pin", tls.tlsPin().orElseThrow(), "--passphrase-file", pass.toString());
            assertThat(created.exit()).as(created.err()).isZero();
            assertThat(created.out()).contains("pins:").contains("platform.properties");
            assertThat(Files.readString(home.resolve("platform.properties"))).contains("pins=" + tls.tlsPin().orElseThrow());
            // no --pin and no $CRB_PLATFORM_PINS: the sync goes over TLS pinned with the kept pin
            Result synced = crb("sync", "--home", home.toString(), "--passphrase-file", pass.toString());
            assertThat(synced.exit()).as(synced.err()).isZero();
            assertThat(synced.out()).contains("COMPLETE");
        }
    }

    @Test
    void errorsAreOneLineWithExitTwo(@TempDir Path home) {
        Result noPass = crb("profile", "create", "--home", home.toString(), "--platform", sim.baseUrl().toString(),
                "--enrol", "x", "--passphrase-file", home.resolve("missing").toString());
        assertThat(noPass.exit()).isEqualTo(2);
        assertThat(noPass.err().strip().lines()).hasSize(1);
        assertThat(noPass.err()).contains("passphrase file");

        Result badOption = crb("profile", "create", "--bogus");
        assertThat(badOption.exit()).isEqualTo(2);
        assertThat(badOption.err().strip().lines()).hasSize(1);

        Result none = crb("profile", "show", "--home", home.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no profile");

        Result help = crb("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("profile").contains("evaluate");

        Result version = crb("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("crb " + System.getProperty("crb.project.version") + ", built 20");
    }
}
