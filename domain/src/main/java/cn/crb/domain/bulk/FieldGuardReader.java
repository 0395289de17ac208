package cn.crb.domain.bulk;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Watches the characters on their way to the CSV parser and stops a field longer than the cap or a record with more
 * columns than the cap before the parser buffers them: it follows RFC 4180 quoting (a {@code "} toggles the quoted
 * state, so an escaped {@code ""} leaves it unchanged) and counts characters since the last unquoted delimiter or
 * line end. A {@code "} opens a quoted field only at the start of a field, as the parser reads it. An unclosed quote therefore fails after at most {@code maxFieldChars} characters, not at the end of a
 * 200 MB file.
 */
final class FieldGuardReader extends FilterReader {
    /** Thrown through the parser when a cap is hit; carries the Excel row where the offending record starts. */
    static final class Exceeded extends IOException {
        final ProblemCode code;
        final long row;

        Exceeded(ProblemCode code, long row) {
            super(code.name() + " at row " + row);
            this.code = code;
            this.row = row;
        }
    }

    private final char delimiter;
    private final int maxField;
    private final int maxColumns;
    private boolean quoted;
    private long fieldChars;
    private int columns = 1;
    private long record = 1;
    private boolean lastWasCr;
    private boolean justClosed;
    /** Spaces came after the closing quote: a quote now is not an escaped one but a second, stray, quoted value. */
    private boolean spacedAfterClose;
    private long quoteRecord;

    FieldGuardReader(Reader in, char delimiter, int maxField, int maxColumns) {
        super(in);
        this.delimiter = delimiter;
        this.maxField = maxField;
        this.maxColumns = maxColumns;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) see((char) c);
        else atEnd();
        return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        for (int i = 0; i < n; i++) see(buf[off + i]);
        if (n < 0) atEnd();
        return n;
    }

    private void atEnd() throws Exceeded {
        if (quoted) throw new Exceeded(ProblemCode.FILE_UNCLOSED_QUOTE, quoteRecord);
    }

    private void see(char c) throws Exceeded {
        if (quoted) {
            if (c == '"') {
                quoted = false;
                justClosed = true;
            } else {
                fieldChars++;
            }
        } else if (c == '"' && (fieldChars == 0 || justClosed && !spacedAfterClose)) {
            quoted = true;
            if (!justClosed) quoteRecord = record;
            justClosed = false;
            fieldChars++;
        } else if (justClosed && c != delimiter && c != '\n' && c != '\r') {
            // after a quoted value only spaces may come before the delimiter (as the parser reads it); anything else
            // is a quote in the middle of a value, which the parser refuses with a technical message and no row
            if (!Character.isWhitespace(c)) throw new Exceeded(ProblemCode.FILE_STRAY_QUOTE, quoteRecord);
            spacedAfterClose = true;
        } else {
            justClosed = false;
            spacedAfterClose = false;
            if (c == '\n' || c == '\r') {
                if (!(c == '\n' && lastWasCr)) record++;
                fieldChars = 0;
                columns = 1;
            } else if (c == delimiter) {
                fieldChars = 0;
                if (++columns > maxColumns) throw new Exceeded(ProblemCode.FILE_TOO_MANY_COLUMNS, record);
            } else {
                fieldChars++;
            }
        }
        lastWasCr = c == '\r';
        if (fieldChars > maxField + 2L) throw new Exceeded(ProblemCode.FILE_FIELD_TOO_LONG, quoted ? quoteRecord : record);
    }
}
