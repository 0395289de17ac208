package cn.crb.domain.bulk;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the clerk maps the columns of a file onto the fields of contract 05, by 0-based position in the header row:
 * a position {@link #assigned} is read as that field whatever its header says, a position {@link #ignored} is not
 * read at all (and not reported), every other position is taken from its header (English or Chinese) as before.
 * {@link #AUTOMATIC} is the mapping the headers alone give. Immutable.
 */
public record ColumnMapping(Map<Integer, BulkColumn> assigned, Set<Integer> ignored) {
    public static final ColumnMapping AUTOMATIC = new ColumnMapping(Map.of(), Set.of());

    public ColumnMapping {
        assigned = Map.copyOf(assigned);
        ignored = Set.copyOf(ignored);
        for (Integer p : assigned.keySet()) {
            if (p < 0 || ignored.contains(p)) throw new IllegalArgumentException("position " + p + " both assigned and ignored, or negative");
        }
    }

    /** What the clerk chose for one column of the file. */
    public sealed interface Choice {
        /** Taken from the header (nothing chosen); reported as unknown when the header names no field. */
        record Automatic() implements Choice {}

        /** Not read. */
        record Ignored() implements Choice {}

        /** Read as this field. */
        record Field(BulkColumn column) implements Choice {}
    }

    public static final Choice AUTO = new Choice.Automatic();
    public static final Choice IGNORE = new Choice.Ignored();

    /** The field a header names by itself, if any (the {@code errors} column of a rejects file names none). */
    public static Optional<BulkColumn> detected(String header) {
        if (header == null || header.isBlank() || BulkColumn.isErrorsHeader(header)) return Optional.empty();
        return BulkColumn.byHeader(header);
    }

    /**
     * The choice a column starts with in the preview: its detected field; ignored for a blank header or the
     * {@code errors} column of a rejects file; automatic (to be reported as unknown) otherwise.
     */
    public static Choice initialChoice(String header) {
        Optional<BulkColumn> c = detected(header);
        if (c.isPresent()) return new Choice.Field(c.get());
        return header == null || header.isBlank() || BulkColumn.isErrorsHeader(header) ? IGNORE : AUTO;
    }

    /** The mapping of one choice per header position (positions beyond the list are automatic). */
    public static ColumnMapping of(List<Choice> choices) {
        Map<Integer, BulkColumn> assigned = new HashMap<>();
        Set<Integer> ignored = new HashSet<>();
        for (int i = 0; i < choices.size(); i++) {
            switch (choices.get(i)) {
                case Choice.Field f -> assigned.put(i, f.column());
                case Choice.Ignored x -> ignored.add(i);
                case Choice.Automatic a -> { }
                case null -> { }
            }
        }
        return new ColumnMapping(assigned, ignored);
    }

    /** The choice this mapping holds for a position. */
    public Choice choice(int position) {
        if (ignored.contains(position)) return IGNORE;
        BulkColumn c = assigned.get(position);
        return c == null ? AUTO : new Choice.Field(c);
    }
}
