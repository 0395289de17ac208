package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.localdb.OutboxRepository;
import cn.crb.sim.PlatformSim;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A benchmark of the sync path (not a test), against an in-process platform-sim on loopback, timed with
 * {@link System#nanoTime()} and the process's CPU time (platform and workstation share the JVM, so the CPU figure
 * is the cost of both sides and does not depend on what else runs on the machine):
 * <ol>
 *   <li>the first sync of the demo reviewer (tree head, both standards versions, the demo cases);</li>
 *   <li>sign N {@code creditbank.audit-checkpoint/1} envelopes (not part of the sync figures);</li>
 *   <li>queue them in the outbox in one local transaction and one {@code CHECKPOINT SYNC};</li>
 *   <li>one sync that pushes them in requests of 500, every receipt's inclusion proof and head verified;</li>
 *   <li>the platform creates M more cases for the reviewer; one sync pulls those M assignments in pages of 500;</li>
 *   <li>a sync with nothing to do.</li>
 * </ol>
 * Arguments: {@code [N envelopes, default 10000] [M assignments, default 10000] [rounds, default 1]}; each round
 * uses a fresh platform and workstation, so later rounds run with a warmed-up JIT.
 * The figures go to docs/performance.md.
 */
public final class SyncBenchmark {
    private SyncBenchmark() {}

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Wall and CPU time of one step. */
    private record Timed(long wallNs, long cpuNs) {
        String ms() { return String.format("%,d ms wall, %,d ms CPU", wallNs / 1_000_000, cpuNs / 1_000_000); }

        String rate(int n) { return String.format("%,.0f/s wall, %,.0f per CPU-second", n / (wallNs / 1e9), n / (cpuNs / 1e9)); }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T time(Step<T> s, Timed[] out) throws Exception {
        long w = System.nanoTime();
        long c = OS.getProcessCpuTime();
        T r = s.run();
        out[0] = new Timed(System.nanoTime() - w, OS.getProcessCpuTime() - c);
        return r;
    }

    public static void main(String[] args) throws Exception {
        int envelopes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int assignments = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        for (int round = 1; round <= rounds; round++) {
            System.out.printf("round %d of %d (%d cores available)%n", round, rounds, Runtime.getRuntime().availableProcessors());
            round(envelopes, assignments);
        }
    }

    private static void round(int envelopes, int assignments) throws Exception {
        Path dir = Files.createTempDirectory("crb-sync-bench");
        try (PlatformSim sim = PlatformSim.start(new PlatformSim.Options(0, dir.resolve("sim"), true, List.of()));
             Station st = Station.enrol(sim, dir.resolve("ws"), "张明")) {
            SyncOptions opts = SyncOptions.defaults().withBackoff(Station.FAST).withSizes(500, 500);
            Timed[] t = new Timed[1];

            SyncReport first = time(() -> st.engine().run(opts, ProgressListener.NONE, CancellationToken.none()), t);
            check(first);
            System.out.printf("first sync: %d cases in %d pages, 2 standards versions: %s%n", first.casesInserted(), first.pages(), t[0].ms());

            List<Envelope> list = time(() -> {
                List<Envelope> l = new ArrayList<>(envelopes);
                for (int i = 0; i < envelopes; i++) l.add(st.checkpoint(i));
                return l;
            }, t);
            System.out.printf("sign %,d envelopes (SM2, not part of the sync): %s%n", envelopes, t[0].ms());

            OutboxRepository outbox = new OutboxRepository(st.db(), Clock.systemUTC());
            time(() -> {
                st.db().inTransaction(tx -> {
                    for (Envelope e : list) outbox.enqueue(tx, e, null, st.keyId());
                    return null;
                });
                st.db().checkpointSync();
                return null;
            }, t);
            Timed queue = t[0];
            System.out.printf("queue them (one transaction, one CHECKPOINT SYNC): %s%n", queue.ms());

            jdk.jfr.Recording rec = startRecording();
            SyncReport push = time(() -> st.engine().run(opts, ProgressListener.NONE, CancellationToken.none()), t);
            Timed pushT = t[0];
            stopRecording(rec, "push");
            check(push);
            if (push.envelopesAccepted() != envelopes) throw new IllegalStateException("accepted " + push.envelopesAccepted());
            if (push.pendingLeft() != 0) throw new IllegalStateException("outbox not empty: " + push.pendingLeft());
            System.out.printf("push %,d envelopes in requests of 500, receipts verified: %s = %s; tree size %d%n",
                    envelopes, pushT.ms(), pushT.rate(envelopes), push.treeSize());
            Timed both = new Timed(queue.wallNs() + pushT.wallNs(), queue.cpuNs() + pushT.cpuNs());
            System.out.printf("queue + push: %s = %s%n", both.ms(), both.rate(envelopes));

            if (assignments > 0) {
                Timed[] c = new Timed[1];
                time(() -> new SimAdmin(sim.baseUrl()).send("POST", "/admin/v1/cases", Json.object().put("count", assignments)
                        .put("assignTo", st.personId())), c);
                System.out.printf("(platform creates %,d cases: %s)%n", assignments, c[0].ms());
                jdk.jfr.Recording prec = startRecording();
                SyncReport pull = time(() -> st.engine().run(opts, ProgressListener.NONE, CancellationToken.none()), t);
                stopRecording(prec, "pull");
                check(pull);
                if (pull.casesInserted() != assignments) throw new IllegalStateException("pulled " + pull.casesInserted());
                System.out.printf("pull %,d assignments in %d pages of 500: %s = %s%n", assignments, pull.pages(), t[0].ms(), t[0].rate(assignments));
            }

            SyncReport idle = time(() -> st.engine().run(opts, ProgressListener.NONE, CancellationToken.none()), t);
            check(idle);
            System.out.printf("sync with nothing to do: %s%n", t[0].ms());
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** With {@code -Dbench.jfr=DIR}, a JFR profile of each push and pull is written to DIR (push-N.jfr, pull-N.jfr). */
    private static jdk.jfr.Recording startRecording() throws Exception {
        if (System.getProperty("bench.jfr") == null) return null;
        jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        r.start();
        return r;
    }

    private static int recordings;

    private static void stopRecording(jdk.jfr.Recording r, String what) throws Exception {
        if (r == null) return;
        r.stop();
        Path out = Path.of(System.getProperty("bench.jfr")).resolve(what + "-" + (++recordings) + ".jfr");
        Files.createDirectories(out.getParent());
        r.dump(out);
        r.close();
        System.out.println("profile: " + out);
    }

    private static void check(SyncReport r) {
        if (!r.complete()) throw new IllegalStateException("sync " + r.outcome() + ": " + r.problem());
    }
}
