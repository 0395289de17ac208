package cn.crb.localdb;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.decision.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a printed notice reads back: the latest signed decision of a case and its envelope as kept in the outbox. */
class SignedRecordsTest {
    private static final String ACTOR = "c".repeat(64);

    @Test
    void theLatestSignedRevisionAndItsEnvelopeComeBackAsSigned(@TempDir Path dir) {
        KeyPair key = Sm2.generate();
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            assertThat(decisions.latestSigned("C-1")).isEmpty();
            Envelope[] signed = new Envelope[3];
            for (int rev = 1; rev <= 2; rev++) {
                Decision d = new Decision("C-1", rev, "2026.1", Verdict.REQUEST_MATERIALS, List.of(), "请补充第 " + rev + " 版成绩单。", "");
                Instant at = Instant.parse("2026-11-2" + rev + "T08:00:00Z");
                signed[rev] = Envelope.unsigned("creditbank.decision/1", d.payload(at)).sign(key.getPrivate(), key.getPublic(), "REVIEWER", at);
                decisions.sign(d, signed[rev], ACTOR);
            }
            // a draft on a newer revision does not hide the signed one
            decisions.saveDraft(new Decision("C-1", 3, "2026.1", Verdict.REJECT, List.of(), "", ""), ACTOR);
            DecisionRepository.Stored latest = decisions.latestSigned("C-1").orElseThrow();
            assertThat(latest.decision().caseRevision()).isEqualTo(2);
            assertThat(latest.envelopeSm3()).isEqualTo(signed[2].sm3());
            Envelope kept = outbox.envelope(latest.envelopeSm3()).orElseThrow();
            assertThat(kept).isEqualTo(signed[2]);
            assertThat(kept.sm3()).isEqualTo(signed[2].sm3());
            assertThat(outbox.envelope("0".repeat(64))).isEmpty();
            assertThat(decisions.latestSigned("C-2")).isEmpty();
        }
    }
}
