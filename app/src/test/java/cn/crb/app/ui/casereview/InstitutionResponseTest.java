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

/** A clerk of the receiving institution confirms or declines a conversion; a decline needs a reason; signed as CLERK. */
class InstitutionResponseTest {
    private static final char[] PASS = "接收机构 Test-Passphrase 3".toCharArray();

    private static JsonNode res(String p) throws Exception {
        try (InputStream in = InstitutionResponseTest.class.getResourceAsStream(p)) { return Json.parse(in.readAllBytes()); }
    }

    @Test
    void declineNeedsAReasonAndIsSignedAsClerk(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            try (ProfileSession session = clerk(profiles, sim, "JSOU", "t", clock)) {
                String me = session.summary().keyId();
                ObjectNode c = (ObjectNode) res("/examples/cases/C-EX-01.json");
                c.put("step", "CONVERSION").put("stepStartedAt", java.time.Instant.now().minusSeconds(86_400).toString()).put("revision", 2);
                new CaseRepository(session.database(), clock).applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", c)), "x", me);

                CaseViewModel vm = opened(session, profiles, clock);
                assertThat(vm.institutionResponseProperty().get()).isTrue();
                assertThat(vm.verdictChoices()).containsExactly(Verdict.CONFIRM, Verdict.DECLINE);
                assertThat(vm.verdictProperty().get()).isEqualTo(Verdict.CONFIRM);
                assertThat(vm.canSignProperty().get()).isTrue();
                vm.verdictProperty().set(Verdict.DECLINE);
                assertThat(vm.canSignProperty().get()).isFalse();
                assertThat(vm.problemsProperty().get()).contains("拒绝转换须说明理由");
                assertThat(vm.commentProblemProperty().get()).as("shown at the comment field").isEqualTo("拒绝转换须说明理由");
                vm.commentProperty().set("  ");
                assertThat(vm.commentProblemProperty().get()).isEqualTo("拒绝转换须说明理由");
                vm.commentProperty().set("本校该专业已停止招生，无法接收转换学分。");
                assertThat(vm.canSignProperty().get()).isTrue();
                assertThat(vm.commentProblemProperty().get()).isEmpty();
                vm.sign(PASS.clone());
                assertThat(vm.signedProperty().get()).isTrue();
                Envelope env = Envelope.fromJson(new OutboxRepository(session.database(), clock).pending(10).getFirst().envelope());
                assertThat(env.payload().path("verdict").asText()).isEqualTo("DECLINE");
                assertThat(env.payload().path("caseRevision").asInt()).isEqualTo(2);
                assertThat(env.signatures().getFirst().role()).isEqualTo("CLERK");
            }
        }
    }

    @Test
    void aConfirmationSignsTheCreditsTheReviewerGrantedNotTheRecommendation(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            try (ProfileSession session = clerk(profiles, sim, "JSOU", "t", clock)) {
                String me = session.summary().keyId();
                ObjectNode c = (ObjectNode) res("/examples/cases/C-EX-01.json");
                c.put("step", "CONVERSION").put("stepStartedAt", java.time.Instant.now().minusSeconds(86_400).toString()).put("revision", 2);
                // the reviewer approved in part: one credit less on the first outcome, with a reason
                String first = c.path("outcomes").get(0).path("outcomeId").asText();
                ObjectNode decision = c.putObject("decision").put("verdict", "APPROVE_PARTIAL").put("standardsVersion", "2026.1");
                decision.putArray("lines").addObject().put("outcomeId", first).put("grantedCredits", "2").put("reason", "成绩单学时不足");
                new CaseRepository(session.database(), clock).applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", c)), "x", me);

                CaseViewModel vm = opened(session, profiles, clock);
                assertThat(vm.verdictProperty().get()).isEqualTo(Verdict.CONFIRM);
                assertThat(vm.lines().getFirst().granted.get()).as("the table shows what was granted").isEqualTo("2");
                vm.sign(PASS.clone());
                Envelope env = Envelope.fromJson(new OutboxRepository(session.database(), clock).pending(10).getFirst().envelope());
                JsonNode line = env.payload().path("lines").get(0);
                assertThat(line.path("grantedCredits").asText()).isEqualTo("2");
                assertThat(line.path("reason").asText()).isEqualTo("成绩单学时不足");
                assertThat(line.path("recommendedCredits").asText()).isNotEqualTo("2");
            }
        }
    }

    /**
     * The form is open only to a clerk of the receiving institution, and only while the time to answer runs: after it,
     * under standards with deemed consent, the platform has recorded the consent and refuses an answer (DEADLINE_PASSED).
     */
    @Test
    void onlyTheReceivingInstitutionAnswersAndOnlyBeforeDeemedConsent(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            for (String[] at : new String[][] {{"SHOU", "9", "OTHER_INSTITUTION"}, {"JSOU", "11", "DEEMED_CONSENT"}, {"JSOU", "9", null}}) {
                try (ProfileSession session = clerk(profiles, sim, at[0], "t-" + at[0] + at[1], clock)) {
                    String me = session.summary().keyId();
                    ObjectNode c = (ObjectNode) res("/examples/cases/C-EX-01.json"); // received by JSOU; 10 days to answer
                    c.put("step", "CONVERSION").put("revision", 2)
                            .put("stepStartedAt", java.time.Instant.now().minus(java.time.Duration.ofDays(Long.parseLong(at[1]))).toString());
                    // the reviewer granted 2 credits on the first outcome
                    c.putObject("decision").put("verdict", "APPROVE_PARTIAL").put("standardsVersion", "2026.1").putArray("lines").addObject()
                            .put("outcomeId", "O-1").put("grantedCredits", "2").put("reason", "成绩单学时不足");
                    new CaseRepository(session.database(), clock).applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", c)), "x", me);

                    CaseViewModel vm = opened(session, profiles, clock);
                    String why = at[0] + ", " + at[1] + " days into the step";
                    if (at[2] == null) {
                        assertThat(vm.canSignProperty().get()).as(why).isTrue();
                        continue;
                    }
                    assertThat(vm.detailProperty().get().noAction()).as(why).isEqualTo(CaseService.NoAction.valueOf(at[2]));
                    assertThat(vm.canSignProperty().get()).as(why).isFalse();
                    assertThat(vm.problemsProperty().get()).as(why).isEqualTo(new I18n(Locale.SIMPLIFIED_CHINESE).text("case.noAction." + at[2]));
                    // read-only, it shows what was decided, with no verdict of this clerk's (it showed nothing granted, a total of 0)
                    assertThat(vm.lines().getFirst().granted.get()).as(why).isEqualTo("2");
                    assertThat(vm.verdictProperty().get()).as(why).isNull();
                    assertThat(vm.totalProperty().get()).as(why).isNotEqualTo("认定合计 0 学分").startsWith("认定合计 ");
                    assertThat(vm.actionableProperty().get()).as(why).isFalse();
                }
            }
        }
    }

    /**
     * An answer counts when it reaches the platform (contract 03): one signed in time but still in the outbox when the
     * time runs out comes too late, and the case says so; one the platform took in time stands, shown as signed.
     */
    @Test
    void anAnswerSignedInTimeIsLateIfItReachesThePlatformAfterTheTime(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            try (ProfileSession session = clerk(profiles, sim, "JSOU", "t", clock)) {
                String me = session.summary().keyId();
                ObjectNode c = (ObjectNode) res("/examples/cases/C-EX-01.json"); // 10 days to answer
                c.put("step", "CONVERSION").put("revision", 2).put("stepStartedAt", java.time.Instant.now().minus(java.time.Duration.ofDays(9)).toString());
                new CaseRepository(session.database(), clock).applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", c)), "x", me);
                opened(session, profiles, clock).sign(PASS.clone());

                Clock twoDaysOn = Clock.offset(clock, java.time.Duration.ofDays(2));
                CaseViewModel late = opened(session, profiles, twoDaysOn);
                assertThat(late.detailProperty().get().noAction()).isEqualTo(CaseService.NoAction.DEEMED_CONSENT_ANSWER_UNSENT);
                assertThat(late.problemsProperty().get()).startsWith("确认时限已过，而您签名的答复尚未送达平台");
                assertThat(late.canSignProperty().get()).isFalse();

                // the platform took it before the time ran out (the pull that moves the case on has not come yet)
                OutboxRepository outbox = new OutboxRepository(session.database(), clock);
                OutboxRepository.Batch batch = outbox.assignBatchKey(me, 10);
                outbox.markSending(batch.idempotencyKey(), me);
                outbox.recordResults(batch.idempotencyKey(), List.of(new OutboxRepository.Result(batch.items().getFirst().envelopeSm3(), "ACCEPTED",
                        null, null, Json.object().put("logIndex", 1).put("treeSize", 2))), me);
                CaseViewModel taken = opened(session, profiles, twoDaysOn);
                assertThat(taken.detailProperty().get().noAction()).isNull();
                assertThat(taken.signedProperty().get()).isTrue();
                assertThat(taken.verdictProperty().get()).isEqualTo(Verdict.CONFIRM);
            }
        }
    }

    @Test
    void anObjectionDuringPublicNoticeIsSignedAndQueuedOnce(@TempDir Path simDir, @TempDir Path home) throws Exception {
        Clock clock = Clock.systemUTC();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(new WorkstationHome(home), http, clock, 1_000);
            try (ProfileSession session = clerk(profiles, sim, "JSOU", "t", clock)) {
                String me = session.summary().keyId();
                ObjectNode c = (ObjectNode) res("/examples/cases/C-EX-01.json");
                c.put("step", "PUBLIC_NOTICE").put("stepStartedAt", java.time.Instant.now().minusSeconds(86_400).toString()).put("revision", 4);
                new CaseRepository(session.database(), clock).applyPage(List.of(new CaseRepository.Assignment(false, "C-EX-01", c)), null, me);

                CaseViewModel vm = opened(session, profiles, clock);
                assertThat(vm.objectionShownProperty().get()).isTrue();
                assertThat(vm.objectionAllowedProperty().get()).isTrue();
                vm.raiseObjection("转换后的课程与原课程内容差异较大。", PASS.clone());
                assertThat(vm.messageProperty().get()).startsWith("异议已签名并放入发件箱");
                Envelope env = Envelope.fromJson(new OutboxRepository(session.database(), clock).pending(10).getFirst().envelope());
                assertThat(env.type()).isEqualTo("creditbank.objection/1");
                assertThat(env.payload().path("grounds").asText()).isEqualTo("转换后的课程与原课程内容差异较大。");
                assertThat(env.payload().path("raisedBy").asText()).isEqualTo(session.summary().personId());
                assertThat(env.signatures().getFirst().role()).isEqualTo("CLERK");
                // once is enough: the action is now refused with the reason shown
                assertThat(vm.objectionAllowedProperty().get()).isFalse();
                assertThat(vm.objectionStatusProperty().get()).isEqualTo("本机已提出过异议，等待发送或平台处理");
                assertThat(session.repository().recentAudit(5)).extracting(e -> e.action()).contains("OBJECTION_RAISED");

                // the platform does not know this (local-only) case: the objection comes back REJECTED and waits for a person,
                // who discards it with a reason from the Sync screen's view model
                cn.crb.app.sync.SyncService sync = new cn.crb.app.sync.SyncService(http, clock);
                cn.crb.app.ui.sync.SyncViewModel svm = new cn.crb.app.ui.sync.SyncViewModel(session, profiles, sync, Background.sameThread(),
                        new I18n(Locale.SIMPLIFIED_CHINESE), r -> { });
                java.util.concurrent.atomic.AtomicInteger changed = new java.util.concurrent.atomic.AtomicInteger();
                java.util.List<String> opened = new java.util.ArrayList<>();
                svm.onActions(opened::add, changed::incrementAndGet);
                svm.syncNow(null);
                svm.loadOutbox();
                OutboxRepository.Entry returned = svm.outbox().stream().filter(e -> e.type().equals("creditbank.objection/1")).findFirst().orElseThrow();
                assertThat(returned.state()).isEqualTo(OutboxRepository.State.REJECTED);
                assertThat(cn.crb.app.ui.sync.SyncViewModel.needsPerson(returned)).isTrue();
                svm.redecide(returned);
                assertThat(opened).containsExactly("C-EX-01");
                svm.discard(returned, "   ");
                assertThat(changed.get()).as("no reason, nothing discarded").isZero();
                svm.discard(returned, "案件在平台上不存在，异议作废。");
                assertThat(changed.get()).isEqualTo(1);
                assertThat(svm.outbox().stream().filter(e -> e.id() == returned.id()).findFirst().orElseThrow().state())
                        .isEqualTo(OutboxRepository.State.DISCARDED);
                assertThat(svm.reportProperty().get()).startsWith("已放弃");
                assertThat(session.repository().verifyAudit().ok()).isTrue();
            }
        }
    }

    /** A clerk of {@code institution} enrolled with the platform, the example standards installed. */
    private static ProfileSession clerk(ProfileService profiles, PlatformSim sim, String institution, String device, Clock clock) throws Exception {
        ProfileSession session = profiles.create(sim.baseUrl().toString(), sim.issueEnrolmentCode("CLERK", institution, "吴磊"), PASS, PASS, device, s -> { });
        new StandardsRepository(session.database(), clock).install(StandardsBundle.fromPayload(res("/examples/standards-2026.1.json")), null,
                session.summary().keyId());
        return session;
    }

    /** The case view of C-EX-01, loaded. */
    private static CaseViewModel opened(ProfileSession session, ProfileService profiles, Clock clock) {
        CaseViewModel vm = new CaseViewModel(new CaseService(session, profiles, clock), Background.sameThread(), new I18n(Locale.SIMPLIFIED_CHINESE), "C-EX-01");
        vm.load();
        return vm;
    }
}
