package cn.crb.app.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the passphrase from {@code --passphrase-file FILE} (first line) or the {@code CRB_PASSPHRASE} variable. The
 * file is read as UTF-8, with or without a byte-order mark (Notepad writes one), straight into a {@code char[]}: no
 * String holds it, and the bytes and characters read are wiped. A file in another encoding is refused with what to do,
 * rather than read as a wrong passphrase (which would count towards the unlock's pause).
 */
final class PassphraseSource {
    private PassphraseSource() {}

    static char[] read(Path file) {
        if (file != null) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CliException("cannot read the passphrase file " + file + ": " + e.getMessage());
            }
            CharBuffer chars = null;
            try {
                chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                int from = chars.length() > 0 && chars.charAt(0) == '\uFEFF' ? 1 : 0;
                int to = from;
                while (to < chars.length() && chars.charAt(to) != '\n' && chars.charAt(to) != '\r') to++;
                if (to == from) throw new CliException("the passphrase file " + file + " is empty");
                char[] line = new char[to - from];
                chars.get(from, line);
                return line;
            } catch (CharacterCodingException e) {
                throw new CliException("the passphrase file " + file + " is not UTF-8 text; save it as UTF-8 and try again");
            } finally {
                Arrays.fill(bytes, (byte) 0);
                if (chars != null && chars.hasArray()) Arrays.fill(chars.array(), '\0');
            }
        }
        String env = System.getenv("CRB_PASSPHRASE");
        if (env != null && !env.isEmpty()) return env.toCharArray();
        throw new CliException("a passphrase is needed: give --passphrase-file FILE or set CRB_PASSPHRASE");
    }
}
