package cn.crb.localdb;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.KeyWrap;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.domain.standards.StandardsLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RepositoriesTest {
    private static final String ACTOR = "a".repeat(64);

    private static ObjectNode payload() throws IOException {
        try (InputStream in = RepositoriesTest.class.getResourceAsStream("/standards-2026.1.json")) {
            return (ObjectNode) Json.parse(in.readAllBytes());
        }
    }

    @Test
    void standardsAreStoredRefusedOnEquivocationAndNeverRolledBack(@TempDir Path dir) throws Exception {
        KeyPair platform = Sm2.generate();
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            StandardsRepository repo = new StandardsRepository(db, Clock.systemUTC());
            ObjectNode p = payload();
            Envelope env = Envelope.unsigned("creditbank.standards/1", p).sign(platform.getPrivate(), platform.getPublic(), "PLATFORM", Instant.now());
            assertThat(repo.install(StandardsBundle.fromPayload(p), env, ACTOR).kind()).isEqualTo(StandardsLibrary.Admission.Kind.ADDED_AS_CURRENT);
            assertThat(repo.install(StandardsBundle.fromPayload(p), env, ACTOR).kind()).isEqualTo(StandardsLibrary.Admission.Kind.ALREADY_HELD);

            ObjectNode forged = p.deepCopy();
            ((ObjectNode) forged.withArray("catalogue").get(0)).put("name", "篡改");
            assertThat(repo.install(StandardsBundle.fromPayload(forged), null, ACTOR).kind())
                    .isEqualTo(StandardsLibrary.Admission.Kind.REFUSED_EQUIVOCATION);

            ObjectNode older = p.deepCopy();
            older.put("version", "2025.2").put("effectiveFrom", "2025-07-01").put("effectiveUntil", "2025-12-31").put("supersedes", "2025.1");
            assertThat(repo.install(StandardsBundle.fromPayload(older), null, ACTOR).kind()).isEqualTo(StandardsLibrary.Admission.Kind.ADDED_AS_OLDER);

            StandardsLibrary lib = repo.library();
            assertThat(lib.current().orElseThrow().version().toString()).isEqualTo("2026.1");
            assertThat(lib.inForceOn(LocalDate.parse("2025-09-01")).orElseThrow().version().toString()).isEqualTo("2025.2");
            assertThat(repo.list()).extracting(StandardsRepository.Held::version).containsExactly("2025.2", "2026.1");
            assertThat(repo.list().get(1).verified()).isTrue();
            assertThat(repo.list().get(1).envelopeSm3()).isEqualTo(env.sm3());
            // the stored envelope still verifies against the platform key, byte for byte
            Envelope back = Envelope.fromJson(repo.document("2026.1").orElseThrow());
            assertThat(back.verify((k, r) -> platform.getPublic()).ok()).isTrue();
            assertThat(new AuditLog(Clock.systemUTC()).verify(db.dsl()).entries()).isEqualTo(2);
        }
    }

    static JsonNode caseDoc(String id, int revision, String step) {
        ObjectNode c = Json.object();
        c.put("caseId", id).put("revision", revision).put("appliedOn", "2026-10-08").put("step", step)
                .put("stepStartedAt", "2026-10-09T02:00:00Z");
        c.putObject("learner").put("nameMasked", "张*");
        c.putObject("programme").put("name", "会计（专科）").put("institution", "JSOU");
        c.putArray("outcomes").addObject().put("outcomeId", "O-1");
        return c;
    }

    private static ObjectNode payloadUnchecked() {
        try {
            return payload();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theStepClockIsReadFromEachReceivedDocumentAndOnceForCasesReceivedBeforeItWasStored(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            CaseRepository repo = new CaseRepository(db, Clock.systemUTC());
            ObjectNode waiting = (ObjectNode) caseDoc("C-1", 2, "REVIEW");
            waiting.put("awaitingMaterials", true);
            ObjectNode rejected = (ObjectNode) caseDoc("C-2", 2, "REVIEW");
            rejected.put("closed", true);
            repo.applyPage(List.of(new CaseRepository.Assignment(false, "C-1", waiting), new CaseRepository.Assignment(false, "C-2", rejected),
                    new CaseRepository.Assignment(false, "C-3", caseDoc("C-3", 1, "REVIEW"))), "cur-1", ACTOR);
            java.util.function.Supplier<Map<String, cn.crb.domain.cases.StepClock.State>> states = () -> repo.inbox().stream()
                    .collect(java.util.stream.Collectors.toMap(CaseRepository.InboxRow::caseId, r -> r.clock().state()));
            Map<String, cn.crb.domain.cases.StepClock.State> expected = Map.of("C-1", cn.crb.domain.cases.StepClock.State.PAUSED,
                    "C-2", cn.crb.domain.cases.StepClock.State.CLOSED, "C-3", cn.crb.domain.cases.StepClock.State.RUNNING);
            assertThat(states.get()).isEqualTo(expected);

            // a workstation upgraded with cases already cached: the column is empty until the inbox reads the documents
            db.dsl().execute("UPDATE CASE_CACHE SET STEP_CLOCK = NULL, PAUSED_SECONDS = NULL");
            assertThat(states.get()).isEqualTo(expected);
            assertThat(db.dsl().fetchCount(db.dsl().selectFrom(cn.crb.localdb.jooq.Tables.CASE_CACHE)
                    .where(cn.crb.localdb.jooq.Tables.CASE_CACHE.STEP_CLOCK.isNull()))).isZero();

            // the request for materials was accepted, and so was C-3's approval
            db.dsl().execute("UPDATE CASE_CACHE SET LOCAL_STATE = 'ACCEPTED' WHERE CASE_ID IN ('C-1', 'C-3')");
            // the materials arrive: a new revision without the flag, and the clock runs again — and the case waits for a
            // decision on it, so the inbox no longer says "accepted"; C-3 moved on to CONVERSION, where its reviewer's
            // act stays what the inbox shows
            ObjectNode arrived = (ObjectNode) caseDoc("C-1", 3, "REVIEW");
            repo.applyPage(List.of(new CaseRepository.Assignment(false, "C-1", arrived),
                    new CaseRepository.Assignment(false, "C-3", caseDoc("C-3", 2, "CONVERSION"))), "cur-2", ACTOR);
            assertThat(states.get().get("C-1")).isEqualTo(cn.crb.domain.cases.StepClock.State.RUNNING);
            Map<String, String> local = repo.inbox().stream().collect(java.util.stream.Collectors.toMap(CaseRepository.InboxRow::caseId, CaseRepository.InboxRow::localState));
            assertThat(local).containsEntry("C-1", "NEW").containsEntry("C-3", "ACCEPTED");
        }
    }

    @Test
    void aCaseDocumentThatCannotBeReadIsRefusedAuditedAndReportedAndTheRestOfItsPageApplied(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            CaseRepository repo = new CaseRepository(db, Clock.systemUTC());
            repo.applyPage(List.of(new CaseRepository.Assignment(false, "C-2", caseDoc("C-2", 1, "REVIEW"))), "cur-1", ACTOR);
            ObjectNode noDate = ((ObjectNode) caseDoc("C-1", 1, "REVIEW")).put("appliedOn", "");
            ObjectNode badStart = ((ObjectNode) caseDoc("C-2", 2, "CONVERSION")).put("stepStartedAt", "yesterday");
            ObjectNode textRevision = ((ObjectNode) caseDoc("C-4", 1, "REVIEW")).put("revision", "2");
            CaseRepository.Applied a = repo.applyPage(List.of(
                    new CaseRepository.Assignment(false, "C-1", noDate),
                    new CaseRepository.Assignment(false, "C-2", badStart),
                    new CaseRepository.Assignment(false, "C-3", caseDoc("C-3", 1, "REVIEW")),
                    new CaseRepository.Assignment(false, "C-4", textRevision),
                    new CaseRepository.Assignment(false, "C-5", ((ObjectNode) caseDoc("C-5", 1, "REVIEW")).put("step", "REVIEW_BY_THE_PROVINCIAL_PANEL"))),
                    "cur-2", ACTOR);
            assertThat(a.inserted()).isEqualTo(1);
            assertThat(a.refused()).extracting(CaseRepository.Refused::caseId).containsExactly("C-1", "C-2", "C-4", "C-5");
            assertThat(a.refused().get(3).reason()).contains("step is longer than 20");
            assertThat(a.refused().get(0).reason()).contains("appliedOn");
            assertThat(a.refused().get(1).reason()).contains("stepStartedAt");
            assertThat(a.refused().get(2).reason()).contains("revision");
            assertThat(repo.cursor()).as("the page is done: the next sync goes on from after it").contains("cur-2");
            assertThat(repo.inbox()).extracting(CaseRepository.InboxRow::caseId).containsExactly("C-2", "C-3");
            assertThat(repo.caseJson("C-2").orElseThrow().path("revision").asInt()).as("the revision held before stays").isEqualTo(1);
            assertThat(db.dsl().fetchCount(db.dsl().selectFrom(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY)
                    .where(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ACTION.eq("CASE_REFUSED")))).isEqualTo(4);
            assertThat(new ProfileRepository(db, Clock.systemUTC()).verifyAudit().ok()).isTrue();
        }
    }

    @Test
    void pagesApplyOnceWithTheirCursorAndWithdrawnCasesLeaveTheInbox(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            CaseRepository repo = new CaseRepository(db, Clock.systemUTC());
            assertThat(repo.cursor()).isEmpty();
            List<CaseRepository.Assignment> page = List.of(
                    new CaseRepository.Assignment(false, "C-1", caseDoc("C-1", 1, "REVIEW")),
                    new CaseRepository.Assignment(false, "C-2", caseDoc("C-2", 3, "REVIEW")));
            assertThat(repo.applyPage(page, "cur-1", ACTOR)).isEqualTo(new CaseRepository.Applied(2, 0, 0, 0));
            assertThat(repo.applyPage(page, "cur-1", ACTOR)).isEqualTo(new CaseRepository.Applied(0, 0, 0, 2));
            assertThat(repo.cursor()).contains("cur-1");

            // the same revision with a changed document (a panel member enrolled since: new key ids) is taken
            ObjectNode enrolled = ((ObjectNode) caseDoc("C-1", 1, "REVIEW")).put("keyIds", "k-new");
            assertThat(repo.applyPage(List.of(new CaseRepository.Assignment(false, "C-1", enrolled)), "cur-1", ACTOR))
                    .isEqualTo(new CaseRepository.Applied(0, 1, 0, 0));
            assertThat(repo.caseJson("C-1").orElseThrow().path("keyIds").asText()).isEqualTo("k-new");
            assertThat(repo.applyPage(List.of(new CaseRepository.Assignment(false, "C-1", enrolled)), "cur-1", ACTOR))
                    .as("and the same document again changes nothing").isEqualTo(new CaseRepository.Applied(0, 0, 0, 1));

            // an older revision never overwrites a newer one; a newer one does
            repo.applyPage(List.of(new CaseRepository.Assignment(false, "C-2", caseDoc("C-2", 2, "APPLICATION")),
                    new CaseRepository.Assignment(false, "C-1", caseDoc("C-1", 2, "CONVERSION"))), "cur-2", ACTOR);
            assertThat(repo.caseJson("C-2").orElseThrow().path("revision").asInt()).isEqualTo(3);
            assertThat(repo.caseJson("C-1").orElseThrow().path("step").asText()).isEqualTo("CONVERSION");

            // a new standards version in force on the cases' appliedOn flags the undecided ones for re-evaluation
            ObjectNode p = payloadUnchecked();
            assertThat(repo.inbox()).noneMatch(CaseRepository.InboxRow::needsReevaluation);
            new StandardsRepository(db, Clock.systemUTC()).install(StandardsBundle.fromPayload(p), null, ACTOR);
            assertThat(repo.inbox()).allMatch(CaseRepository.InboxRow::needsReevaluation);
            repo.clearReevaluation("C-1");
            assertThat(repo.inbox().stream().filter(r -> r.caseId().equals("C-1")).findFirst().orElseThrow().needsReevaluation()).isFalse();

            repo.applyPage(List.of(new CaseRepository.Assignment(true, "C-2", null)), "cur-3", ACTOR);
            assertThat(repo.inbox()).extracting(CaseRepository.InboxRow::caseId).containsExactly("C-1");
            assertThat(repo.caseJson("C-2")).as("a withdrawn case is kept").isPresent();
            assertThat(repo.cursor()).contains("cur-3");
            assertThat(new AuditLog(Clock.systemUTC()).verify(db.dsl()).ok()).isTrue();
        }
    }

    @Test
    void aStoredRecommendationIsAnEvaluationRunOnTheAuditChainOncePerRevisionVersionAndTotal(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            CaseRepository repo = new CaseRepository(db, Clock.systemUTC());
            repo.applyPage(List.of(new CaseRepository.Assignment(false, "C-1", caseDoc("C-1", 1, "REVIEW")),
                    new CaseRepository.Assignment(false, "C-2", caseDoc("C-2", 1, "REVIEW"))), "cur-1", ACTOR);
            java.util.function.Supplier<List<String>> runs = () -> db.dsl().select(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ENTITY_ID)
                    .from(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY).where(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ACTION.eq("EVALUATION_RUN"))
                    .orderBy(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.SEQ).fetch(r -> r.value1());

            repo.storeRecommendations(List.of(new CaseRepository.Recommendation("C-1", 1, new java.math.BigDecimal("3"), "2026.1"),
                    new CaseRepository.Recommendation("C-2", 1, new java.math.BigDecimal("0"), "2026.1")), ACTOR);
            assertThat(runs.get()).containsExactly("C-1", "C-2");
            assertThat(repo.inbox().stream().filter(r -> r.caseId().equals("C-1")).findFirst().orElseThrow().recommendedTotal()).isEqualByComparingTo("3");

            // the same evaluation stored again (two screens computing it at once) is not a second run
            repo.storeRecommendations(List.of(new CaseRepository.Recommendation("C-1", 1, new java.math.BigDecimal("3"), "2026.1")), ACTOR);
            assertThat(runs.get()).containsExactly("C-1", "C-2");
            // another version, another revision: runs of their own; a case the workstation does not hold: none
            repo.storeRecommendations(List.of(new CaseRepository.Recommendation("C-1", 1, new java.math.BigDecimal("3"), "2026.2"),
                    new CaseRepository.Recommendation("C-2", 2, new java.math.BigDecimal("0"), "2026.1"),
                    new CaseRepository.Recommendation("C-9", 1, new java.math.BigDecimal("1"), "2026.1")), ACTOR);
            assertThat(runs.get()).containsExactly("C-1", "C-2", "C-1", "C-2");
            assertThat(new AuditLog(Clock.systemUTC()).verify(db.dsl()).ok()).isTrue();
        }
    }

    @Test
    void recommendationsAreStoredAFewHundredToATransactionEachWithItsRun(@TempDir Path dir) {
        try (LocalDatabase db = LocalDatabase.open(dir, KeyWrap.randomKey())) {
            CaseRepository repo = new CaseRepository(db, Clock.systemUTC());
            int n = 2 * CaseRepository.RECOMMENDATIONS_PER_TRANSACTION + 1;
            List<CaseRepository.Assignment> page = new java.util.ArrayList<>();
            List<CaseRepository.Recommendation> recs = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                page.add(new CaseRepository.Assignment(false, "C-" + i, caseDoc("C-" + i, 1, "REVIEW")));
                recs.add(new CaseRepository.Recommendation("C-" + i, 1, new java.math.BigDecimal(i % 7), "2026.1"));
            }
            repo.applyPage(page, "cur-1", ACTOR);
            repo.storeRecommendations(recs, ACTOR);
            var runs = db.dsl().select(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ENTITY_ID).from(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY)
                    .where(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.ACTION.eq("EVALUATION_RUN")).orderBy(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.SEQ)
                    .fetch(r -> r.value1());
            // in the order of the case ids (as a table scan meets the rows: no two transactions take them in opposite orders)
            assertThat(runs).containsExactlyElementsOf(recs.stream().map(CaseRepository.Recommendation::caseId).sorted().toList());
            assertThat(repo.inbox()).allSatisfy(r -> assertThat(r.recommendedTotal())
                    .isEqualByComparingTo(String.valueOf(Integer.parseInt(r.caseId().substring(2)) % 7)));
            assertThat(new AuditLog(Clock.systemUTC()).verify(db.dsl()).ok()).isTrue();
        }
    }
}
