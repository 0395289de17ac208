package cn.crb.domain.bulk;

import java.util.List;

/** One data row as read, with its row number as the clerk sees it in Excel (header = row 1). Immutable. */
public record RawRow(long rowNumber, List<RawCell> cells) {
    public RawRow {
        cells = List.copyOf(cells);
    }

    /** The cell at a 0-based position, or an empty cell beyond the row's end. */
    public RawCell cell(int index) {
        return index >= 0 && index < cells.size() ? cells.get(index) : RawCell.EMPTY;
    }

    /** The cells' texts, for export. */
    public List<String> texts() { return cells.stream().map(RawCell::text).toList(); }

    public boolean isBlank() { return cells.stream().allMatch(RawCell::isBlank); }
}
