package cn.crb.domain.bulk;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The 18-character resident identity number of GB 11643: 6-digit area, 8-digit date of birth, 3-digit sequence and
 * an ISO 7064 MOD 11-2 check character (0-9 or X). Pure functions; nothing here keeps or logs an ID.
 */
public final class ResidentId {
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    private static final Pattern SHAPE = Pattern.compile("\\d{17}[0-9X]");
    private static final Pattern EXCEL_NUMBER = Pattern.compile("\\d(\\.\\d+)?[eE]\\+?\\d+");
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    private ResidentId() {}

    /** The ID as it is compared and hashed: stripped, lower-case {@code x} made upper-case. */
    public static String normalise(String id) {
        return id == null ? "" : id.strip().toUpperCase(Locale.ROOT);
    }

    /** The check character of the first 17 digits (ISO 7064 MOD 11-2). */
    public static char checkCharacter(String first17) {
        if (first17.length() != 17) throw new IllegalArgumentException("17 digits expected");
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            char c = first17.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException("17 digits expected");
            sum += (c - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** True when the text looks like a number Excel wrote in scientific notation (e.g. {@code 3.30106E+17}). */
    public static boolean looksLikeExcelNumber(String text) {
        return EXCEL_NUMBER.matcher(text.strip()).matches();
    }

    /**
     * The first problem of an ID, or empty when it is valid: {@link ProblemCode#ID_FORMAT} (shape),
     * {@link ProblemCode#ID_CHECKSUM} (check character), {@link ProblemCode#ID_BIRTHDATE} (no such date, before 1900,
     * or after {@code today}).
     */
    public static Optional<ProblemCode> problem(String id, LocalDate today) {
        String s = normalise(id);
        if (!SHAPE.matcher(s).matches()) return Optional.of(ProblemCode.ID_FORMAT);
        if (checkCharacter(s.substring(0, 17)) != s.charAt(17)) return Optional.of(ProblemCode.ID_CHECKSUM);
        Optional<LocalDate> birth = birthDate(s);
        if (birth.isEmpty() || birth.get().isBefore(EARLIEST_BIRTH) || birth.get().isAfter(today)) {
            return Optional.of(ProblemCode.ID_BIRTHDATE);
        }
        return Optional.empty();
    }

    /** The date of birth inside a well-shaped ID, or empty when those digits are no date. */
    public static Optional<LocalDate> birthDate(String id) {
        String s = normalise(id);
        if (s.length() < 14) return Optional.empty();
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(s.substring(6, 10)), Integer.parseInt(s.substring(10, 12)),
                    Integer.parseInt(s.substring(12, 14))));
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The masked form sent to the platform: first 6 and last 4 kept, the 8 between as {@code *}. */
    public static String mask(String id) {
        String s = normalise(id);
        if (s.length() != 18) throw new IllegalArgumentException("an 18-character ID is expected");
        return s.substring(0, 6) + "********" + s.substring(14);
    }
}
