package cn.crb.app.profile;

import cn.crb.sync.HttpTransport;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Which platform this workstation talks to and the pins of its TLS certificate (a primary and a backup, contract 04,
 * issue 5): what an institution's IT deploys with the workstation, so that a reviewer never types a pin. Read, the
 * first given winning, from the command line ({@code --platform}, {@code --pin}), the environment
 * ({@code CRB_PLATFORM}, {@code CRB_PLATFORM_PINS}, comma-separated) and the file {@code platform.properties} in the
 * workstation home ({@code url=…}, {@code pins=sha256/…, sha256/…}).
 *
 * @param url  the platform's base URL, or null (the built-in demo platform)
 * @param pins the platform certificate's pins ({@code sha256/<base64>}); empty for a platform on loopback
 */
public record PlatformSettings(String url, List<String> pins) {
    public static final String FILE = "platform.properties";
    public static final String ENV_URL = "CRB_PLATFORM";
    public static final String ENV_PINS = "CRB_PLATFORM_PINS";

    public PlatformSettings {
        pins = List.copyOf(pins);
    }

    public static PlatformSettings resolve(WorkstationHome home, String urlOption, List<String> pinOptions, Map<String, String> env) {
        Properties file = new Properties();
        Path f = home.dir().resolve(FILE);
        if (Files.isRegularFile(f)) {
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                file.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        String url = first(urlOption, env.get(ENV_URL), file.getProperty("url"));
        List<String> pins = pinOptions != null && !pinOptions.isEmpty() ? pinOptions
                : split(first(env.get(ENV_PINS), file.getProperty("pins")));
        return new PlatformSettings(url, pins);
    }

    /**
     * Keeps a platform's URL and pins in the home's {@code platform.properties} when the home has none yet, so that
     * the pins given once when the profile was created ({@code crb profile create --pin}) are used by every later
     * command and by the workstation. A file already there (deployed by the institution's IT) is left as it is.
     *
     * @return whether the file was written
     */
    public static boolean remember(WorkstationHome home, String url, List<String> pins) throws IOException {
        if (url == null || pins == null || pins.isEmpty()) return false;
        Path f = home.dir().resolve(FILE);
        if (Files.exists(f)) return false;
        Files.createDirectories(home.dir());
        Path tmp = home.dir().resolve(FILE + ".tmp");
        Files.writeString(tmp, "# written by crb profile create: the platform and the pins of its TLS certificate\n"
                + "url=" + url.strip() + "\npins=" + String.join(", ", pins) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /**
     * The HTTP stack for this platform: pinned when pins are given (each checked: {@code sha256/} and 32 bytes), else
     * the plain one, which talks only to a platform on loopback (a production URL without pins is refused at the
     * first request with a message that says so).
     */
    public HttpTransport transport() {
        if (pins.isEmpty()) return new HttpTransport();
        String host = url == null ? "" : URI.create(url.strip()).getHost();
        return HttpTransport.pinned(host, pins);
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v.strip();
        return null;
    }

    private static List<String> split(String s) {
        if (s == null) return List.of();
        return Arrays.stream(s.split("[,\\s]+")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
}
