package cn.crb.sim;

import cn.crb.domain.crypto.Sm2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestartTest {
    @TempDir Path dir;

    @Test
    void restartOnTheSameDirectoryKeepsKeyPeopleCodesTokensAndStandards() throws IOException {
        String keyId;
        String usedCode;
        SimClient.Device device;
        List<PlatformSim.DemoPerson> people;
        String standards;
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()))) {
            keyId = sim.platformKeyId();
            people = sim.demoPeople();
            usedCode = people.getFirst().enrolmentCode();
            SimClient client = new SimClient(sim.baseUrl());
            device = client.enrol(usedCode);
            standards = new String(client.get("/api/v1/standards", device.token()).bytes());
        }
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir, true, List.of()))) {
            assertThat(sim.platformKeyId()).isEqualTo(keyId);
            List<PlatformSim.DemoPerson> again = sim.demoPeople();
            assertThat(again).extracting(PlatformSim.DemoPerson::personId)
                    .containsExactlyElementsOf(people.stream().map(PlatformSim.DemoPerson::personId).toList());
            assertThat(again.getFirst().enrolmentCode()).isNotEqualTo(usedCode);
            assertThat(again.subList(1, again.size())).extracting(PlatformSim.DemoPerson::enrolmentCode)
                    .containsExactlyElementsOf(people.subList(1, people.size()).stream().map(PlatformSim.DemoPerson::enrolmentCode).toList());
            SimClient client = new SimClient(sim.baseUrl());
            assertThat(client.enrolRaw(usedCode, Sm2.generate()).status()).isEqualTo(410);
            SimClient.Answer list = client.get("/api/v1/standards", device.token());
            assertThat(list.status()).isEqualTo(200);
            assertThat(new String(list.bytes())).isEqualTo(standards);
        }
    }
}
