package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.merkle.Merkle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IntakeTest {
    @TempDir Path dir;
    PlatformSim sim;
    SimClient client;
    SimClient.Device reviewer;
    PublicKey platformKey;

    @BeforeEach
    void start() throws IOException {
        sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()));
        client = new SimClient(sim.baseUrl());
        reviewer = client.enrol(SimClient.person(sim, "REVIEWER").enrolmentCode());
        platformKey = Sm2.fromPem(reviewer.enrolment().path("platformPublicKeyPem").asText());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    List<JsonNode> pull(SimClient.Device d) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = "";
        while (true) {
            JsonNode page = client.get("/api/v1/assignments?limit=500&cursor=" + cursor, d.token()).json();
            page.path("items").forEach(out::add);
            cursor = page.path("nextCursor").asText();
            if (!page.path("hasMore").asBoolean()) return out;
        }
    }

    JsonNode firstCaseIn(SimClient.Device d, String step) {
        return pull(d).stream().map(i -> i.path("case")).filter(c -> c.path("step").asText().equals(step)).findFirst().orElseThrow();
    }

    static ObjectNode decision(JsonNode c, String verdict, int revision) {
        ObjectNode p = Json.object();
        p.put("caseId", c.path("caseId").asText());
        p.put("caseRevision", revision);
        p.put("standardsVersion", "2026.1");
        p.put("verdict", verdict);
        p.put("decidedAt", Envelope.timestamp(Instant.now()));
        ArrayNode lines = p.putArray("lines");
        for (JsonNode o : c.path("outcomes")) {
            ObjectNode l = lines.addObject();
            l.put("outcomeId", o.path("outcomeId").asText());
            l.put("recommendedCredits", "2");
            l.put("grantedCredits", "2");
            l.put("status", "ELIGIBLE");
            l.putNull("reason");
        }
        p.put("totalGranted", "2");
        p.put("comment", "符合认定标准");
        return p;
    }

    static JsonNode sign(String type, JsonNode payload, KeyPair k, String role) {
        return Envelope.unsigned(type, payload).sign(k.getPrivate(), k.getPublic(), role, Instant.now()).toJson();
    }

    static ObjectNode body(JsonNode... envelopes) {
        ObjectNode b = Json.object();
        ArrayNode items = b.putArray("items");
        for (JsonNode e : envelopes) items.add(e);
        return b;
    }

    SimClient.Answer submit(SimClient.Device d, ObjectNode body, String key) {
        return client.post("/api/v1/envelopes", body, d.token(), "Idempotency-Key", key);
    }

    void assertReceiptVerifies(JsonNode receipt, JsonNode envelope) {
        Envelope head = Envelope.fromJson(receipt.path("treeHead"));
        assertThat(head.type()).isEqualTo("creditbank.tree-head/1");
        assertThat(head.verify((k, role) -> role.equals("PLATFORM") && k.equals(sim.platformKeyId()) ? platformKey : null).ok()).isTrue();
        assertThat(head.payload().path("treeSize").asLong()).isEqualTo(receipt.path("treeSize").asLong());
        assertThat(head.payload().path("rootHash").asText()).isEqualTo(receipt.path("rootHash").asText());
        List<byte[]> proof = new ArrayList<>();
        receipt.path("inclusionProof").forEach(h -> proof.add(HexFormat.of().parseHex(h.asText())));
        byte[] leaf = Merkle.leafHash(Json.canonical(envelope));
        assertThat(Merkle.verifyInclusion(receipt.path("logIndex").asLong(), receipt.path("treeSize").asLong(), leaf, proof,
                HexFormat.of().parseHex(receipt.path("rootHash").asText()))).isTrue();
    }

    @Test
    void anAcceptedDecisionGetsAVerifiableReceiptAndMovesTheCase() {
        JsonNode c = firstCaseIn(reviewer, "REVIEW");
        JsonNode env = sign("creditbank.decision/1", decision(c, "APPROVE", c.path("revision").asInt()), reviewer.keys(), "REVIEWER");
        SimClient.Answer a = submit(reviewer, body(env), UUID.randomUUID().toString());
        assertThat(a.status()).isEqualTo(200);
        JsonNode r = a.json().path("results").get(0);
        assertThat(r.path("index").asInt()).isZero();
        assertThat(r.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(r.path("envelopeSm3").asText()).isEqualTo(Envelope.fromJson(env).sm3());
        assertReceiptVerifies(r.path("receipt"), env);

        JsonNode after = pull(reviewer).stream().map(i -> i.path("case"))
                .filter(x -> x.path("caseId").asText().equals(c.path("caseId").asText())).findFirst().orElseThrow();
        assertThat(after.path("step").asText()).isEqualTo("CONVERSION");
        assertThat(after.path("revision").asInt()).isEqualTo(c.path("revision").asInt() + 1);
        assertThat(after.path("history").get(after.path("history").size() - 1).path("by").asText()).isEqualTo(reviewer.personId());

        JsonNode stale = sign("creditbank.decision/1", decision(c, "REJECT", c.path("revision").asInt()), reviewer.keys(), "REVIEWER");
        JsonNode sr = submit(reviewer, body(stale), UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(sr.path("status").asText()).isEqualTo("CONFLICT");
        assertThat(sr.path("code").asText()).isEqualTo("STALE_REVISION");
        assertThat(sr.has("receipt")).isFalse();
    }

    @Test
    void sameKeySameBodyReplaysTheStoredAnswerAndANewKeyGivesDuplicate() {
        JsonNode c = firstCaseIn(reviewer, "REVIEW");
        JsonNode env = sign("creditbank.decision/1", decision(c, "APPROVE", c.path("revision").asInt()), reviewer.keys(), "REVIEWER");
        String key = UUID.randomUUID().toString();
        SimClient.Answer first = submit(reviewer, body(env), key);
        SimClient.Answer replay = submit(reviewer, body(env), key);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.bytes()).isEqualTo(first.bytes());

        JsonNode dup = submit(reviewer, body(env), UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(dup.path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(dup.path("receipt")).isEqualTo(first.json().path("results").get(0).path("receipt"));

        SimClient.Answer reused = submit(reviewer, body(env, env), key);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().path("code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");

        SimClient.Answer noKey = client.post("/api/v1/envelopes", body(env), reviewer.token());
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.contentType()).startsWith("application/problem+json");
    }

    @Test
    void theSameEnvelopeTwiceInOneBatchIsAcceptedOnce() {
        JsonNode c = firstCaseIn(reviewer, "REVIEW");
        JsonNode env = sign("creditbank.decision/1", decision(c, "APPROVE", c.path("revision").asInt()), reviewer.keys(), "REVIEWER");
        JsonNode results = submit(reviewer, body(env, env), UUID.randomUUID().toString()).json().path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(results.get(1).path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(results.get(1).path("receipt")).isEqualTo(results.get(0).path("receipt"));
    }

    @Test
    void refusalsCarryTheirCodes() {
        List<JsonNode> cases = pull(reviewer).stream().map(i -> i.path("case")).filter(c -> c.path("step").asText().equals("REVIEW")).toList();
        JsonNode c = cases.get(0);
        int rev = c.path("revision").asInt();

        ObjectNode tampered = (ObjectNode) sign("creditbank.decision/1", decision(c, "APPROVE", rev), reviewer.keys(), "REVIEWER");
        ((ObjectNode) tampered.get("payload")).put("totalGranted", "20");
        JsonNode unknownKey = sign("creditbank.decision/1", decision(c, "APPROVE", rev), Sm2.generate(), "REVIEWER");
        JsonNode wrongRole = sign("creditbank.decision/1", decision(c, "APPROVE", rev), reviewer.keys(), "PANEL_MEMBER");
        ObjectNode vote = Json.object().put("caseId", c.path("caseId").asText()).put("arbitrationId", "A-1")
                .put("memberKeyId", reviewer.keyId()).put("position", "UPHOLD").put("reason", "x");
        JsonNode voteByReviewer = sign("creditbank.vote/1", vote, reviewer.keys(), "REVIEWER");
        JsonNode platformType = sign("creditbank.tree-head/1", Json.object().put("treeSize", 1), reviewer.keys(), "REVIEWER");
        JsonNode notEnvelope = Json.object().put("hello", "world");
        ObjectNode noCase = decision(c, "APPROVE", rev);
        noCase.put("caseId", "C-0000-000000");
        JsonNode unknownCase = sign("creditbank.decision/1", noCase, reviewer.keys(), "REVIEWER");
        ObjectNode oldStandards = decision(c, "APPROVE", rev);
        oldStandards.put("standardsVersion", "1999.1");
        JsonNode unknownStandards = sign("creditbank.decision/1", oldStandards, reviewer.keys(), "REVIEWER");
        ObjectNode unexplained = decision(c, "APPROVE_PARTIAL", rev);
        ((ObjectNode) unexplained.withArray("lines").get(0)).put("grantedCredits", "1");
        JsonNode noReason = sign("creditbank.decision/1", unexplained, reviewer.keys(), "REVIEWER");

        JsonNode results = submit(reviewer, body(tampered, unknownKey, wrongRole, voteByReviewer, platformType, notEnvelope,
                unknownCase, unknownStandards, noReason), UUID.randomUUID().toString()).json().path("results");
        List<String> got = new ArrayList<>();
        results.forEach(r -> got.add(r.path("status").asText() + ":" + r.path("code").asText()));
        assertThat(got).containsExactly("REJECTED:BAD_SIGNATURE", "REJECTED:UNKNOWN_KEY", "REJECTED:ROLE_NOT_ALLOWED",
                "REJECTED:ROLE_NOT_ALLOWED", "REJECTED:ROLE_NOT_ALLOWED", "REJECTED:MALFORMED", "REJECTED:MALFORMED",
                "REJECTED:STANDARDS_VERSION_UNKNOWN", "REJECTED:MALFORMED");
        results.forEach(r -> {
            assertThat(r.path("detail").asText()).isNotBlank();
            assertThat(r.path("envelopeSm3").asText()).matches("[0-9a-f]{64}");
        });
    }

    @Test
    void aCaseOfAnotherReviewerIsNotAssigned() {
        SimClient.Device other = client.enrol(sim.demoPeople().stream().filter(p -> p.roles().contains("REVIEWER")).skip(1).findFirst().orElseThrow().enrolmentCode());
        JsonNode theirs = firstCaseIn(other, "REVIEW");
        JsonNode env = sign("creditbank.decision/1", decision(theirs, "APPROVE", theirs.path("revision").asInt()), reviewer.keys(), "REVIEWER");
        JsonNode r = submit(reviewer, body(env), UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(r.path("status").asText() + ":" + r.path("code").asText()).isEqualTo("REJECTED:NOT_ASSIGNED");
    }

    @Test
    void aWithdrawnCaseConflictsAndLeavesTheInbox() {
        JsonNode c = firstCaseIn(reviewer, "REVIEW");
        String id = c.path("caseId").asText();
        JsonNode before = client.get("/api/v1/assignments?limit=500", reviewer.token()).json();
        assertThat(client.post("/admin/v1/cases/" + id + "/withdraw", Json.object(), null).status()).isEqualTo(200);
        JsonNode page = client.get("/api/v1/assignments?cursor=" + before.path("nextCursor").asText(), reviewer.token()).json();
        assertThat(page.path("items")).hasSize(1);
        assertThat(page.path("items").get(0).path("kind").asText()).isEqualTo("WITHDRAWN");
        assertThat(page.path("items").get(0).path("case").path("caseId").asText()).isEqualTo(id);

        JsonNode env = sign("creditbank.decision/1", decision(c, "APPROVE", c.path("revision").asInt()), reviewer.keys(), "REVIEWER");
        JsonNode r = submit(reviewer, body(env), UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(r.path("status").asText() + ":" + r.path("code").asText()).isEqualTo("CONFLICT:CASE_WITHDRAWN");
    }

    private void assertRefused(SimClient.Device chair, ObjectNode result, String why) {
        JsonNode r = submit(chair, body(sign("creditbank.arbitration/1", result, chair.keys(), "PANEL_CHAIR")), UUID.randomUUID().toString())
                .json().path("results").get(0);
        assertThat(r.path("status").asText() + ":" + r.path("code").asText()).as(r.toString()).isEqualTo("REJECTED:MALFORMED");
        assertThat(r.toString()).contains(why);
    }

    @Test
    void tooManyItemsIsAProblem() {
        ObjectNode b = Json.object();
        ArrayNode items = b.putArray("items");
        for (int i = 0; i < 501; i++) items.addObject();
        SimClient.Answer a = submit(reviewer, b, UUID.randomUUID().toString());
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.json().path("code").asText()).isEqualTo("TOO_MANY_ITEMS");
    }

    @Test
    void arbitrationWithVotesClosesOnceAndIsFinal() {
        List<PlatformSim.DemoPerson> panelPeople = sim.demoPeople().stream().filter(p -> p.roles().contains("PANEL_MEMBER")).toList();
        List<SimClient.Device> panel = panelPeople.stream().map(p -> client.enrol(p.enrolmentCode())).toList();
        SimClient.Device chair = panel.get(panelPeople.indexOf(panelPeople.stream().filter(p -> p.roles().contains("PANEL_CHAIR")).findFirst().orElseThrow()));
        JsonNode c = pull(chair).getFirst().path("case");
        JsonNode arb = c.path("arbitration");
        String arbitrationId = arb.path("arbitrationId").asText();

        ArrayNode votes = Json.mapper().createArrayNode();
        ArrayNode recused = Json.mapper().createArrayNode();
        JsonNode conflictedVote = null;
        for (int i = 0; i < panel.size(); i++) {
            SimClient.Device m = panel.get(i);
            if ("NJU-CE".equals(panelPeople.get(i).institution())) {
                recused.add(m.keyId());
                conflictedVote = sign("creditbank.vote/1", Json.object().put("caseId", c.path("caseId").asText()).put("arbitrationId", arbitrationId)
                        .put("memberKeyId", m.keyId()).put("position", "OVERTURN").put("reason", "签发机构成员"), m.keys(), "PANEL_MEMBER");
                continue;
            }
            ObjectNode v = Json.object().put("caseId", c.path("caseId").asText()).put("arbitrationId", arbitrationId)
                    .put("memberKeyId", m.keyId()).put("position", i == 4 ? "AMEND" : "UPHOLD").put("reason", "依据标准复核");
            votes.add(sign("creditbank.vote/1", v, m.keys(), m == chair ? "PANEL_CHAIR" : "PANEL_MEMBER"));
        }
        assertThat(votes).hasSize(4);
        JsonNode memberVote = votes.get(1);
        JsonNode vr = submit(panel.get(2), body(memberVote), UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(vr.path("status").asText()).isEqualTo("ACCEPTED");

        ObjectNode result = Json.object().put("caseId", c.path("caseId").asText()).put("arbitrationId", arbitrationId);
        ArrayNode members = result.putArray("panel");
        panel.forEach(m -> members.add(m.keyId()));
        result.put("outcome", "UPHOLD");
        result.putArray("finalLines");
        result.put("minutes", "维持原认定结果");
        result.put("closedAt", Envelope.timestamp(Instant.now()));

        // what contract 03 rules out is refused, not counted or skipped: the vote of a member whose institution issued
        // the outcomes (left out of recused[], or listed there), two votes of one member, a position outside the three
        ArrayNode withConflicted = votes.deepCopy().add(conflictedVote);
        result.set("recused", Json.mapper().createArrayNode());
        result.set("votes", withConflicted);
        assertRefused(chair, result, "must recuse");
        result.set("recused", recused);
        assertRefused(chair, result, "listed as recused");
        result.set("votes", votes.deepCopy().add(votes.get(0)));
        assertRefused(chair, result, "two votes");
        ArrayNode foo = votes.deepCopy();
        SimClient.Device fooVoter = panel.get(panelPeople.indexOf(panelPeople.stream().filter(x -> !"NJU-CE".equals(x.institution())
                && !x.roles().contains("PANEL_CHAIR")).findFirst().orElseThrow()));
        for (int i = 0; i < foo.size(); i++) {
            if (foo.get(i).path("signatures").get(0).path("keyId").asText().equals(fooVoter.keyId())) {
                foo.set(i, sign("creditbank.vote/1", Json.object().put("caseId", c.path("caseId").asText()).put("arbitrationId", arbitrationId)
                        .put("memberKeyId", fooVoter.keyId()).put("position", "FOO").put("reason", "x"), fooVoter.keys(), "PANEL_MEMBER"));
            }
        }
        result.set("votes", foo);
        assertRefused(chair, result, "position");

        result.set("recused", recused);
        result.set("votes", votes);
        JsonNode signed = sign("creditbank.arbitration/1", result, chair.keys(), "PANEL_CHAIR");
        JsonNode r = submit(chair, body(signed), UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("ACCEPTED");
        assertReceiptVerifies(r.path("receipt"), signed);

        result.put("minutes", "再次提交");
        JsonNode again = sign("creditbank.arbitration/1", result, chair.keys(), "PANEL_CHAIR");
        JsonNode r2 = submit(chair, body(again), UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(r2.path("status").asText() + ":" + r2.path("code").asText()).isEqualTo("CONFLICT:ARBITRATION_FINAL");

        ObjectNode objection = Json.object().put("caseId", c.path("caseId").asText()).put("raisedBy", "learner")
                .put("raisedAt", Envelope.timestamp(Instant.now())).put("grounds", "再次异议");
        objection.putArray("evidence");
        JsonNode r3 = submit(chair, body(sign("creditbank.objection/1", objection, chair.keys(), "PANEL_MEMBER")), UUID.randomUUID().toString())
                .json().path("results").get(0);
        assertThat(r3.path("status").asText() + ":" + r3.path("code").asText()).isEqualTo("CONFLICT:ARBITRATION_FINAL");

        JsonNode closed = pull(chair).getFirst().path("case");
        assertThat(closed.path("step").asText()).isEqualTo("ARCHIVE");
        assertThat(closed.path("arbitration").path("state").asText()).isEqualTo("FINAL");
        assertThat(closed.path("arbitration").path("outcome").asText()).isEqualTo("UPHOLD");
    }

    @Test
    void treeHeadsGrowConsistently() {
        JsonNode h0 = client.get("/api/v1/log/tree-head", reviewer.token()).json();
        assertThat(Envelope.fromJson(h0).verify((k, role) -> platformKey).ok()).isTrue();
        List<JsonNode> cases = pull(reviewer).stream().map(i -> i.path("case")).filter(c -> c.path("step").asText().equals("REVIEW")).toList();
        for (int i = 0; i < 5; i++) {
            JsonNode c = cases.get(i);
            submit(reviewer, body(sign("creditbank.decision/1", decision(c, "APPROVE", c.path("revision").asInt()), reviewer.keys(), "REVIEWER")),
                    UUID.randomUUID().toString());
        }
        JsonNode mid = client.get("/api/v1/log/tree-head", reviewer.token()).json();
        for (int i = 5; i < 12; i++) {
            JsonNode c = cases.get(i);
            submit(reviewer, body(sign("creditbank.decision/1", decision(c, "REQUEST_MATERIALS", c.path("revision").asInt()), reviewer.keys(), "REVIEWER")),
                    UUID.randomUUID().toString());
        }
        JsonNode end = client.get("/api/v1/log/tree-head", reviewer.token()).json();
        long m = mid.path("payload").path("treeSize").asLong();
        long n = end.path("payload").path("treeSize").asLong();
        assertThat(m).isEqualTo(h0.path("payload").path("treeSize").asLong() + 5);
        assertThat(n).isEqualTo(m + 7);
        for (long from : new long[] {0, 1, m - 1, m}) {
            JsonNode proof = client.get("/api/v1/log/consistency?from=" + from + "&to=" + n, reviewer.token()).json();
            List<byte[]> path = new ArrayList<>();
            proof.path("proof").forEach(x -> path.add(HexFormat.of().parseHex(x.asText())));
            byte[] fromRoot = HexFormat.of().parseHex(proof.path("fromRootHash").asText());
            assertThat(Merkle.verifyConsistency(from, n, fromRoot, HexFormat.of().parseHex(end.path("payload").path("rootHash").asText()), path)).isTrue();
        }
        JsonNode proof = client.get("/api/v1/log/consistency?from=" + m + "&to=" + n, reviewer.token()).json();
        List<byte[]> path = new ArrayList<>();
        proof.path("proof").forEach(x -> path.add(HexFormat.of().parseHex(x.asText())));
        assertThat(Merkle.verifyConsistency(m, n, HexFormat.of().parseHex(mid.path("payload").path("rootHash").asText()),
                HexFormat.of().parseHex(end.path("payload").path("rootHash").asText()), path)).isTrue();
        assertThat(client.get("/api/v1/log/consistency?from=" + (n + 1) + "&to=" + n, reviewer.token()).status()).isEqualTo(400);
    }

    @Test
    void envelopesReceiptsAndTheLogSurviveARestart() throws IOException {
        JsonNode c = firstCaseIn(reviewer, "REVIEW");
        JsonNode env = sign("creditbank.decision/1", decision(c, "APPROVE", c.path("revision").asInt()), reviewer.keys(), "REVIEWER");
        String key = UUID.randomUUID().toString();
        SimClient.Answer first = submit(reviewer, body(env), key);
        JsonNode head = client.get("/api/v1/log/tree-head", reviewer.token()).json();
        sim.close();
        sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()));
        client = new SimClient(sim.baseUrl());
        assertThat(submit(reviewer, body(env), key).bytes()).isEqualTo(first.bytes());
        JsonNode dup = submit(reviewer, body(env), UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(dup.path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(client.get("/api/v1/log/tree-head", reviewer.token()).json()).isEqualTo(head);
        JsonNode after = pull(reviewer).stream().map(i -> i.path("case")).filter(x -> x.path("caseId").asText().equals(c.path("caseId").asText()))
                .findFirst().orElseThrow();
        assertThat(after.path("step").asText()).isEqualTo("CONVERSION");
    }

    @Test
    void receivingClerksConfirmInTimeAndMissTheDeadlineWithDeemedConsent() {
        PlatformSim.DemoPerson clerkPerson = sim.demoPeople().stream().filter(p -> p.roles().contains("CLERK") && "JSOU".equals(p.institution())).findFirst().orElseThrow();
        SimClient.Device clerk = client.enrol(clerkPerson.enrolmentCode());
        List<JsonNode> conversion = pull(clerk).stream().map(i -> i.path("case")).filter(c -> c.path("step").asText().equals("CONVERSION")).toList();
        Instant now = Instant.now();
        JsonNode overdue = conversion.stream().filter(c -> Instant.parse(c.path("stepStartedAt").asText()).plusSeconds(10 * 86400).isBefore(now)).findFirst().orElseThrow();
        JsonNode inTime = conversion.stream().filter(c -> Instant.parse(c.path("stepStartedAt").asText()).plusSeconds(10 * 86400).isAfter(now.plusSeconds(3600))).findFirst().orElseThrow();

        JsonNode ok = submit(clerk, body(sign("creditbank.decision/1", decision(inTime, "CONFIRM", inTime.path("revision").asInt()), clerk.keys(), "CLERK")),
                UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(ok.path("status").asText()).isEqualTo("ACCEPTED");
        JsonNode late = submit(clerk, body(sign("creditbank.decision/1", decision(overdue, "DECLINE", overdue.path("revision").asInt()), clerk.keys(), "CLERK")),
                UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(late.path("status").asText() + ":" + late.path("code").asText()).isEqualTo("CONFLICT:DEADLINE_PASSED");

        List<JsonNode> after = pull(clerk).stream().map(i -> i.path("case")).toList();
        assertThat(after).filteredOn(c -> c.path("caseId").equals(inTime.path("caseId"))).singleElement()
                .satisfies(c -> assertThat(c.path("step").asText()).isEqualTo("PUBLIC_NOTICE"));
        assertThat(after).filteredOn(c -> c.path("caseId").equals(overdue.path("caseId"))).singleElement()
                .satisfies(c -> {
                    assertThat(c.path("step").asText()).isEqualTo("PUBLIC_NOTICE");
                    assertThat(c.path("history").get(c.path("history").size() - 1).path("event").asText()).isEqualTo("DEEMED_CONSENT");
                });

        JsonNode reviewerCase = firstCaseIn(reviewer, "REVIEW");
        JsonNode wrongStep = submit(clerk, body(sign("creditbank.decision/1", decision(reviewerCase, "APPROVE", reviewerCase.path("revision").asInt()), clerk.keys(), "CLERK")),
                UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(wrongStep.path("status").asText() + ":" + wrongStep.path("code").asText()).isEqualTo("REJECTED:ROLE_NOT_ALLOWED");
    }

    @Test
    void inspectionFindingsArchiveTheCase() {
        JsonNode c = firstCaseIn(reviewer, "INSPECTION");
        JsonNode r = submit(reviewer, body(sign("creditbank.decision/1", decision(c, "IRREGULAR", c.path("revision").asInt()), reviewer.keys(), "REVIEWER")),
                UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(r.path("status").asText()).isEqualTo("ACCEPTED");
        JsonNode after = pull(reviewer).stream().map(i -> i.path("case")).filter(x -> x.path("caseId").equals(c.path("caseId"))).findFirst().orElseThrow();
        assertThat(after.path("step").asText()).isEqualTo("ARCHIVE");
        assertThat(after.path("decision").path("verdict").asText()).isEqualTo("IRREGULAR");
    }

    @Test
    void rePullingFromAnOldCursorIsSafe() {
        String before = "";
        JsonNode page;
        while (true) {
            page = client.get("/api/v1/assignments?limit=10&cursor=" + before, reviewer.token()).json();
            boolean hasReview = false;
            for (JsonNode i : page.path("items")) hasReview |= i.path("case").path("step").asText().equals("REVIEW");
            if (hasReview) break;
            assertThat(page.path("hasMore").asBoolean()).isTrue();
            before = page.path("nextCursor").asText();
        }
        String cursor = before;
        JsonNode again = client.get("/api/v1/assignments?limit=10&cursor=" + cursor, reviewer.token()).json();
        assertThat(again).isEqualTo(page);
        JsonNode c = null;
        for (JsonNode i : page.path("items")) if (c == null && i.path("case").path("step").asText().equals("REVIEW")) c = i.path("case");
        JsonNode decided = c;
        JsonNode r = submit(reviewer, body(sign("creditbank.decision/1", decision(c, "REQUEST_MATERIALS", c.path("revision").asInt()), reviewer.keys(), "REVIEWER")),
                UUID.randomUUID().toString()).json().path("results").get(0);
        assertThat(r.path("status").asText()).isEqualTo("ACCEPTED");
        JsonNode later = client.get("/api/v1/assignments?limit=10&cursor=" + cursor, reviewer.token()).json();
        List<String> ids = new ArrayList<>();
        later.path("items").forEach(i -> ids.add(i.path("case").path("caseId").asText()));
        assertThat(ids).doesNotHaveDuplicates();
        if (later.path("hasMore").asBoolean()) assertThat(ids).doesNotContain(decided.path("caseId").asText());
        List<JsonNode> all = new ArrayList<>();
        String k = cursor;
        while (true) {
            JsonNode p = client.get("/api/v1/assignments?limit=10&cursor=" + k, reviewer.token()).json();
            p.path("items").forEach(all::add);
            k = p.path("nextCursor").asText();
            if (!p.path("hasMore").asBoolean()) break;
        }
        assertThat(all.stream().filter(i -> i.path("case").path("caseId").equals(decided.path("caseId")))).singleElement()
                .satisfies(i -> {
                    assertThat(i.path("case").path("awaitingMaterials").asBoolean()).isTrue();
                    assertThat(i.path("case").path("revision").asInt()).isEqualTo(decided.path("revision").asInt() + 1);
                });
    }
}
