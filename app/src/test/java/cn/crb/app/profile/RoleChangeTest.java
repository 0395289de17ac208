package cn.crb.app.profile;

import cn.crb.app.sync.SyncService;
import cn.crb.domain.audit.AuditEntry;
import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.json.Json;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.CancellationToken;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.ProgressListener;
import cn.crb.sync.SyncReport;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Contract 03: a change of roles arrives from the platform only and is written to the audit log. The platform revokes
 * the workstation's token; the next sync ends in REENROL_NEEDED with nothing lost; the person signs in again with a
 * fresh code and the same key; the roles of the platform-signed profile replace the old ones, with a
 * ROLE_CHANGE_RECEIVED entry on the chain.
 */
class RoleChangeTest {
    private static final char[] PASS = "角色变更的测试口令 Roles 2026".toCharArray();

    @Test
    void aRoleChangeFromThePlatformIsSignedInAgainAuditedAndShownInTheProfile(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             HttpTransport http = new HttpTransport()) {
            ProfileService profiles = new ProfileService(WorkstationHome.resolve(dir.resolve("home"), Map.of()), http, Clock.systemUTC(), 1000);
            PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
            PlatformSim.DemoPerson clerk = sim.demoPeople().stream().filter(p -> p.roles().contains("CLERK")).findFirst().orElseThrow();
            SyncService sync = new SyncService(http, Clock.systemUTC());
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), reviewer.enrolmentCode(), PASS, PASS, "test", s -> { })) {
                assertThat(sync.sync(session, null, ProgressListener.NONE, new CancellationToken()).outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
                long entriesBefore = session.repository().auditEntries();

                JsonNode changed = admin(sim, "/admin/v1/people/" + reviewer.personId() + "/roles", "{\"roles\":[\"REVIEWER\",\"PANEL_MEMBER\"]}");
                SyncReport refused = sync.sync(session, null, ProgressListener.NONE, new CancellationToken());
                assertThat(refused.outcome()).isEqualTo(SyncReport.Outcome.REENROL_NEEDED);

                // a code of somebody else is refused and changes nothing
                String othersCode = admin(sim, "/admin/v1/enrolment-codes", "{\"personId\":\"" + clerk.personId() + "\"}").path("enrolmentCode").asText();
                assertThatThrownBy(() -> profiles.renew(session, othersCode, "test"))
                        .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.reason()).isEqualTo(ProfileException.Reason.ENROLMENT_REFUSED));
                assertThat(session.repository().load().orElseThrow().roles()).containsExactly("REVIEWER");
                assertThat(session.repository().auditEntries()).isEqualTo(entriesBefore);

                ProfileService.Renewal r = profiles.renew(session, changed.path("enrolmentCode").asText(), "test");
                assertThat(r.rolesChanged()).isTrue();
                assertThat(r.rolesBefore()).containsExactly("REVIEWER");
                assertThat(r.session().summary().roles()).containsExactly("REVIEWER", "PANEL_MEMBER");
                // what the unlock screen lists, and what the encrypted database holds, follow
                assertThat(profiles.find(session.summary().id()).orElseThrow().roles()).containsExactly("REVIEWER", "PANEL_MEMBER");
                assertThat(session.repository().load().orElseThrow().roles()).containsExactly("REVIEWER", "PANEL_MEMBER");
                assertThat(session.repository().load().orElseThrow().keyId()).isEqualTo(session.summary().keyId());

                List<AuditEntry> recent = session.repository().recentAudit(2);
                assertThat(recent).extracting(AuditEntry::action).containsExactly("ROLE_CHANGE_RECEIVED", "ENROLLED");
                AuditEntry change = recent.getFirst();
                assertThat(change.entityId()).isEqualTo(reviewer.personId());
                JsonNode signedProfile = Json.parse(session.repository().load().orElseThrow().profileEnvelopeJson()).path("payload");
                var detail = Json.object();
                detail.putArray("from").add("REVIEWER");
                detail.putArray("to").add("REVIEWER").add("PANEL_MEMBER");
                detail.put("profileSignedAt", signedProfile.path("enrolledAt").asText());
                assertThat(change.detailSm3()).isEqualTo(Sm3.hex(Json.canonical(detail)));
                assertThat(session.repository().verifyAudit().ok()).isTrue();

                // signed in again: the next sync works with the new token
                assertThat(sync.sync(r.session(), null, ProgressListener.NONE, new CancellationToken()).outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            }
        }
    }

    private static JsonNode admin(PlatformSim sim, String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return Json.parse(r.body());
    }
}
