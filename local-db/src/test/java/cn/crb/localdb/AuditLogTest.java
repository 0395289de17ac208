package cn.crb.localdb;

import cn.crb.domain.crypto.Envelope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTest {
    @Test
    void theStreamedTimestampTextIsTheSignedOne() {
        Random r = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(-62_000_000_000L, 253_402_300_799L), r.nextInt(1_000_000_000));
            assertThat(AuditLog.utcMillis(t)).isEqualTo(Envelope.timestamp(t));
        }
        assertThat(AuditLog.utcMillis(Instant.parse("2026-01-02T03:04:05.006789Z"))).isEqualTo("2026-01-02T03:04:05.006Z");
    }
}
