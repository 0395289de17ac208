package cn.crb.domain.bulk;

/**
 * What of a cell may be quoted in a problem's message or column: a problem is stored, reported in the JSON report
 * and shown without any reveal step, so a resident ID that landed where it does not belong — a row shifted by an
 * unquoted comma, a file without its header row, an ID Excel turned into {@code 3.30106199001011E+17} — must not
 * travel with it. Any run of 11 or more digits (dots between them included) keeps its first 6 and last 4 digits, as
 * the masked IDs do; shorter numbers, dates, codes and words are quoted as they are.
 */
public final class PersonalText {
    /** Digits in a run from which it is taken for (part of) an ID. A phone number has 11. */
    static final int ID_LIKE_DIGITS = 11;

    private PersonalText() {}

    /** {@code text} with every run of {@value #ID_LIKE_DIGITS} or more digits masked but for its first 6 and last 4. */
    public static String maskDigitRuns(String text) {
        if (text == null || text.length() < ID_LIKE_DIGITS) return text;
        StringBuilder out = null;
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            int digits = 0;
            int end = i; // one past the run's last digit
            while (i < n && (isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                if (isDigit(text.charAt(i))) {
                    digits++;
                    end = i + 1;
                }
                i++;
            }
            i = end;
            if (digits < ID_LIKE_DIGITS) continue;
            if (out == null) out = new StringBuilder(text);
            int seen = 0;
            for (int k = start; k < end; k++) {
                if (!isDigit(text.charAt(k))) continue;
                if (seen >= 6 && seen < digits - 4) out.setCharAt(k, '*');
                seen++;
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether {@code text} holds a run of {@value #ID_LIKE_DIGITS} or more digits (as an ID, or most of one). */
    public static boolean hasIdLikeDigits(String text) {
        return text != null && !text.equals(maskDigitRuns(text));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
