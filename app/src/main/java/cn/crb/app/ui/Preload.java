package cn.crb.app.ui;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Start-up work done on a second core while JavaFX starts its toolkit (≈ 0.7 s before {@code start} runs): parsing
 * the options, configuring the logging and loading the JSON mapper. Parsing alone took 0.15 s on the JavaFX thread:
 * picocli's classes are Java 5 class files, which an AOT cache cannot hold, so they are loaded and verified from the
 * jar at every start. {@link #options} gives the parsed options (the same errors as parsing them there).
 */
final class Preload {
    private static volatile String[] args;
    private static volatile CompletableFuture<GuiOptions> options;

    private Preload() {}

    /** Starts the work; called by {@link Launcher} before {@code Application.launch}. */
    static void start(String[] arguments) {
        args = arguments.clone();
        CompletableFuture<GuiOptions> f = new CompletableFuture<>();
        options = f;
        Thread t = new Thread(() -> {
            try {
                GuiOptions o = parse(args);
                f.complete(o);
                org.slf4j.LoggerFactory.getLogger(Preload.class); // the logging configuration is read here
                cn.crb.domain.json.Json.object();                 // Jackson's mapper
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "crb-preload");
        t.setDaemon(true);
        t.start();
    }

    /** The options of {@code raw}: those parsed in the background when they are the same arguments, else parsed now. */
    static GuiOptions options(List<String> raw) {
        CompletableFuture<GuiOptions> f = options;
        if (f != null && Arrays.asList(args).equals(raw)) {
            try {
                return f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw e;
            }
        }
        return parse(raw.toArray(String[]::new));
    }

    private static GuiOptions parse(String[] a) {
        GuiOptions o = new GuiOptions();
        new CommandLine(o).parseArgs(a);
        return o;
    }
}
