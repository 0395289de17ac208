package cn.crb.sync;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to retry a request that failed for a reason worth retrying (network error, 5xx, 429):
 * exponential backoff with full jitter between {@code initialBackoff} and {@code maxBackoff}; a {@code Retry-After}
 * given by the server (seconds) is honoured instead, capped at {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30));

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
    }

    /** The pause before attempt {@code attempt + 1} (attempt counts from 1), given the server's Retry-After seconds or -1. */
    Duration delay(int attempt, long retryAfterSeconds) {
        if (retryAfterSeconds >= 0) return min(Duration.ofSeconds(retryAfterSeconds), maxBackoff);
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }
}
