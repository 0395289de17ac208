package cn.crb.domain.standards;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standards bundle version such as {@code 2026.1}. Versions compare as (year, revision), so {@code 2026.10}
 * is newer than {@code 2026.9}. {@link #toString()} gives back the canonical text {@code <year>.<revision>}.
 */
public record StandardsVersion(int year, int revision) implements Comparable<StandardsVersion> {
    private static final Pattern FORM = Pattern.compile("(\\d{4})\\.(0|[1-9]\\d{0,3})");
    private static final Comparator<StandardsVersion> ORDER =
            Comparator.comparingInt(StandardsVersion::year).thenComparingInt(StandardsVersion::revision);

    public StandardsVersion {
        if (year < 1000 || year > 9999) throw new IllegalArgumentException("year must have four digits, got " + year);
        if (revision < 0) throw new IllegalArgumentException("revision must not be negative, got " + revision);
    }

    /** Parses {@code "<4-digit year>.<revision>"}; throws {@link IllegalArgumentException} otherwise. */
    public static StandardsVersion parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("must be a version <year>.<revision> such as \"2026.1\", got " + (text == null ? "null" : "\"" + text + "\""));
        }
        return new StandardsVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public int compareTo(StandardsVersion o) { return ORDER.compare(this, o); }

    public boolean isNewerThan(StandardsVersion o) { return compareTo(o) > 0; }

    @Override
    public String toString() { return year + "." + revision; }
}
