package cn.crb.domain.bulk;

/**
 * A file that cannot be read safely or at all (a file-level {@link ProblemCode}); the message is in the clerk's
 * language. Nothing of the file is imported when this is thrown.
 */
public final class BulkFileException extends Exception {
    private final ProblemCode code;

    public BulkFileException(ProblemCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ProblemCode code() { return code; }
}
