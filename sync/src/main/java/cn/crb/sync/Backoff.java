package cn.crb.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Retry pacing for one sync run: exponential backoff with full jitter, honouring the platform's {@code Retry-After},
 * under a cap on the retries of the whole run. Guarantees: the n-th retry (0-based) waits a random time in
 * {@code [0, min(maxDelay, baseDelay·2^n)]}, but never less than a {@code Retry-After} the platform sent; a
 * {@code Retry-After} longer than {@code maxRetryAfter}, or a run that has used {@code maxRetries}, stops retrying
 * (the work is left for the next run). Not thread-safe: one instance per run.
 */
public final class Backoff {
    /** How to pace retries. */
    public record Policy(Duration baseDelay, Duration maxDelay, int maxRetries, Duration maxRetryAfter) {
        public Policy {
            Objects.requireNonNull(baseDelay);
            Objects.requireNonNull(maxDelay);
            Objects.requireNonNull(maxRetryAfter);
            if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay");
            if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must not be negative");
        }

        /** 0.5 s doubling up to 30 s, 12 retries per run, Retry-After up to 2 minutes. */
        public static Policy defaults() {
            return new Policy(Duration.ofMillis(500), Duration.ofSeconds(30), 12, Duration.ofMinutes(2));
        }

        /**
         * For a sync a person started and is watching: 0.5 s doubling up to 4 s, 4 retries per run (at most 7.5 s of
         * waiting), Retry-After up to 10 s. An unreachable platform is reported within seconds, not minutes; the
         * outbox keeps everything for the next sync.
         */
        public static Policy interactive() {
            return new Policy(Duration.ofMillis(500), Duration.ofSeconds(4), 4, Duration.ofSeconds(10));
        }
    }

    /** Waits; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d.toMillis());
    }

    private final Policy policy;
    private final RandomGenerator random;
    private final Sleeper sleeper;
    private int used;

    public Backoff(Policy policy, RandomGenerator random, Sleeper sleeper) {
        this.policy = Objects.requireNonNull(policy);
        this.random = Objects.requireNonNull(random);
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    /** The delay before retry number {@code attempt} (0-based) of one request, given the platform's Retry-After (or null). */
    public Duration delay(int attempt, Duration retryAfter) {
        long ceiling = policy.maxDelay().toMillis();
        long exp = attempt >= 62 ? ceiling : Math.min(ceiling, policy.baseDelay().toMillis() << Math.min(attempt, 30));
        long jittered = exp <= 0 ? 0 : random.nextLong(exp + 1);
        Duration d = Duration.ofMillis(jittered);
        return retryAfter != null && retryAfter.compareTo(d) > 0 ? retryAfter : d;
    }

    /**
     * Waits before retry number {@code attempt} of a request and counts it against the run's cap. Returns false,
     * without waiting, when the cap is used up or {@code retryAfter} exceeds {@link Policy#maxRetryAfter()}.
     */
    public boolean pause(int attempt, Duration retryAfter) throws InterruptedException {
        if (used >= policy.maxRetries()) return false;
        if (longerThanWaited(retryAfter)) return false;
        used++;
        sleeper.sleep(delay(attempt, retryAfter));
        return true;
    }

    /** Whether {@code retryAfter} is one {@link #pause} does not wait out: longer than {@link Policy#maxRetryAfter()}. */
    public boolean longerThanWaited(Duration retryAfter) {
        return retryAfter != null && retryAfter.compareTo(policy.maxRetryAfter()) > 0;
    }

    /** Retries used so far in this run. */
    public int retriesUsed() { return used; }
}
