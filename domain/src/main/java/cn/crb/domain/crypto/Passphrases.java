package cn.crb.domain.crypto;

import java.util.Arrays;

/**
 * Passphrase rules and a strength estimate shown while the person types.
 * The estimate is deliberately simple and explainable: length and character classes, with
 * penalties for repetition and very common choices. Minimum accepted: {@link Strength#FAIR}.
 */
public final class Passphrases {
    public static final int MIN_LENGTH = 10;

    private Passphrases() {}

    /** How strong a passphrase is, from refused to strong. */
    public enum Strength { TOO_SHORT, WEAK, FAIR, GOOD, STRONG;
        public boolean acceptable() { return compareTo(FAIR) >= 0; }
    }

    private static final String[] COMMON = {"password", "12345678", "123456789", "1234567890", "qwertyuiop",
            "11111111", "00000000", "abc12345", "iloveyou", "admin123", "woaini", "88888888", "66666666"};

    public static Strength strength(char[] p) {
        if (p == null || p.length < MIN_LENGTH) return Strength.TOO_SHORT;
        String s = new String(p).toLowerCase();
        for (String c : COMMON) if (s.contains(c) && s.length() < c.length() + 4) return Strength.WEAK;
        boolean lower = false, upper = false, digit = false, other = false;
        int distinct = (int) s.chars().distinct().count();
        for (char c : p) {
            if (Character.isLowerCase(c)) lower = true;
            else if (Character.isUpperCase(c)) upper = true;
            else if (Character.isDigit(c)) digit = true;
            else other = true; // symbols, spaces and CJK characters
        }
        int classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
        if (distinct < 5) return Strength.WEAK;
        int score = p.length + classes * 3 + Math.min(distinct, 16) / 2;
        if (score >= 34) return Strength.STRONG;
        if (score >= 26) return Strength.GOOD;
        if (score >= 20) return Strength.FAIR;
        return Strength.WEAK;
    }

    public static void wipe(char[] p) {
        if (p != null) Arrays.fill(p, '\0');
    }
}
