package cn.crb.domain.bulk;

import java.util.List;
import java.util.Map;

/**
 * The outcome of reading a whole file: the file's facts (SM3, size), the encoding and delimiter actually used, the
 * header problems, and the counts. {@code rows = accepted + rejected}. {@code cancelled} means the clerk stopped the
 * import and the counts cover the rows read until then; {@code headerUsable} false means no row was read because a
 * required column is missing.
 */
public record ImportSummary(FileFacts facts, TextEncoding encoding, Character delimiter, List<String> header,
                            List<Problem> headerProblems, long rows, long accepted, long rejected,
                            Map<ProblemCode, Long> problemCounts, boolean cancelled, boolean headerUsable) {
    public ImportSummary {
        header = List.copyOf(header);
        headerProblems = List.copyOf(headerProblems);
        problemCounts = Map.copyOf(problemCounts);
    }

    /** Whether the accepted rows may be submitted: never after cancel or a bad header; in all-or-nothing mode only with no rejected row. */
    public boolean submittable(ImportMode mode) {
        if (cancelled || !headerUsable) return false;
        return mode == ImportMode.PARTIAL || rejected == 0;
    }

    /** A text file whose header could not be mapped and holds characters invalid in the encoding it was read in. */
    public boolean garbledHeader() {
        return encoding != null && !headerUsable && headerProblems.stream().anyMatch(p -> p.code() == ProblemCode.ENCODING_INVALID);
    }

    /** A text file of which rows were read and none was valid: often a file read in the wrong encoding. */
    public boolean everyRowRejected() {
        return encoding != null && rows > 0 && accepted == 0;
    }
}
