package cn.crb.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the passphrase from {@code --passphrase-file FILE} (first line) or the {@code CRB_PASSPHRASE} variable. */
final class PassphraseSource {
    private PassphraseSource() {}

    static char[] read(Path file) {
        if (file != null) {
            try {
                String s = Files.readString(file, StandardCharsets.UTF_8);
                int nl = s.indexOf('\n');
                String line = (nl >= 0 ? s.substring(0, nl) : s).replace("\r", "");
                if (line.isEmpty()) throw new CliException("the passphrase file " + file + " is empty");
                return line.toCharArray();
            } catch (IOException e) {
                throw new CliException("cannot read the passphrase file " + file + ": " + e.getMessage());
            }
        }
        String env = System.getenv("CRB_PASSPHRASE");
        if (env != null && !env.isEmpty()) return env.toCharArray();
        throw new CliException("a passphrase is needed: give --passphrase-file FILE or set CRB_PASSPHRASE");
    }
}
