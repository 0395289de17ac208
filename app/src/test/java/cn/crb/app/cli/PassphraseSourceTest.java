package cn.crb.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The passphrase file as people save it: with Notepad's byte-order mark, Windows line ends, or in GBK. */
class PassphraseSourceTest {
    @Test
    void theFirstLineIsThePassphraseWithOrWithoutAByteOrderMark(@TempDir Path dir) throws Exception {
        Path bom = Files.write(dir.resolve("bom.txt"), ("\uFEFF评审员的口令 long enough 7\r\nsecond line\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(new String(PassphraseSource.read(bom))).isEqualTo("评审员的口令 long enough 7");
        Path plain = Files.writeString(dir.resolve("plain.txt"), " spaces kept \n");
        assertThat(new String(PassphraseSource.read(plain))).isEqualTo(" spaces kept ");
        Path noEnd = Files.writeString(dir.resolve("noend.txt"), "no line end");
        assertThat(new String(PassphraseSource.read(noEnd))).isEqualTo("no line end");
    }

    @Test
    void aFileInAnotherEncodingOrEmptyIsRefusedSayingHowToFixIt(@TempDir Path dir) throws Exception {
        Path gbk = Files.write(dir.resolve("gbk.txt"), "评审员的口令\n".getBytes(Charset.forName("GBK")));
        assertThatThrownBy(() -> PassphraseSource.read(gbk)).isInstanceOf(CliException.class).hasMessageContaining("save it as UTF-8");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\uFEFF\r\n");
        assertThatThrownBy(() -> PassphraseSource.read(empty)).isInstanceOf(CliException.class).hasMessageContaining("is empty");
    }
}
