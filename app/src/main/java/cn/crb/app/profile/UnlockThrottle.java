package cn.crb.app.profile;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Slows down guessing: after {@value #FREE_ATTEMPTS} wrong passphrases in a row, each further attempt must wait
 * 5 s, 10 s, 20 s … up to 5 minutes. Kept in the profile folder so that restarting the application does not reset it.
 */
final class UnlockThrottle {
    static final int FREE_ATTEMPTS = 3;
    private static final Duration MAX = Duration.ofMinutes(5);
    private final Path file;
    private final Clock clock;

    UnlockThrottle(Path profileDir, Clock clock) {
        this.file = profileDir.resolve("unlock-state.json");
        this.clock = clock;
    }

    /** Time still to wait before the next attempt is allowed (zero when allowed). */
    Duration waitRemaining() {
        State s = read();
        if (s.failures < FREE_ATTEMPTS) return Duration.ZERO;
        Duration delay = delayAfter(s.failures);
        Duration left = Duration.between(Instant.now(clock), s.lastFailure.plus(delay));
        return left.isNegative() ? Duration.ZERO : left;
    }

    static Duration delayAfter(int failures) {
        if (failures < FREE_ATTEMPTS) return Duration.ZERO;
        long secs = 5L << Math.min(failures - FREE_ATTEMPTS, 10);
        Duration d = Duration.ofSeconds(secs);
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    void recordFailure() {
        State s = read();
        write(new State(s.failures + 1, Instant.now(clock)));
    }

    void reset() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale counter only delays the next wrong attempt
        }
    }

    int failures() { return read().failures; }

    private record State(int failures, Instant lastFailure) {}

    private State read() {
        try {
            if (!Files.exists(file)) return new State(0, Instant.EPOCH);
            JsonNode n = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            return new State(n.path("failures").asInt(0), Instant.parse(n.path("lastFailure").asText(Instant.EPOCH.toString())));
        } catch (IOException | RuntimeException e) {
            return new State(FREE_ATTEMPTS, Instant.now(clock)); // unreadable counter: be careful, not lenient
        }
    }

    private void write(State s) {
        ObjectNode o = Json.object();
        o.put("failures", s.failures);
        o.put("lastFailure", s.lastFailure.toString());
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(o), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
            // cannot persist: the in-process delay still applies through the caller's retry
        }
    }
}
