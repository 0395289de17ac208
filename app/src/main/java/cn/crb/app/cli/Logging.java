package cn.crb.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Sets where logs go before the first logger exists: a rolling file in the workstation home's {@code logs/},
 * and stderr for warnings only (or everything with {@code --debug}). Secrets are never logged.
 */
public final class Logging {
    private Logging() {}

    public static void configureForCli(String[] args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        System.setProperty("crb.log.console", debug ? "DEBUG" : "OFF");
        if (System.getProperty("crb.log.dir") == null) System.setProperty("crb.log.dir", cliLogDir(args, System.getenv()).toString());
    }

    public static void configureForGui(String[] args) {
        System.setProperty("crb.log.console", Arrays.asList(args).contains("--debug") ? "DEBUG" : "WARN");
        if (System.getProperty("crb.log.dir") == null) System.setProperty("crb.log.dir", home(args, System.getenv()).resolve("logs").toString());
    }

    /**
     * The command line logs into the home it works on, when that is a folder it may write in, or is about to be made
     * ({@code profile create}). A mistyped {@code --home} is not created by the log file (the command then says there is
     * no profile there), and one that cannot be written in does not make the logging fail on the person's terminal:
     * those runs log into the system's temporary folder.
     */
    static Path cliLogDir(String[] args, Map<String, String> env) {
        Path home = home(args, env);
        boolean creating = Arrays.asList(args).contains("profile") && Arrays.asList(args).contains("create");
        if (creating || (Files.isDirectory(home) && Files.isWritable(home))) return home.resolve("logs");
        return Path.of(System.getProperty("java.io.tmpdir"), "crb-logs-" + System.getProperty("user.name", "user"));
    }

    private static Path home(String[] args, Map<String, String> env) {
        Path home = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--home") && i + 1 < args.length) home = Path.of(args[i + 1]);
            else if (args[i].startsWith("--home=")) home = Path.of(args[i].substring(7));
        }
        if (home == null && env.get("CRB_HOME") != null) home = Path.of(env.get("CRB_HOME"));
        if (home == null) home = Path.of(System.getProperty("user.home"), ".crb-workstation");
        return home;
    }
}
