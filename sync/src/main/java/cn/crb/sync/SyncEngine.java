package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.BundleVerifier;
import cn.crb.domain.standards.StandardsLibrary;
import cn.crb.localdb.CaseRepository;
import cn.crb.localdb.LocalDatabase;
import cn.crb.localdb.OutboxRepository;
import cn.crb.localdb.ProfileRepository;
import cn.crb.localdb.ProfileStore;
import cn.crb.localdb.StandardsRepository;
import cn.crb.localdb.TreeHeadRepository;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One person's synchronisation with the platform: verify the log, pull standards and assignments, sign an audit
 * checkpoint, push the outbox. Guarantees, however often the network fails or the process dies:
 * <ul>
 *   <li>a standards bundle is installed only when it verifies against the pinned platform key and its listed SM3;
 *       a bad one is reported and the held versions stay;</li>
 *   <li>each assignments page is applied with its cursor in one local transaction (a crash re-pulls at most a page);</li>
 *   <li>an envelope is sent only from the outbox, under an Idempotency-Key committed before the request, and a
 *       re-send carries the same body under the same key — the platform holds it exactly once;</li>
 *   <li>a receipt is kept only after its inclusion proof verifies against a head signed by the pinned key, and a
 *       newer head is accepted only with a verifying consistency proof from the held one; otherwise the run stops
 *       with {@link SyncReport.Outcome#PLATFORM_UNTRUSTED} and nothing of that answer is recorded;</li>
 *   <li>network errors, 5xx and 429 are retried with {@link Backoff} up to the run's cap; a 401 stops the run with
 *       {@link SyncReport.Outcome#REENROL_NEEDED}; nothing queued is lost in either case;</li>
 *   <li>a request refused as too large (413) goes again in smaller ones; an envelope refused alone is REJECTED, for a
 *       person to see, and the rest of the queue leaves;</li>
 *   <li>a case document that cannot be read is refused, audited and reported, and the rest of its page applied; a pull
 *       the platform refuses (or answers outside the contract) is reported after the outbox was sent all the same.</li>
 * </ul>
 * Cancellable between requests and pages. One run at a time per database; the engine keeps no state between runs.
 */
public final class SyncEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    public static final String CHECKPOINT = cn.crb.localdb.AuditLog.CHECKPOINT_TYPE;

    private final PlatformClient client;
    private final Clock clock;
    private final RandomGenerator random;
    private final Backoff.Sleeper sleeper;
    private final ProfileRepository profiles;
    private final StandardsRepository standards;
    private final CaseRepository cases;
    private final OutboxRepository outbox;
    private final TreeHeadRepository heads;

    public SyncEngine(LocalDatabase db, PlatformClient client, Clock clock) {
        this(db, client, clock, RandomGenerator.getDefault(), Backoff.Sleeper.REAL);
    }

    /** {@code client} need not carry the token: the engine takes it from the profile's database. */
    public SyncEngine(LocalDatabase db, PlatformClient client, Clock clock, RandomGenerator random, Backoff.Sleeper sleeper) {
        this.client = Objects.requireNonNull(client);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.sleeper = Objects.requireNonNull(sleeper);
        this.profiles = new ProfileRepository(db, clock);
        this.standards = new StandardsRepository(db, clock);
        this.cases = new CaseRepository(db, clock);
        this.outbox = new OutboxRepository(db, clock);
        this.heads = new TreeHeadRepository(db, clock);
    }

    /** Runs one sync. Never throws for platform or network trouble: the report's outcome says how it ended. */
    public SyncReport run(SyncOptions options, ProgressListener progress, CancellationToken cancel) {
        Run r = new Run(options, progress, cancel, new Backoff(options.backoff(), random, sleeper));
        try {
            r.execute();
            return r.report(SyncReport.Outcome.COMPLETE, null);
        } catch (Stop s) {
            LOG.warn("sync stopped: {} ({})", s.outcome, s.getMessage());
            return r.report(s.outcome, s.getMessage());
        }
    }

    /** Ends a run early with an outcome. */
    private static final class Stop extends Exception {
        final SyncReport.Outcome outcome;

        Stop(SyncReport.Outcome outcome, String message) {
            super(message);
            this.outcome = outcome;
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws PlatformException;
    }

    /** The state of one run (counters, the authenticated client); discarded afterwards. */
    private final class Run {
        final SyncOptions options;
        final ProgressListener progress;
        final CancellationToken cancel;
        final Backoff backoff;
        final List<String> installed = new ArrayList<>();
        final List<SyncReport.StandardsRefusal> refused = new ArrayList<>();
        final List<SyncReport.CaseRefusal> casesRefused = new ArrayList<>();
        int inserted, updated, withdrawn, pages, accepted, duplicate, conflict, rejected;
        boolean checkpointQueued;
        /** Whether the platform answered a push request of this run (it is not refusing every request). */
        boolean taken;
        PlatformClient api;
        String actor;
        TransparencyVerifier log;
        PublicKey platformKey;
        /** When the platform asked not to be called before: set when the run stops on a Retry-After it does not wait out. */
        Instant notBefore;

        Run(SyncOptions options, ProgressListener progress, CancellationToken cancel, Backoff backoff) {
            this.options = options;
            this.progress = progress;
            this.cancel = cancel;
            this.backoff = backoff;
        }

        SyncReport report(SyncReport.Outcome outcome, String problem) {
            long size = heads.held().map(TreeHeadRepository.Held::treeSize).orElse(-1L);
            return new SyncReport(outcome, problem, installed, refused, inserted, updated, withdrawn, pages,
                    accepted, duplicate, conflict, rejected, checkpointQueued, backoff.retriesUsed(), outbox.pendingCount(), size, casesRefused,
                    notBefore);
        }

        void execute() throws Stop {
            ProfileStore.StoredProfile profile = profiles.load().orElseThrow(() -> new Stop(SyncReport.Outcome.FAILED, "this profile holds no enrolment"));
            String token = profiles.token().orElseThrow(() -> new Stop(SyncReport.Outcome.REENROL_NEEDED, "no platform token: enrol again"));
            api = client.withToken(token);
            actor = profile.keyId();
            platformKey = Sm2.fromPem(profile.platformPublicKeyPem());
            log = new TransparencyVerifier(platformKey);
            Stop pullFailed = null;
            try {
                checkLog();
                // a pull the platform refuses, or answers outside the contract, does not keep the outbox from
                // leaving: what people signed is sent, and the run then reports the pull's failure
                pullFailed = pull(this::pullStandards);
                Stop assignmentsFailed = pull(this::pullAssignments); // assignments even when the standards' list failed
                if (pullFailed == null) pullFailed = assignmentsFailed;
                queueCheckpoint();
                try {
                    push();
                } catch (Stop s) {
                    throw after(s, pullFailed);
                }
                if (pullFailed != null) throw pullFailed;
            } catch (PlatformException e) {
                throw after(refused(e), pullFailed);
            }
            emit(ProgressListener.Phase.DONE, "done", 1, 1);
        }

        @FunctionalInterface
        interface Pull {
            void run() throws Stop, PlatformException;
        }

        /** Runs a pull; its failure (refused, or answered outside the contract) is returned for the report, not thrown. */
        Stop pull(Pull p) throws Stop {
            try {
                p.run();
                return null;
            } catch (PlatformException e) {
                Stop s = refused(e);
                LOG.warn("pull failed, the rest of the sync goes on: {}", s.getMessage());
                return s;
            } catch (Stop s) {
                if (s.outcome != SyncReport.Outcome.FAILED) throw s;
                LOG.warn("pull failed, the rest of the sync goes on: {}", s.getMessage());
                return s;
            }
        }

        /** The push's own stop says what to do next; a pull's failure before it is not lost from the report. */
        static Stop after(Stop s, Stop pullFailed) {
            return pullFailed == null ? s : new Stop(s.outcome, s.getMessage() + "; before that: " + pullFailed.getMessage());
        }

        Stop refused(PlatformException e) {
            return new Stop(SyncReport.Outcome.FAILED, "the platform refused a request: " + (e.code() == null ? "" : e.code() + " ") + e.getMessage());
        }

        void checkLog() throws Stop, PlatformException {
            emit(ProgressListener.Phase.TREE_HEAD, "checking the platform's log", 0, 1);
            TransparencyVerifier.Head h;
            try {
                h = log.head(call(api::treeHead));
            } catch (TransparencyVerifier.UntrustedException e) {
                throw untrusted(e);
            }
            // the platform's latest head is never smaller than one it already signed to this workstation: an append-only
            // log cannot shrink (contract 06). A smaller "latest" head hides entries (or the platform lost them): either
            // way the platform is not to be trusted until a person looks, and nothing is pushed to it
            Optional<TreeHeadRepository.Held> held = heads.held();
            if (held.isPresent() && h.treeSize() < held.get().treeSize()) {
                throw untrusted(new TransparencyVerifier.UntrustedException("the platform's log shrank: its latest signed head has "
                        + h.treeSize() + " entries, this workstation holds a signed head of " + held.get().treeSize()));
            }
            advanceHead(h);
        }

        /** Accepts {@code h} as the held head if it extends the held one (consistency proof), else stops the run. */
        void advanceHead(TransparencyVerifier.Head h) throws Stop, PlatformException {
            Optional<TreeHeadRepository.Held> held = heads.held();
            try {
                if (held.isPresent()) {
                    long from = held.get().treeSize();
                    if (h.treeSize() < from) {
                        // an older head (e.g. in a DUPLICATE's original receipt) is fine when it is a prefix of the held one
                        PlatformClient.ConsistencyProof p = call(() -> api.consistency(h.treeSize(), from));
                        log.consistent(h.treeSize(), h.rootHash(), new TransparencyVerifier.Head(from, held.get().rootHash(), held.get().envelope()), p.proof());
                        return;
                    }
                    if (h.treeSize() == from) {
                        if (!h.rootHash().equals(held.get().rootHash())) {
                            throw new TransparencyVerifier.UntrustedException("two different signed roots for the log size " + from);
                        }
                        return;
                    }
                    PlatformClient.ConsistencyProof p = call(() -> api.consistency(from, h.treeSize()));
                    log.consistent(from, held.get().rootHash(), h, p.proof());
                }
            } catch (TransparencyVerifier.UntrustedException e) {
                throw untrusted(e);
            }
            heads.save(h.treeSize(), h.rootHash(), h.envelope());
        }

        Stop untrusted(TransparencyVerifier.UntrustedException e) {
            LOG.error("PLATFORM NOT TRUSTED: {}", e.getMessage());
            return new Stop(SyncReport.Outcome.PLATFORM_UNTRUSTED, e.getMessage());
        }

        void pullStandards() throws Stop, PlatformException {
            List<PlatformClient.StandardsListing> listing = call(api::listStandards);
            BundleVerifier verifier = new BundleVerifier(platformKey);
            int i = 0;
            for (PlatformClient.StandardsListing l : listing) {
                emit(ProgressListener.Phase.STANDARDS, l.version(), i++, listing.size());
                if (standards.holds(l.version())) continue;
                JsonNode doc;
                try {
                    doc = call(() -> api.getStandards(l.version()));
                } catch (PlatformException e) {
                    if (e.kind() != PlatformException.Kind.REFUSED) throw e;
                    refuse(l.version(), "NOT_SERVED", "the platform did not serve it: " + e.getMessage());
                    continue;
                }
                switch (verifier.verify(doc, l.sm3())) {
                    case BundleVerifier.Refused r -> refuse(l.version(), r.reason().name(), r.reason() + ": " + r.message());
                    case BundleVerifier.Verified v -> {
                        if (!v.bundle().version().toString().equals(l.version())) {
                            refuse(l.version(), "VERSION_MISMATCH", "the bundle is version " + v.bundle().version() + ", listed as " + l.version());
                            continue;
                        }
                        StandardsLibrary.Admission a = standards.install(v.bundle(), Envelope.fromJson(doc), actor);
                        switch (a.kind()) {
                            case ADDED_AS_CURRENT, ADDED_AS_OLDER -> installed.add(l.version());
                            case ALREADY_HELD -> { }
                            default -> refuse(l.version(), a.kind().name(), a.kind().name() + ": " + a.message());
                        }
                    }
                }
            }
        }

        void refuse(String version, String code, String reason) {
            LOG.warn("standards {} refused: {}", version, reason);
            refused.add(new SyncReport.StandardsRefusal(version, code, reason));
        }

        void pullAssignments() throws Stop, PlatformException {
            String cursor = cases.cursor().orElse(null);
            while (true) {
                checkCancel();
                String from = cursor;
                PlatformClient.AssignmentsPage page = call(() -> api.assignments(from, options.pageSize()));
                List<CaseRepository.Assignment> items = new ArrayList<>();
                for (PlatformClient.AssignmentItem it : page.items()) {
                    items.add(new CaseRepository.Assignment(it.withdrawn(), it.caseId(), it.caseJson()));
                }
                CaseRepository.Applied a = cases.applyPage(items, page.nextCursor(), actor);
                inserted += a.inserted();
                updated += a.updated();
                withdrawn += a.withdrawn();
                a.refused().forEach(x -> casesRefused.add(new SyncReport.CaseRefusal(x.caseId(), x.reason())));
                pages++;
                emit(ProgressListener.Phase.ASSIGNMENTS, "page " + pages, pages, -1);
                cursor = page.nextCursor();
                if (!page.hasMore() || page.items().isEmpty()) return;
            }
        }

        void queueCheckpoint() throws Stop {
            SyncOptions.Signer s = options.signer();
            if (s == null) return;
            checkCancel();
            if (!Sm2.keyId(s.publicKey()).equals(actor)) throw new Stop(SyncReport.Outcome.FAILED, "the signing key given is not this profile's key");
            // at every sync a person signs for (contract 06), however recent the last one
            Optional<OutboxRepository.Entry> queued = outbox.queueCheckpoint(s.privateKey(), s.publicKey(), s.role(), actor, java.time.Duration.ZERO);
            if (queued.isEmpty()) return;
            checkpointQueued = true;
            emit(ProgressListener.Phase.CHECKPOINT, "audit checkpoint queued", 1, 1);
        }

        /**
         * Sends the open requests again, then the queue in requests of up to the run's batch size. A request the
         * platform (or a proxy in front of it) refuses as too large (413) is put back and the requests of the rest of
         * the run are half as large, down to one envelope. An envelope refused alone is set aside; once the platform
         * has taken a request in this run (so it is not refusing everything) it is REJECTED with the platform's reason,
         * for a person to see — and if the platform took nothing, the run FAILS and every envelope stays queued (a
         * proxy limit smaller than any envelope is the platform's to fix, not a reason to refuse what people signed).
         * Without this, one request too large for the platform was sent again on every sync, and nothing queued after
         * it ever left.
         */
        void push() throws Stop, PlatformException {
            int total = outbox.pendingCount();
            int done = 0;
            int size = options.batchSize();
            java.util.Map<Long, String> tooLarge = new java.util.LinkedHashMap<>(); // id -> why, refused alone
            emit(ProgressListener.Phase.PUSH, "sending", 0, total);
            OutboxRepository.Check check = ownSignaturesVerify();
            for (OutboxRepository.Batch b : outbox.openBatches(check)) {
                int n = sendOrShrink(b, true, tooLarge);
                if (n < 0) size = Math.min(size, Math.max(1, b.items().size() / 2));
                else done += n;
                emit(ProgressListener.Phase.PUSH, "sending", done, total);
            }
            while (true) {
                checkCancel();
                OutboxRepository.Batch b = outbox.assignBatchKey(actor, size, check, tooLarge.keySet());
                if (b.isEmpty()) break;
                int n = sendOrShrink(b, false, tooLarge);
                if (n < 0) size = Math.max(1, b.items().size() / 2);
                else done += n;
                emit(ProgressListener.Phase.PUSH, "sending", done, total);
            }
            if (tooLarge.isEmpty()) return;
            if (!taken) {
                throw new Stop(SyncReport.Outcome.FAILED, "the platform refused every request as too large, even a single envelope ("
                        + tooLarge.values().iterator().next() + "); nothing was refused here and the outbox is kept: its request size limit must be raised");
            }
            for (var e : tooLarge.entrySet()) {
                if (outbox.refuseQueued(e.getKey(), "TOO_LARGE", "the platform refused this envelope, sent alone, as too large: " + e.getValue(), actor)) {
                    rejected++;
                }
            }
        }

        /**
         * {@link #send}, or -1 when the request was too large for the platform and its envelopes went back to the queue
         * (a request of one envelope: set aside in {@code tooLarge}, 0 returned).
         */
        int sendOrShrink(OutboxRepository.Batch b, boolean resend, java.util.Map<Long, String> tooLarge) throws Stop, PlatformException {
            try {
                int n = send(b, resend);
                taken = true;
                return n;
            } catch (PlatformException e) {
                if (e.kind() != PlatformException.Kind.REFUSED || e.httpStatus() != 413) throw e;
                String why = "HTTP 413" + (e.code() == null ? "" : " " + e.code()) + ": " + e.getMessage();
                if (b.items().size() > 1) {
                    LOG.info("the platform refused a request of {} envelopes as too large ({}); sending them in smaller requests", b.items().size(), why);
                    outbox.release(b.idempotencyKey(), "refused as too large with " + (b.items().size() - 1) + " others (" + why + "); sent again in a smaller request", actor);
                    return -1;
                }
                OutboxRepository.Item only = b.items().getFirst();
                LOG.warn("the platform refused envelope {} alone as too large ({})", only.envelopeSm3(), why);
                outbox.release(b.idempotencyKey(), "refused alone as too large (" + why + ")", actor);
                tooLarge.put(only.id(), why);
                return 0;
            }
        }

        /**
         * The check each queued envelope passes again just before it is sent (besides the outbox's own: stored bytes,
         * recorded SM3, queueing audit entry): every signature made with this profile's key must still verify against
         * it. Signatures by other keys (a panel member's vote signed on this workstation) are checked by the platform,
         * which knows their keys. Without the signing key in this run only the outbox's own checks apply.
         */
        OutboxRepository.Check ownSignaturesVerify() {
            SyncOptions.Signer s = options.signer();
            if (s == null) return OutboxRepository.Check.NONE;
            PublicKey own = s.publicKey();
            String ownId = Sm2.keyId(own);
            return env -> {
                byte[] canonicalPayload = Json.canonical(env.payload());
                for (Envelope.Signature sig : env.signatures()) {
                    if (!sig.keyId().equals(ownId)) continue;
                    if (!"SM2-SM3".equals(sig.alg())
                            || !Sm2.verifyBase64(own, env.signingInput(canonicalPayload, sig.role(), sig.keyId(), sig.signedAt()), sig.value())) {
                        return "the signature by this profile's key no longer verifies: the envelope was altered after signing";
                    }
                }
                return null;
            };
        }

        /**
         * Sends one keyed request (re-sending the same body on failure), verifies and records its results.
         * {@code resend}: the batch comes from {@link OutboxRepository#openBatches} (keyed by an earlier run), so every
         * send of it is recorded with {@link OutboxRepository#markSending}; a fresh batch's first send was recorded
         * with its key, and only its retries are.
         */
        int send(OutboxRepository.Batch b, boolean resend) throws Stop, PlatformException {
            List<JsonNode> items = b.items().stream().map(OutboxRepository.Item::envelope).toList();
            boolean[] recorded = {!resend};
            List<PlatformClient.PushResult> results = call(() -> {
                if (!recorded[0]) outbox.markSending(b.idempotencyKey(), actor);
                recorded[0] = false;
                return api.pushEnvelopes(b.idempotencyKey(), items);
            }, e -> outbox.recordFailure(b.idempotencyKey(), e.getMessage(), null));
            List<OutboxRepository.Result> toRecord = new ArrayList<>();
            // every distinct signed head the receipts prove inclusion in, by size: each must be consistent with the held
            // one (a DUPLICATE's original receipt may carry an older head — of this log, not of a fork of it)
            java.util.TreeMap<Long, TransparencyVerifier.Head> receiptHeads = new java.util.TreeMap<>();
            int ok = 0, dup = 0, conf = 0, rej = 0;
            for (int i = 0; i < results.size(); i++) {
                PlatformClient.PushResult r = results.get(i);
                OutboxRepository.Item item = b.items().get(i);
                if (!item.envelopeSm3().equals(r.envelopeSm3())) throw new Stop(SyncReport.Outcome.FAILED, "the platform answered for another envelope");
                switch (r.status()) {
                    case "ACCEPTED", "DUPLICATE" -> {
                        try {
                            TransparencyVerifier.Head h = log.receipt(item.envelope(), r.receipt());
                            TransparencyVerifier.Head same = receiptHeads.putIfAbsent(h.treeSize(), h);
                            if (same != null && !same.rootHash().equals(h.rootHash())) {
                                throw new TransparencyVerifier.UntrustedException("two different signed roots for the log size " + h.treeSize());
                            }
                        } catch (TransparencyVerifier.UntrustedException e) {
                            throw untrusted(e);
                        }
                        if (r.status().equals("ACCEPTED")) ok++; else dup++;
                    }
                    case "CONFLICT" -> conf++;
                    case "REJECTED" -> rej++;
                    default -> throw new Stop(SyncReport.Outcome.FAILED, "unknown result status " + r.status());
                }
                toRecord.add(new OutboxRepository.Result(r.envelopeSm3(), r.status(), r.code(), r.detail(), r.receipt()));
            }
            for (TransparencyVerifier.Head h : receiptHeads.values()) advanceHead(h);
            outbox.recordResults(b.idempotencyKey(), toRecord, actor);
            accepted += ok;
            duplicate += dup;
            conflict += conf;
            rejected += rej;
            return results.size();
        }

        <T> T call(Call<T> op) throws Stop, PlatformException {
            return call(op, e -> { });
        }

        /** Runs a request, retrying network errors, 5xx and 429 under the run's backoff; {@code onRetryable} sees each failure. */
        <T> T call(Call<T> op, java.util.function.Consumer<PlatformException> onRetryable) throws Stop, PlatformException {
            for (int attempt = 0; ; attempt++) {
                checkCancel();
                try {
                    return op.run();
                } catch (PlatformException e) {
                    switch (e.kind()) {
                        case UNAUTHORIZED -> throw new Stop(SyncReport.Outcome.REENROL_NEEDED, "the platform no longer accepts this workstation's token: enrol again");
                        case PROTOCOL -> throw new Stop(SyncReport.Outcome.FAILED, "the platform answered outside the contract: " + e.getMessage());
                        case UNTRUSTED -> {
                            LOG.error("PLATFORM NOT TRUSTED: {}", e.getMessage());
                            throw new Stop(SyncReport.Outcome.PLATFORM_UNTRUSTED, e.getMessage());
                        }
                        case REFUSED -> throw e;
                        case NETWORK, SERVER -> {
                            onRetryable.accept(e);
                            LOG.info("request failed ({} {}), retry {}", e.httpStatus(), e.getMessage(), attempt + 1);
                            boolean again;
                            try {
                                again = backoff.pause(attempt, e.retryAfter());
                            } catch (InterruptedException ie) {
                                Thread.currentThread().interrupt();
                                throw new Stop(SyncReport.Outcome.CANCELLED, "interrupted");
                            }
                            if (!again) {
                                // the platform asked for a longer rest than a run waits: the automatic sync waits that long
                                if (backoff.longerThanWaited(e.retryAfter())) notBefore = clock.instant().plus(e.retryAfter());
                                throw new Stop(SyncReport.Outcome.RETRY_LATER, "the platform cannot be reached now ("
                                        + (e.httpStatus() > 0 ? "HTTP " + e.httpStatus() : e.getMessage()) + "); the rest is left for the next sync");
                            }
                        }
                    }
                }
            }
        }

        void checkCancel() throws Stop {
            if (cancel.isCancelled() || Thread.currentThread().isInterrupted()) throw new Stop(SyncReport.Outcome.CANCELLED, "cancelled");
        }

        void emit(ProgressListener.Phase phase, String message, long done, long total) {
            progress.onProgress(new ProgressListener.Progress(phase, message, done, total));
        }
    }
}
