package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.decision.Verdict;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static cn.crb.localdb.jooq.Tables.AUDIT_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What runs at once on a reviewer's workstation after a large pull: the inbox stores recommendations in the
 * background while the reviewer signs decisions of the same cases and a sync applies pages. All of it lands, and
 * the audit chain stays one chain: every transaction locks the rows it changes before the chain head, so none waits
 * for another that waits for it.
 */
class ConcurrentAppendersTest {
    private static final KeyPair KEY = Sm2.generate();
    private static final String ACTOR = Sm2.keyId(KEY.getPublic());
    private static final int CASES = 200;
    private static final int ROUNDS = 5;

    private static ObjectNode reviewCase(String id) {
        ObjectNode c = Json.object();
        c.put("caseId", id).put("revision", 1).put("appliedOn", "2026-10-08").put("step", "REVIEW").put("stepStartedAt", "2026-11-20T02:00:00Z");
        c.putObject("learner").put("nameMasked", "张*");
        c.putObject("programme").put("name", "会计（专科）").put("institution", "JSOU");
        c.putArray("outcomes");
        return c;
    }

    @Test
    void signingStoringRecommendationsAndApplyingPagesAtOnceLoseNothingAndKeepOneChain(@TempDir Path dir) throws Exception {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            AuditLog log = new AuditLog(Clock.systemUTC());
            db.inTransaction(tx -> log.append(tx.dsl(), ACTOR, AuditAction.KEY_CREATED, "key", ACTOR, Json.object()));
            CaseRepository cases = new CaseRepository(db, Clock.systemUTC());
            DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
            List<CaseRepository.Assignment> page = new ArrayList<>();
            for (int i = 0; i < CASES; i++) page.add(new CaseRepository.Assignment(false, "C-" + i, reviewCase("C-" + i)));
            cases.applyPage(page, "cur-0", ACTOR);

            var pool = Executors.newFixedThreadPool(3);
            try {
                CompletableFuture<Void> signing = CompletableFuture.runAsync(() -> {
                    for (int i = CASES - 1; i >= 0; i--) { // from the other end of the ids than the recommendations
                        Decision d = new Decision("C-" + i, 1, "2026.1", Verdict.REQUEST_MATERIALS, List.of(), "请补交成绩单", null);
                        Instant at = Instant.parse("2026-11-26T08:00:00Z");
                        decisions.sign(d, Envelope.unsigned("creditbank.decision/1", d.payload(at)).sign(KEY.getPrivate(), KEY.getPublic(), "REVIEWER", at), ACTOR);
                    }
                }, pool);
                CompletableFuture<Void> recommending = CompletableFuture.runAsync(() -> {
                    for (int round = 1; round <= ROUNDS; round++) {
                        List<CaseRepository.Recommendation> recs = new ArrayList<>();
                        for (int i = 0; i < CASES; i++) recs.add(new CaseRepository.Recommendation("C-" + i, 1, BigDecimal.valueOf(round), "2026.1"));
                        cases.storeRecommendations(recs, ACTOR);
                    }
                }, pool);
                CompletableFuture<Void> syncing = CompletableFuture.runAsync(() -> {
                    for (int round = 1; round <= ROUNDS; round++) {
                        List<CaseRepository.Assignment> more = new ArrayList<>();
                        for (int i = 0; i < 50; i++) more.add(new CaseRepository.Assignment(false, "N-" + round + "-" + i, reviewCase("N-" + round + "-" + i)));
                        cases.applyPage(more, "cur-" + round, ACTOR);
                    }
                }, pool);
                CompletableFuture.allOf(signing, recommending, syncing).get(120, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }

            for (int i = 0; i < CASES; i++) {
                assertThat(decisions.find("C-" + i, 1).orElseThrow().state()).isEqualTo(DecisionRepository.State.SIGNED);
            }
            assertThat(cases.inbox()).hasSize(CASES + 50 * ROUNDS)
                    .filteredOn(r -> r.caseId().startsWith("C-")).allSatisfy(r -> assertThat(r.recommendedTotal()).isEqualByComparingTo(BigDecimal.valueOf(ROUNDS)));
            java.util.function.Function<String, Integer> count = action -> db.dsl().fetchCount(AUDIT_ENTRY, AUDIT_ENTRY.ACTION.eq(action));
            assertThat(count.apply("DECISION_SIGNED")).isEqualTo(CASES);
            assertThat(count.apply("EVALUATION_RUN")).isEqualTo(CASES * ROUNDS);
            assertThat(count.apply("CASE_RECEIVED")).isEqualTo(CASES + 50 * ROUNDS);
            var verified = log.verify(db.dsl());
            assertThat(verified.ok()).as(verified.problem()).isTrue();
        }
    }
}
