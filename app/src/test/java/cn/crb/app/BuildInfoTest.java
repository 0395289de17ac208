package cn.crb.app;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BuildInfoTest {
    @Test
    void theBuiltJarCarriesItsVersionAndBuildTime() {
        BuildInfo b = BuildInfo.current();
        assertThat(b.version()).isEqualTo(System.getProperty("crb.project.version")).isNotEqualTo("?");
        assertThat(b.builtAt()).isNotNull().isBefore(Instant.now().plusSeconds(1))
                .isAfter(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void unfilteredOrBrokenValuesAreUnknownNotWrong() {
        assertThat(BuildInfo.of("${project.version}", "${crb.build.time}")).isEqualTo(new BuildInfo("?", null));
        assertThat(BuildInfo.of(null, null)).isEqualTo(new BuildInfo("?", null));
        assertThat(BuildInfo.of("0.1.0", "yesterday")).isEqualTo(new BuildInfo("0.1.0", null));
        assertThat(BuildInfo.of("0.1.0", "2026-11-26T04:05:06Z")).isEqualTo(new BuildInfo("0.1.0", Instant.parse("2026-11-26T04:05:06Z")));
    }
}
