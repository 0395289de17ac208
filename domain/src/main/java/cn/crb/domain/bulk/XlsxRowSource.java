package cn.crb.domain.bulk;

import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * XLSX rows through fastexcel-reader (a streaming StAX reader), after {@link ZipGuard} has checked the inflated
 * size. Numbers keep their exact decimal value; numbers formatted as dates become dates.
 */
final class XlsxRowSource implements RowSource {
    private final ReadableWorkbook workbook;
    private final Stream<Row> stream;
    private final Iterator<Row> rows;
    private final List<String> header;
    private final ReadLimits limits;
    private final Messages messages;
    private final long size;
    private long rowsRead;
    private long lastRowNumber;

    private XlsxRowSource(Path file, String sheetName, ReadLimits limits, Messages messages) throws IOException, BulkFileException {
        this.limits = limits;
        this.messages = messages;
        this.size = Files.size(file);
        ZipGuard.check(file, limits, messages);
        try {
            this.workbook = new ReadableWorkbook(file.toFile(), new ReadingOptions(true, false));
        } catch (IOException | RuntimeException e) {
            throw new BulkFileException(ProblemCode.FILE_UNREADABLE, messages.format(ProblemCode.FILE_UNREADABLE, messages.text("file.technical", e.getMessage())), e);
        }
        boolean ok = false;
        try {
            Sheet sheet = sheetName == null ? workbook.getFirstSheet() : workbook.findSheet(sheetName).orElseThrow(
                    () -> new BulkFileException(ProblemCode.FILE_UNREADABLE, messages.format(ProblemCode.FILE_UNREADABLE, messages.text("xlsx.noSheet", sheetName)), null));
            this.stream = sheet.openStream();
            this.rows = stream.iterator();
            RawRow first = next();
            if (first == null) throw new BulkFileException(ProblemCode.FILE_EMPTY, messages.format(ProblemCode.FILE_EMPTY), null);
            this.header = first.texts();
            ok = true;
        } finally {
            if (!ok) workbook.close();
        }
    }

    static XlsxRowSource open(Path file, String sheet, ReadLimits limits, Messages messages) throws IOException, BulkFileException {
        return new XlsxRowSource(file, sheet, limits, messages);
    }

    /** The names of the sheets, in order (after {@link ZipGuard}: fastexcel reads the workbook's parts to list them). */
    static List<String> sheetNames(Path file, ReadLimits limits, Messages messages) throws IOException, BulkFileException {
        ZipGuard.check(file, limits, messages);
        try (ReadableWorkbook wb = new ReadableWorkbook(file.toFile())) {
            return wb.getSheets().map(Sheet::getName).toList();
        }
    }

    @Override
    public List<String> header() { return header; }

    @Override
    public RawRow next() throws IOException, BulkFileException {
        Row r;
        try {
            if (!rows.hasNext()) return null;
            r = rows.next();
        } catch (RuntimeException e) {
            // anything fastexcel throws while it reads a row is the file's (a shared formula without its master cell
            // is a NullPointerException there, a formula number that is no number a NumberFormatException)
            String detail = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new BulkFileException(ProblemCode.FILE_UNREADABLE, messages.format(ProblemCode.FILE_UNREADABLE, messages.text("file.technical", detail)), e);
        }
        rowsRead++;
        lastRowNumber = r.getRowNum();
        int count = r.getCellCount();
        List<RawCell> cells = new ArrayList<>(Math.min(count, limits.maxColumns()));
        for (int i = 0; i < count; i++) {
            Cell c = r.getCell(i);
            RawCell cell = convert(c);
            if (i >= limits.maxColumns()) {
                if (!cell.isBlank()) {
                    throw new BulkFileException(ProblemCode.FILE_TOO_MANY_COLUMNS, messages.format(ProblemCode.FILE_TOO_MANY_COLUMNS,
                            String.valueOf(r.getRowNum()), String.valueOf(limits.maxColumns())), null);
                }
                continue;
            }
            cells.add(cell);
        }
        return new RawRow(r.getRowNum(), cells);
    }

    private static RawCell convert(Cell c) {
        if (c == null) return RawCell.EMPTY;
        String raw = c.getRawValue();
        return switch (c.getType()) {
            case NUMBER -> {
                if (isDateFormat(c)) {
                    yield new RawCell(c.asDate().toLocalDate().toString(), RawCell.Kind.DATE);
                }
                yield new RawCell(new BigDecimal(raw.strip()).toPlainString(), RawCell.Kind.NUMBER);
            }
            case BOOLEAN -> RawCell.text(Boolean.TRUE.equals(c.asBoolean()) ? "true" : "false");
            case EMPTY -> RawCell.EMPTY;
            case STRING -> RawCell.text(c.asString() == null ? "" : c.asString().strip());
            default -> RawCell.text(raw == null ? "" : raw.strip());
        };
    }

    /** Built-in date formats (14-22, 27-36, 45-47, 50-58) or a custom format with y or d outside quotes and brackets. */
    static boolean isDateFormat(Cell c) {
        Integer id = c.getDataFormatId();
        if (id != null && ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58))) {
            return true;
        }
        String f = c.getDataFormatString();
        if (f == null) return false;
        // a workbook has few formats, asked about for every numeric cell: the answer is kept (the regular
        // expressions were compiled again for every cell: a tenth of reading a 100,000-row file)
        Boolean known = DATE_FORMATS.get(f);
        if (known != null) return known;
        String stripped = BRACKETED.matcher(QUOTED.matcher(f).replaceAll("")).replaceAll("").toLowerCase(java.util.Locale.ROOT);
        boolean date = stripped.contains("y") || stripped.contains("d");
        if (DATE_FORMATS.size() < 1024) DATE_FORMATS.put(f, date);
        return date;
    }

    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("\"[^\"]*\"");
    private static final java.util.regex.Pattern BRACKETED = java.util.regex.Pattern.compile("\\[[^]]*]");
    /** Format strings already classified (at most 1,024: a workbook cannot grow it without bound). */
    private static final java.util.Map<String, Boolean> DATE_FORMATS = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public long bytesRead() {
        // fastexcel does not expose its position: estimate from rows, capped below the file size
        return Math.min(size - 1, rowsRead * 64);
    }

    long lastRowNumber() { return lastRowNumber; }

    @Override
    public void close() throws IOException {
        stream.close();
        workbook.close();
    }
}
