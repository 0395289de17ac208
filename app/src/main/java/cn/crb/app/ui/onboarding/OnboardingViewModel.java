package cn.crb.app.ui.onboarding;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.crypto.Passphrases;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.function.Consumer;

/**
 * First start: platform address, enrolment code, passphrase twice with its strength. {@link #create()} runs
 * the whole enrolment in the background and hands the unlocked session to {@code onCreated}.
 */
public final class OnboardingViewModel {
    /** A person of the embedded demo platform, offered so a newcomer need not type a code. */
    public record DemoChoice(String label, String code) {
        @Override public String toString() { return label; }
    }

    private final ProfileService profiles;
    private final Background background;
    private final I18n i18n;
    private final Consumer<ProfileSession> onCreated;
    private final String deviceName;

    private final StringProperty platformUrl = new SimpleStringProperty("");
    private final StringProperty code = new SimpleStringProperty("");
    private final StringProperty passphrase = new SimpleStringProperty("");
    private final StringProperty confirmation = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<Passphrases.Strength> strength = new ReadOnlyObjectWrapper<>(Passphrases.Strength.TOO_SHORT);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty step = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final ObservableList<DemoChoice> demoChoices = FXCollections.observableArrayList();
    private final ObjectProperty<DemoChoice> demoChoice = new SimpleObjectProperty<>();
    private final BooleanBinding canCreate;

    public OnboardingViewModel(ProfileService profiles, Background background, I18n i18n, String defaultPlatformUrl,
                               List<DemoChoice> demo, String deviceName, Consumer<ProfileSession> onCreated) {
        this.profiles = profiles;
        this.background = background;
        this.i18n = i18n;
        this.onCreated = onCreated;
        this.deviceName = deviceName;
        platformUrl.set(defaultPlatformUrl == null ? "" : defaultPlatformUrl);
        demoChoices.setAll(demo);
        passphrase.addListener((o, a, b) -> {
            char[] typed = b.toCharArray();
            strength.set(Passphrases.strength(typed));
            Passphrases.wipe(typed);
        });
        demoChoice.addListener((o, a, b) -> { if (b != null) code.set(b.code()); });
        canCreate = Bindings.createBooleanBinding(() -> !busy.get() && !code.get().isBlank() && !platformUrl.get().isBlank()
                        && strength.get().acceptable() && passphrase.get().equals(confirmation.get()),
                busy, code, platformUrl, strength, passphrase, confirmation);
    }

    public StringProperty platformUrlProperty() { return platformUrl; }
    public StringProperty codeProperty() { return code; }
    public StringProperty passphraseProperty() { return passphrase; }
    public StringProperty confirmationProperty() { return confirmation; }
    public ReadOnlyObjectProperty<Passphrases.Strength> strengthProperty() { return strength.getReadOnlyProperty(); }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty stepProperty() { return step; }
    public StringProperty errorProperty() { return error; }
    public ObservableList<DemoChoice> demoChoices() { return demoChoices; }
    public ObjectProperty<DemoChoice> demoChoiceProperty() { return demoChoice; }
    public BooleanBinding canCreateProperty() { return canCreate; }

    /** Shown under the passphrase fields: strength, or that the two entries differ. */
    public String strengthText() {
        if (!confirmation.get().isEmpty() && !passphrase.get().equals(confirmation.get())) return i18n.text("onboarding.mismatch");
        return i18n.text("strength.label", i18n.text("strength." + strength.get().name()));
    }

    public double strengthProgress() {
        return (strength.get().ordinal() + (passphrase.get().isEmpty() ? 0 : 1)) / (double) (Passphrases.Strength.values().length + 1);
    }

    public void create() {
        if (busy.get()) return;
        busy.set(true);
        error.set("");
        char[] pass = passphrase.get().toCharArray();
        char[] conf = confirmation.get().toCharArray();
        String url = platformUrl.get();
        String c = code.get();
        background.run(() -> {
                    try {
                        return profiles.create(url, c, pass, conf, deviceName, s -> background.ui(() -> step.set(i18n.text("step." + s.name()))));
                    } finally {
                        Passphrases.wipe(pass); // the copies made here; the fields' texts are cleared below
                        Passphrases.wipe(conf);
                    }
                },
                session -> {
                    busy.set(false);
                    passphrase.set("");
                    confirmation.set("");
                    onCreated.accept(session);
                },
                t -> {
                    busy.set(false);
                    step.set("");
                    error.set(ErrorMessages.of(t, i18n));
                });
    }
}
