package cn.crb.app.cli;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sets where logs go before the first logger exists: a rolling file in the workstation home's {@code logs/},
 * and stderr for warnings only (or everything with {@code --debug}). Secrets are never logged.
 */
public final class Logging {
    private Logging() {}

    public static void configureForCli(String[] args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        System.setProperty("crb.log.console", debug ? "DEBUG" : "OFF");
        configureDir(args);
    }

    public static void configureForGui(String[] args) {
        System.setProperty("crb.log.console", Arrays.asList(args).contains("--debug") ? "DEBUG" : "WARN");
        configureDir(args);
    }

    private static void configureDir(String[] args) {
        Path home = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--home") && i + 1 < args.length) home = Path.of(args[i + 1]);
            else if (args[i].startsWith("--home=")) home = Path.of(args[i].substring(7));
        }
        if (home == null && System.getenv("CRB_HOME") != null) home = Path.of(System.getenv("CRB_HOME"));
        if (home == null) home = Path.of(System.getProperty("user.home"), ".crb-workstation");
        if (System.getProperty("crb.log.dir") == null) System.setProperty("crb.log.dir", home.resolve("logs").toString());
    }
}
