package cn.crb.app.ui.arbitration;

import cn.crb.app.arbitration.ArbitrationService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import cn.crb.app.ui.common.TimeLeftText;
import cn.crb.domain.arbitration.ArbitrationDocuments;
import cn.crb.domain.arbitration.ArbitrationSession;
import cn.crb.domain.arbitration.Position;
import cn.crb.localdb.ArbitrationRepository;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The arbitration screen: the sessions of the person's panels, and the selected session — the panel with each
 * member's standing (recused and why, voted, waiting), the quorum as it stands, the result so far, the record of the
 * session and the chair's notes (saved as typed). Every act runs in the background and asks the acting member for
 * their own key file and passphrase.
 */
public final class ArbitrationViewModel {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());

    /** A panel member as a table row. */
    public record MemberRow(String memberId, String name, String institution, boolean chair, boolean canSign, String standing,
                            boolean mayAct, boolean ownKey) {}

    /** An outcome of the case, for amendments: what was granted so far. */
    public record OutcomeRow(String outcomeId, String title, String granted) {}

    private final ArbitrationService service;
    private final Background background;
    private final I18n i18n;

    private final ObservableList<ArbitrationService.Summary> sessions = FXCollections.observableArrayList();
    private final ObjectProperty<ArbitrationService.View> view = new SimpleObjectProperty<>();
    private final ObservableList<MemberRow> members = FXCollections.observableArrayList();
    private final ObservableList<String> record = FXCollections.observableArrayList();
    private final ObservableList<OutcomeRow> outcomes = FXCollections.observableArrayList();
    private final StringProperty header = new SimpleStringProperty("");
    private final StringProperty grounds = new SimpleStringProperty("");
    private final StringProperty timeLeft = new SimpleStringProperty("");
    private final StringProperty quorum = new SimpleStringProperty("");
    private final StringProperty result = new SimpleStringProperty("");
    private final StringProperty notes = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty closed = new SimpleBooleanProperty(false);
    private final BooleanProperty canClose = new SimpleBooleanProperty(false);
    private final BooleanProperty needsRevote = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty hasSession = new SimpleBooleanProperty(false);
    /** True once the chair's signed result is kept here: its minutes can be printed. */
    private final BooleanProperty minutesAvailable = new SimpleBooleanProperty(false);
    private boolean loadingNotes;
    private final Runnable onQueued;

    /** {@code onQueued} runs on the FX thread after a result went into the outbox (the status bar's count changes). */
    public ArbitrationViewModel(ArbitrationService service, Background background, I18n i18n, Runnable onQueued) {
        this.service = service;
        this.onQueued = onQueued;
        this.background = background;
        this.i18n = i18n;
        notes.addListener((o, a, b) -> {
            ArbitrationService.View v = view.get();
            if (loadingNotes || v == null || v.closed()) return;
            String caseId = v.caseId();
            background.run(() -> { service.saveNotes(caseId, b); return true; }, ok -> { }, t -> message.set(ErrorMessages.of(t, i18n)));
        });
    }

    public void load() {
        busy.set(true);
        String selected = view.get() == null ? null : view.get().caseId();
        background.run(service::list, list -> {
            sessions.setAll(list);
            busy.set(false);
            if (selected != null) select(selected);
            else if (!list.isEmpty()) select(list.getFirst().caseId());
        }, this::failed);
    }

    public void select(String caseId) {
        if (caseId == null) return;
        act(() -> service.open(caseId), null);
    }

    public void vote(String memberId, Path keyFile, char[] passphrase, Position position, Map<String, BigDecimal> amended, String reason) {
        String caseId = view.get().caseId();
        String name = nameOf(memberId);
        act(() -> service.vote(caseId, memberId, keyFile, passphrase, position, amended, reason),
                i18n.text("arbitration.voted", name, i18n.text("position." + position.name())));
    }

    public void declareConflict(String memberId, Path keyFile, char[] passphrase, String reason) {
        String caseId = view.get().caseId();
        String name = nameOf(memberId);
        act(() -> service.declareConflict(caseId, memberId, keyFile, passphrase, reason), i18n.text("arbitration.conflictDeclared", name));
    }

    public void newRound() {
        String caseId = view.get().caseId();
        act(() -> service.newRound(caseId), i18n.text("arbitration.newRoundStarted"));
    }

    public void close(Path chairKeyFile, char[] passphrase) {
        String caseId = view.get().caseId();
        String n = notes.get();
        busy.set(true);
        background.run(() -> {
            var env = service.close(caseId, chairKeyFile, passphrase, n);
            return new Object[]{env, service.open(caseId), service.list()};
        }, r -> {
            busy.set(false);
            @SuppressWarnings("unchecked") List<ArbitrationService.Summary> list = (List<ArbitrationService.Summary>) r[2];
            sessions.setAll(list);
            show((ArbitrationService.View) r[1]);
            message.set(i18n.text("arbitration.closedMessage", ((cn.crb.domain.crypto.Envelope) r[0]).sm3().substring(0, 16)));
            onQueued.run();
        }, this::failed);
    }

    /** Writes the minutes of the closed session to {@code target} in the background (the screen's language). */
    public void exportMinutes(Path target) {
        ArbitrationService.View v = view.get();
        if (v == null) return;
        String caseId = v.caseId();
        java.util.Locale lang = i18n.locale();
        busy.set(true);
        background.run(() -> service.exportMinutes(caseId, lang, target), p -> {
            busy.set(false);
            message.set(i18n.text("notice.exported", p.file().getFileName(), p.pages(), p.envelopeSm3().substring(0, 16)));
        }, this::failed);
    }

    /** The file name offered for the minutes. */
    public String minutesFileName() {
        return i18n.text("notice.minutes.file", view.get() == null ? "" : view.get().caseId());
    }

    private void act(Callable<ArbitrationService.View> work, String done) {
        busy.set(true);
        background.run(work, v -> {
            busy.set(false);
            show(v);
            message.set(done == null ? "" : done);
        }, this::failed);
    }

    private void failed(Throwable t) {
        busy.set(false);
        message.set(ErrorMessages.of(t, i18n));
    }

    private void show(ArbitrationService.View v) {
        view.set(v);
        hasSession.set(true);
        header.set(i18n.text("arbitration.header", v.caseId(), v.arbitrationId(), v.round()));
        grounds.set(v.caseDocument().path("arbitration").path("objection").path("grounds").asText("—"));
        timeLeft.set(v.closed() ? i18n.text("arbitration.final") : new TimeLeftText(i18n).format(v.timeLeft()));
        int eligible = v.session().eligible().size();
        quorum.set(i18n.text("arbitration.quorum", v.votesThisRound().size(), v.session().quorum(), eligible,
                v.session().quorumMet() ? i18n.text("arbitration.quorumMet") : v.session().quorumReachable() ? i18n.text("arbitration.quorumNotYet")
                        : i18n.text("arbitration.quorumUnreachable")));
        result.set(resultText(v));
        closed.set(v.closed());
        minutesAvailable.set(v.resultEnvelope().isPresent());
        needsRevote.set(!v.closed() && v.result() instanceof ArbitrationSession.Revote);
        canClose.set(!v.closed() && v.result() instanceof ArbitrationSession.Decided);
        members.setAll(v.panel().stream().map(m -> row(v, m)).toList());
        record.setAll(v.events().stream().map(e -> TIME.format(e.at()) + "  " + eventText(v, e)).toList());
        outcomes.clear();
        var lines = v.caseDocument().path("decision").path("lines");
        for (var o : v.caseDocument().path("outcomes")) {
            String id = o.path("outcomeId").asText();
            String granted = "—";
            for (var l : lines) if (l.path("outcomeId").asText().equals(id)) granted = l.path("grantedCredits").asText("—");
            outcomes.add(new OutcomeRow(id, o.path("title").asText(""), granted));
        }
        loadingNotes = true;
        notes.set(v.closed() ? v.resultEnvelope().map(e -> e.payload().path("minutes").asText()).orElse(v.notes()) : v.notes());
        loadingNotes = false;
    }

    private MemberRow row(ArbitrationService.View v, ArbitrationDocuments.Member m) {
        String id = m.member().keyId();
        String standing;
        ArbitrationService.Recusal why = v.recusals().get(id);
        var vote = v.votesThisRound().get(id);
        if (why != null) standing = i18n.text("arbitration.standing.recused." + why.name());
        else if (vote != null) standing = i18n.text("arbitration.standing.voted", i18n.text("position." + vote.envelope().payload().path("position").asText()),
                TIME.format(vote.at()));
        else if (m.keyIds().isEmpty()) standing = i18n.text("arbitration.standing.notEnrolled");
        else standing = i18n.text("arbitration.standing.waiting");
        boolean mayAct = !v.closed() && why == null && vote == null && !m.keyIds().isEmpty();
        return new MemberRow(id, m.member().displayName(), m.member().institution() == null ? "—" : institutionText(v, m.member().institution()), m.member().chair(),
                !m.keyIds().isEmpty(), standing, mayAct, m.holds(service.ownKeyId()));
    }

    /** An institution as a person knows it: its name with the code after it, or the code alone when the standards do not list it. */
    private String institutionText(ArbitrationService.View v, String code) {
        return v.institutionName(code).map(n -> i18n.text("institution.named", n, code)).orElse(code);
    }

    private String resultText(ArbitrationService.View v) {
        if (v.closed()) {
            String outcome = v.resultEnvelope().map(e -> e.payload().path("outcome").asText())
                    .orElse(v.caseDocument().path("arbitration").path("outcome").asText(""));
            return i18n.text("arbitration.result.final", outcome.isEmpty() ? "—" : i18n.text("position." + outcome));
        }
        return switch (v.result()) {
            case ArbitrationSession.NoQuorum q -> i18n.text("arbitration.result.noQuorum", q.votes(), q.needed());
            case ArbitrationSession.Revote r -> i18n.text("arbitration.result.revote." + r.reason());
            case ArbitrationSession.Pending pd -> i18n.text("arbitration.result.pending." + pd.reason());
            case ArbitrationSession.Decided d -> i18n.text(d.byChair() ? "arbitration.result.decidedByChair" : "arbitration.result.decided",
                    i18n.text("position." + d.position().name()));
        };
    }

    private String eventText(ArbitrationService.View v, ArbitrationRepository.Event e) {
        String who = e.memberId() == null ? "" : nameIn(v, e.memberId());
        return switch (e.kind()) {
            case CONFLICT_DECLARED -> i18n.text("arbitration.event.CONFLICT_DECLARED", who, e.detail().path("reason").asText(""));
            case VOTE -> i18n.text("arbitration.event.VOTE", e.round(), who, i18n.text("position." + e.envelope().payload().path("position").asText()),
                    e.envelope().payload().path("reason").asText(""));
            case REVOTE -> i18n.text("arbitration.event.REVOTE", e.round());
            case CLOSED -> i18n.text("arbitration.event.CLOSED", i18n.text("position." + e.detail().path("outcome").asText("UPHOLD")),
                    e.envelope().sm3().substring(0, 16));
        };
    }

    private String nameOf(String memberId) {
        return view.get() == null ? memberId : nameIn(view.get(), memberId);
    }

    private static String nameIn(ArbitrationService.View v, String memberId) {
        return v.member(memberId).map(m -> m.member().displayName()).orElse(memberId);
    }

    /** The key file to offer a member first: this person's own profile key when the member is them. */
    public Path suggestedKeyFile(MemberRow m) {
        return m.ownKey() ? service.ownKeyFile() : null;
    }

    public MemberRow chairRow() {
        return members.stream().filter(MemberRow::chair).findFirst().orElse(null);
    }

    public ObservableList<ArbitrationService.Summary> sessions() { return sessions; }
    public ObjectProperty<ArbitrationService.View> viewProperty() { return view; }
    public ObservableList<MemberRow> members() { return members; }
    public ObservableList<String> record() { return record; }
    public ObservableList<OutcomeRow> outcomes() { return outcomes; }
    public StringProperty headerProperty() { return header; }
    public StringProperty groundsProperty() { return grounds; }
    public StringProperty timeLeftProperty() { return timeLeft; }
    public StringProperty quorumProperty() { return quorum; }
    public StringProperty resultProperty() { return result; }
    public StringProperty notesProperty() { return notes; }
    public StringProperty messageProperty() { return message; }
    public BooleanProperty closedProperty() { return closed; }
    public BooleanProperty canCloseProperty() { return canClose; }
    public BooleanProperty needsRevoteProperty() { return needsRevote; }
    public BooleanProperty busyProperty() { return busy; }
    public BooleanProperty hasSessionProperty() { return hasSession; }
    public BooleanProperty minutesAvailableProperty() { return minutesAvailable; }
}
