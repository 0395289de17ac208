package cn.crb.app.ui.inbox;

import cn.crb.app.cases.InboxService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.cases.Deadlines;
import cn.crb.domain.evaluation.Credits;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The inbox: cached cases sorted by time left (most urgent first), filtered by a search text and a step.
 * Loading (database, evaluation of new cases) runs in the background.
 */
public final class InboxViewModel {
    public static final String ALL_STEPS = "ALL";
    public static final List<String> STEPS = List.of(ALL_STEPS, "REVIEW", "CONVERSION", "PUBLIC_NOTICE", "ARCHIVE", "APPLICATION", "INSPECTION");

    private final InboxService service;
    private final Background background;
    private final I18n i18n;
    private final ObservableList<InboxService.Item> all = FXCollections.observableArrayList();
    private final FilteredList<InboxService.Item> filtered = new FilteredList<>(all);
    private final SortedList<InboxService.Item> sorted = new SortedList<>(filtered,
            Comparator.comparingLong((InboxService.Item i) -> i.timeLeft().sortKey()).thenComparing(i -> i.row().caseId()));
    private final StringProperty search = new SimpleStringProperty("");
    private final StringProperty step = new SimpleStringProperty(ALL_STEPS);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty currentCase = new SimpleStringProperty();

    public InboxViewModel(InboxService service, Background background, I18n i18n) {
        this.service = service;
        this.background = background;
        this.i18n = i18n;
        search.addListener((o, a, b) -> applyFilter());
        step.addListener((o, a, b) -> applyFilter());
    }

    public void load() {
        busy.set(true);
        background.run(service::load, items -> {
            busy.set(false);
            all.setAll(items);
            message.set("");
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
        });
    }

    private void applyFilter() {
        String q = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        String s = step.get();
        filtered.setPredicate(i -> (s == null || ALL_STEPS.equals(s) || s.equals(i.row().step()))
                && (q.isEmpty() || (i.row().caseId() + " " + nz(i.row().learnerMasked()) + " " + nz(i.row().programmeName()))
                .toLowerCase(Locale.ROOT).contains(q)));
    }

    private static String nz(String s) { return s == null ? "" : s; }

    public ObservableList<InboxService.Item> items() { return sorted; }

    /**
     * The case next to {@code caseId} in the inbox as shown (sorted and filtered): {@code direction} +1 the next one,
     * -1 the previous one; empty at either end or when the case is not in the list shown.
     */
    public java.util.Optional<String> neighbour(String caseId, int direction) {
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).row().caseId().equals(caseId)) {
                int j = i + Integer.signum(direction);
                return j >= 0 && j < sorted.size() ? java.util.Optional.of(sorted.get(j).row().caseId()) : java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    /** The case last opened from the inbox: selected again when the inbox is shown. */
    public StringProperty currentCaseProperty() { return currentCase; }
    public int total() { return all.size(); }
    public StringProperty searchProperty() { return search; }
    public StringProperty stepProperty() { return step; }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty messageProperty() { return message; }

    /** "3 天 4 小时", "逾期 2 天", "已暂停" … in the current language. */
    public String timeLeftText(Deadlines.TimeLeft t) {
        return new cn.crb.app.ui.common.TimeLeftText(i18n).format(t);
    }

    public String creditsText(InboxService.Item i) {
        return i.recommendedTotal() == null ? "—" : Credits.format(i.recommendedTotal());
    }

    /**
     * The state a person reads: what became of their own act first (a case leaves the assignments once the platform
     * has accepted the decision, but "accepted" is what matters), then withdrawal, then the local state.
     */
    public static String displayState(cn.crb.localdb.CaseRepository.InboxRow r) {
        if (!r.withdrawn() || List.of("ACCEPTED", "QUEUED", "SENT", "CONFLICT", "SIGNED").contains(r.localState())) return r.localState();
        return "WITHDRAWN";
    }

    public String stepText(String s) { return i18n.text("step.name." + s); }

    public String stateText(String s) { return i18n.text("localState." + s); }
}
