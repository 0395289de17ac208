package cn.crb.domain.bulk;

/**
 * One cell as read, trimmed. {@code kind} says how the file stored it: text (every CSV cell), an XLSX number
 * ({@code text} is its exact decimal value) or an XLSX date ({@code text} is {@code YYYY-MM-DD}).
 */
public record RawCell(String text, Kind kind) {
    /** How a cell was stored. */
    public enum Kind { TEXT, NUMBER, DATE }

    public static final RawCell EMPTY = new RawCell("", Kind.TEXT);

    public RawCell {
        text = text == null ? "" : text;
    }

    public static RawCell text(String s) { return s == null || s.isEmpty() ? EMPTY : new RawCell(s, Kind.TEXT); }

    public boolean isBlank() { return text.isBlank(); }
}
