package cn.crb.sim;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminTest {
    @TempDir Path dir;
    PlatformSim sim;
    SimClient client;
    SimClient.Device reviewer;

    @BeforeEach
    void start() throws IOException {
        sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()));
        client = new SimClient(sim.baseUrl());
        reviewer = client.enrol(SimClient.person(sim, "REVIEWER").enrolmentCode());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    List<JsonNode> pullFrom(SimClient.Device d, String cursor, String[] next) {
        List<JsonNode> out = new ArrayList<>();
        String c = cursor;
        while (true) {
            JsonNode page = client.get("/api/v1/assignments?limit=500&cursor=" + c, d.token()).json();
            page.path("items").forEach(out::add);
            c = page.path("nextCursor").asText();
            if (!page.path("hasMore").asBoolean()) {
                next[0] = c;
                return out;
            }
        }
    }

    @Test
    void faultsDelayFailAndDropApiRequestsOnly() {
        assertThat(client.post("/admin/v1/faults", Json.object().put("fail503", 2).put("retryAfterSeconds", 3), null).status()).isEqualTo(200);
        assertThat(client.get("/admin/v1/faults", null).status()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            SimClient.Answer a = client.get("/api/v1/standards", reviewer.token());
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.raw().headers().firstValue("Retry-After")).hasValue("3");
            assertThat(a.contentType()).startsWith("application/problem+json");
        }
        assertThat(client.get("/api/v1/standards", reviewer.token()).status()).isEqualTo(200);

        client.post("/admin/v1/faults", Json.object().put("fail429", 1), null);
        assertThat(client.get("/api/v1/standards", reviewer.token()).status()).isEqualTo(429);
        assertThat(client.get("/api/v1/standards", reviewer.token()).status()).isEqualTo(200);

        client.post("/admin/v1/faults", Json.object().put("dropMidResponse", 1), null);
        assertThatThrownBy(() -> client.get("/api/v1/standards/2026.1", reviewer.token())).isInstanceOf(UncheckedIOException.class);
        assertThat(client.get("/api/v1/standards/2026.1", reviewer.token()).status()).isEqualTo(200);

        client.post("/admin/v1/faults", Json.object().put("latencyMs", 300), null);
        long t0 = System.nanoTime();
        assertThat(client.get("/api/v1/standards", reviewer.token()).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(client.send("DELETE", "/admin/v1/faults", null, null).json().path("latencyMs").asLong()).isZero();
    }

    @Test
    void createdCasesReachTheAssignedReviewer() throws IOException {
        String[] cursor = new String[1];
        pullFrom(reviewer, "", cursor);
        SimClient.Answer generated = client.post("/admin/v1/cases", Json.object().put("step", "REVIEW").put("assignTo", reviewer.personId()), null);
        assertThat(generated.status()).isEqualTo(201);
        Path example = Path.of("/work/shared/examples/cases/C-EX-01.json");
        JsonNode doc = Files.exists(example) ? Json.parse(Files.readAllBytes(example))
                : Json.object().put("caseId", "C-EX-01").put("revision", 1).put("appliedOn", "2026-10-08").put("step", "REVIEW");
        SimClient.Answer given = client.post("/admin/v1/cases", Json.object().put("assignTo", reviewer.personId()).set("case", doc), null);
        assertThat(given.status()).isEqualTo(201);
        assertThat(client.post("/admin/v1/cases", Json.object().set("case", doc), null).status()).isEqualTo(409);

        List<JsonNode> items = pullFrom(reviewer, cursor[0], cursor);
        assertThat(items).extracting(i -> i.path("case").path("caseId").asText())
                .containsExactly(generated.json().path("caseId").asText(), "C-EX-01");
        assertThat(items.get(1).path("case").path("assignedTo")).extracting(JsonNode::asText).containsExactly(reviewer.keyId());
        assertThat(items.get(1).path("case").has("expected")).isFalse();
    }

    @Test
    void anObjectionOpensAnArbitrationForThePanel() {
        String caseId = null;
        for (JsonNode c : client.get("/admin/v1/cases", null).json()) {
            if (c.path("step").asText().equals("PUBLIC_NOTICE") && client.get("/admin/v1/cases/" + c.path("caseId").asText(), null).json().path("arbitration").isMissingNode()) {
                caseId = c.path("caseId").asText();
                break;
            }
        }
        assertThat(caseId).isNotNull();
        SimClient.Answer a = client.post("/admin/v1/cases/" + caseId + "/objection", Json.object().put("grounds", "学时有误"), null);
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().path("arbitration").path("state").asText()).isEqualTo("OPEN");
        assertThat(a.json().path("arbitration").path("panel").size()).isOdd().isGreaterThanOrEqualTo(3);
        SimClient.Answer again = client.post("/admin/v1/cases/" + caseId + "/objection", Json.object(), null);
        assertThat(again.status()).isEqualTo(409);

        SimClient.Device member = client.enrol(sim.demoPeople().stream().filter(p -> p.roles().contains("PANEL_MEMBER")).skip(1).findFirst().orElseThrow().enrolmentCode());
        String[] cursor = new String[1];
        assertThat(pullFrom(member, "", cursor)).extracting(i -> i.path("case").path("caseId").asText()).contains(caseId);
        assertThat(client.post("/admin/v1/cases/C-NOPE/objection", Json.object(), null).status()).isEqualTo(404);
    }

    @Test
    void advancingTheClockExpiresCodesAndAppliesDeemedConsent() {
        PlatformSim.DemoPerson clerkPerson = sim.demoPeople().stream().filter(p -> p.roles().contains("CLERK") && "JSOU".equals(p.institution())).findFirst().orElseThrow();
        SimClient.Device clerk = client.enrol(clerkPerson.enrolmentCode());
        String[] cursor = new String[1];
        List<JsonNode> before = pullFrom(clerk, "", cursor);
        assertThat(before).anyMatch(i -> i.path("case").path("step").asText().equals("CONVERSION"));
        Instant t0 = Instant.parse(client.get("/admin/v1/clock", null).json().path("now").asText());
        JsonNode moved = client.post("/admin/v1/clock", Json.object().put("days", 30), null).json();
        assertThat(Instant.parse(moved.path("now").asText())).isAfter(t0.plus(Duration.ofDays(29)));
        assertThat(moved.path("casesMoved").asInt()).isPositive();
        List<JsonNode> after = pullFrom(clerk, cursor[0], cursor);
        assertThat(after).isNotEmpty();
        assertThat(after).anyMatch(i -> {
            JsonNode h = i.path("case").path("history");
            return h.get(h.size() - 1).path("event").asText().equals("DEEMED_CONSENT");
        });
        assertThat(client.post("/admin/v1/clock", Json.object().put("days", -1), null).status()).isEqualTo(400);
    }

    @Test
    void cliAdminCommandsDriveTheRunningServer() {
        String url = sim.baseUrl().toString();
        CliTest.Run created = CliTest.run("admin", "--url", url, "create-case", "--step", "PUBLIC_NOTICE");
        assertThat(created.rc()).isZero();
        String caseId = created.out().strip();
        CliTest.Run objection = CliTest.run("admin", "--url", url, "objection", "--case", caseId, "--grounds", "异议");
        assertThat(objection.rc()).as(objection.err()).isZero();
        assertThat(objection.out().strip()).startsWith("A-");
        assertThat(CliTest.run("admin", "--url", url, "withdraw", "--case", caseId).rc()).isZero();
        assertThat(CliTest.run("admin", "--url", url, "clock", "--days", "1").out().strip()).endsWith("Z");
        CliTest.Run faults = CliTest.run("admin", "--url", url, "faults", "--fail503", "1");
        assertThat(faults.rc()).isZero();
        assertThat(client.get("/api/v1/standards", reviewer.token()).status()).isEqualTo(503);
        assertThat(CliTest.run("admin", "--url", url, "faults", "--clear").rc()).isZero();
        CliTest.Run missing = CliTest.run("admin", "--url", url, "withdraw", "--case", "C-NOPE");
        assertThat(missing.rc()).isEqualTo(2);
        assertThat(missing.err()).contains("404");
    }
}
