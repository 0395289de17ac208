package cn.crb.sync;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private static final Backoff.Policy POLICY = new Backoff.Policy(Duration.ofMillis(100), Duration.ofSeconds(2), 5, Duration.ofSeconds(30));

    @Test
    void fullJitterStaysWithinTheExponentialCeiling() {
        Backoff b = new Backoff(POLICY, new Random(1), d -> { });
        for (int attempt = 0; attempt < 12; attempt++) {
            long ceiling = Math.min(2000, 100L << attempt);
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 2000; i++) {
                long ms = b.delay(attempt, null).toMillis();
                assertThat(ms).isBetween(0L, ceiling);
                max = Math.max(max, ms);
                min = Math.min(min, ms);
            }
            // the jitter spreads over the whole range, not a fixed delay
            assertThat(max).isGreaterThan(ceiling * 9 / 10);
            assertThat(min).isLessThan(ceiling / 10 + 1);
        }
    }

    @Test
    void retryAfterIsAFloor() {
        Backoff b = new Backoff(POLICY, new Random(2), d -> { });
        for (int i = 0; i < 500; i++) {
            assertThat(b.delay(0, Duration.ofSeconds(3))).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(b.delay(5, Duration.ofMillis(1))).isLessThanOrEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void theRunsRetriesAreCappedAndALongRetryAfterIsLeftForTheNextRun() throws Exception {
        List<Duration> slept = new ArrayList<>();
        Backoff b = new Backoff(POLICY, new Random(3), slept::add);
        assertThat(b.pause(0, Duration.ofMinutes(5))).isFalse();
        assertThat(slept).isEmpty();
        assertThat(b.longerThanWaited(Duration.ofMinutes(5))).isTrue();
        assertThat(b.longerThanWaited(POLICY.maxRetryAfter())).isFalse();
        assertThat(b.longerThanWaited(null)).isFalse();
        for (int i = 0; i < 5; i++) assertThat(b.pause(i, Duration.ofSeconds(1))).isTrue();
        assertThat(b.pause(0, null)).isFalse();
        assertThat(b.retriesUsed()).isEqualTo(5);
        assertThat(slept).hasSize(5).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void aSyncAPersonWatchesGivesUpWithinEightSecondsOfWaiting() throws Exception {
        // the worst case: every retry draws the longest delay the jitter allows
        List<Duration> slept = new ArrayList<>();
        Backoff b = new Backoff(Backoff.Policy.interactive(), new Random(4), slept::add);
        int attempt = 0;
        while (b.pause(attempt, null)) attempt++;
        assertThat(attempt).isEqualTo(4);
        Duration ceiling = Duration.ZERO;
        for (int i = 0; i < attempt; i++) ceiling = ceiling.plus(Backoff.Policy.interactive().maxDelay().compareTo(Duration.ofMillis(500L << i)) < 0
                ? Backoff.Policy.interactive().maxDelay() : Duration.ofMillis(500L << i));
        assertThat(ceiling).isLessThanOrEqualTo(Duration.ofMillis(7500));
        assertThat(slept.stream().reduce(Duration.ZERO, Duration::plus)).isLessThanOrEqualTo(ceiling);
        // a platform asking for a long pause is left for the next sync rather than holding the person
        assertThat(new Backoff(Backoff.Policy.interactive(), new Random(5), d -> { }).pause(0, Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void retryAfterHeaderIsReadAsSecondsOrHttpDate() {
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        assertThat(PlatformClient.retryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(PlatformClient.retryAfter("9223372036854775807", now)).as("at most a day").isEqualTo(Duration.ofDays(1));
        assertThat(PlatformClient.retryAfter("Wed, 25 Nov 2026 10:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(PlatformClient.retryAfter("Wed, 25 Nov 2026 09:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(PlatformClient.retryAfter("soon", now)).isNull();
        assertThat(PlatformClient.retryAfter(null, now)).isNull();
    }
}
