package cn.crb.app.profile;

import java.nio.file.Path;
import java.util.Map;

/**
 * The workstation's home directory: {@code --home DIR}, else {@code $CRB_HOME}, else {@code ~/.crb-workstation}.
 * It holds one folder per person under {@code profiles/}, the embedded demo platform's data under
 * {@code demo-platform/} and the logs under {@code logs/}.
 */
public record WorkstationHome(Path dir) {
    public static final String ENV = "CRB_HOME";

    public static WorkstationHome resolve(Path option, Map<String, String> env) {
        if (option != null) return new WorkstationHome(option.toAbsolutePath());
        String e = env.get(ENV);
        if (e != null && !e.isBlank()) return new WorkstationHome(Path.of(e).toAbsolutePath());
        return new WorkstationHome(Path.of(System.getProperty("user.home"), ".crb-workstation"));
    }

    public Path profiles() { return dir.resolve("profiles"); }
    public Path demoPlatform() { return dir.resolve("demo-platform"); }
    public Path logs() { return dir.resolve("logs"); }
}
