package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.localdb.OutboxRepository;
import cn.crb.sim.PlatformSim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A small benchmark of the sync path (not a test): pull every demo case of the main reviewer, queue and push 2,000
 * signed envelopes in requests of 500 with receipt verification, then a sync with nothing to do. Timed with
 * {@link System#nanoTime()} against an in-process platform-sim on loopback; the figures go to docs/performance.md.
 */
public final class SyncBenchmark {
    private SyncBenchmark() {}

    public static void main(String[] args) throws Exception {
        int envelopes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dir = Files.createTempDirectory("crb-sync-bench");
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            SyncOptions opts = SyncOptions.defaults().withBackoff(Station.FAST);

            long t0 = System.nanoTime();
            SyncReport pull = st.engine().run(opts, ProgressListener.NONE, CancellationToken.none());
            long pullNs = System.nanoTime() - t0;
            check(pull);

            List<Envelope> list = new ArrayList<>();
            long t1 = System.nanoTime();
            for (int i = 0; i < envelopes; i++) list.add(st.checkpoint(i));
            long signNs = System.nanoTime() - t1;
            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            long t2 = System.nanoTime();
            for (Envelope e : list) outbox.enqueue(e, null, st.keyId());
            long queueNs = System.nanoTime() - t2;

            long t3 = System.nanoTime();
            SyncReport push = st.engine().run(opts, ProgressListener.NONE, CancellationToken.none());
            long pushNs = System.nanoTime() - t3;
            check(push);
            if (push.envelopesAccepted() != envelopes) throw new IllegalStateException("accepted " + push.envelopesAccepted());

            long t4 = System.nanoTime();
            SyncReport idle = st.engine().run(opts, ProgressListener.NONE, CancellationToken.none());
            long idleNs = System.nanoTime() - t4;
            check(idle);

            System.out.printf("first sync: %d cases in %d pages, 2 standards versions: %d ms%n", pull.casesInserted(), pull.pages(), pullNs / 1_000_000);
            System.out.printf("sign %d envelopes (SM2): %d ms; queue them (one transaction + fsync each): %d ms%n", envelopes, signNs / 1_000_000, queueNs / 1_000_000);
            System.out.printf("push %d envelopes in requests of 500, receipts verified: %d ms (%.0f envelopes/s); tree size %d%n",
                    envelopes, pushNs / 1_000_000, envelopes / (pushNs / 1e9), push.treeSize());
            System.out.printf("sync with nothing to do: %d ms%n", idleNs / 1_000_000);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void check(SyncReport r) {
        if (!r.complete()) throw new IllegalStateException("sync " + r.outcome() + ": " + r.problem());
    }
}
