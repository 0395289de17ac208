package cn.crb.domain.bulk;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** CSV rows through Apache Commons CSV (RFC 4180), decoded with replacement characters, guarded by {@link FieldGuardReader}. */
final class CsvRowSource implements RowSource {
    private final CountingInputStream counting;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private final Messages messages;
    private final ReadLimits limits;
    private final char delimiter;

    private CsvRowSource(Path file, TextEncoding encoding, char delimiter, ReadLimits limits, Messages messages) throws IOException, BulkFileException {
        this.messages = messages;
        this.limits = limits;
        this.delimiter = delimiter;
        this.counting = new CountingInputStream(Files.newInputStream(file));
        boolean ok = false;
        try {
            Reader decoded = new InputStreamReader(skipBom(counting, encoding), encoding.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
            Reader guarded = new FieldGuardReader(decoded, delimiter, limits.maxFieldChars(), limits.maxColumns());
            CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(false).get();
            this.parser = CSVParser.builder().setReader(guarded).setFormat(format).get();
            this.records = parser.iterator();
            CSVRecord first = nextRecord();
            if (first == null) throw new BulkFileException(ProblemCode.FILE_EMPTY, messages.format(ProblemCode.FILE_EMPTY), null);
            this.header = first.stream().map(String::strip).toList();
            ok = true;
        } finally {
            if (!ok) counting.close();
        }
    }

    static CsvRowSource open(Path file, TextEncoding encoding, Character delimiter, ReadLimits limits, Messages messages)
            throws IOException, BulkFileException {
        char d = delimiter != null ? delimiter : detectDelimiter(file, encoding);
        return new CsvRowSource(file, encoding, d, limits, messages);
    }

    char delimiter() { return delimiter; }

    /** Tab when the first line (outside quotes) holds more tabs than commas, else comma. */
    static char detectDelimiter(Path file, TextEncoding encoding) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(64 * 1024);
        }
        int skip = TextEncoding.fromBom(head, head.length) == encoding ? encoding.bomBytes().length : 0;
        CharBuffer chars = encoding.charset().newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(head, skip, head.length - skip));
        int tabs = 0;
        int commas = 0;
        boolean quoted = false;
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (!quoted && (c == '\n' || c == '\r')) break;
            else if (!quoted && c == '\t') tabs++;
            else if (!quoted && c == ',') commas++;
        }
        return tabs > commas ? '\t' : ',';
    }

    private static InputStream skipBom(InputStream in, TextEncoding encoding) throws IOException {
        // "UTF-8" chosen by hand for a file that starts with UTF-8's byte-order mark: the mark is no character of the
        // first column's name either (read, it made that column unknown)
        byte[] expected = encoding == TextEncoding.UTF_8 ? TextEncoding.UTF_8_BOM.bomBytes() : encoding.bomBytes();
        if (expected.length == 0) return in;
        PushbackInputStream p = new PushbackInputStream(in, expected.length);
        byte[] got = p.readNBytes(expected.length);
        if (!Arrays.equals(got, expected)) p.unread(got);
        return p;
    }

    private CSVRecord nextRecord() throws IOException, BulkFileException {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            if (cause instanceof FieldGuardReader.Exceeded x) throw exceeded(x);
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof FieldGuardReader.Exceeded x) throw exceeded(x);
            }
            throw new BulkFileException(ProblemCode.FILE_UNREADABLE, messages.format(ProblemCode.FILE_UNREADABLE, messages.text("file.technical", cause.getMessage())), cause);
        } catch (IllegalStateException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof FieldGuardReader.Exceeded x) throw exceeded(x);
            }
            throw new BulkFileException(ProblemCode.FILE_UNREADABLE, messages.format(ProblemCode.FILE_UNREADABLE, messages.text("file.technical", e.getMessage())), e);
        }
    }

    private BulkFileException exceeded(FieldGuardReader.Exceeded x) {
        if (x.code == ProblemCode.FILE_UNCLOSED_QUOTE || x.code == ProblemCode.FILE_STRAY_QUOTE) {
            return new BulkFileException(x.code, messages.format(x.code, String.valueOf(x.row)), x);
        }
        Object limit = x.code == ProblemCode.FILE_TOO_MANY_COLUMNS ? limits.maxColumns() : limits.maxFieldChars();
        return new BulkFileException(x.code, messages.format(x.code, String.valueOf(x.row), String.valueOf(limit)), x);
    }

    @Override
    public List<String> header() { return header; }

    @Override
    public RawRow next() throws IOException, BulkFileException {
        CSVRecord r = nextRecord();
        if (r == null) return null;
        List<RawCell> cells = new ArrayList<>(r.size());
        for (String v : r) cells.add(RawCell.text(textOf(v.strip())));
        return new RawRow(r.getRecordNumber(), cells);
    }

    /**
     * The cell's text: as written, except Excel's text formula {@code ="…"} (a quoted literal and nothing else), which
     * spreadsheets and {@link RejectsWriter} use to keep a long number such as an ID number as text, is its literal.
     */
    static String textOf(String v) {
        int n = v.length();
        if (n < 3 || v.charAt(0) != '=' || v.charAt(1) != '"' || v.charAt(n - 1) != '"' || v.indexOf('"', 2) != n - 1) return v;
        return v.substring(2, n - 1).strip();
    }

    @Override
    public long bytesRead() { return counting.count(); }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
