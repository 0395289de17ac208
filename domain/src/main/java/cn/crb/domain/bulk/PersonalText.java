package cn.crb.domain.bulk;

/**
 * What of a cell may be quoted in a problem's message or column, or shown in the wizard's preview: a problem is
 * stored, reported in the JSON report and shown without any reveal step, so a resident ID that landed where it does
 * not belong — a row shifted by an unquoted comma, a file without its header row, an ID Excel turned into
 * {@code 3.30106199001011E+17} — must not travel with it.
 * <p>
 * An ID-like run keeps its first 6 and last 4 characters, as the masked IDs do ({@code 330106********123X}): a run of
 * 11 or more digits (full-width digits too, a final X counted), or of 15 or more split by single spaces or hyphens
 * into groups of at least 3 ({@code 330106 19900101 1234}), or the digits of a number in Excel's scientific form.
 * Decimals ({@code 86.00000000000}), dates, codes and words are quoted as they are.
 */
public final class PersonalText {
    /** Digits in an unbroken run from which it is taken for (part of) an ID. A phone number has 11. */
    static final int ID_LIKE_DIGITS = 11;
    /** Characters of a run split by spaces or hyphens from which it is taken for an ID (old IDs have 15). */
    static final int ID_LIKE_SPLIT = 15;

    private PersonalText() {}

    /** {@code text} with every ID-like run masked but for its first 6 and last 4 characters. */
    public static String maskDigitRuns(String text) {
        if (text == null || text.length() < ID_LIKE_DIGITS) return text;
        StringBuilder out = null;
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            // a run: digits, single separators (space, hyphen, dot) between digits, a final X
            int start = i;
            int end = i;
            int idChars = 0;
            int groups = 1;
            int group = 0;
            int shortestGroup = Integer.MAX_VALUE;
            int firstDot = -1;
            while (i < n) {
                char c = text.charAt(i);
                if (isDigit(c)) {
                    idChars++;
                    group++;
                    end = ++i;
                } else if ((c == ' ' || c == '-' || c == '.') && i + 1 < n && isDigit(text.charAt(i + 1)) && i > start) {
                    if (c == '.' && firstDot < 0) firstDot = i;
                    shortestGroup = Math.min(shortestGroup, group);
                    group = 0;
                    groups++;
                    i++;
                } else {
                    break;
                }
            }
            if (end < n && isX(text.charAt(end)) && (end + 1 == n || !Character.isLetterOrDigit(text.charAt(end + 1)))) {
                idChars++;
                group++;
                end++;
            }
            shortestGroup = Math.min(shortestGroup, group);
            i = end;
            boolean scientific = end < n && (text.charAt(end) == 'E' || text.charAt(end) == 'e');
            int from = start;
            int to = end;
            if (firstDot >= 0 && !scientific) {
                // a decimal: only a whole-number part of ID length is an ID (86.00000000000 is a score)
                to = firstDot;
                idChars = countIdChars(text, from, to);
                if (idChars < ID_LIKE_DIGITS || !unbroken(text, from, to)) continue;
            } else if (groups > 1 && firstDot < 0) {
                if (idChars < ID_LIKE_SPLIT || shortestGroup < 3) continue;
            } else if (idChars < ID_LIKE_DIGITS) {
                continue;
            }
            if (out == null) out = new StringBuilder(text);
            int seen = 0;
            for (int k = from; k < to; k++) {
                char c = text.charAt(k);
                if (!isDigit(c) && !isX(c)) continue;
                if (seen >= 6 && seen < idChars - 4) out.setCharAt(k, '*');
                seen++;
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether {@code text} holds an ID-like run ({@link #maskDigitRuns} would mask something). */
    public static boolean hasIdLikeDigits(String text) {
        return text != null && !text.equals(maskDigitRuns(text));
    }

    private static int countIdChars(String text, int from, int to) {
        int c = 0;
        for (int k = from; k < to; k++) if (isDigit(text.charAt(k))) c++;
        return c;
    }

    private static boolean unbroken(String text, int from, int to) {
        for (int k = from; k < to; k++) if (!isDigit(text.charAt(k))) return false;
        return true;
    }

    /** ASCII digits and the full-width digits a Chinese input method types. */
    private static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= '０' && c <= '９');
    }

    private static boolean isX(char c) {
        return c == 'X' || c == 'x' || c == 'Ｘ' || c == 'ｘ';
    }
}
