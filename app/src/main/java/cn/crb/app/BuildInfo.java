package cn.crb.app;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * The version and build time of this workstation, written into {@code cn/crb/app/build-info.properties} by Maven when
 * the application jar is built (shown in the help window's About section). Run from classes that Maven did not
 * filter (an IDE), both are unknown rather than wrong.
 *
 * @param version the project's version, e.g. {@code 0.1.0-SNAPSHOT}; {@code "?"} when unknown
 * @param builtAt when the jar was built (UTC); null when unknown
 */
public record BuildInfo(String version, Instant builtAt) {
    private static final String RESOURCE = "/cn/crb/app/build-info.properties";

    /** The build information of the running application. */
    public static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            return new BuildInfo("?", null);
        }
        return of(p.getProperty("version"), p.getProperty("built"));
    }

    /** From the two filtered values; an unfiltered placeholder ({@code ${…}}) or a missing value counts as unknown. */
    static BuildInfo of(String version, String built) {
        String v = version == null || version.isBlank() || version.startsWith("${") ? "?" : version.trim();
        Instant at = null;
        if (built != null && !built.startsWith("${")) {
            try {
                at = Instant.parse(built.trim());
            } catch (DateTimeParseException e) {
                at = null;
            }
        }
        return new BuildInfo(v, at);
    }
}
