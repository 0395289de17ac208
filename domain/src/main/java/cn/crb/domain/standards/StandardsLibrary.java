package cn.crb.domain.standards;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The standards versions held by the workstation, in memory and thread-safe. Guarantees:
 * <ul>
 *   <li>at most one bundle per version; a second bundle with the same version but different canonical bytes is
 *       refused as {@link Admission.Kind#REFUSED_EQUIVOCATION} and leaves the library unchanged;</li>
 *   <li>{@link #current()} is the highest version ever admitted: an older bundle is kept (for the cases that cite
 *       it) but never becomes current, so there is no rollback;</li>
 *   <li>{@link #inForceOn(LocalDate)} picks, among the bundles whose effective period contains the date, the
 *       highest version.</li>
 * </ul>
 */
public final class StandardsLibrary {
    private final TreeMap<StandardsVersion, StandardsBundle> byVersion = new TreeMap<>();

    /** The result of {@link #add}: what happened, and a one-line explanation. */
    public record Admission(Kind kind, StandardsVersion version, String message) {
        /** What {@link #add} did with a bundle. */
        public enum Kind { ADDED_AS_CURRENT, ADDED_AS_OLDER, ALREADY_HELD, REFUSED_EQUIVOCATION }

        public boolean accepted() { return kind != Kind.REFUSED_EQUIVOCATION; }
    }

    /** Offers a bundle to the library. Never throws for a valid bundle; see {@link Admission.Kind}. */
    public synchronized Admission add(StandardsBundle bundle) {
        StandardsVersion v = bundle.version();
        StandardsBundle held = byVersion.get(v);
        if (held != null) {
            if (held.sameBytesAs(bundle)) return new Admission(Admission.Kind.ALREADY_HELD, v, "version " + v + " is already held");
            return new Admission(Admission.Kind.REFUSED_EQUIVOCATION, v, "version " + v + " is already held with different content (SM3 "
                    + held.payloadSm3() + "); the new bundle (SM3 " + bundle.payloadSm3() + ") is refused");
        }
        boolean current = byVersion.isEmpty() || v.isNewerThan(byVersion.lastKey());
        byVersion.put(v, bundle);
        return current
                ? new Admission(Admission.Kind.ADDED_AS_CURRENT, v, "version " + v + " is now current")
                : new Admission(Admission.Kind.ADDED_AS_OLDER, v, "version " + v + " is kept for older cases; current stays " + byVersion.lastKey());
    }

    /** The highest version held. */
    public synchronized Optional<StandardsBundle> current() {
        return byVersion.isEmpty() ? Optional.empty() : Optional.of(byVersion.lastEntry().getValue());
    }

    /** The bundle of exactly this version. */
    public synchronized Optional<StandardsBundle> get(StandardsVersion version) {
        return Optional.ofNullable(byVersion.get(version));
    }

    /** The highest version whose effective period contains {@code date}, or empty when none does. */
    public synchronized Optional<StandardsBundle> inForceOn(LocalDate date) {
        for (Map.Entry<StandardsVersion, StandardsBundle> e : byVersion.descendingMap().entrySet()) {
            if (e.getValue().isInForceOn(date)) return Optional.of(e.getValue());
        }
        return Optional.empty();
    }

    /** Every version held, oldest first. */
    public synchronized List<StandardsVersion> versions() {
        return List.copyOf(byVersion.keySet());
    }
}
