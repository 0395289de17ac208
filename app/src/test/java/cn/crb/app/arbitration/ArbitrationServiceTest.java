package cn.crb.app.arbitration;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.sync.SyncService;
import cn.crb.domain.arbitration.ArbitrationSession;
import cn.crb.domain.arbitration.Position;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.localdb.OutboxRepository;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.CancellationToken;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.ProgressListener;
import cn.crb.sync.SyncReport;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A panel of five around the chair's workstation, against the demo platform: one member recuses (her institution
 * issued an outcome), each member signs with their own key file, disagreeing amendments force a second round, a tie
 * is broken by the chair, the chair signs the result, the platform accepts it and the arbitration is final.
 */
class ArbitrationServiceTest {
    private static final List<String> PANEL = List.of("王建国", "陈静", "刘洋", "赵敏", "孙伟");

    @Test
    void aPanelOfFiveHoldsASessionOnOneWorkstationAndItsResultIsFinal(@TempDir Path dir) throws Exception {
        Clock clock = Clock.systemUTC();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             HttpTransport http = new HttpTransport()) {
            // every member enrols on their own workstation (their own home, key file and passphrase)
            Map<String, Path> keyFile = new HashMap<>();
            Map<String, char[]> pass = new HashMap<>();
            ProfileSession chairSession = null;
            ProfileService chairProfiles = null;
            for (String name : PANEL) {
                PlatformSim.DemoPerson p = sim.demoPeople().stream().filter(x -> x.displayName().equals(name)).findFirst().orElseThrow();
                char[] pw = ("口令 of " + name + " 2026 secure").toCharArray();
                ProfileService profiles = new ProfileService(WorkstationHome.resolve(dir.resolve("home-" + name), Map.of()), http, clock, 1000);
                ProfileSession s = profiles.create(sim.baseUrl().toString(), p.enrolmentCode(), pw.clone(), pw.clone(), name, x -> { });
                keyFile.put(name, s.dir().resolve("keystore.p12"));
                pass.put(name, pw);
                if (name.equals("王建国")) {
                    chairSession = s;
                    chairProfiles = profiles;
                } else {
                    s.close();
                }
            }
            try (ProfileSession chair = chairSession) {
                SyncService sync = new SyncService(http, clock);
                SyncReport first = sync.sync(chair, chairProfiles.openSigningKey(chair.summary().id(), pass.get("王建国").clone()),
                        ProgressListener.NONE, new CancellationToken());
                assertThat(first.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);

                ArbitrationService service = new ArbitrationService(chair, clock);
                assertThat(service.list()).singleElement().satisfies(s -> {
                    assertThat(s.platformState()).isEqualTo("OPEN");
                    assertThat(s.closedHere()).isFalse();
                });
                String caseId = service.list().getFirst().caseId();
                ArbitrationService.View v = service.open(caseId);
                Map<String, String> id = new HashMap<>();
                v.panel().forEach(m -> id.put(m.member().displayName(), m.member().keyId()));
                assertThat(id.keySet()).containsExactlyInAnyOrderElementsOf(PANEL);
                assertThat(v.recusals()).containsExactly(Map.entry(id.get("陈静"), ArbitrationService.Recusal.INSTITUTION));
                assertThat(v.result()).isEqualTo(new ArbitrationSession.NoQuorum(0, 3));
                cn.crb.app.cases.CaseService cases = new cn.crb.app.cases.CaseService(chair, chairProfiles, clock);
                assertThat(cases.objectionRefusal(caseId)).contains(cn.crb.domain.arbitration.Objections.Refusal.ARBITRATION_OPEN);
                String outcome = v.caseDocument().path("outcomes").get(0).path("outcomeId").asText();

                // nobody votes for anybody: a recused member, another member's key file, a wrong passphrase
                assertThatThrownBy(() -> service.vote(caseId, id.get("陈静"), keyFile.get("陈静"), pass.get("陈静").clone(), Position.UPHOLD, Map.of(), "x"))
                        .isInstanceOf(ProfileException.class).extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.MEMBER_RECUSED);
                assertThatThrownBy(() -> service.vote(caseId, id.get("刘洋"), keyFile.get("赵敏"), pass.get("赵敏").clone(), Position.UPHOLD, Map.of(), "x"))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.KEY_NOT_ON_PANEL);
                assertThatThrownBy(() -> service.vote(caseId, id.get("刘洋"), keyFile.get("刘洋"), "not it".toCharArray(), Position.UPHOLD, Map.of(), "x"))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.WRONG_PASSPHRASE);
                assertThat(service.open(caseId).events()).isEmpty();
                // an amendment of an outcome the case does not hold, or to negative credits: refused before any key is opened
                char[] wiped = pass.get("刘洋").clone();
                assertThatThrownBy(() -> service.vote(caseId, id.get("刘洋"), keyFile.get("刘洋"), wiped, Position.AMEND, Map.of("O-NOPE", new BigDecimal("2")), "x"))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.AMENDMENT_INVALID);
                assertThat(new String(wiped)).as("the passphrase is wiped even when refused before unlocking").isEqualTo("\0".repeat(wiped.length));
                assertThatThrownBy(() -> vote(service, caseId, id, keyFile, pass, "刘洋", Position.AMEND, Map.of(outcome, new BigDecimal("-1"))))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.AMENDMENT_INVALID);
                assertThat(service.open(caseId).events()).isEmpty();

                // round 1: AMEND wins but the amendments disagree -> no result, a new round
                vote(service, caseId, id, keyFile, pass, "王建国", Position.AMEND, Map.of(outcome, new BigDecimal("2")));
                vote(service, caseId, id, keyFile, pass, "刘洋", Position.AMEND, Map.of(outcome, new BigDecimal("2.0")));
                vote(service, caseId, id, keyFile, pass, "赵敏", Position.AMEND, Map.of(outcome, new BigDecimal("1.5")));
                v = vote(service, caseId, id, keyFile, pass, "孙伟", Position.UPHOLD, Map.of());
                assertThat(v.result()).isEqualTo(new ArbitrationSession.Revote("AMENDMENTS_DISAGREE"));
                assertThatThrownBy(() -> vote(service, caseId, id, keyFile, pass, "孙伟", Position.UPHOLD, Map.of()))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.ALREADY_VOTED);
                assertThatThrownBy(() -> service.close(caseId, keyFile.get("王建国"), pass.get("王建国").clone(), ""))
                        .isInstanceOfSatisfying(ProfileException.class, e -> {
                            assertThat(e.reason()).isEqualTo(ProfileException.Reason.NO_RESULT_YET);
                            // said in the person's language, as the screen says the result (it showed "REVOTE AMENDMENTS_DISAGREE")
                            assertThat(cn.crb.app.ui.common.ErrorMessages.of(e, new cn.crb.app.ui.common.I18n(java.util.Locale.SIMPLIFIED_CHINESE)))
                                    .isEqualTo("尚不能形成结果：多数意见为变更，但各变更意见的学分不一致：须重新投票");
                        });
                v = service.newRound(caseId);
                assertThat(v.round()).isEqualTo(2);
                assertThat(v.votesThisRound()).isEmpty();
                // a member who voted in round 1 is told that, not that they voted in this round
                assertThatThrownBy(() -> service.declareConflict(caseId, id.get("孙伟"), keyFile.get("孙伟"), pass.get("孙伟").clone(), "x"))
                        .isInstanceOfSatisfying(ProfileException.class, e -> {
                            assertThat(e.reason()).isEqualTo(ProfileException.Reason.VOTED_BEFORE_RECUSAL);
                            assertThat(cn.crb.app.ui.common.ErrorMessages.of(e, new cn.crb.app.ui.common.I18n(java.util.Locale.SIMPLIFIED_CHINESE)))
                                    .startsWith("孙伟 已在本次仲裁的前一轮投票，不能再声明回避");
                        });

                // round 2: 2 UPHOLD against 2 OVERTURN, the chair voted UPHOLD and breaks the tie
                vote(service, caseId, id, keyFile, pass, "王建国", Position.UPHOLD, Map.of());
                vote(service, caseId, id, keyFile, pass, "刘洋", Position.OVERTURN, Map.of());
                vote(service, caseId, id, keyFile, pass, "赵敏", Position.OVERTURN, Map.of());
                v = vote(service, caseId, id, keyFile, pass, "孙伟", Position.UPHOLD, Map.of());
                assertThat(v.result()).isEqualTo(new ArbitrationSession.Decided(Position.UPHOLD, Map.of(), true));

                // only the chair's key closes it
                assertThatThrownBy(() -> service.close(caseId, keyFile.get("孙伟"), pass.get("孙伟").clone(), ""))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.KEY_NOT_ON_PANEL);
                Envelope result = service.close(caseId, keyFile.get("王建国"), pass.get("王建国").clone(), "会议于本机进行，全体成员到场。");
                assertThat(result.signatures().getFirst().role()).isEqualTo("PANEL_CHAIR");
                JsonNode p = result.payload();
                assertThat(p.path("outcome").asText()).isEqualTo("UPHOLD");
                assertThat(p.path("votes")).hasSize(4);
                assertThat(p.path("recused").get(0).asText()).isEqualTo(id.get("陈静"));
                assertThat(p.path("minutes").asText()).contains("陈静", "第1轮", "第2轮", "修改意见不一致", "由组长裁决", "全体成员到场");
                for (JsonNode vote : p.path("votes")) {
                    Envelope e = Envelope.fromJson(vote);
                    assertThat(e.payload().path("arbitrationId").asText()).isEqualTo(v.arbitrationId());
                    assertThat(e.signatures().getFirst().keyId()).isEqualTo(e.payload().path("memberKeyId").asText());
                }
                assertThat(new OutboxRepository(chair.database(), clock).pending(10)).extracting(i -> i.envelope().path("type").asText())
                        .contains("creditbank.arbitration/1");

                // final: nothing more is accepted here
                assertThat(service.open(caseId).closed()).isTrue();
                assertThatThrownBy(() -> vote(service, caseId, id, keyFile, pass, "刘洋", Position.UPHOLD, Map.of()))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.ARBITRATION_FINAL);
                assertThatThrownBy(() -> service.declareConflict(caseId, id.get("赵敏"), keyFile.get("赵敏"), pass.get("赵敏").clone(), "x"))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.ARBITRATION_FINAL);

                // and no further objection on the case
                assertThat(cases.objectionRefusal(caseId)).contains(cn.crb.domain.arbitration.Objections.Refusal.ARBITRATION_FINAL);
                assertThatThrownBy(() -> cases.raiseObjection(caseId, "再次异议", pass.get("王建国").clone()))
                        .extracting(e -> ((ProfileException) e).reason()).isEqualTo(ProfileException.Reason.ARBITRATION_FINAL);

                // a result the platform refuses is no result: the session is open again here (and objections are no longer
                // refused for it) until the chair signs one that stands; the refused one stays in the events
                OutboxRepository outbox = new OutboxRepository(chair.database(), clock);
                OutboxRepository.Batch sent = outbox.assignBatchKey(chair.summary().keyId(), 10);
                assertThat(sent.items()).singleElement().satisfies(i -> assertThat(i.envelopeSm3()).isEqualTo(result.sm3()));
                outbox.markSending(sent.idempotencyKey(), chair.summary().keyId());
                outbox.recordResults(sent.idempotencyKey(), List.of(new OutboxRepository.Result(result.sm3(), "REJECTED", "MALFORMED",
                        "the vote of a member whose institution must recuse", null)), chair.summary().keyId());
                ArbitrationService.View reopened = service.open(caseId);
                assertThat(reopened.closed()).isFalse();
                assertThat(reopened.events()).extracting(e -> e.kind().name()).contains("CLOSED");
                assertThat(cases.objectionRefusal(caseId)).isNotEqualTo(java.util.Optional.of(cn.crb.domain.arbitration.Objections.Refusal.ARBITRATION_FINAL));
                Envelope again = service.close(caseId, keyFile.get("王建国"), pass.get("王建国").clone(), "会议于本机进行，全体成员到场。再次签署。");
                assertThat(again.sm3()).isNotEqualTo(result.sm3());
                assertThat(service.open(caseId).closed()).isTrue();
                assertThat(cases.objectionRefusal(caseId)).contains(cn.crb.domain.arbitration.Objections.Refusal.ARBITRATION_FINAL);

                // the platform accepts the result, archives the case and marks the arbitration final
                SyncReport pushed = sync.sync(chair, null, ProgressListener.NONE, new CancellationToken());
                assertThat(pushed.envelopesAccepted()).isGreaterThanOrEqualTo(1);
                assertThat(pushed.envelopesRejected()).isZero();
                JsonNode onPlatform = admin(sim.baseUrl(), "/admin/v1/cases/" + caseId);
                assertThat(onPlatform.path("arbitration").path("state").asText()).isEqualTo("FINAL");
                assertThat(onPlatform.path("arbitration").path("outcome").asText()).isEqualTo("UPHOLD");
                assertThat(onPlatform.path("step").asText()).isEqualTo("ARCHIVE");
                sync.sync(chair, null, ProgressListener.NONE, new CancellationToken()); // the next pull brings the case back as final
                assertThat(service.list()).singleElement().satisfies(s -> assertThat(s.platformState()).isEqualTo("FINAL"));

                // every act is on the local audit chain, which verifies
                assertThat(chair.repository().verifyAudit().ok()).isTrue();
                assertThat(chair.repository().recentAudit(100)).extracting(e -> e.action())
                        .contains("VOTE_CAST", "ARBITRATION_REVOTE", "ARBITRATION_CLOSED");

                // standards that come into force after the panel was assigned and ask for panels of seven do not undo the
                // session held under the earlier ones: two days on, it still opens, closed, with its result
                com.fasterxml.jackson.databind.node.ObjectNode later;
                try (var in = ArbitrationServiceTest.class.getResourceAsStream("/examples/standards-2026.1.json")) {
                    later = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(in.readAllBytes());
                }
                later.put("version", "2026.9").put("effectiveFrom", java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString());
                ((com.fasterxml.jackson.databind.node.ObjectNode) later.path("workflow").path("arbitration")).put("minPanel", 7).put("quorum", 5);
                assertThat(new cn.crb.localdb.StandardsRepository(chair.database(), clock)
                        .install(cn.crb.domain.standards.StandardsBundle.fromPayload(later), null, chair.summary().keyId()).kind())
                        .isEqualTo(cn.crb.domain.standards.StandardsLibrary.Admission.Kind.ADDED_AS_CURRENT);
                ArbitrationService twoDaysOn = new ArbitrationService(chair, Clock.offset(clock, java.time.Duration.ofDays(2)));
                ArbitrationService.View held = twoDaysOn.open(caseId);
                assertThat(held.closed()).isTrue();
                assertThat(held.result()).isEqualTo(new ArbitrationSession.Decided(Position.UPHOLD, Map.of(), true));
            }
        }
    }

    private static ArbitrationService.View vote(ArbitrationService s, String caseId, Map<String, String> id, Map<String, Path> keyFile,
                                                Map<String, char[]> pass, String name, Position p, Map<String, BigDecimal> amended) throws ProfileException {
        return s.vote(caseId, id.get(name), keyFile.get(name), pass.get(name).clone(), p, amended, name + "的理由");
    }

    private static JsonNode admin(URI base, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.parse(r.body());
    }
}
