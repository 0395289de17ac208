package cn.crb.localdb;

import cn.crb.domain.audit.AuditEntry;
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
import java.util.ArrayList;
import java.util.List;

import static cn.crb.localdb.jooq.Tables.AUDIT_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signing a decision (plain JDBC with statements rendered once): the rows it writes in one transaction, a decision
 * signed without a saved draft, a second signature refused with nothing written, and an envelope already queued.
 */
class DecisionSigningTest {
    private static final KeyPair KEY = Sm2.generate();
    private static final String ACTOR = Sm2.keyId(KEY.getPublic());

    private static Envelope envelope(Decision d, Instant at) {
        return Envelope.unsigned("creditbank.decision/1", d.payload(at)).sign(KEY.getPrivate(), KEY.getPublic(), "REVIEWER", at);
    }

    private static List<String> actions(LocalDatabase db) {
        List<String> out = new ArrayList<>();
        db.dsl().select(AUDIT_ENTRY.ACTION).from(AUDIT_ENTRY).orderBy(AUDIT_ENTRY.SEQ).forEach(r -> out.add(r.value1()));
        return out;
    }

    @Test
    void aDecisionSignedWithoutADraftIsStoredQueuedAndAuditedOnce(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            Decision d = new Decision("C-9", 2, "2026.1", Verdict.REQUEST_MATERIALS, List.of(), "请补交成绩单", "私人备注");
            Envelope signed = envelope(d, Instant.parse("2026-11-26T08:00:00Z"));

            decisions.sign(d, signed, ACTOR);

            DecisionRepository.Stored stored = decisions.find("C-9", 2).orElseThrow();
            assertThat(stored.state()).isEqualTo(DecisionRepository.State.SIGNED);
            assertThat(stored.envelopeSm3()).isEqualTo(signed.sm3());
            assertThat(stored.decision()).isEqualTo(d);
            assertThat(outbox.list(true)).singleElement().satisfies(e -> {
                assertThat(e.envelopeSm3()).isEqualTo(signed.sm3());
                assertThat(e.state()).isEqualTo(OutboxRepository.State.QUEUED);
                assertThat(e.caseId()).isEqualTo("C-9");
                assertThat(e.attempts()).isZero();
            });
            assertThat(outbox.envelope(signed.sm3())).contains(signed);
            assertThat(actions(db)).containsExactly("DECISION_SIGNED", "ENVELOPE_QUEUED");
            assertThat(new ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).isTrue();
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode reviewCase(String id, int revision) {
        var c = cn.crb.domain.json.Json.object();
        c.put("caseId", id).put("revision", revision).put("appliedOn", "2026-10-08").put("step", "REVIEW")
                .put("stepStartedAt", "2026-11-20T02:00:00Z");
        c.putObject("learner").put("nameMasked", "张*");
        c.putObject("programme").put("name", "会计（专科）").put("institution", "JSOU");
        c.putArray("outcomes");
        return c;
    }

    @Test
    void aRequestForMaterialsPausesTheClockOnceTakenTheInboxSaysSentUntilAnsweredAndARefusedDecisionCanBeDecidedAgain(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            CaseRepository cases = new CaseRepository(db, Clock.systemUTC());
            DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-1", reviewCase("C-1", 2)),
                    new CaseRepository.Assignment(false, "C-2", reviewCase("C-2", 1))), "cur-1", ACTOR);
            Decision materials = new Decision("C-1", 2, "2026.1", Verdict.REQUEST_MATERIALS, List.of(), "请补交成绩单", "");
            Decision reject = new Decision("C-2", 1, "2026.1", Verdict.REJECT, List.of(), "不符合转换条件", "");
            Envelope e1 = envelope(materials, Instant.parse("2026-11-26T08:00:00Z"));
            Envelope e2 = envelope(reject, Instant.parse("2026-11-26T08:01:00Z"));
            decisions.sign(materials, e1, ACTOR);
            decisions.sign(reject, e2, ACTOR);
            java.util.function.Function<String, CaseRepository.InboxRow> row = id -> cases.inbox().stream().filter(r -> r.caseId().equals(id)).findFirst().orElseThrow();
            // signed, not delivered: the platform's deadline still runs, and so does the inbox's clock
            assertThat(row.apply("C-1").clock().state()).isEqualTo(cn.crb.domain.cases.StepClock.State.RUNNING);
            assertThat(row.apply("C-1").localState()).isEqualTo("QUEUED");

            OutboxRepository.Batch b = outbox.assignBatchKey(ACTOR, 10);
            assertThat(b.items()).hasSize(2);
            assertThat(row.apply("C-1").localState()).as("on its way, no answer yet").isEqualTo("SENT");
            assertThat(row.apply("C-2").localState()).isEqualTo("SENT");

            outbox.recordResults(b.idempotencyKey(), List.of(
                    new OutboxRepository.Result(e1.sm3(), "ACCEPTED", null, null, cn.crb.domain.json.Json.object().put("logIndex", 4).put("treeSize", 5)),
                    new OutboxRepository.Result(e2.sm3(), "REJECTED", "ROLE_NOT_ALLOWED", "not this case's reviewer", null)), ACTOR);
            assertThat(row.apply("C-1").localState()).isEqualTo("ACCEPTED");
            assertThat(row.apply("C-1").clock().state()).as("the platform took the request: the clock stops now, not at the next pull")
                    .isEqualTo(cn.crb.domain.cases.StepClock.State.PAUSED);
            assertThat(row.apply("C-2").localState()).isEqualTo("REJECTED");
            assertThat(row.apply("C-2").clock().state()).isEqualTo(cn.crb.domain.cases.StepClock.State.RUNNING);
            // a decision the platform took that ends the reviewer's part: no deadline left to show until the next pull
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-3", reviewCase("C-3", 1))), "cur-2", ACTOR);
            Decision approve = new Decision("C-3", 1, "2026.1", Verdict.REJECT, List.of(), "不符合转换条件", "");
            Envelope e3 = envelope(approve, Instant.parse("2026-11-26T08:02:00Z"));
            decisions.sign(approve, e3, ACTOR);
            OutboxRepository.Batch b3 = outbox.assignBatchKey(ACTOR, 10);
            outbox.recordResults(b3.idempotencyKey(), List.of(new OutboxRepository.Result(e3.sm3(), "ACCEPTED", null, null,
                    cn.crb.domain.json.Json.object().put("logIndex", 5).put("treeSize", 6))), ACTOR);
            assertThat(row.apply("C-3").localState()).isEqualTo("ACCEPTED");
            assertThat(row.apply("C-3").clock().state()).isEqualTo(cn.crb.domain.cases.StepClock.State.CLOSED);

            // the refusal is discarded with a reason: the platform never held the decision, so the revision is open again
            long refused = outbox.list(false).stream().filter(e -> e.envelopeSm3().equals(e2.sm3())).findFirst().orElseThrow().id();
            outbox.discard(refused, "角色配置已更正，重新签署", ACTOR);
            assertThat(decisions.find("C-2", 1).orElseThrow().state()).isEqualTo(DecisionRepository.State.DRAFT);
            assertThat(row.apply("C-2").localState()).isEqualTo("DRAFT");
            assertThat(actions(db)).endsWith("ENVELOPE_REFUSED", "DECISION_DRAFTED");
            Envelope again = envelope(reject, Instant.parse("2026-11-26T09:00:00Z"));
            decisions.sign(reject, again, ACTOR);
            assertThat(decisions.find("C-2", 1).orElseThrow().envelopeSm3()).isEqualTo(again.sm3());
            // a decision accepted stays signed: only a REJECTED one is reopened by a discard
            assertThat(decisions.find("C-1", 2).orElseThrow().state()).isEqualTo(DecisionRepository.State.SIGNED);
            assertThat(new ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).isTrue();
        }
    }

    @Test
    void anAnswerThatComesAfterThePullBroughtTheCasesNextRevisionLeavesThatRevisionOpen(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            CaseRepository cases = new CaseRepository(db, Clock.systemUTC());
            DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-9", reviewCase("C-9", 1)),
                    new CaseRepository.Assignment(false, "C-10", reviewCase("C-10", 1)),
                    new CaseRepository.Assignment(false, "C-11", reviewCase("C-11", 1))), "cur-1", ACTOR);
            Decision first = new Decision("C-9", 1, "2026.1", Verdict.REJECT, List.of(), "不符合转换条件", "");
            Decision other = new Decision("C-10", 1, "2026.1", Verdict.REJECT, List.of(), "不符合转换条件", "");
            Decision third = new Decision("C-11", 1, "2026.1", Verdict.REJECT, List.of(), "不符合转换条件", "");
            Envelope e1 = envelope(first, Instant.parse("2026-11-26T08:00:00Z"));
            Envelope e2 = envelope(other, Instant.parse("2026-11-26T08:01:00Z"));
            Envelope e3 = envelope(third, Instant.parse("2026-11-26T08:02:00Z"));
            decisions.sign(first, e1, ACTOR);
            decisions.sign(other, e2, ACTOR);
            decisions.sign(third, e3, ACTOR);
            OutboxRepository.Batch b = outbox.assignBatchKey(ACTOR, 10);
            java.util.function.Function<String, CaseRepository.InboxRow> row = id -> cases.inbox().stream().filter(r -> r.caseId().equals(id)).findFirst().orElseThrow();
            // the answer is lost; the platform took both decisions and moved the cases on, and the next pull brings
            // their revision 2 before the request is sent again: the act still waits for its answer
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-9", reviewCase("C-9", 2)),
                    new CaseRepository.Assignment(false, "C-10", reviewCase("C-10", 2)),
                    new CaseRepository.Assignment(false, "C-11", reviewCase("C-11", 2))), "cur-2", ACTOR);
            assertThat(row.apply("C-9").localState()).isEqualTo("SENT");
            // on C-10 the reviewer has already started revision 2
            decisions.saveDraft(new Decision("C-10", 2, "2026.1", Verdict.REJECT, List.of(), "第二版仍不符合", ""), ACTOR);
            String c10 = row.apply("C-10").localState();
            // on C-11 the reviewer has already signed revision 2: it waits in the outbox for its own answer
            Decision third2 = new Decision("C-11", 2, "2026.1", Verdict.REJECT, List.of(), "第二版仍不符合", "");
            decisions.sign(third2, envelope(third2, Instant.parse("2026-11-26T09:00:00Z")), ACTOR);
            assertThat(row.apply("C-11").localState()).isEqualTo("QUEUED");

            outbox.recordResults(b.idempotencyKey(), List.of(
                    new OutboxRepository.Result(e1.sm3(), "ACCEPTED", null, null, cn.crb.domain.json.Json.object().put("logIndex", 4).put("treeSize", 5)),
                    new OutboxRepository.Result(e2.sm3(), "DUPLICATE", null, null, cn.crb.domain.json.Json.object().put("logIndex", 5).put("treeSize", 6)),
                    new OutboxRepository.Result(e3.sm3(), "ACCEPTED", null, null, cn.crb.domain.json.Json.object().put("logIndex", 6).put("treeSize", 7))), ACTOR);
            // revision 1's decision was taken: revision 2 is open, not "accepted", and its deadline still runs
            assertThat(row.apply("C-9").localState()).isEqualTo("NEW");
            assertThat(row.apply("C-9").clock().state()).isEqualTo(cn.crb.domain.cases.StepClock.State.RUNNING);
            assertThat(decisions.find("C-9", 1).orElseThrow().state()).isEqualTo(DecisionRepository.State.SIGNED);
            // a draft on the new revision keeps the state it gave the case
            assertThat(row.apply("C-10").localState()).isEqualTo(c10).isNotEqualTo("ACCEPTED");
            // and a signed revision 2 stays queued for its answer: neither "accepted" by revision 1's nor opened again
            assertThat(row.apply("C-11").localState()).isEqualTo("QUEUED");
            assertThat(new ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).isTrue();
        }
    }

    @Test
    void aDraftSavedWhileAnotherTransactionHoldsItsRowPastTheLockTimeoutIsSavedAllTheSame(@TempDir Path dir) throws Exception {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
            Decision d = new Decision("C-5", 1, "2026.1", Verdict.REJECT, List.of(), "不符合转换条件", "");
            decisions.saveDraft(d, ACTOR);
            java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
            // a long transaction (a sync applying a page, say) holds the draft's row for 2.5 s, past H2's lock timeout
            Thread holder = Thread.ofPlatform().start(() -> db.jdbcTransaction(c -> {
                try (var st = c.prepareStatement("SELECT STATE FROM DECISION WHERE CASE_ID = 'C-5' FOR UPDATE")) {
                    st.executeQuery().close();
                }
                locked.countDown();
                try {
                    Thread.sleep(2_500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertThat(locked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            decisions.saveDraft(d.withComment("材料不符合转换条件，详见意见书"), ACTOR);
            holder.join();
            assertThat(decisions.find("C-5", 1).orElseThrow().decision().comment()).isEqualTo("材料不符合转换条件，详见意见书");
        }
    }

    @Test
    void onlyADraftOfTheLatestEarlierRevisionIsCarriedAndADiscardedObjectionLeavesTheDecisionsState(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            CaseRepository cases = new CaseRepository(db, Clock.systemUTC());
            DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-8", reviewCase("C-8", 2))), "cur-1", ACTOR);
            decisions.saveDraft(new Decision("C-8", 1, "2026.1", Verdict.REJECT, List.of(), "旧版本草稿", ""), ACTOR);
            assertThat(decisions.latestDraftBefore("C-8", 2)).isPresent();
            // revision 2 is decided and signed: the draft of revision 1 is past, and is not carried onto revision 3
            Decision materials = new Decision("C-8", 2, "2026.1", Verdict.REQUEST_MATERIALS, List.of(), "请补交成绩单", "");
            Envelope e1 = envelope(materials, Instant.parse("2026-11-26T08:00:00Z"));
            decisions.sign(materials, e1, ACTOR);
            assertThat(decisions.latestDraftBefore("C-8", 3)).isEmpty();

            // the decision is accepted; a second act on the case (here another envelope) is refused, then discarded:
            // the case says "accepted" again, not "new"
            OutboxRepository.Batch b = outbox.assignBatchKey(ACTOR, 10);
            outbox.recordResults(b.idempotencyKey(), List.of(new OutboxRepository.Result(e1.sm3(), "ACCEPTED", null, null,
                    cn.crb.domain.json.Json.object().put("logIndex", 1).put("treeSize", 2))), ACTOR);
            Envelope objection = Envelope.unsigned("creditbank.objection/1", cn.crb.domain.json.Json.object().put("caseId", "C-8").put("grounds", "异议"))
                    .sign(KEY.getPrivate(), KEY.getPublic(), "REVIEWER", Instant.parse("2026-11-26T09:00:00Z"));
            outbox.enqueue(objection, "C-8", ACTOR);
            OutboxRepository.Batch b2 = outbox.assignBatchKey(ACTOR, 10);
            outbox.recordResults(b2.idempotencyKey(), List.of(new OutboxRepository.Result(objection.sm3(), "REJECTED", "ROLE_NOT_ALLOWED", "no", null)), ACTOR);
            java.util.function.Supplier<String> state = () -> cases.inbox().stream().filter(r -> r.caseId().equals("C-8")).findFirst().orElseThrow().localState();
            assertThat(state.get()).isEqualTo("REJECTED");
            outbox.discard(outbox.list(false).getFirst().id(), "误操作", ACTOR);
            assertThat(state.get()).isEqualTo("ACCEPTED");
            assertThat(decisions.find("C-8", 2).orElseThrow().state()).isEqualTo(DecisionRepository.State.SIGNED);
        }
    }

    @Test
    void aSecondSignatureIsRefusedAndWritesNothing(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            Decision d = new Decision("C-7", 1, "2026.1", Verdict.REJECT, List.of(), "不符合转换条件", "");
            decisions.saveDraft(d, ACTOR);
            decisions.sign(d, envelope(d, Instant.parse("2026-11-26T08:00:00Z")), ACTOR);
            List<String> before = actions(db);

            Envelope again = envelope(d, Instant.parse("2026-11-26T08:05:00Z"));
            assertThatThrownBy(() -> decisions.sign(d, again, ACTOR)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already signed");
            assertThatThrownBy(() -> decisions.saveDraft(d, ACTOR)).isInstanceOf(IllegalStateException.class);

            assertThat(actions(db)).isEqualTo(before).containsExactly("DECISION_DRAFTED", "DECISION_SIGNED", "ENVELOPE_QUEUED");
            assertThat(outbox.list(true)).hasSize(1);
            assertThat(outbox.envelope(again.sm3())).isEmpty();
        }
    }

    @Test
    void anEnvelopeAlreadyInTheOutboxIsNotQueuedTwice(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
            OutboxRepository outbox = new OutboxRepository(db, Clock.systemUTC());
            Decision d = new Decision("C-5", 1, "2026.1", Verdict.REJECT, List.of(), "不符合转换条件", "");
            Envelope signed = envelope(d, Instant.parse("2026-11-26T08:00:00Z"));
            outbox.enqueue(signed, "C-5", ACTOR); // queued before (e.g. by an earlier attempt)

            decisions.sign(d, signed, ACTOR);

            assertThat(outbox.list(true)).hasSize(1);
            assertThat(actions(db)).containsExactly("ENVELOPE_QUEUED", "DECISION_SIGNED");
            AuditEntry head = new AuditLog(Clock.systemUTC()).head(db.dsl()).orElseThrow();
            assertThat(head.seq()).isEqualTo(2);
            assertThat(new ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).isTrue();
        }
    }
}
