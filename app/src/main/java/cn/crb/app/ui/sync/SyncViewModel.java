package cn.crb.app.ui.sync;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.sync.SyncService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.crypto.Pkcs12Keystore;
import cn.crb.localdb.OutboxRepository;
import cn.crb.sync.Backoff;
import cn.crb.sync.CancellationToken;
import cn.crb.sync.ProgressListener;
import cn.crb.sync.SyncReport;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.function.Consumer;

/**
 * The Sync screen: run a sync in the background with progress and cancel, show what it did in plain words, and list
 * the outbox (what waits, what the platform refused and why).
 */
public final class SyncViewModel {
    private final ProfileSession session;
    private final ProfileService profiles;
    private final SyncService sync;
    private final Background background;
    private final I18n i18n;
    private final Consumer<SyncReport> onFinished;
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty phase = new SimpleStringProperty("");
    private final StringProperty report = new SimpleStringProperty("");
    private final ObservableList<OutboxRepository.Entry> outbox = FXCollections.observableArrayList();
    private final BooleanProperty signInNeeded = new SimpleBooleanProperty(false);
    private volatile CancellationToken cancel;
    /** From the last run: the platform asked not to be called before then (its Retry-After), or null. */
    private volatile java.time.Instant notBefore;
    private static final java.time.format.DateTimeFormatter AT = java.time.format.DateTimeFormatter.ofPattern("MM-dd HH:mm")
            .withZone(java.time.ZoneId.systemDefault());
    private Consumer<ProfileService.Renewal> onSignedIn = r -> { };
    private String deviceName = "workstation";

    public SyncViewModel(ProfileSession session, ProfileService profiles, SyncService sync, Background background, I18n i18n,
                         Consumer<SyncReport> onFinished) {
        this.session = session;
        this.profiles = profiles;
        this.sync = sync;
        this.background = background;
        this.i18n = i18n;
        this.onFinished = onFinished;
    }

    private java.util.function.Consumer<String> openCase = id -> { };
    private Runnable outboxChanged = () -> { };

    /** Where "re-decide" leads (the case, at the revision the platform now holds) and who hears of a discard. */
    public SyncViewModel onActions(java.util.function.Consumer<String> openCase, Runnable outboxChanged) {
        this.openCase = openCase;
        this.outboxChanged = outboxChanged;
        return this;
    }

    /** Who carries on after the person signed in again (the window rebuilds itself for the roles now held). */
    public SyncViewModel onSignedInAgain(Consumer<ProfileService.Renewal> then, String device) {
        this.onSignedIn = then;
        this.deviceName = device;
        return this;
    }

    /**
     * Signs in again with a fresh enrolment code after the platform revoked this workstation's token (REENROL_NEEDED):
     * the same key, nothing in the outbox touched. A change of roles comes with it, audited (contract 03).
     */
    public void signInAgain(String code) {
        if (code == null || code.isBlank() || running.get()) return;
        running.set(true);
        progress.set(-1);
        report.set(i18n.text("signin.running"));
        background.run(() -> profiles.renew(session, code.strip(), deviceName), r -> {
            running.set(false);
            progress.set(0);
            signInNeeded.set(false);
            report.set(r.rolesChanged()
                    ? i18n.text("signin.rolesChanged", i18n.roles(r.rolesBefore()), i18n.roles(r.session().summary().roles()))
                    : i18n.text("signin.done"));
            onSignedIn.accept(r);
        }, t -> {
            running.set(false);
            progress.set(0);
            report.set(ErrorMessages.of(t, i18n));
        });
    }

    /** Whether a person can act on the entry: the platform returned it (CONFLICT or REJECTED). */
    public static boolean needsPerson(OutboxRepository.Entry e) {
        return e != null && e.state().needsPerson();
    }

    /** Re-decide: opens the entry's case (after a sync, at the platform's newer revision) to decide it again. */
    public void redecide(OutboxRepository.Entry e) {
        if (needsPerson(e) && e.caseId() != null) openCase.accept(e.caseId());
    }

    /** Discards a returned entry with the person's reason (required; written to the audit log). */
    public void discard(OutboxRepository.Entry e, String reason) {
        if (!needsPerson(e) || reason == null || reason.isBlank()) return;
        background.run(() -> {
            sync.discard(session, e.id(), reason.strip());
            return sync.outbox(session, true);
        }, list -> {
            outbox.setAll(list);
            report.set(i18n.text("outbox.discarded", e.envelopeSm3().substring(0, 16)));
            outboxChanged.run();
        }, t -> report.set(ErrorMessages.of(t, i18n)));
    }

    public void loadOutbox() {
        background.run(() -> sync.outbox(session, true), outbox::setAll, t -> report.set(ErrorMessages.of(t, i18n)));
    }

    /**
     * Syncs now. A non-empty passphrase opens the signing key so that this sync also signs the audit checkpoint;
     * an empty one syncs without it.
     */
    public void syncNow(char[] passphrase) {
        if (running.get()) {
            if (passphrase != null) java.util.Arrays.fill(passphrase, '\0'); // a sync is running already: this one is not made
            return;
        }
        running.set(true);
        progress.set(-1);
        report.set("");
        CancellationToken token = new CancellationToken();
        cancel = token;
        background.run(() -> {
            Pkcs12Keystore.Unlocked key;
            try {
                key = passphrase == null || passphrase.length == 0 ? null : profiles.openSigningKey(session.summary().id(), passphrase);
            } finally {
                cn.crb.domain.crypto.Passphrases.wipe(passphrase);
            }
            ProgressListener listener = p -> background.ui(() -> {
                phase.set(i18n.text("sync.phase." + p.phase().name()));
                progress.set(p.total() > 0 ? Math.min(1.0, p.done() / (double) p.total()) : -1);
            });
            return sync.sync(session, key, Backoff.Policy.interactive(), listener, token);
        }, r -> {
            running.set(false);
            progress.set(1);
            phase.set("");
            // a run cancelled before it heard from the platform says nothing of when to call it again
            if (r.outcome() != SyncReport.Outcome.CANCELLED || r.notBefore() != null) notBefore = r.notBefore();
            report.set(describe(r));
            signInNeeded.set(r.outcome() == SyncReport.Outcome.REENROL_NEEDED);
            loadOutbox();
            onFinished.accept(r);
        }, t -> {
            running.set(false);
            progress.set(0);
            phase.set("");
            report.set(ErrorMessages.of(t, i18n));
        });
    }

    /**
     * The periodic sync: skipped while the platform's Retry-After from the last run has not passed (contract 04), so that
     * a platform that asked for an hour's rest is not called every ten minutes. A person's {@link #syncNow} still goes.
     *
     * @return whether a sync was started
     */
    public boolean syncAutomatically() {
        if (running.get() || platformAskedToWait()) return false;
        syncNow(null);
        return true;
    }

    /** Whether the platform's Retry-After from the last run has not passed yet (any thread). */
    public boolean platformAskedToWait() {
        java.time.Instant wait = notBefore;
        return wait != null && sync.clock().instant().isBefore(wait);
    }

    public void cancel() {
        CancellationToken t = cancel;
        if (t != null) t.cancel();
    }

    /** The versions of the standards a sync refused, each with why, in the person's language. */
    static String standardsRefusedText(I18n i18n, List<cn.crb.sync.SyncReport.StandardsRefusal> refused) {
        return i18n.text("sync.standardsRefused",
                i18n.list(refused.stream().map(x -> i18n.text("sync.standardsRefusedItem", x.version(), refusalText(i18n, x.code()))).toList()));
    }

    /** The cases whose documents a sync could not read, by id (the first five), in the person's language. */
    static String casesRefusedText(I18n i18n, List<cn.crb.sync.SyncReport.CaseRefusal> refused) {
        List<String> ids = refused.stream().map(cn.crb.sync.SyncReport.CaseRefusal::caseId).distinct().toList();
        String shown = i18n.list(ids.size() > 5 ? ids.subList(0, 5) : ids) + (ids.size() > 5 ? i18n.text("sync.andMore", i18n.count(ids.size() - 5)) : "");
        return i18n.text("sync.casesRefused", i18n.count(ids.size()), shown);
    }

    /** Why a version of the standards was refused, in the person's language (the code itself when none is known). */
    private static String refusalText(I18n i18n, String code) {
        for (String prefix : List.of("standards.refusal.", "standards.admission.", "sync.standardsRefusal.")) {
            if (i18n.bundle().containsKey(prefix + code)) return i18n.text(prefix + code);
        }
        return code;
    }

    /** A sync report in plain words. */
    public String describe(SyncReport r) {
        String head = i18n.text("sync.outcome." + r.outcome().name());
        String body = i18n.text("sync.summary", i18n.count(r.standardsInstalled().size()), i18n.count(r.casesInserted()), i18n.count(r.casesUpdated()),
                i18n.count(r.casesWithdrawn()), i18n.count(r.envelopesAccepted() + r.envelopesDuplicate()),
                i18n.count(r.envelopesConflict() + r.envelopesRejected()), i18n.count(r.pendingLeft()));
        String refused = r.standardsRefused().isEmpty() ? "" : " " + standardsRefusedText(i18n, r.standardsRefused());
        if (!r.casesRefused().isEmpty()) refused += " " + casesRefusedText(i18n, r.casesRefused());
        // the engine's detail (English, technical) only where the plain-language head cannot say it all
        boolean technical = r.outcome() == SyncReport.Outcome.FAILED || r.outcome() == SyncReport.Outcome.PLATFORM_UNTRUSTED;
        String problem = !technical || r.problem() == null || r.problem().isBlank() ? "" : " " + r.problem();
        // the minute shown is never before the time asked (a time is shown without its seconds)
        String wait = r.notBefore() == null ? "" : " " + i18n.text("sync.notBefore", AT.format(r.notBefore().plusSeconds(59)));
        return head + wait + " " + body + refused + problem;
    }

    public BooleanProperty runningProperty() { return running; }
    public DoubleProperty progressProperty() { return progress; }
    public StringProperty phaseProperty() { return phase; }
    public StringProperty reportProperty() { return report; }
    public BooleanProperty signInNeededProperty() { return signInNeeded; }
    public ObservableList<OutboxRepository.Entry> outbox() { return outbox; }

    public String stateText(OutboxRepository.Entry e) { return i18n.text("outbox.state." + e.state().name()); }
}
