package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTest {
    private static final String ACTOR = Sm2.keyId(Sm2.generate().getPublic());

    @Test
    void theStreamedTimestampTextIsTheSignedOne() {
        Random r = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(-62_000_000_000L, 253_402_300_799L), r.nextInt(1_000_000_000));
            assertThat(AuditLog.utcMillis(t)).isEqualTo(Envelope.timestamp(t));
        }
        assertThat(AuditLog.utcMillis(Instant.parse("2026-01-02T03:04:05.006789Z"))).isEqualTo("2026-01-02T03:04:05.006Z");
    }

    /** How a transaction appends: one entry ({@link AuditLog#append}) or a list ({@link AuditLog#appendAll}). */
    private static final List<BiConsumer<LocalDatabase.Tx, String>> APPENDERS = List.of(
            (tx, id) -> new AuditLog(Clock.systemUTC()).append(tx.dsl(), ACTOR, AuditAction.EVALUATION_RUN, "case", id, Json.object()),
            (tx, id) -> new AuditLog(Clock.systemUTC()).appendAll(tx.dsl(), List.of(
                    new AuditLog.Pending(ACTOR, AuditAction.EVALUATION_RUN, "case", id + "-a", Json.object()),
                    new AuditLog.Pending(ACTOR, AuditAction.EVALUATION_RUN, "case", id + "-b", Json.object()))));

    /**
     * Two transactions append at once (the inbox's background recommendations beside a sync's page): the second waits
     * for the first's lock on the chain head and then appends after what the first committed, not after the head it
     * saw before waiting (H2 does not re-run the query once the lock is granted: both used to insert the same seq).
     */
    @Test
    void aTransactionThatWaitedForTheHeadAppendsAfterTheOnesCommittedMeanwhile(@TempDir Path dir) throws Exception {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            db.inTransaction(tx -> { APPENDERS.get(0).accept(tx, "C-0"); return null; });
            for (var first : APPENDERS) {
                for (var second : APPENDERS) {
                    CountDownLatch appended = new CountDownLatch(1);
                    CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> db.inTransaction(tx -> {
                        first.accept(tx, "held");
                        appended.countDown();
                        sleep(300);
                        return null;
                    }));
                    assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
                    long t0 = System.nanoTime();
                    db.inTransaction(tx -> { second.accept(tx, "waited"); return null; });
                    assertThat(System.nanoTime() - t0).as("the second waited for the first's lock")
                            .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(100));
                    holder.get(10, TimeUnit.SECONDS);
                }
            }
            AuditLog log = new AuditLog(Clock.systemUTC());
            // the first entry, then (1+1) + (1+2) + (2+1) + (2+2)
            assertThat(log.size(db.dsl())).isEqualTo(13);
            var r = log.verify(db.dsl());
            assertThat(r.ok()).as(r.problem()).isTrue();
            assertThat(log.head(db.dsl()).orElseThrow().seq()).isEqualTo(log.size(db.dsl()));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
