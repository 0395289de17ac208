package cn.crb.domain.bulk;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes rejected rows, streamed, to a file in the original format: CSV in the original encoding (with its
 * byte-order mark) and delimiter, or XLSX with every cell as text. The original header and cells come first, then an
 * {@code errors} column ({@code 错误} in Chinese) listing each problem as "column: message". In CSV every value that
 * begins with {@code =}, {@code +}, {@code -}, {@code @}, tab or carriage return is neutralised by a leading
 * apostrophe, so that a spreadsheet does not run it as a formula (CSV injection); a long run of digits, such as an ID
 * number, is written as {@code ="…"} so that Excel keeps it as text. A rejects file can be fixed and
 * imported again: its {@code errors} column is ignored on import. Cells of a row beyond the header come after the
 * {@code errors} column.
 */
public final class RejectsWriter implements AutoCloseable {
    private final CSVPrinter csv;
    private final OutputStream xlsxOut;
    private final Workbook workbook;
    private final Worksheet sheet;
    private int xlsxRow;
    private final int width;

    private RejectsWriter(CSVPrinter csv, OutputStream xlsxOut, Workbook workbook, Worksheet sheet, int width) {
        this.csv = csv;
        this.xlsxOut = xlsxOut;
        this.workbook = workbook;
        this.sheet = sheet;
        this.width = width;
    }

    /** Opens {@code out} for the rejects of a file of the given source format; the header is written at once. */
    public static RejectsWriter open(Path out, SourceFormat source, Locale locale) throws IOException {
        List<String> header = new ArrayList<>(source.header());
        header.add("zh".equals(locale.getLanguage()) ? BulkColumn.ERRORS_ZH : BulkColumn.ERRORS_EN);
        RejectsWriter w;
        if (source.format() == FileFormat.XLSX) {
            OutputStream os = Files.newOutputStream(out);
            Workbook wb = new Workbook(os, "crb-workstation", "1.0");
            w = new RejectsWriter(null, os, wb, wb.newWorksheet("rejects"), source.header().size());
        } else {
            OutputStream os = Files.newOutputStream(out);
            os.write(source.encoding().bomBytes());
            BufferedWriter bw = new BufferedWriter(new OutputStreamWriter(os, source.encoding().charset()));
            CSVFormat f = CSVFormat.RFC4180.builder().setDelimiter(source.delimiter() == null ? ',' : source.delimiter()).get();
            w = new RejectsWriter(new CSVPrinter(bw, f), null, null, null, source.header().size());
        }
        w.writeRow(header);
        return w;
    }

    /** One rejected row: its cells as read and its problems. */
    public void write(List<String> cells, List<Problem> problems) throws IOException {
        List<String> row = new ArrayList<>(width + 1);
        for (int i = 0; i < width; i++) row.add(i < cells.size() ? cells.get(i) : "");
        row.add(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        // cells beyond the header (ROW_EXTRA_CELLS) are kept, after the errors column: nothing the clerk typed is lost
        int last = cells.size();
        while (last > width && cells.get(last - 1).isBlank()) last--;
        for (int i = width; i < last; i++) row.add(cells.get(i));
        writeRow(row);
    }

    private void writeRow(List<String> row) throws IOException {
        if (csv != null) {
            List<String> safe = new ArrayList<>(row.size());
            for (String v : row) safe.add(isLongDigits(v) ? "=\"" + v + "\"" : neutralise(v));
            csv.printRecord(safe);
        } else {
            for (int i = 0; i < row.size(); i++) sheet.value(xlsxRow, i, row.get(i));
            xlsxRow++;
        }
    }

    /**
     * True for a run of ASCII digits that a spreadsheet would turn into a number and so damage: 12 digits or more
     * (Excel shows {@code 3.30106E+17} and keeps only 15 significant digits, so an ID number saved back has lost its
     * last three) or a leading zero (dropped). Such a value goes into a CSV as the text formula {@code ="…"}, which
     * Excel and WPS show and save as the digits themselves; {@link CsvRowSource} reads {@code ="…"} back as its text.
     */
    static boolean isLongDigits(String v) {
        int n = v == null ? 0 : v.length();
        if (n < 2 || (n < 12 && v.charAt(0) != '0')) return false;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** A value made safe for a spreadsheet: a leading =, +, -, @, tab or CR gets an apostrophe in front. */
    public static String neutralise(String v) {
        if (v == null || v.isEmpty()) return v == null ? "" : v;
        char c = v.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + v : v;
    }

    @Override
    public void close() throws IOException {
        if (csv != null) {
            csv.close(true);
        } else {
            workbook.finish();
            xlsxOut.close();
        }
    }
}
