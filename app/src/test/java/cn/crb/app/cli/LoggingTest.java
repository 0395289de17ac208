package cn.crb.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the command line logs: never into a home it would create by logging. */
class LoggingTest {
    @Test
    void aCommandLogsIntoAnExistingHomeAndNeverCreatesAMistypedOne(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        assertThat(Logging.cliLogDir(new String[]{"audit", "verify", "--home", home.toString()}, Map.of())).isEqualTo(home.resolve("logs"));
        assertThat(Logging.cliLogDir(new String[]{"sync", "--home=" + home}, Map.of())).isEqualTo(home.resolve("logs"));
        assertThat(Logging.cliLogDir(new String[]{"sync"}, Map.of("CRB_HOME", home.toString()))).isEqualTo(home.resolve("logs"));

        Path typo = dir.resolve("hmoe");
        Path elsewhere = Logging.cliLogDir(new String[]{"audit", "verify", "--home", typo.toString()}, Map.of());
        assertThat(elsewhere.startsWith(typo)).isFalse();
        assertThat(elsewhere.startsWith(Path.of(System.getProperty("java.io.tmpdir")))).isTrue();
        // a profile being created makes its home anyway
        assertThat(Logging.cliLogDir(new String[]{"profile", "create", "--home", typo.toString()}, Map.of())).isEqualTo(typo.resolve("logs"));
    }
}
