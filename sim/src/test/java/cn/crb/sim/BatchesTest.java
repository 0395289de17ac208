package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm3;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class BatchesTest {
    @TempDir Path dir;
    PlatformSim sim;
    SimClient client;
    SimClient.Device clerk;

    @BeforeEach
    void start() throws IOException {
        sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()));
        client = new SimClient(sim.baseUrl());
        clerk = client.enrol(sim.demoPeople().stream().filter(p -> p.roles().contains("CLERK") && "TRN-0042".equals(p.institution()))
                .findFirst().orElseThrow().enrolmentCode());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    static ObjectNode row(int rowNumber, String digestSeed, String catalogueCode) {
        ObjectNode r = Json.object();
        r.put("rowNumber", rowNumber);
        r.put("idMasked", "320102********123X");
        r.put("idDigest", Sm3.hex(digestSeed.getBytes(StandardCharsets.UTF_8)));
        r.put("nameMasked", "王*");
        r.put("category", catalogueCode.startsWith("VC") ? "VOCATIONAL" : "ACADEMIC");
        r.put("catalogueCode", catalogueCode);
        r.put("title", catalogueCode);
        r.put("achievedOn", "2025-06-30");
        r.put("qualityGrade", "A");
        return r;
    }

    static ObjectNode chunk(List<ObjectNode> rows) {
        ObjectNode c = Json.object();
        ArrayNode a = c.putArray("rows");
        rows.forEach(a::add);
        c.put("sm3", Sm3.hex(Json.canonical(a)));
        return c;
    }

    ObjectNode batch(String id, int rowCount, int chunkSize) {
        return Json.object().put("batchId", id).put("institution", "TRN-0042").put("rowCount", rowCount).put("chunkSize", chunkSize)
                .put("fileSm3", Sm3.hex(id.getBytes(StandardCharsets.UTF_8))).put("keyEnvelope", "BASE64-SM2-C1C3C2");
    }

    JsonNode complete(String id, ObjectNode batch, List<ObjectNode> chunks) {
        ObjectNode p = Json.object().put("batchId", id).put("rowCount", batch.path("rowCount").asInt()).put("fileSm3", batch.path("fileSm3").asText());
        ArrayNode sm3s = p.putArray("chunkSm3s");
        chunks.forEach(c -> sm3s.add(c.path("sm3").asText()));
        JsonNode env = Envelope.unsigned("creditbank.submission-batch/1", p).sign(clerk.keys().getPrivate(), clerk.keys().getPublic(), "CLERK", Instant.now()).toJson();
        SimClient.Answer a = client.post("/api/v1/batches/" + id + "/complete", env, clerk.token());
        assertThat(a.status()).as(new String(a.bytes(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode receipt = a.json().path("receipt");
        List<byte[]> proof = new ArrayList<>();
        receipt.path("inclusionProof").forEach(h -> proof.add(HexFormat.of().parseHex(h.asText())));
        assertThat(Merkle.verifyInclusion(receipt.path("logIndex").asLong(), receipt.path("treeSize").asLong(),
                Merkle.leafHash(Json.canonical(env)), proof, HexFormat.of().parseHex(receipt.path("rootHash").asText()))).isTrue();
        return a.json();
    }

    @Test
    void aBatchIsCreatedResumedCompletedAndItsRowsChecked() {
        String id = UUID.randomUUID().toString();
        ObjectNode b = batch(id, 5, 2);
        SimClient.Answer created = client.post("/api/v1/batches", b, clerk.token());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("received")).isEmpty();
        assertThat(client.post("/api/v1/batches", b, clerk.token()).status()).isEqualTo(200);
        assertThat(client.post("/api/v1/batches", batch(id, 6, 2), clerk.token()).status()).isEqualTo(409);

        List<ObjectNode> chunks = List.of(
                chunk(List.of(row(2, "a", "AC-ACC-101"), row(3, "b", "VC-WEB-FE"))),
                chunk(List.of(row(4, "c", "AC-GEN-001"), row(5, "d", "NOPE-1"))),
                chunk(List.of(row(6, "e", "AC-CS-110"))));
        assertThat(client.send("PUT", "/api/v1/batches/" + id + "/chunks/0", chunks.get(0), clerk.token()).status()).isEqualTo(200);
        assertThat(client.send("PUT", "/api/v1/batches/" + id + "/chunks/2", chunks.get(2), clerk.token()).status()).isEqualTo(200);
        assertThat(client.send("PUT", "/api/v1/batches/" + id + "/chunks/0", chunks.get(0), clerk.token()).status()).isEqualTo(200);
        assertThat(client.send("PUT", "/api/v1/batches/" + id + "/chunks/0", chunks.get(1), clerk.token()).status()).isEqualTo(409);
        ObjectNode wrongSm3 = chunks.get(1).deepCopy().put("sm3", "0".repeat(64));
        assertThat(client.send("PUT", "/api/v1/batches/" + id + "/chunks/1", wrongSm3, clerk.token()).status()).isEqualTo(400);
        assertThat(client.send("PUT", "/api/v1/batches/" + id + "/chunks/3", chunks.get(1), clerk.token()).status()).isEqualTo(400);

        JsonNode status = client.get("/api/v1/batches/" + id, clerk.token()).json();
        assertThat(status.path("received")).extracting(JsonNode::asInt).containsExactly(0, 2);
        assertThat(status.path("state").asText()).isEqualTo("RECEIVING");
        ObjectNode p = Json.object().put("batchId", id).put("rowCount", 5).put("fileSm3", b.path("fileSm3").asText());
        p.putArray("chunkSm3s");
        JsonNode early = Envelope.unsigned("creditbank.submission-batch/1", p).sign(clerk.keys().getPrivate(), clerk.keys().getPublic(), "CLERK", Instant.now()).toJson();
        SimClient.Answer incomplete = client.post("/api/v1/batches/" + id + "/complete", early, clerk.token());
        assertThat(incomplete.status()).isEqualTo(409);
        assertThat(incomplete.json().path("code").asText()).isEqualTo("BATCH_INCOMPLETE");

        assertThat(client.send("PUT", "/api/v1/batches/" + id + "/chunks/1", chunks.get(1), clerk.token()).status()).isEqualTo(200);
        JsonNode done = complete(id, b, chunks);
        List<String> got = new ArrayList<>();
        done.path("results").forEach(r -> got.add(r.path("rowNumber").asInt() + ":" + r.path("status").asText() + ":" + r.path("code").asText()));
        assertThat(got).containsExactly("2:ACCEPTED:", "3:ACCEPTED:", "4:REFUSED:ROW_INVALID", "5:REFUSED:ROW_INVALID", "6:ACCEPTED:");
        assertThat(client.get("/api/v1/batches/" + id, clerk.token()).json().path("state").asText()).isEqualTo("COMPLETE");
        JsonNode repeat = client.post("/api/v1/batches/" + id + "/complete", early, clerk.token()).json();
        assertThat(repeat).as("a completed batch answers its stored result").isEqualTo(done);

        String second = UUID.randomUUID().toString();
        ObjectNode b2 = batch(second, 1, 10);
        client.post("/api/v1/batches", b2, clerk.token());
        List<ObjectNode> again = List.of(chunk(List.of(row(2, "a", "AC-ACC-101"))));
        client.send("PUT", "/api/v1/batches/" + second + "/chunks/0", again.getFirst(), clerk.token());
        assertThat(complete(second, b2, again).path("results").get(0).path("code").asText()).isEqualTo("ALREADY_ON_ACCOUNT");

        // the admin view: three outcomes held, each once; both batches with what they carried and came to
        JsonNode admin = client.get("/admin/v1/batches", null).json();
        assertThat(admin.path("accountOutcomes").asLong()).isEqualTo(3);
        JsonNode first = null;
        JsonNode other = null;
        for (JsonNode x : admin.path("batches")) {
            if (x.path("batchId").asText().equals(id)) first = x;
            if (x.path("batchId").asText().equals(second)) other = x;
        }
        assertThat(first).isNotNull();
        assertThat(first.path("state").asText()).isEqualTo("COMPLETE");
        assertThat(List.of(first.path("rowCount").asLong(), first.path("rowsReceived").asLong(), first.path("accountOutcomes").asLong(),
                first.path("accepted").asLong(), first.path("refused").asLong())).containsExactly(5L, 5L, 3L, 3L, 2L);
        assertThat(List.of(other.path("accountOutcomes").asLong(), other.path("accepted").asLong(), other.path("refused").asLong()))
                .containsExactly(0L, 0L, 1L);
    }

    @Test
    void onlyClerksOfTheInstitutionSubmit() {
        SimClient.Device reviewer = client.enrol(SimClient.person(sim, "REVIEWER").enrolmentCode());
        assertThat(client.post("/api/v1/batches", batch(UUID.randomUUID().toString(), 1, 1), reviewer.token()).status()).isEqualTo(403);
        SimClient.Device jsou = client.enrol(sim.demoPeople().stream().filter(p -> p.roles().contains("CLERK") && "JSOU".equals(p.institution()))
                .findFirst().orElseThrow().enrolmentCode());
        SimClient.Answer a = client.post("/api/v1/batches", batch(UUID.randomUUID().toString(), 1, 1), jsou.token());
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().path("code").asText()).isEqualTo("ROLE_NOT_ALLOWED");
        String id = UUID.randomUUID().toString();
        client.post("/api/v1/batches", batch(id, 1, 1), clerk.token());
        assertThat(client.get("/api/v1/batches/" + id, jsou.token()).status()).isEqualTo(404);
    }
}
