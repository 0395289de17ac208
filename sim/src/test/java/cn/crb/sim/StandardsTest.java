package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandardsTest {
    @TempDir Path dir;

    @Test
    void twoVersionsListedSignedByThePlatformWithMatchingSm3() throws IOException {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()))) {
            SimClient client = new SimClient(sim.baseUrl());
            SimClient.Device d = client.enrol(SimClient.person(sim, "REVIEWER").enrolmentCode());
            PublicKey platform = Sm2.fromPem(d.enrolment().path("platformPublicKeyPem").asText());
            String platformKeyId = d.enrolment().path("platformKeyId").asText();

            JsonNode list = client.get("/api/v1/standards", d.token()).json();
            assertThat(list).extracting(n -> n.path("version").asText()).containsExactly("2025.2", "2026.1");
            assertThat(list).extracting(n -> n.path("effectiveFrom").asText()).containsExactly("2025-07-01", "2026-01-01");
            for (JsonNode item : list) {
                SimClient.Answer a = client.get("/api/v1/standards/" + item.path("version").asText(), d.token());
                assertThat(a.status()).isEqualTo(200);
                Envelope env = Envelope.fromJson(a.json());
                assertThat(env.type()).isEqualTo("creditbank.standards/1");
                assertThat(env.verify((k, role) -> k.equals(platformKeyId) && role.equals("PLATFORM") ? platform : null).ok()).isTrue();
                assertThat(env.sm3()).isEqualTo(item.path("sm3").asText());
                assertThat(env.payload().path("version").asText()).isEqualTo(item.path("version").asText());
            }
            JsonNode current = client.get("/api/v1/standards/2026.1", d.token()).json().path("payload");
            JsonNode example = Json.parse(Files.readAllBytes(Path.of("src/main/resources/cn/crb/sim/standards-2026.1.json")));
            assertThat(current).isEqualTo(example);
            assertThat(Json.canonical(current)).isEqualTo(Json.canonical(Standards.demoPayload()));

            JsonNode old = client.get("/api/v1/standards/2025.2", d.token()).json().path("payload");
            assertThat(old.path("effectiveUntil").asText()).isEqualTo("2025-12-31");
            assertThat(old).isNotEqualTo(current);

            SimClient.Answer missing = client.get("/api/v1/standards/2030.1", d.token());
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().path("code").asText()).isEqualTo("STANDARDS_VERSION_UNKNOWN");
        }
    }

    @Test
    void theDemoBundleMatchesTheSharedExampleWhenPresent() throws IOException {
        Path shared = Path.of("/work/shared/examples/standards-2026.1.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(shared));
        assertThat(Json.canonical(Standards.demoPayload())).isEqualTo(Json.canonical(Json.parse(Files.readAllBytes(shared))));
    }

    @Test
    void extraStandardsFilesArePublishedAndNeverReSignedDifferently() throws IOException {
        ObjectNode extra = Standards.demoPayload();
        extra.put("version", "2026.2");
        extra.put("effectiveFrom", "2026-07-01");
        extra.put("supersedes", "2026.1");
        Path file = dir.resolve("s-2026.2.json");
        Files.writeString(file, Json.write(extra));
        Path data = dir.resolve("data");
        String sm3;
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, data, true, List.of(file)))) {
            SimClient client = new SimClient(sim.baseUrl());
            SimClient.Device d = client.enrol(SimClient.person(sim, "REVIEWER").enrolmentCode());
            JsonNode list = client.get("/api/v1/standards", d.token()).json();
            assertThat(list).extracting(n -> n.path("version").asText()).containsExactly("2025.2", "2026.1", "2026.2");
            sm3 = list.get(2).path("sm3").asText();
        }
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, data, true, List.of(file)))) {
            SimClient client = new SimClient(sim.baseUrl());
            SimClient.Device d = client.enrol(SimClient.person(sim, "REVIEWER").enrolmentCode());
            assertThat(client.get("/api/v1/standards", d.token()).json().get(2).path("sm3").asText()).isEqualTo(sm3);
        }
        extra.put("effectiveFrom", "2026-08-01");
        Files.writeString(file, Json.write(extra));
        assertThatThrownBy(() -> PlatformSim.start(new PlatformSim.Options(0, data, true, List.of(file))))
                .isInstanceOf(IOException.class).hasMessageContaining("equivocate");
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, data, false, List.of()))) {
            assertThat(sim.demoPeople()).isNotEmpty();
        }
    }
}
