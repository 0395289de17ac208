package cn.crb.localdb;

import cn.crb.domain.crypto.KeyWrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static cn.crb.localdb.jooq.Tables.KV_SETTING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM (the person logs out, the computer shuts down) while background work reads the database: H2 must not close
 * the database from its own shutdown hook under that work (it did, with "database is already closed" errors); the
 * owner's hook stops the work, then closes it. Fails without {@link LocalDatabase#CLOSED_BY_OWNER}.
 */
class SigtermTest {
    @Test
    void terminatedWhileReadingTheDatabaseClosesAfterTheWork(@TempDir Path dir) throws Exception {
        byte[] key = KeyWrap.randomKey();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                SigtermReaderMain.class.getName(), dir.toString(), HexFormat.of().formatHex(key))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        Object secondOpen = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.equals("READY")) {
                    // meanwhile another process (a crb command beside the open workstation) is told the database is in
                    // use, not H2's "Database may be already in use … use the server mode"
                    try (LocalDatabase second = LocalDatabase.open(dir, key)) {
                        secondOpen = "opened";
                    } catch (RuntimeException e) {
                        secondOpen = e;
                    }
                    p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
                }
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lines).contains("READY", "CLOSED");
        assertThat(secondOpen).isInstanceOf(LocalDatabase.InUseException.class);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("READER ENDED CLEANLY"));
        try (LocalDatabase db = LocalDatabase.open(dir, key)) {
            assertThat(db.dsl().fetchCount(KV_SETTING)).isEqualTo(200);
        }
    }
}
