package cn.crb.app.sync;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.domain.crypto.Pkcs12Keystore;
import cn.crb.localdb.OutboxRepository;
import cn.crb.sim.PlatformSim;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.ProgressListener;
import cn.crb.sync.SyncReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The service the UI will call: a background sync with progress and a result, and the outbox queries. */
class SyncServiceTest {
    @Test
    void aBackgroundSyncReportsProgressAndSendsTheCheckpoint(@TempDir Path dir) throws Exception {
        char[] pass = "一个足够长的口令 with 7 words".toCharArray();
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             HttpTransport http = new HttpTransport();
             ExecutorService background = Executors.newSingleThreadExecutor()) {
            ProfileService profiles = new ProfileService(WorkstationHome.resolve(dir.resolve("home"), Map.of()), http, Clock.systemUTC(), 1000);
            PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.displayName().equals("李娜")).findFirst().orElseThrow();
            try (ProfileSession session = profiles.create(sim.baseUrl().toString(), reviewer.enrolmentCode(), pass, pass, "test", s -> { })) {
                Pkcs12Keystore.Unlocked key = profiles.openSigningKey(session.summary().id(), pass);
                SyncService service = new SyncService(http, Clock.systemUTC());
                List<ProgressListener.Progress> seen = new CopyOnWriteArrayList<>();
                SyncService.Job job = service.start(session, key, seen::add, background);
                SyncReport r = job.result().get(60, TimeUnit.SECONDS);
                assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.COMPLETE);
                assertThat(r.casesInserted()).isPositive();
                assertThat(r.checkpointQueued()).isTrue();
                assertThat(r.envelopesAccepted()).isEqualTo(1);
                assertThat(job.latestProgress().phase()).isEqualTo(ProgressListener.Phase.DONE);
                assertThat(seen).extracting(ProgressListener.Progress::phase).contains(ProgressListener.Phase.CHECKPOINT, ProgressListener.Phase.PUSH);
                assertThat(service.outbox(session, false)).isEmpty();
                assertThat(service.outbox(session, true)).singleElement().satisfies(e -> {
                    assertThat(e.state()).isEqualTo(OutboxRepository.State.ACCEPTED);
                    assertThat(e.type()).isEqualTo("creditbank.audit-checkpoint/1");
                });
                assertThat(service.outboxCounts(session).get(OutboxRepository.State.ACCEPTED)).isEqualTo(1);
                assertThat(session.outboxSize()).isZero();

                // without a key: no checkpoint, nothing to send
                SyncReport again = service.sync(session, null, ProgressListener.NONE, new cn.crb.sync.CancellationToken());
                assertThat(again.checkpointQueued()).isFalse();
                assertThat(again.envelopesAccepted()).isZero();
                assertThat(again.treeSize()).isEqualTo(r.treeSize());
            }
        }
    }
}
