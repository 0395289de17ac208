package cn.crb.sync;

import cn.crb.localdb.LocalDatabase;
import cn.crb.localdb.ProfileRepository;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Random;

/**
 * The process {@link SyncKillTest} kills: opens a profile database and syncs it with the platform until nothing is
 * pending, printing one line per run. Arguments: database directory, database key (hex).
 */
public final class SyncKillMain {
    private SyncKillMain() {}

    public static void main(String[] args) {
        try (LocalDatabase db = LocalDatabase.open(Path.of(args[0]), HexFormat.of().parseHex(args[1]));
             HttpTransport http = new HttpTransport()) {
            URI platform = URI.create(new ProfileRepository(db, Clock.systemUTC()).load().orElseThrow().platformUrl());
            SyncEngine engine = new SyncEngine(db, new PlatformClient(platform, http), Clock.systemUTC(), new Random(), Backoff.Sleeper.REAL);
            SyncOptions options = SyncOptions.defaults().withSizes(100, 10).withBackoff(Station.FAST);
            System.out.println("STARTED");
            System.out.flush();
            while (true) {
                SyncReport r = engine.run(options, p -> {
                    if (p.phase() == ProgressListener.Phase.PUSH) System.out.println("PUSH " + p.done() + "/" + p.total());
                }, CancellationToken.none());
                System.out.println("RUN " + r.outcome() + " accepted=" + r.envelopesAccepted() + " duplicate=" + r.envelopesDuplicate() + " pending=" + r.pendingLeft());
                System.out.flush();
                if (r.complete() && r.pendingLeft() == 0) break;
            }
            System.out.println("DONE");
        }
    }
}
