package cn.crb.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The simulator's clock: the real clock plus an offset that only moves forward
 * ({@code POST /admin/v1/clock}), persisted so that a restart keeps the simulated date.
 */
final class SimClock {
    private static final String KEY = "clock.offsetSeconds";
    private final Db db;

    SimClock(Db db) {
        this.db = db;
    }

    Instant now() {
        return Instant.now().plusSeconds(offsetSeconds()).truncatedTo(ChronoUnit.MILLIS);
    }

    LocalDate today() {
        return LocalDate.ofInstant(now(), ZoneOffset.UTC);
    }

    long offsetSeconds() {
        return db.tx(tx -> Meta.get(tx, KEY).map(Long::parseLong).orElse(0L));
    }

    /** Moves the clock forward; returns the new simulated now. */
    Instant advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("the clock only moves forward");
        db.tx(tx -> {
            long current = Meta.get(tx, KEY).map(Long::parseLong).orElse(0L);
            Meta.put(tx, KEY, Long.toString(current + by.toSeconds()));
            return null;
        });
        return now();
    }
}
