package cn.crb.app.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WorkstationPreferencesTest {
    @Test
    void defaultsWhenNothingIsStored(@TempDir Path home) {
        WorkstationPreferences.Values v = new WorkstationPreferences(home).load();
        assertThat(v.language()).isNull();
        assertThat(v.theme()).isNull();
        assertThat(v.scalePercent()).isEqualTo(100);
    }

    @Test
    void whatIsSavedIsReadBackByANewInstance(@TempDir Path home) {
        new WorkstationPreferences(home.resolve("new-home")).save(new WorkstationPreferences.Values("en", "DARK", 125));
        WorkstationPreferences.Values v = new WorkstationPreferences(home.resolve("new-home")).load();
        assertThat(v).isEqualTo(new WorkstationPreferences.Values("en", "DARK", 125));
        assertThat(home.resolve("new-home").resolve(WorkstationPreferences.FILE)).isRegularFile();
        assertThat(home.resolve("new-home").resolve(WorkstationPreferences.FILE + ".tmp")).doesNotExist();
    }

    @Test
    void damagedOrOutOfRangeValuesFallBack(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve(WorkstationPreferences.FILE), "text.scale=huge\ntheme=\n");
        assertThat(new WorkstationPreferences(home).load()).isEqualTo(new WorkstationPreferences.Values(null, null, 100));
        Files.writeString(home.resolve(WorkstationPreferences.FILE), "text.scale=900\n");
        assertThat(new WorkstationPreferences(home).load().scalePercent()).isEqualTo(WorkstationPreferences.MAX_SCALE);
    }
}
