package cn.crb.domain.json;

/**
 * A JSON document that is well-formed but does not satisfy its contract. The message is always one line of the
 * form {@code <path>: <problem>}, for example {@code catalogue[3].qfLevel: must be an integer 1-7, got "4"}.
 */
public final class JsonValidationException extends IllegalArgumentException {
    private final String path;
    private final String problem;

    public JsonValidationException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** The JSON path of the offending value, e.g. {@code outcomes[2].hours}; {@code (document)} for the root. */
    public String path() { return path; }

    /** What is wrong with the value, without the path. */
    public String problem() { return problem; }
}
