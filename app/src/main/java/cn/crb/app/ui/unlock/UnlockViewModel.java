package cn.crb.app.ui.unlock;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.ProfileSummary;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.function.Consumer;

/** Later starts: choose a profile, type the passphrase, unlock in the background. */
public final class UnlockViewModel {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UnlockViewModel.class);
    /** A profile as listed on the unlock screen. */
    public record Choice(ProfileSummary summary, String label) {
        @Override public String toString() { return label; }
    }

    private final ProfileService profiles;
    private final Background background;
    private final I18n i18n;
    private final Consumer<ProfileSession> onUnlocked;
    private final ObservableList<Choice> choices = FXCollections.observableArrayList();
    private final ObjectProperty<Choice> selected = new SimpleObjectProperty<>();
    private final StringProperty passphrase = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanBinding canUnlock;

    public UnlockViewModel(ProfileService profiles, Background background, I18n i18n, Consumer<ProfileSession> onUnlocked) {
        this.profiles = profiles;
        this.background = background;
        this.i18n = i18n;
        this.onUnlocked = onUnlocked;
        canUnlock = Bindings.createBooleanBinding(() -> !busy.get() && selected.get() != null && !passphrase.get().isEmpty(),
                busy, selected, passphrase);
        refresh();
    }

    public void refresh() {
        choices.setAll(profiles.list().stream()
                .map(p -> new Choice(p, p.displayName() + " — " + i18n.roles(p.roles()) + " (" + p.keyId().substring(0, 8) + ")"))
                .toList());
        if (!choices.isEmpty() && (selected.get() == null || !choices.contains(selected.get()))) selected.set(choices.getFirst());
    }

    public ObservableList<Choice> choices() { return choices; }
    public ObjectProperty<Choice> selectedProperty() { return selected; }
    public StringProperty passphraseProperty() { return passphrase; }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty errorProperty() { return error; }
    public BooleanBinding canUnlockProperty() { return canUnlock; }

    public void unlock() {
        if (!canUnlock.get()) return;
        busy.set(true);
        error.set("");
        String id = selected.get().summary().id();
        char[] pass = passphrase.get().toCharArray();
        // for the day's audit checkpoint, signed once the shell is shown (opening the key takes a second): wiped then
        char[] forCheckpoint = pass.clone();
        LOG.info("milestone: unlock started (process CPU {} ms)", cn.crb.app.ui.common.Milestones.processCpuMs());
        background.run(() -> {
                    try {
                        return profiles.unlock(id, pass);
                    } finally {
                        cn.crb.domain.crypto.Passphrases.wipe(pass); // the copy made here; the field's text is cleared below
                    }
                },
                session -> {
                    busy.set(false);
                    passphrase.set("");
                    onUnlocked.accept(session);
                    // at most daily, with the passphrase just typed (contract 06); nothing the person waits for
                    background.run(() -> {
                        try {
                            return profiles.checkpointIfDue(session, forCheckpoint);
                        } finally {
                            cn.crb.domain.crypto.Passphrases.wipe(forCheckpoint);
                        }
                    }, queued -> { if (queued) LOG.info("audit checkpoint of the day queued"); }, t -> LOG.warn("no audit checkpoint: {}", t.toString()));
                },
                t -> {
                    cn.crb.domain.crypto.Passphrases.wipe(forCheckpoint);
                    busy.set(false);
                    passphrase.set("");
                    error.set(ErrorMessages.of(t, i18n));
                    if (t instanceof ProfileException p && p.reason() == ProfileException.Reason.WRONG_PASSPHRASE) {
                        long wait = profiles.unlockWait(id).toSeconds();
                        if (wait > 0) error.set(error.get() + " " + i18n.text("unlock.wait", wait));
                    }
                });
    }
}
