package cn.crb.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * {@code crb}: the workstation's command line. Errors end with exit status 2 and one line on stderr;
 * stack traces only with {@code --debug}.
 */
@Command(name = "crb", mixinStandardHelpOptions = true, versionProvider = CrbMain.Version.class,
        description = "Credit-bank reviewer workstation (学分互认评审工作站) — command line.",
        subcommands = {ProfileCommand.class, EvaluateCommand.class, SyncCommand.class, OutboxCommand.class, AuditCommand.class, KeyCommand.class, ImportCommand.class, SubmitCommand.class, NoticeCommand.class, CommandLine.HelpCommand.class})
public final class CrbMain implements Runnable {
    public static final int EXIT_ERROR = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        Logging.configureForCli(args);
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CrbMain());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // --debug is inherited: typed after the subcommand it is matched there, not on crb itself
            boolean debug = parseResult.asCommandLineList().stream().anyMatch(c -> c.getParseResult() != null && c.getParseResult().hasMatchedOption("--debug"));
            if (ex instanceof CliException c) {
                commandLine.getErr().println("crb: " + c.getMessage());
            } else {
                commandLine.getErr().println("crb: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            }
            if (debug) ex.printStackTrace(commandLine.getErr());
            return EXIT_ERROR;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("crb: " + ex.getMessage() + " (see: crb " + String.join(" ",
                    ex.getCommandLine().getCommandSpec().qualifiedName().replaceFirst("^crb ?", "")) + " --help)");
            return EXIT_ERROR;
        });
        return cl;
    }

    /** Version from the jar manifest (or "dev" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            cn.crb.app.BuildInfo b = cn.crb.app.BuildInfo.current();
            return new String[]{"crb " + b.version() + (b.builtAt() == null ? "" : ", built " + b.builtAt())};
        }
    }
}
