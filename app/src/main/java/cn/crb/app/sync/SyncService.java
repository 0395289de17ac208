package cn.crb.app.sync;

import cn.crb.app.profile.ProfileSession;
import cn.crb.domain.crypto.Pkcs12Keystore;
import cn.crb.localdb.OutboxRepository;
import cn.crb.sync.CancellationToken;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.PlatformClient;
import cn.crb.sync.ProgressListener;
import cn.crb.sync.SyncEngine;
import cn.crb.sync.Backoff;
import cn.crb.sync.SyncOptions;
import cn.crb.sync.SyncReport;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's entry to synchronisation and the outbox, for the command line now and the UI later (no JavaFX
 * here). {@link #sync} blocks; {@link #start} runs it on a caller-supplied executor and hands back a {@link Job} whose
 * progress and result the UI can observe and which it can cancel. Guarantees are those of {@link SyncEngine}: a run
 * never loses anything queued, whatever its outcome. The signing key, when given, is used only to sign the audit
 * checkpoint of this run and is not kept.
 */
public final class SyncService {
    private final HttpTransport http;
    private final Clock clock;

    public SyncService(HttpTransport http, Clock clock) {
        this.http = Objects.requireNonNull(http);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The clock the runs and their reports go by. */
    public Clock clock() { return clock; }

    /**
     * Runs one sync of the unlocked profile against its platform. {@code signingKey} (from
     * {@code ProfileService.openSigningKey}) signs the audit checkpoint; null skips the checkpoint.
     */
    public SyncReport sync(ProfileSession session, Pkcs12Keystore.Unlocked signingKey, ProgressListener progress, CancellationToken cancel) {
        return sync(session, signingKey, Backoff.Policy.defaults(), progress, cancel);
    }

    /** As {@link #sync(ProfileSession, Pkcs12Keystore.Unlocked, ProgressListener, CancellationToken)} under the given retry pacing. */
    public SyncReport sync(ProfileSession session, Pkcs12Keystore.Unlocked signingKey, Backoff.Policy backoff, ProgressListener progress,
                           CancellationToken cancel) {
        SyncOptions options = SyncOptions.defaults().withBackoff(backoff);
        if (signingKey != null) {
            String role = session.stored().roles().getFirst();
            options = options.withSigner(new SyncOptions.Signer(signingKey.privateKey(), signingKey.publicKey(), role));
        }
        PlatformClient client = new PlatformClient(URI.create(session.stored().platformUrl()), http);
        return new SyncEngine(session.database(), client, clock).run(options, progress, cancel);
    }

    /** A sync running in the background: its latest progress, its result, and a way to cancel it. */
    public static final class Job {
        private final CancellationToken cancel = new CancellationToken();
        private final AtomicReference<ProgressListener.Progress> latest = new AtomicReference<>();
        private final CompletableFuture<SyncReport> result = new CompletableFuture<>();

        /** Completes with the report (any outcome), or exceptionally on a local failure (e.g. the database). */
        public CompletableFuture<SyncReport> result() { return result; }

        /** The last progress reported, or null before the first. */
        public ProgressListener.Progress latestProgress() { return latest.get(); }

        /** Asks the run to stop at its next request or page; the result then has outcome CANCELLED. */
        public void cancel() { cancel.cancel(); }
    }

    /** Starts {@link #sync} on {@code executor}; {@code progress} is also called on that executor's thread. */
    public Job start(ProfileSession session, Pkcs12Keystore.Unlocked signingKey, ProgressListener progress, Executor executor) {
        Job job = new Job();
        executor.execute(() -> {
            try {
                job.result.complete(sync(session, signingKey, p -> {
                    job.latest.set(p);
                    progress.onProgress(p);
                }, job.cancel));
            } catch (RuntimeException e) {
                job.result.completeExceptionally(e);
            }
        });
        return job;
    }

    /** The outbox for display, newest first: pending and refused entries, plus accepted ones when {@code includeDone}. */
    public List<OutboxRepository.Entry> outbox(ProfileSession session, boolean includeDone) {
        return new OutboxRepository(session.database(), clock).list(includeDone);
    }

    /** How many outbox entries are in each state. */
    public Map<OutboxRepository.State, Integer> outboxCounts(ProfileSession session) {
        return new OutboxRepository(session.database(), clock).counts();
    }

    /** Discards a CONFLICT or REJECTED entry with the person's reason (audited). */
    public void discard(ProfileSession session, long entryId, String reason) {
        new OutboxRepository(session.database(), clock).discard(entryId, reason, session.stored().keyId());
    }
}
