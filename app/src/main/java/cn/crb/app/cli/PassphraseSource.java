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
 * <p>
 * Versions before 2026-11-29 read the first line with a byte-order mark kept and every carriage return removed; a
 * profile created with {@code crb profile create} from such a file has that as its passphrase.
 * {@link #matching} tries that reading too, so that those profiles still open with the same file.
 */
final class PassphraseSource {
    private PassphraseSource() {}

    /**
     * The passphrase of the profile {@code profileId} among {@code read} (this version's reading of {@code file}) and the
     * earlier versions' reading of the same file, when they differ; the other is wiped. Without a file, {@code read}.
     */
    static char[] matching(cn.crb.app.profile.ProfileService service, String profileId, char[] read, Path file) {
        if (file == null) return read;
        char[] earlier = earlierReading(file);
        if (earlier == null || Arrays.equals(earlier, read)) {
            if (earlier != null) Arrays.fill(earlier, '\0');
            return read;
        }
        char[] chosen = service.choosePassphrase(profileId, read, earlier);
        Arrays.fill(chosen == read ? earlier : read, '\0');
        return chosen;
    }

    /** The first line as versions before 2026-11-29 read it: a byte-order mark kept, every carriage return removed; null if unreadable. */
    static char[] earlierReading(Path file) {
        byte[] bytes = null;
        CharBuffer chars = null;
        try {
            bytes = Files.readAllBytes(file);
            chars = strictUtf8(bytes);
            char[] line = new char[chars.length()];
            int n = 0;
            for (int i = 0; i < chars.length() && chars.charAt(i) != '\n'; i++) if (chars.charAt(i) != '\r') line[n++] = chars.charAt(i);
            char[] out = Arrays.copyOf(line, n);
            Arrays.fill(line, '\0');
            return n == 0 ? null : out;
        } catch (IOException e) {
            return null;
        } finally {
            if (bytes != null) Arrays.fill(bytes, (byte) 0);
            if (chars != null && chars.hasArray()) Arrays.fill(chars.array(), '\0');
        }
    }

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
                chars = strictUtf8(bytes);
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

    /** {@code bytes} as UTF-8, refusing anything that is not. */
    private static CharBuffer strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
    }
}
