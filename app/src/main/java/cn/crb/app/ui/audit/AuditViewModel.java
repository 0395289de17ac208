package cn.crb.app.ui.audit;

import cn.crb.app.profile.ProfileSession;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.audit.AuditEntry;
import cn.crb.domain.audit.AuditVerifier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.text.NumberFormat;
import java.util.List;

/** The local audit log: the latest entries and a verification of the whole hash chain. */
public final class AuditViewModel {
    public static final int SHOWN = 1000;
    private final ProfileSession session;
    private final Background background;
    private final I18n i18n;
    private final ObservableList<AuditEntry> entries = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty ok = new SimpleBooleanProperty(true);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);

    public AuditViewModel(ProfileSession session, Background background, I18n i18n) {
        this.session = session;
        this.background = background;
        this.i18n = i18n;
    }

    private record Loaded(List<AuditEntry> entries, AuditVerifier.Result result) {}

    public void load() {
        busy.set(true);
        background.run(() -> new Loaded(session.repository().recentAudit(SHOWN), session.repository().verifyAudit()), l -> {
            busy.set(false);
            entries.setAll(l.entries());
            AuditVerifier.Result r = l.result();
            ok.set(r.ok());
            String state = r.ok() ? i18n.text("audit.ok") : i18n.text("audit.broken", r.firstBadSeq());
            status.set(i18n.text("audit.entries", NumberFormat.getIntegerInstance(i18n.locale()).format(r.entries()), state));
        }, t -> {
            busy.set(false);
            status.set(ErrorMessages.of(t, i18n));
        });
    }

    public ObservableList<AuditEntry> entries() { return entries; }
    public StringProperty statusProperty() { return status; }
    public BooleanProperty okProperty() { return ok; }
    public BooleanProperty busyProperty() { return busy; }

    public String actionText(AuditEntry e) { return i18n.text("audit.action." + e.action()); }

    /** When it happened, in this computer's time zone, to the second (the entry keeps the UTC instant). */
    public String atText(AuditEntry e) { return atText(e, java.time.ZoneId.systemDefault()); }

    static String atText(AuditEntry e, java.time.ZoneId zone) {
        try {
            return AT.withZone(zone).format(java.time.Instant.parse(e.at()));
        } catch (java.time.DateTimeException notAnInstant) {
            return e.at(); // shown as stored rather than hidden: a tampered entry must still be seen
        }
    }

    private static final java.time.format.DateTimeFormatter AT = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** What the entry is about, its kind in the interface's language ("案件 C-2026-…"); an unknown kind as stored. */
    public String entityText(AuditEntry e) {
        String key = "audit.entity." + e.entityType();
        String kind = i18n.bundle().containsKey(key) ? i18n.text(key) : e.entityType();
        return e.entityId() == null || e.entityId().isEmpty() ? kind : kind + " " + e.entityId();
    }
}
