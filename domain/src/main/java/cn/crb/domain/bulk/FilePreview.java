package cn.crb.domain.bulk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The first rows of a file as the clerk will see them in the preview, read with the chosen encoding, delimiter and
 * sheet: the header, up to {@code limit} non-blank data rows (cells as text, each row with its Excel row number), and
 * whether more rows follow. Reads only as far as needed, so a million-row file previews as fast as a small one.
 */
public record FilePreview(TextEncoding encoding, Character delimiter, List<String> header, List<Row> rows, boolean more) {
    /** The usual number of rows previewed. */
    public static final int ROWS = 20;

    /** One previewed row: its number as in Excel (header = row 1) and its cells' texts. */
    public record Row(long rowNumber, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    public FilePreview {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /** Reads the header and the first {@code limit} rows of the file {@code facts} describes. */
    public static FilePreview read(FileFacts facts, ReadOptions options, int limit, Messages messages) throws IOException, BulkFileException {
        try (BulkFileReader reader = BulkFileReader.open(facts, options, messages)) {
            List<Row> rows = new ArrayList<>(limit);
            RawRow r;
            while ((r = reader.next()) != null) {
                if (r.isBlank()) continue;
                if (rows.size() == limit) return new FilePreview(reader.encoding(), reader.delimiter(), reader.header(), rows, true);
                rows.add(new Row(r.rowNumber(), r.texts()));
            }
            return new FilePreview(reader.encoding(), reader.delimiter(), reader.header(), rows, false);
        }
    }

    /** The header checked under a mapping: which field each position feeds, and the problems (unknown, missing, repeated columns). */
    public HeaderMap map(ColumnMapping mapping, Messages messages) {
        return HeaderMap.of(header, mapping, messages);
    }
}
