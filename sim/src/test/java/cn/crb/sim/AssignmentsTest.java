package cn.crb.sim;

import cn.crb.domain.crypto.Sm3;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AssignmentsTest {
    @TempDir static Path dir;
    static PlatformSim sim;
    static SimClient client;

    @BeforeAll
    static void start() throws IOException {
        sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()));
        client = new SimClient(sim.baseUrl());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    record Pulled(List<JsonNode> items, String cursor, int pages) {}

    static Pulled pullAll(String token, String cursor, int limit) {
        List<JsonNode> items = new ArrayList<>();
        int pages = 0;
        while (true) {
            String q = "/api/v1/assignments?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
            SimClient.Answer a = client.get(q, token);
            assertThat(a.status()).isEqualTo(200);
            JsonNode page = a.json();
            pages++;
            page.path("items").forEach(items::add);
            assertThat(page.path("items").size()).isLessThanOrEqualTo(limit);
            cursor = page.path("nextCursor").asText();
            if (!page.path("hasMore").asBoolean()) return new Pulled(items, cursor, pages);
        }
    }

    @Test
    void reviewerPullsAssignedCasesInPagesWithOpaqueCursors() {
        PlatformSim.DemoPerson person = sim.demoPeople().stream().filter(p -> p.roles().contains("REVIEWER")).findFirst().orElseThrow();
        SimClient.Device d = client.enrol(person.enrolmentCode());
        Pulled all = pullAll(d.token(), null, 25);
        assertThat(all.pages()).isGreaterThan(2);
        Map<String, JsonNode> cases = new LinkedHashMap<>();
        for (JsonNode item : all.items()) {
            assertThat(item.path("kind").asText()).isEqualTo("UPSERT");
            assertThat(cases.put(item.path("case").path("caseId").asText(), item.path("case"))).as("each case once").isNull();
        }
        Set<String> steps = new HashSet<>();
        cases.values().forEach(c -> steps.add(c.path("step").asText()));
        assertThat(steps).contains("REVIEW", "CONVERSION", "PUBLIC_NOTICE", "ARCHIVE", "INSPECTION");
        List<JsonNode> review = cases.values().stream().filter(c -> c.path("step").asText().equals("REVIEW")).toList();
        assertThat(review.size()).isGreaterThanOrEqualTo(60);
        for (JsonNode c : review) {
            assertThat(c.path("assignedTo")).extracting(JsonNode::asText).containsExactly(d.keyId());
            assertThat(c.path("learner").path("nameMasked").asText()).matches("\\p{IsHan}{1,2}\\*{1,2}");
            assertThat(c.path("learner").path("idMasked").asText()).matches("\\d{6}\\*{8}\\d{3}[0-9X]");
            assertThat(c.path("learner").path("idDigest").asText()).matches("[0-9a-f]{64}");
            assertThat(c.path("outcomes").size()).isBetween(1, 4);
            assertThat(c.path("revision").asInt()).isEqualTo(c.path("history").size());
            for (JsonNode o : c.path("outcomes")) {
                assertThat(o.path("category").asText()).isIn("ACADEMIC", "VOCATIONAL", "SOCIAL");
                assertThat(o.path("evidence").get(0).path("sm3").asText()).matches("[0-9a-f]{64}");
            }
        }
        // a case past REVIEW carries the decision its reviewer had accepted: approved as the engine recommends under the
        // standards in force on the day applied, line by line; one still in REVIEW carries none
        List<JsonNode> past = cases.values().stream().filter(c -> !Set.of("APPLICATION", "REVIEW").contains(c.path("step").asText())).toList();
        assertThat(past).isNotEmpty();
        cn.crb.domain.standards.StandardsLibrary library = new cn.crb.domain.standards.StandardsLibrary();
        for (JsonNode listed : client.get("/api/v1/standards", d.token()).json()) {
            JsonNode env = client.get("/api/v1/standards/" + listed.path("version").asText(), d.token()).json();
            library.add(cn.crb.domain.standards.StandardsBundle.fromPayload(env.path("payload")));
        }
        int decided = 0;
        for (JsonNode c : past) {
            JsonNode decision = c.path("decision");
            cn.crb.domain.evaluation.RecognitionCase rc = cn.crb.domain.evaluation.RecognitionCase.fromJson(c);
            cn.crb.domain.evaluation.Evaluation ev = new cn.crb.domain.evaluation.Evaluator().evaluate(library.inForceOn(rc.appliedOn()).orElseThrow(), rc);
            if (ev.total().signum() == 0) {
                // nothing granted would have been a REJECT, which ends a case at REVIEW: no decision is made up for it
                assertThat(decision.isMissingNode()).as(c.path("caseId").asText()).isTrue();
                continue;
            }
            decided++;
            assertThat(decision.path("verdict").asText()).as(c.path("caseId").asText()).isEqualTo("APPROVE");
            assertThat(decision.path("standardsVersion").asText()).isEqualTo(ev.standardsVersion().toString());
            assertThat(new java.math.BigDecimal(decision.path("totalGranted").asText())).isEqualByComparingTo(ev.total());
            assertThat(decision.path("lines")).hasSize(rc.outcomes().size());
            for (int i = 0; i < ev.lines().size(); i++) {
                JsonNode l = decision.path("lines").get(i);
                assertThat(l.path("outcomeId").asText()).isEqualTo(ev.lines().get(i).outcomeId());
                assertThat(new java.math.BigDecimal(l.path("grantedCredits").asText())).isEqualByComparingTo(ev.lines().get(i).credits());
                assertThat(l.path("grantedCredits").asText()).isEqualTo(l.path("recommendedCredits").asText());
            }
        }
        assertThat(decided).isGreaterThan(past.size() / 2);
        assertThat(review).allMatch(c -> c.path("decision").isMissingNode());

        Instant now = Instant.now();
        long overdue = review.stream().filter(c -> Instant.parse(c.path("stepStartedAt").asText()).plus(Duration.ofDays(15)).isBefore(now)).count();
        long dueSoon = review.stream().map(c -> Instant.parse(c.path("stepStartedAt").asText()).plus(Duration.ofDays(15)))
                .filter(t -> t.isAfter(now) && t.isBefore(now.plus(Duration.ofDays(2)))).count();
        assertThat(overdue).isGreaterThanOrEqualTo(3);
        assertThat(dueSoon).isGreaterThanOrEqualTo(3);

        JsonNode end = client.get("/api/v1/assignments?cursor=" + all.cursor(), d.token()).json();
        assertThat(end.path("items")).isEmpty();
        assertThat(end.path("hasMore").asBoolean()).isFalse();
        assertThat(end.path("nextCursor").asText()).isEqualTo(all.cursor());

        Pulled fromStart = pullAll(d.token(), null, 500);
        assertThat(fromStart.items()).hasSameSizeAs(all.items());
        assertThat(fromStart.pages()).isEqualTo(1);

        assertThat(client.get("/api/v1/assignments?cursor=%21%21", d.token()).status()).isEqualTo(400);
        assertThat(client.get("/api/v1/assignments?limit=0", d.token()).status()).isEqualTo(400);
        assertThat(client.get("/api/v1/assignments", null).status()).isEqualTo(401);
    }

    @Test
    void aSecondDeviceUpdatesAssignedToAndReplaysOnlyChangedCases() {
        PlatformSim.DemoPerson person = sim.demoPeople().stream().filter(p -> p.roles().contains("REVIEWER")).skip(1).findFirst().orElseThrow();
        SimClient.Device first = client.enrol(person.enrolmentCode());
        Pulled before = pullAll(first.token(), null, 100);
        assertThat(before.items()).isNotEmpty();
        String code = client.post("/admin/v1/enrolment-codes", cn.crb.domain.json.Json.object().put("personId", person.personId()), null)
                .json().path("enrolmentCode").asText();
        SimClient.Device second = client.enrol(code);
        Pulled after = pullAll(first.token(), before.cursor(), 100);
        List<JsonNode> assigned = after.items().stream().filter(i -> i.path("case").path("step").asText().equals("REVIEW")).toList();
        assertThat(assigned).isNotEmpty();
        for (JsonNode i : assigned) {
            assertThat(i.path("case").path("assignedTo")).extracting(JsonNode::asText).containsExactly(first.keyId(), second.keyId());
        }
        assertThat(pullAll(second.token(), null, 100).items()).hasSameSizeAs(before.items());
    }

    @Test
    void panelMembersSeeTheArbitrationAndClerksTheirConversions() {
        PlatformSim.DemoPerson chairPerson = sim.demoPeople().stream().filter(p -> p.roles().contains("PANEL_CHAIR")).findFirst().orElseThrow();
        SimClient.Device chair = client.enrol(chairPerson.enrolmentCode());
        List<JsonNode> items = pullAll(chair.token(), null, 50).items();
        assertThat(items).hasSize(1);
        JsonNode arb = items.getFirst().path("case").path("arbitration");
        assertThat(arb.path("state").asText()).isEqualTo("OPEN");
        assertThat(arb.path("panel")).hasSize(5);
        assertThat(arb.path("panel")).filteredOn(m -> m.path("chair").asBoolean()).hasSize(1);
        assertThat(arb.path("panel").get(0).path("keyIds")).extracting(JsonNode::asText).containsExactly(chair.keyId());
        assertThat(arb.path("objection").path("grounds").asText()).isNotBlank();
        assertThat(items.getFirst().path("case").path("outcomes")).anyMatch(o -> o.path("issuer").asText().equals("NJU-CE"));

        PlatformSim.DemoPerson clerkPerson = sim.demoPeople().stream()
                .filter(p -> p.roles().contains("CLERK") && "JSOU".equals(p.institution())).findFirst().orElseThrow();
        SimClient.Device clerk = client.enrol(clerkPerson.enrolmentCode());
        List<JsonNode> clerkItems = pullAll(clerk.token(), null, 100).items();
        assertThat(clerkItems).isNotEmpty().allMatch(i -> i.path("case").path("programme").path("institution").asText().equals("JSOU"));
        assertThat(clerkItems).anyMatch(i -> i.path("case").path("step").asText().equals("CONVERSION"));
    }

    @Test
    void theWorldHasAtLeast200CasesAcrossEveryStep() {
        JsonNode cases = client.get("/admin/v1/cases", null).json();
        assertThat(cases.size()).isGreaterThanOrEqualTo(200);
        Set<String> steps = new HashSet<>();
        cases.forEach(c -> steps.add(c.path("step").asText()));
        assertThat(steps).containsExactlyInAnyOrder("APPLICATION", "REVIEW", "CONVERSION", "PUBLIC_NOTICE", "ARCHIVE", "INSPECTION");
    }

    @Test
    void evidenceIsServedWholeAndByRange() {
        SimClient.Device d = client.enrol(sim.issueEnrolmentCode("REVIEWER", "JSOU", null));
        JsonNode c = client.get("/admin/v1/cases/C-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC).getYear() + "-000030", null).json();
        JsonNode ev = c.path("outcomes").get(0).path("evidence").get(0);
        String sm3 = ev.path("sm3").asText();
        SimClient.Answer whole = client.get("/api/v1/evidence/" + sm3, d.token());
        assertThat(whole.status()).isEqualTo(200);
        assertThat(Sm3.hex(whole.bytes())).isEqualTo(sm3);
        assertThat(whole.bytes()).hasSize(ev.path("bytes").asInt());
        assertThat(whole.raw().headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.contentType()).isIn("application/pdf", "image/png");
        int len = whole.bytes().length;

        SimClient.Answer part = client.get("/api/v1/evidence/" + sm3, d.token(), "Range", "bytes=10-19");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.bytes()).isEqualTo(java.util.Arrays.copyOfRange(whole.bytes(), 10, 20));
        assertThat(part.raw().headers().firstValue("Content-Range")).hasValue("bytes 10-19/" + len);

        SimClient.Answer tail = client.get("/api/v1/evidence/" + sm3, d.token(), "Range", "bytes=100-");
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.bytes()).isEqualTo(java.util.Arrays.copyOfRange(whole.bytes(), 100, len));
        SimClient.Answer suffix = client.get("/api/v1/evidence/" + sm3, d.token(), "Range", "bytes=-7");
        assertThat(suffix.bytes()).isEqualTo(java.util.Arrays.copyOfRange(whole.bytes(), len - 7, len));

        SimClient.Answer beyond = client.get("/api/v1/evidence/" + sm3, d.token(), "Range", "bytes=" + len + "-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.raw().headers().firstValue("Content-Range")).hasValue("bytes */" + len);

        assertThat(client.get("/api/v1/evidence/" + "0".repeat(64), d.token()).status()).isEqualTo(404);
        assertThat(client.get("/api/v1/evidence/" + sm3, null).status()).isEqualTo(401);
    }
}
