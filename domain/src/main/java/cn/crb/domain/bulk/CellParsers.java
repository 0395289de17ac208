package cn.crb.domain.bulk;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers of the typed cells of a bulk file. Decimals are {@link BigDecimal} only (no binary floating point);
 * dates are typed text in the accepted styles or Excel serial day numbers; booleans are true/false or 是/否.
 * Pure functions: empty means "not parseable".
 */
public final class CellParsers {
    private static final Pattern DATE = Pattern.compile("(\\d{4})\\s*(?:[-/.]|年)\\s*(\\d{1,2})\\s*(?:[-/.]|月)\\s*(\\d{1,2})\\s*日?");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final Pattern SERIAL = Pattern.compile("\\d{1,6}(\\.\\d+)?");
    /** Day 0 of the Excel 1900 date system, as Excel counts (it treats 1900 as a leap year). */
    private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

    private CellParsers() {}

    /** A date typed as 2024-06-30, 2024/6/30, 2024.6.30 or 2024年6月30日 (blanks tolerated), checked to exist. */
    public static Optional<LocalDate> date(String text) {
        Matcher m = DATE.matcher(text.strip());
        if (!m.matches()) return Optional.empty();
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** An Excel serial date (1900 system; the time of day, if any, is dropped), from 1900-03-01 on. */
    public static Optional<LocalDate> excelSerialDate(String text) {
        String s = text.strip();
        if (!SERIAL.matcher(s).matches()) return Optional.empty();
        long day = new BigDecimal(s).longValue();
        if (day < 61) return Optional.empty();
        return Optional.of(EXCEL_EPOCH.plusDays(day));
    }

    /** A typed date, or else an Excel serial date when {@code allowSerial}. */
    public static Optional<LocalDate> dateOrSerial(String text, boolean allowSerial) {
        Optional<LocalDate> d = date(text);
        return d.isPresent() || !allowSerial ? d : excelSerialDate(text);
    }

    /** A plain decimal ({@code 12}, {@code 12.5}, {@code .5}); no exponent, no grouping, no currency. */
    public static Optional<BigDecimal> decimal(String text) {
        String s = text.strip();
        if (s.length() > 40 || !DECIMAL.matcher(s).matches()) return Optional.empty();
        return Optional.of(new BigDecimal(s));
    }

    /** true/false, 是/否, yes/no, y/n, 1/0 (case-insensitive). */
    public static Optional<Boolean> bool(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "是", "yes", "y", "1" -> Optional.of(Boolean.TRUE);
            case "false", "否", "no", "n", "0" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }
}
