package cn.crb.app.cli;

/** An error the command line reports as one plain line (exit status 2). */
public final class CliException extends RuntimeException {
    public CliException(String message) { super(message); }
    public CliException(String message, Throwable cause) { super(message, cause); }
}
