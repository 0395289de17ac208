package cn.crb.app.ui.shell;

import cn.crb.app.profile.ProfileSession;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The main window's state: the section shown, the signed-in person and roles, connectivity, last sync and outbox size.
 * All texts follow the current language.
 */
public final class ShellViewModel {
    /** The sections of the navigation, in order. */
    public static final List<String> SECTIONS = List.of("dashboard", "inbox", "arbitration", "bulk", "standards", "sync", "audit");

    /** Whether the platform answers. */
    public enum Connectivity { CHECKING, ONLINE, OFFLINE }

    private final ProfileSession session;
    private final Background background;
    private final I18n i18n;
    private final BooleanSupplier probe;
    private final boolean demo;

    private final StringProperty section = new SimpleStringProperty("inbox");
    private final ObjectProperty<Connectivity> connectivity = new SimpleObjectProperty<>(Connectivity.CHECKING);
    private final ObjectProperty<Instant> lastSync = new SimpleObjectProperty<>();
    private final IntegerProperty outboxSize = new SimpleIntegerProperty();

    public ShellViewModel(ProfileSession session, Background background, I18n i18n, BooleanSupplier probe, boolean demo) {
        this.session = session;
        this.background = background;
        this.i18n = i18n;
        this.probe = probe;
        this.demo = demo;
        section.set(sectionsFor(session.summary().roles()).getFirst());
    }

    /** The sections a person's roles open (contract 03: the workstation offers only what the roles allow). */
    public static List<String> sectionsFor(List<String> roles) {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add("dashboard");
        if (roles.contains("REVIEWER") || roles.contains("CLERK")) out.add("inbox");
        if (roles.contains("PANEL_MEMBER") || roles.contains("PANEL_CHAIR")) out.add("arbitration");
        if (roles.contains("CLERK")) out.add("bulk");
        out.addAll(List.of("standards", "sync", "audit"));
        return out;
    }

    public List<String> visibleSections() {
        return sectionsFor(session.summary().roles());
    }

    /** Starts the periodic connectivity check and reads the outbox size. */
    public void start() {
        background.every(30, this::checkNow);
        refreshOutbox();
        refreshLastSync();
    }

    public void checkNow() {
        boolean up = probe.getAsBoolean();
        background.ui(() -> connectivity.set(up ? Connectivity.ONLINE : Connectivity.OFFLINE));
    }

    public void refreshOutbox() {
        background.run(session::outboxSize, outboxSize::set, t -> { });
    }

    /** Last sync = when the platform's signed tree head was last verified (kept in the local database). */
    public void refreshLastSync() {
        background.run(() -> new cn.crb.localdb.TreeHeadRepository(session.database(), java.time.Clock.systemUTC()).held()
                .map(h -> h.verifiedAt().toInstant()).orElse(null), lastSync::set, t -> { });
    }

    public StringProperty sectionProperty() { return section; }
    public ObjectProperty<Connectivity> connectivityProperty() { return connectivity; }
    public IntegerProperty outboxSizeProperty() { return outboxSize; }
    public boolean demo() { return demo; }

    public StringBinding personText() {
        return Bindings.createStringBinding(() -> i18n.text("status.person", session.summary().displayName(),
                i18n.roles(session.summary().roles())), i18n.localeProperty());
    }

    public StringBinding connectivityText() {
        return Bindings.createStringBinding(() -> i18n.text("status." + connectivity.get().name().toLowerCase()),
                connectivity, i18n.localeProperty());
    }

    public StringBinding lastSyncText() {
        return Bindings.createStringBinding(() -> i18n.text("status.lastSync", lastSync.get() == null ? i18n.text("status.never")
                        : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(i18n.locale())
                        .withZone(ZoneId.systemDefault()).format(lastSync.get())),
                lastSync, i18n.localeProperty());
    }

    public StringBinding outboxText() {
        return Bindings.createStringBinding(() -> i18n.text("status.outbox", NumberFormat.getIntegerInstance(i18n.locale()).format(outboxSize.get())),
                outboxSize, i18n.localeProperty());
    }

    public StringBinding emptyTitle() {
        return Bindings.createStringBinding(() -> i18n.text("empty." + section.get() + ".title"), section, i18n.localeProperty());
    }

    public StringBinding emptyText() {
        return Bindings.createStringBinding(() -> i18n.text("empty." + section.get() + ".text"), section, i18n.localeProperty());
    }
}
