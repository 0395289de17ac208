package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EnrolmentTest {
    @TempDir Path dir;
    PlatformSim sim;
    SimClient client;

    @BeforeEach
    void start() throws IOException {
        sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()));
        client = new SimClient(sim.baseUrl());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void demoWorldHasEveryRoleWithAnUnusedCode() {
        List<PlatformSim.DemoPerson> people = sim.demoPeople();
        assertThat(people).extracting(PlatformSim.DemoPerson::roles).flatExtracting(r -> r)
                .contains("REVIEWER", "PANEL_MEMBER", "PANEL_CHAIR", "CLERK");
        assertThat(people.stream().filter(p -> p.roles().contains("PANEL_MEMBER"))).hasSize(5);
        assertThat(people.stream().filter(p -> p.roles().contains("PANEL_CHAIR"))).hasSize(1);
        assertThat(people).filteredOn(p -> p.roles().contains("CLERK")).extracting(PlatformSim.DemoPerson::institution)
                .containsExactlyInAnyOrder("TRN-0042", "JSOU");
        assertThat(people).extracting(PlatformSim.DemoPerson::enrolmentCode).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(sim.demoPeople()).extracting(PlatformSim.DemoPerson::enrolmentCode)
                .containsExactlyElementsOf(people.stream().map(PlatformSim.DemoPerson::enrolmentCode).toList());
        assertThat(sim.baseUrl().toString()).startsWith("http://127.0.0.1:");
    }

    @Test
    void enrolmentReturnsPersonTokenPlatformKeyAndSignedProfile() {
        PlatformSim.DemoPerson reviewer = SimClient.person(sim, "REVIEWER");
        SimClient.Device d = client.enrol(reviewer.enrolmentCode());
        JsonNode e = d.enrolment();
        assertThat(e.path("personId").asText()).isEqualTo(reviewer.personId());
        assertThat(e.path("displayName").asText()).isEqualTo(reviewer.displayName());
        assertThat(e.path("roles")).extracting(JsonNode::asText).containsExactly("REVIEWER");
        assertThat(e.path("institution").asText()).isEqualTo(reviewer.institution());
        assertThat(d.token()).hasSizeGreaterThanOrEqualTo(43);
        PublicKey platform = Sm2.fromPem(e.path("platformPublicKeyPem").asText());
        assertThat(Sm2.keyId(platform)).isEqualTo(e.path("platformKeyId").asText()).isEqualTo(sim.platformKeyId());

        Envelope profile = Envelope.fromJson(e.path("profile"));
        assertThat(profile.type()).isEqualTo("creditbank.profile/1");
        assertThat(profile.verify((keyId, role) -> "PLATFORM".equals(role) && keyId.equals(sim.platformKeyId()) ? platform : null).ok()).isTrue();
        assertThat(profile.payload().path("keyId").asText()).isEqualTo(d.keyId());
        assertThat(profile.payload().path("personId").asText()).isEqualTo(reviewer.personId());
        assertThat(profile.payload().path("roles")).extracting(JsonNode::asText).containsExactly("REVIEWER");
        assertThat(profile.payload().path("enrolledAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void aRoleChangeRevokesTheTokensAndTheNextEnrolmentOfTheSameKeyCarriesTheNewRolesSigned() {
        PlatformSim.DemoPerson reviewer = SimClient.person(sim, "REVIEWER");
        SimClient.Device d = client.enrol(reviewer.enrolmentCode());
        assertThat(client.get("/api/v1/standards", d.token()).status()).isEqualTo(200);

        JsonNode changed = client.post("/admin/v1/people/" + reviewer.personId() + "/roles",
                Json.object().set("roles", Json.array().add("REVIEWER").add("PANEL_MEMBER")), null).json();
        assertThat(changed.path("roles")).extracting(JsonNode::asText).containsExactly("REVIEWER", "PANEL_MEMBER");
        assertThat(changed.path("tokensRevoked").asInt()).isEqualTo(1);
        assertThat(client.get("/api/v1/standards", d.token()).status()).isEqualTo(401);

        // the same workstation key enrols again with the fresh code: same person, a new token, the new roles signed
        SimClient.Answer again = client.enrolRaw(changed.path("enrolmentCode").asText(), d.keys());
        assertThat(again.status()).isEqualTo(201);
        Envelope profile = Envelope.fromJson(again.json().path("profile"));
        PublicKey platform = Sm2.fromPem(again.json().path("platformPublicKeyPem").asText());
        assertThat(profile.verify((keyId, role) -> "PLATFORM".equals(role) ? platform : null).ok()).isTrue();
        assertThat(profile.payload().path("personId").asText()).isEqualTo(reviewer.personId());
        assertThat(profile.payload().path("keyId").asText()).isEqualTo(d.keyId());
        assertThat(profile.payload().path("roles")).extracting(JsonNode::asText).containsExactly("REVIEWER", "PANEL_MEMBER");
        assertThat(client.get("/api/v1/standards", again.json().path("token").asText()).status()).isEqualTo(200);

        SimClient.Answer unknown = client.post("/admin/v1/people/" + reviewer.personId() + "/roles",
                Json.object().set("roles", Json.array().add("KING")), null);
        assertThat(unknown.status()).isEqualTo(400);
    }

    @Test
    void codeIsSingleUse() {
        PlatformSim.DemoPerson clerk = SimClient.person(sim, "CLERK");
        client.enrol(clerk.enrolmentCode());
        SimClient.Answer again = client.enrolRaw(clerk.enrolmentCode(), Sm2.generate());
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().path("code").asText()).isEqualTo("ENROLMENT_CODE_INVALID");
        assertThat(again.json().path("status").asInt()).isEqualTo(410);
        assertThat(again.json().path("type").asText()).startsWith("https://");
        assertThat(again.json().path("title").asText()).isNotBlank();
        assertThat(again.json().path("detail").asText()).contains("already been used");
        assertThat(sim.demoPeople()).filteredOn(p -> p.personId().equals(clerk.personId()))
                .extracting(PlatformSim.DemoPerson::enrolmentCode).doesNotContain(clerk.enrolmentCode());
    }

    @Test
    void unknownAndExpiredCodesAreRefused() {
        assertThat(client.enrolRaw("EC-0000-0000-0000-0000", Sm2.generate()).status()).isEqualTo(400);
        String code = sim.issueEnrolmentCode("REVIEWER", "JSOU", "新审核员");
        ObjectNode days = Json.object().put("days", 8);
        assertThat(client.post("/admin/v1/clock", days, null).status()).isEqualTo(200);
        SimClient.Answer a = client.enrolRaw(code, Sm2.generate());
        assertThat(a.status()).isEqualTo(410);
        assertThat(a.json().path("detail").asText()).contains("expired");
    }

    @Test
    void malformedEnrolmentIsAProblem() {
        ObjectNode b = Json.object().put("enrolmentCode", SimClient.person(sim, "REVIEWER").enrolmentCode())
                .put("publicKeyPem", "not a key").put("deviceName", "x");
        SimClient.Answer a = client.post("/api/v1/enrolments", b, null);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("code").asText()).isEqualTo("MALFORMED");
    }

    @Test
    void tokenIsRequired() {
        assertThat(client.get("/api/v1/standards", null).status()).isEqualTo(401);
        SimClient.Answer bad = client.get("/api/v1/standards", "nonsense");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        SimClient.Device d = client.enrol(SimClient.person(sim, "REVIEWER").enrolmentCode());
        assertThat(client.get("/api/v1/standards", d.token()).status()).isEqualTo(200);
    }

    @Test
    void adminIssuesCodesForNewAndExistingPeople() {
        ObjectNode b = Json.object().put("role", "PANEL_CHAIR").put("institution", "GDIA").put("name", "新组长");
        SimClient.Answer a = client.post("/admin/v1/enrolment-codes", b, null);
        assertThat(a.status()).isEqualTo(201);
        SimClient.Device d = client.enrol(a.json().path("enrolmentCode").asText());
        assertThat(d.enrolment().path("roles")).extracting(JsonNode::asText).containsExactly("PANEL_MEMBER", "PANEL_CHAIR");
        assertThat(d.enrolment().path("displayName").asText()).isEqualTo("新组长");

        SimClient.Answer again = client.post("/admin/v1/enrolment-codes", Json.object().put("personId", d.personId()), null);
        SimClient.Device second = client.enrol(again.json().path("enrolmentCode").asText());
        assertThat(second.personId()).isEqualTo(d.personId());
        assertThat(second.keyId()).isNotEqualTo(d.keyId());

        assertThat(client.post("/admin/v1/enrolment-codes", Json.object().put("role", "KING"), null).status()).isEqualTo(400);
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        assertThat(client.get("/api/v1/nothing", null).status()).isEqualTo(404);
        SimClient.Answer a = client.get("/api/v1/enrolments", null);
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.contentType()).startsWith("application/problem+json");
    }
}
