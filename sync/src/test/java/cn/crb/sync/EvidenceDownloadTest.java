package cn.crb.sync;

import cn.crb.domain.crypto.Sm3;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.EvidenceRepository;
import cn.crb.localdb.ProfileRepository;
import cn.crb.sim.PlatformSim;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Evidence by SM3 against platform-sim: a dropped download resumes from the bytes kept, and only a matching SM3 is kept. */
class EvidenceDownloadTest {
    @Test
    void aDroppedDownloadResumesAndOnlyVerifiedBytesAreKept(@TempDir Path dir) throws Exception {
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            SyncReport pulled = st.engine().run(SyncOptions.defaults().withBackoff(Station.FAST), ProgressListener.NONE, CancellationToken.none());
            assertThat(pulled.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
            CaseRepository cases = new CaseRepository(st.db(), Clock.systemUTC());
            JsonNode doc = cases.caseJson(cases.inbox().getFirst().caseId()).orElseThrow();
            JsonNode ev = doc.path("outcomes").get(0).path("evidence").get(0);
            String sm3 = ev.path("sm3").asText();
            long size = ev.path("bytes").asLong();
            String token = new ProfileRepository(st.db(), Clock.systemUTC()).token().orElseThrow();
            PlatformClient client = new PlatformClient(st.platform(), st.http(), token);
            EvidenceRepository repo = new EvidenceRepository(st.db(), Clock.systemUTC());

            // the connection drops half way: the half that arrived is kept
            new SimAdmin(sim.baseUrl()).faults(0, 0, 0, 1, 0);
            assertThatThrownBy(() -> client.evidence(sm3, 0, (offset, chunk) -> repo.appendPart(sm3, offset, chunk)))
                    .isInstanceOf(PlatformException.class);
            long kept = repo.partialLength(sm3);
            assertThat(kept).isPositive().isLessThan(size);
            assertThat(repo.verified(sm3)).isEmpty();

            // the next attempt asks only for the rest (a range request) and the whole verifies
            EvidenceRepository.File f = new EvidenceDownloader(client, repo, 3).fetch(sm3);
            assertThat(f.bytes()).hasSize((int) size);
            assertThat(Sm3.hex(f.bytes())).isEqualTo(sm3);
            assertThat(f.mediaType()).isIn("application/pdf", "image/png");
            assertThat(repo.partialLength(sm3)).isZero();
            assertThat(repo.verified(sm3)).isPresent();

            // bytes that do not hash to the address are never kept: a corrupted beginning, then the rest from the platform
            String other = doc.path("outcomes").size() > 1 ? doc.path("outcomes").get(1).path("evidence").get(0).path("sm3").asText()
                    : cases.caseJson(cases.inbox().get(1).caseId()).orElseThrow().path("outcomes").get(0).path("evidence").get(0).path("sm3").asText();
            repo.appendPart(other, 0, "%PDF-forged".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> new EvidenceDownloader(client, repo, 1).fetch(other)).isInstanceOf(EvidenceDownloader.MismatchException.class);
            assertThat(repo.verified(other)).isEmpty();
            assertThat(repo.partialLength(other)).isZero();
            // and a clean download afterwards succeeds
            assertThat(Sm3.hex(new EvidenceDownloader(client, repo, 1).fetch(other).bytes())).isEqualTo(other);
        }
    }
}
