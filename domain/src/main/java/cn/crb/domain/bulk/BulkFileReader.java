package cn.crb.domain.bulk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads a CSV or XLSX bulk file as a stream of {@link RawRow}s, never holding the file in memory: CSV through
 * Apache Commons CSV with the caps of {@link ReadLimits} enforced before the parser buffers anything, XLSX through
 * fastexcel-reader after the inflated size was checked. Cells are trimmed. Not thread-safe; close it.
 */
public final class BulkFileReader implements AutoCloseable {
    private final RowSource source;
    private final TextEncoding encoding;
    private final Character delimiter;

    private BulkFileReader(RowSource source, TextEncoding encoding, Character delimiter) {
        this.source = source;
        this.encoding = encoding;
        this.delimiter = delimiter;
    }

    /** Opens the file described by {@code facts} (from {@link EncodingDetector#inspect}) and reads its header row. */
    public static BulkFileReader open(FileFacts facts, ReadOptions options, Messages messages) throws IOException, BulkFileException {
        if (facts.size() > options.limits().maxFileBytes()) {
            throw new BulkFileException(ProblemCode.FILE_TOO_LARGE,
                    messages.format(ProblemCode.FILE_TOO_LARGE, facts.size(), options.limits().maxFileBytes()), null);
        }
        if (facts.format() == FileFormat.XLSX) {
            return new BulkFileReader(XlsxRowSource.open(facts.file(), options.sheet(), options.limits(), messages), null, null);
        }
        TextEncoding enc = options.encoding() != null ? options.encoding() : facts.detectedEncoding();
        CsvRowSource csv = CsvRowSource.open(facts.file(), enc, options.delimiter(), options.limits(), messages);
        return new BulkFileReader(csv, enc, csv.delimiter());
    }

    /** The sheet names of an XLSX file, for the clerk to choose from (the file checked against {@code limits} first). */
    public static List<String> sheetNames(Path xlsx, ReadLimits limits, Locale locale) throws IOException, BulkFileException {
        return XlsxRowSource.sheetNames(xlsx, limits, Messages.of(locale));
    }

    public List<String> header() { return source.header(); }

    /** The encoding used (null for XLSX). */
    public TextEncoding encoding() { return encoding; }

    /** The delimiter used (null for XLSX). */
    public Character delimiter() { return delimiter; }

    /** The next data row, or null at the end of the file. */
    public RawRow next() throws IOException, BulkFileException { return source.next(); }

    public long bytesRead() { return source.bytesRead(); }

    @Override
    public void close() throws IOException { source.close(); }
}
