package cn.crb.app.ui.casereview;

import cn.crb.app.cases.CaseService;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.decision.Verdict;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.OutboxRepository;
import cn.crb.localdb.StandardsRepository;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Reviewing one case: draft saved as edited, a changed line needs a reason, signing queues exactly one envelope. */
class CaseViewModelTest {
    private static final char[] PASS = "案件审核 Test-Passphrase 9".toCharArray();

    private static JsonNode res(String p) throws Exception {
        try (InputStream in = CaseViewModelTest.class.getResourceAsStream(p)) { return Json.parse(in.readAllBytes()); }
    }

    @Test
    void withNoStandardsInForceTheDecisionStaysClosedUntilTheyArrive(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Reviewer reviewer = Reviewer.enrol(simDir, home, clock)) {
            ProfileService profiles = reviewer.profiles();
            ProfileSession session = reviewer.session();
            String me = session.summary().keyId();
            new CaseRepository(session.database(), clock).applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", res("/examples/cases/C-EX-01.json"))), "x", me);
            I18n i18n = new I18n(Locale.SIMPLIFIED_CHINESE);
            CaseViewModel vm = new CaseViewModel(new CaseService(session, profiles, clock), Background.sameThread(), i18n, "C-EX-01");
            vm.load();
            // no recommendation, and no draft to keep what a person would type: verdict, comment, note and lines closed
            assertThat(vm.problemsProperty().get()).isEqualTo(i18n.text("case.noStandards"));
            assertThat(vm.actionableProperty().get()).isFalse();
            assertThat(vm.canSignProperty().get()).isFalse();
            assertThat(vm.awaitingStandards()).as("what the shell reloads the case for after a sync installs standards").isTrue();

            new StandardsRepository(session.database(), clock).install(StandardsBundle.fromPayload(res("/examples/standards-2026.1.json")), null, me);
            vm.load();
            assertThat(vm.actionableProperty().get()).isTrue();
            assertThat(vm.lines()).hasSize(3);
            assertThat(vm.canSignProperty().get()).isTrue();
            assertThat(vm.awaitingStandards()).isFalse();
        }
    }

    /**
     * An inspection of a case whose arbitration amended the credits confirms the amended lines; an amended line carries
     * no reason of its own, and the arbitration is given as its reason (a line granted other than recommended without
     * one is refused by the platform as MALFORMED).
     */
    @Test
    void anInspectionAfterAnAmendingArbitrationConfirmsTheAmendedLinesWithTheArbitrationAsReason(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Reviewer reviewer = Reviewer.enrol(simDir, home, clock)) {
            ProfileSession session = reviewer.session();
            String me = session.summary().keyId();
            new StandardsRepository(session.database(), clock).install(StandardsBundle.fromPayload(res("/examples/standards-2026.1.json")), null, me);
            ObjectNode c = (ObjectNode) res("/examples/cases/C-EX-01.json");
            c.put("step", "INSPECTION").put("revision", 6).put("stepStartedAt", java.time.Instant.now().minusSeconds(3_600).toString());
            ObjectNode decision = c.putObject("decision").put("verdict", "APPROVE").put("standardsVersion", "2026.1");
            // decided against a recommendation of 4 (this workstation's engine recommends 3): the inspection repeats 4
            // and with its own status and target course, which the arbitration's line (credits only) leaves as they were
            decision.putArray("lines").addObject().put("outcomeId", "O-1").put("recommendedCredits", "4").put("grantedCredits", "4")
                    .put("status", "PARTIAL").put("targetCourse", "ACC999");
            ObjectNode arbitration = c.putObject("arbitration").put("arbitrationId", "A-EX-01").put("state", "FINAL").put("outcome", "AMEND");
            arbitration.putArray("finalLines").addObject().put("outcomeId", "O-1").put("grantedCredits", "2");
            new CaseRepository(session.database(), clock).applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", c)), "x", me);

            CaseViewModel vm = new CaseViewModel(new CaseService(session, reviewer.profiles(), clock), Background.sameThread(),
                    new I18n(Locale.SIMPLIFIED_CHINESE), "C-EX-01");
            vm.load();
            assertThat(vm.verdictProperty().get()).isEqualTo(Verdict.CONFIRMED);
            assertThat(vm.lines().getFirst().granted.get()).isEqualTo("2");
            assertThat(vm.canSignProperty().get()).as(vm.problemsProperty().get()).isTrue();
            vm.sign(PASS.clone());
            JsonNode line = Envelope.fromJson(new OutboxRepository(session.database(), clock).pending(10).getFirst().envelope()).payload().path("lines").get(0);
            assertThat(line.path("recommendedCredits").asText()).isEqualTo("4");
            assertThat(line.path("grantedCredits").asText()).isEqualTo("2");
            assertThat(line.path("reason").asText()).isEqualTo("按仲裁结果（A-EX-01，AMEND）");
            assertThat(line.path("status").asText()).isEqualTo("PARTIAL");
            assertThat(line.path("targetCourse").asText()).isEqualTo("ACC999");
        }
    }

    @Test
    void draftValidateAndSignIntoTheOutbox(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Reviewer reviewer = Reviewer.enrol(simDir, home, clock)) {
            ProfileService profiles = reviewer.profiles();
            ProfileSession session = reviewer.session();
            String me = session.summary().keyId();
            new StandardsRepository(session.database(), clock).install(StandardsBundle.fromPayload(res("/examples/standards-2026.1.json")), null, me);
            JsonNode c = res("/examples/cases/C-EX-01.json");
            new CaseRepository(session.database(), clock).applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", c)), "x", me);
            CaseService service = new CaseService(session, profiles, clock);
            I18n i18n = new I18n(Locale.SIMPLIFIED_CHINESE);

            CaseViewModel vm = new CaseViewModel(service, Background.sameThread(), i18n, "C-EX-01");
            vm.load();
            assertThat(vm.lines()).hasSize(3);
            assertThat(vm.lines().getFirst().granted.get()).isEqualTo("3");
            assertThat(vm.lines().getFirst().recommendation.basis()).anySatisfy(b -> assertThat(b).startsWith("2026.1:"));
            // each clause named for the reviewer; every clause the evaluator cites for these lines has a name here
            assertThat(vm.basisLabel("2026.1:catalogue[AC-CS-210]")).isEqualTo("成果目录 AC-CS-210");
            assertThat(vm.basisLabel("2026.1:limits.outcomeValidityYears")).isEqualTo("成果有效期（年）");
            assertThat(vm.basisLabel("2026.1:academic.hoursPerCredit.THEORY")).isEqualTo("每学分学时（理论课）");
            assertThat(vm.basisLabel("2026.1:quality.B")).isEqualTo("质量等级 B");
            assertThat(vm.basisLabel("2026.1:something.new")).as("a kind not known here: as cited").isEqualTo("something.new");
            // what the evaluator cites when the outcome's entry is missing from a list: named too, not left in English
            for (String bare : List.of("catalogue", "institutions", "social.scenarios", "vocational.equivalences")) {
                assertThat(vm.basisLabel("2026.1:" + bare)).as(bare).endsWith("（未列入）");
            }
            for (CaseViewModel.Line l : vm.lines()) {
                for (String clause : l.recommendation.basis()) assertThat(vm.basisLabel(clause)).as(clause).doesNotContain(":").isNotEqualTo(clause.substring(7));
            }
            // the entry: its name and the clause as cited, then its values one per line, no JSON braces or quotes
            assertThat(vm.basisEntry("2026.1:limits.outcomeValidityYears")).isEqualTo("成果有效期（年）  ·  2026.1:limits.outcomeValidityYears\n5");
            assertThat(vm.basisEntry("2026.1:quality.B")).isEqualTo("质量等级 B  ·  2026.1:quality.B\nconvertible：true\nfactor：0.8");
            assertThat(vm.basisEntry("2026.1:academic.hoursPerCredit.THEORY")).endsWith("\n16");
            assertThat(vm.verdictProperty().get()).isEqualTo(Verdict.APPROVE);
            assertThat(vm.canSignProperty().get()).isTrue();

            vm.lines().getFirst().granted.set("2");
            assertThat(vm.canSignProperty().get()).isFalse();
            assertThat(vm.problemsProperty().get()).contains("调整理由").contains("O-1");
            vm.lines().getFirst().reason.set("成绩单学时与课程标准不符");
            vm.verdictProperty().set(Verdict.APPROVE_PARTIAL);
            vm.privateNoteProperty().set("已电话核实");
            assertThat(vm.canSignProperty().get()).isTrue();
            // the standards' limits: a multiple of the rounding step, and no more than the rule's course is worth
            vm.lines().getFirst().granted.set("2.3");
            assertThat(vm.canSignProperty().get()).isFalse();
            assertThat(vm.problemsProperty().get()).contains("0.5 学分的整数倍").contains("O-1");
            vm.lines().getFirst().granted.set("9");
            assertThat(vm.problemsProperty().get()).contains("转换规则的上限 3 学分").contains("O-1");
            vm.sign("not-even-asked".toCharArray());
            assertThat(new OutboxRepository(session.database(), clock).pendingCount()).as("nothing signed past the standards").isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.sign(vm.decision(), "not-even-asked".toCharArray()))
                    .as("nor by the service, whoever calls it").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GRANTED_ABOVE_RULE");
            vm.lines().getFirst().granted.set("2");
            assertThat(vm.canSignProperty().get()).isTrue();

            // the draft survives: a new screen on the same case shows it
            CaseViewModel again = new CaseViewModel(service, Background.sameThread(), i18n, "C-EX-01");
            again.load();
            assertThat(again.lines().getFirst().granted.get()).isEqualTo("2");
            assertThat(again.lines().getFirst().reason.get()).isEqualTo("成绩单学时与课程标准不符");
            assertThat(again.verdictProperty().get()).isEqualTo(Verdict.APPROVE_PARTIAL);
            assertThat(again.privateNoteProperty().get()).isEqualTo("已电话核实");

            OutboxRepository outbox = new OutboxRepository(session.database(), clock);
            again.sign("wrong passphrase here".toCharArray());
            assertThat(again.messageProperty().get()).isEqualTo("口令不正确。数据未作任何更改。");
            assertThat(again.signedProperty().get()).isFalse();
            assertThat(outbox.pendingCount()).isZero();

            again.sign(PASS.clone());
            assertThat(again.signedProperty().get()).isTrue();
            assertThat(again.messageProperty().get()).startsWith("已签名并放入发件箱");
            assertThat(outbox.pendingCount()).isEqualTo(1);
            JsonNode queued = outbox.pending(10).getFirst().envelope();
            Envelope env = Envelope.fromJson(queued);
            assertThat(env.type()).isEqualTo("creditbank.decision/1");
            assertThat(env.payload().path("verdict").asText()).isEqualTo("APPROVE_PARTIAL");
            assertThat(env.payload().has("privateNote")).isFalse();
            assertThat(env.payload().toString()).doesNotContain("已电话核实");
            assertThat(env.signatures().getFirst().keyId()).isEqualTo(me);
            java.security.PublicKey mine = cn.crb.domain.crypto.Sm2.fromPem(pem(profiles, session));
            assertThat(env.verify((k, r) -> "REVIEWER".equals(r) ? mine : null).ok()).isTrue();
            assertThat(new CaseRepository(session.database(), clock).inbox().getFirst().localState()).isEqualTo("QUEUED");
            assertThat(session.repository().verifyAudit().ok()).isTrue();

            // signed means final: editing no longer saves, signing again adds nothing
            again.lines().getFirst().granted.set("1");
            again.sign(PASS.clone());
            assertThat(outbox.pendingCount()).isEqualTo(1);

            // the platform refuses it: the case says why and what to do; once the refusal is discarded, the
            // revision can be decided again, starting from what was signed
            OutboxRepository.Batch sent = outbox.assignBatchKey(me, 10);
            outbox.recordResults(sent.idempotencyKey(), List.of(new OutboxRepository.Result(sent.items().getFirst().envelopeSm3(),
                    "REJECTED", "ROLE_NOT_ALLOWED", "not this case's reviewer", null)), me);
            CaseViewModel refused = new CaseViewModel(service, Background.sameThread(), i18n, "C-EX-01");
            refused.load();
            assertThat(refused.signedProperty().get()).isTrue();
            assertThat(refused.messageProperty().get()).startsWith("平台退回了您在本版本上签署的决定（ROLE_NOT_ALLOWED：not this case's reviewer）");
            outbox.discard(outbox.list(false).getFirst().id(), "角色已更正，重新签署", me);
            CaseViewModel reopened = new CaseViewModel(service, Background.sameThread(), i18n, "C-EX-01");
            reopened.load();
            assertThat(reopened.signedProperty().get()).isFalse();
            assertThat(reopened.verdictProperty().get()).isEqualTo(Verdict.APPROVE_PARTIAL);
            assertThat(reopened.lines().getFirst().granted.get()).isEqualTo("2");
            assertThat(reopened.canSignProperty().get()).isTrue();
            reopened.sign(PASS.clone());
            assertThat(reopened.signedProperty().get()).isTrue();
            assertThat(outbox.pendingCount()).isEqualTo(1);

            // a draft on revision 1 of another case; revision 2 arrives (materials came in): what was typed is
            // carried over onto it, with a word to check it, instead of a fresh form hiding it
            ObjectNode c6 = (ObjectNode) res("/examples/cases/C-EX-06.json");
            CaseRepository cases = new CaseRepository(session.database(), clock);
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-06", c6)), "y", me);
            CaseViewModel first = new CaseViewModel(service, Background.sameThread(), i18n, "C-EX-06");
            first.load();
            first.lines().getFirst().granted.set("5.5");
            first.lines().getFirst().reason.set("实践学时不足");
            first.verdictProperty().set(Verdict.APPROVE_PARTIAL);
            first.commentProperty().set("部分认定");
            int r1 = c6.path("revision").asInt();
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-06", c6.deepCopy().put("revision", r1 + 1))), "z", me);
            CaseViewModel next = new CaseViewModel(service, Background.sameThread(), i18n, "C-EX-06");
            next.load();
            assertThat(next.lines().getFirst().granted.get()).isEqualTo("5.5");
            assertThat(next.lines().getFirst().reason.get()).isEqualTo("实践学时不足");
            assertThat(next.verdictProperty().get()).isEqualTo(Verdict.APPROVE_PARTIAL);
            assertThat(next.commentProperty().get()).isEqualTo("部分认定");
            assertThat(next.messageProperty().get()).contains("第 " + r1 + " 版");
            assertThat(next.decision().caseRevision()).isEqualTo(r1 + 1);
        }
    }

    @Test
    void aCaseWithNothingToDecideIsShownReadOnlyWithTheReasonAndWhatWasSignedOnIt(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (Reviewer reviewer = Reviewer.enrol(simDir, home, clock)) {
            ProfileService profiles = reviewer.profiles();
            ProfileSession session = reviewer.session();
            String me = session.summary().keyId();
            new StandardsRepository(session.database(), clock).install(StandardsBundle.fromPayload(res("/examples/standards-2026.1.json")), null, me);
            CaseRepository cases = new CaseRepository(session.database(), clock);
            com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) res("/examples/cases/C-EX-01.json");
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", c)), "x", me);
            CaseService service = new CaseService(session, profiles, clock);
            I18n i18n = new I18n(Locale.SIMPLIFIED_CHINESE);
            OutboxRepository outbox = new OutboxRepository(session.database(), clock);

            // the reviewer requests materials and signs
            CaseViewModel vm = new CaseViewModel(service, Background.sameThread(), i18n, "C-EX-01");
            vm.load();
            assertThat(vm.actionableProperty().get()).isTrue();
            vm.verdictProperty().set(Verdict.REQUEST_MATERIALS);
            vm.commentProperty().set("请补充成绩单原件扫描件。");
            vm.sign(PASS.clone());
            assertThat(vm.signedProperty().get()).isTrue();

            // the platform's next revision waits for the materials: nothing to decide, the request shown as signed
            com.fasterxml.jackson.databind.node.ObjectNode waiting = c.deepCopy();
            waiting.put("revision", c.path("revision").asInt() + 1).put("awaitingMaterials", true);
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", waiting)), "y", me);
            CaseViewModel later = new CaseViewModel(service, Background.sameThread(), i18n, "C-EX-01");
            later.load();
            assertThat(later.actionableProperty().get()).isFalse();
            assertThat(later.canSignProperty().get()).isFalse();
            assertThat(later.problemsProperty().get()).isEqualTo("已要求补充材料，审核时限暂停；材料送达（案件出新版本）后再作决定。");
            assertThat(later.verdictProperty().get()).isEqualTo(Verdict.REQUEST_MATERIALS);
            assertThat(later.signedProperty().get()).as("what was signed, read-only; its notice can be exported").isTrue();

            // a case (never decided here) at the receiving institution's step: no form, no draft saved by a stray edit,
            // no signature
            com.fasterxml.jackson.databind.node.ObjectNode conversion = c.deepCopy();
            conversion.put("caseId", "C-EX-09").put("revision", 4).put("step", "CONVERSION");
            cases.applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-09", conversion)), "z", me);
            CaseViewModel moved = new CaseViewModel(service, Background.sameThread(), i18n, "C-EX-09");
            moved.load();
            assertThat(moved.actionableProperty().get()).isFalse();
            assertThat(moved.signedProperty().get()).isFalse();
            assertThat(moved.verdictProperty().get()).as("no verdict offered").isNull();
            assertThat(moved.problemsProperty().get()).isEqualTo("案件当前处于其他环节，由相关方办理，您在本环节无需操作。");
            moved.privateNoteProperty().set("误触");
            assertThat(new cn.crb.localdb.DecisionRepository(session.database(), clock).find("C-EX-09", 4))
                    .as("no draft is created on a revision with nothing to decide").isEmpty();
            // with the lines filled in as recommended the decision has no problems: only "nothing to decide here" stops
            // the signature
            for (CaseViewModel.Line l : moved.lines()) l.granted.set(cn.crb.domain.evaluation.Credits.format(l.recommendation.credits()));
            assertThat(moved.decision().problems()).isEmpty();
            moved.sign(PASS.clone());
            assertThat(outbox.pendingCount()).isEqualTo(1);
        }
    }

    /** A reviewer enrolled at a fresh platform-sim, with an open profile session; closed in reverse order. */
    private record Reviewer(PlatformSim sim, HttpTransport http, ProfileService profiles, ProfileSession session) implements AutoCloseable {
        static Reviewer enrol(Path simDir, Path home, Clock clock) throws Exception {
            PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
            HttpTransport http = new HttpTransport();
            try {
                ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
                return new Reviewer(sim, http, profiles, profiles.create(sim.baseUrl().toString(),
                        sim.issueEnrolmentCode("REVIEWER", "JSOU", "审核"), PASS, PASS, "t", s -> { }));
            } catch (Exception e) {
                try (sim; http) { throw e; }
            }
        }

        @Override
        public void close() throws Exception {
            try (sim; http; session) { }
        }
    }

    private static String pem(ProfileService profiles, ProfileSession s) throws Exception {
        return cn.crb.domain.crypto.Sm2.toPem(profiles.openSigningKey(s.summary().id(), PASS).publicKey());
    }
}
