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

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The inbox: cached cases sorted by time left (most urgent first), filtered by a search text and a step.
 * Loading (database, evaluation of new cases) runs in the background.
 */
public final class InboxViewModel {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InboxViewModel.class);
    public static final String ALL_STEPS = "ALL";
    public static final List<String> STEPS = List.of(ALL_STEPS, "REVIEW", "CONVERSION", "PUBLIC_NOTICE", "ARCHIVE", "APPLICATION", "INSPECTION");

    private final InboxService service;
    private final Background background;
    private final I18n i18n;
    /** Every cached case, sorted: replaced as a whole by each load and each step of filling in the recommendations. */
    private List<InboxService.Item> all = List.of();
    /** The cases shown: {@link #all} filtered by the search, the step and the urgency. */
    private FilteredList<InboxService.Item> filtered = new FilteredList<>(FXCollections.observableArrayList());
    /**
     * What the table shows: a new filtered list per load or filling-in step, not the items of one list replaced. A table
     * whose list reports its items replaced empties every visible row and fills it again (JavaFX rebuilds its cells);
     * given a new list, it updates in place only the rows whose case changed, and only the cells whose text changed
     * ({@code InboxPassHarness}: a filling-in pass 5 ms of FX CPU instead of 7.5 ms, measured in docs/performance.md).
     */
    private final javafx.beans.property.ReadOnlyObjectWrapper<ObservableList<InboxService.Item>> list = new javafx.beans.property.ReadOnlyObjectWrapper<>(filtered);
    /** The same as one list that follows {@link #list} (its listeners see a new list as every item replaced). */
    private final javafx.beans.property.ReadOnlyListWrapper<InboxService.Item> shown = new javafx.beans.property.ReadOnlyListWrapper<>();
    /** The order of the inbox: most urgent first. Applied in the background when loading, so filtering keeps it for free. */
    static final Comparator<InboxService.Item> ORDER =
            Comparator.comparingLong((InboxService.Item i) -> i.timeLeft().sortKey()).thenComparing(i -> i.row().caseId());
    /** Lower-case search text per item (case id, learner, programme), computed once per load rather than per keystroke. */
    private java.util.IdentityHashMap<InboxService.Item, String> searchKeys = new java.util.IdentityHashMap<>();
    private final StringProperty search = new SimpleStringProperty("");
    private final StringProperty step = new SimpleStringProperty(ALL_STEPS);
    /** How pressing: everything, overdue, due within a day, or within seven days (the dashboard's figures open these). */
    public enum Due { ALL, OVERDUE, TODAY, WEEK }
    private final javafx.beans.property.ObjectProperty<Due> due = new javafx.beans.property.SimpleObjectProperty<>(Due.ALL);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty currentCase = new SimpleStringProperty();
    private final cn.crb.app.ui.common.TimeLeftText timeLeftText;

    public InboxViewModel(InboxService service, Background background, I18n i18n) {
        this.service = service;
        this.background = background;
        this.i18n = i18n;
        this.timeLeftText = new cn.crb.app.ui.common.TimeLeftText(i18n);
        shown.bind(list);
        search.addListener((o, a, b) -> applyFilter());
        step.addListener((o, a, b) -> applyFilter());
        due.addListener((o, a, b) -> applyFilter());
    }

    /** Shows the cases of one step (or all) and one urgency, as a dashboard figure asks; the search is cleared. */
    public void showFiltered(String stepFilter, Due dueFilter) {
        search.set("");
        step.set(stepFilter == null ? ALL_STEPS : stepFilter);
        due.set(dueFilter == null ? Due.ALL : dueFilter);
    }

    static boolean matches(Due d, Deadlines.TimeLeft t) {
        if (d == null || d == Due.ALL) return true;
        if (t.left() == null) return false;
        return switch (d) {
            case OVERDUE -> t.urgency() == Deadlines.Urgency.OVERDUE;
            case TODAY -> !t.left().isNegative() && t.left().compareTo(java.time.Duration.ofDays(1)) < 0;
            case WEEK -> !t.left().isNegative() && t.left().compareTo(java.time.Duration.ofDays(7)) < 0;
            case ALL -> true;
        };
    }

    /**
     * Cases whose recommendation is computed per background step after the list is shown. Each step ends in a new list
     * shown on the FX thread, which updates the visible rows whose total changed and lays out the table again (such
     * passes are among the longest FX-thread stalls FxResponsivenessTest sees), so the steps are few: 10,000 cases fill
     * in with two.
     */
    static final int CHUNK = 5_000;
    private long generation;

    /**
     * Shows every cached case at once (sorted by time left, in the background), then computes the recommendations
     * still missing — after a large pull, tens of thousands — in background steps of {@link #CHUNK}, filling in the
     * totals as they come. A newer load supersedes the filling of an older one.
     */
    public void load() {
        busy.set(true);
        long gen = ++generation;
        long started = System.nanoTime();
        background.run(() -> {
            InboxService.Snapshot snap = service.snapshot();
            List<InboxService.Item> items = new java.util.ArrayList<>(snap.items());
            items.sort(ORDER);
            java.util.IdentityHashMap<InboxService.Item, String> keys = new java.util.IdentityHashMap<>(items.size() * 2);
            for (InboxService.Item i : items) keys.put(i, searchKey(i));
            return new Loaded(items, keys, snap.missing());
        }, loaded -> {
            if (gen != generation) return;
            searchKeys = loaded.keys();
            show(loaded.items());
            LOG.info("milestone: inbox list shown, {} cases, loaded in {} ms (process CPU {} ms)", loaded.items().size(),
                    (System.nanoTime() - started) / 1_000_000, cn.crb.app.ui.common.Milestones.processCpuMs());
            message.set("");
            fillIn(gen, loaded.missing(), 0);
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
        });
    }

    private record Loaded(List<InboxService.Item> items, java.util.IdentityHashMap<InboxService.Item, String> keys, List<String> missing) {}

    private void fillIn(long gen, List<String> missing, int from) {
        if (from >= missing.size()) {
            busy.set(false);
            return;
        }
        List<String> chunk = missing.subList(from, Math.min(missing.size(), from + CHUNK));
        List<InboxService.Item> current = all;
        java.util.IdentityHashMap<InboxService.Item, String> currentKeys = searchKeys;
        // the new list is made in the background and shown at once: setting thousands of rows one by one made
        // the sorted, filtered table handle each as its own event on the FX thread (hundreds of ms per chunk)
        background.run(() -> {
            java.util.Map<String, java.math.BigDecimal> totals = service.computeRecommendations(chunk);
            List<InboxService.Item> next = new java.util.ArrayList<>(current.size());
            java.util.IdentityHashMap<InboxService.Item, String> keys = new java.util.IdentityHashMap<>(currentKeys.size() * 2);
            boolean changed = false;
            for (InboxService.Item it : current) {
                java.math.BigDecimal t = it.recommendedTotal() == null ? totals.get(it.row().caseId()) : null;
                InboxService.Item filledIn = t == null ? it : it.withTotal(t);
                changed |= filledIn != it;
                next.add(filledIn);
                keys.put(filledIn, currentKeys.get(it));
            }
            return changed ? new Loaded(next, keys, List.of()) : null;
        }, filled -> {
            if (gen != generation) return;
            if (filled != null) {
                searchKeys = filled.keys();
                show(filled.items());
            }
            fillIn(gen, missing, from + CHUNK);
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
        });
    }

    private void show(List<InboxService.Item> items) {
        all = List.copyOf(items);
        filtered = new FilteredList<>(FXCollections.observableList(all), filter());
        list.set(filtered);
    }

    private static String searchKey(InboxService.Item i) {
        return (i.row().caseId() + " " + nz(i.row().learnerMasked()) + " " + nz(i.row().programmeName())).toLowerCase(Locale.ROOT);
    }

    private void applyFilter() {
        filtered.setPredicate(filter());
    }

    private java.util.function.Predicate<InboxService.Item> filter() {
        String q = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        String s = step.get();
        Due d = due.get();
        java.util.IdentityHashMap<InboxService.Item, String> keys = searchKeys;
        return i -> (s == null || ALL_STEPS.equals(s) || s.equals(i.row().step())) && matches(d, i.timeLeft())
                && (q.isEmpty() || keys.getOrDefault(i, "").contains(q));
    }

    private static String nz(String s) { return s == null ? "" : s; }

    /** The cases shown, as one list that follows every load (its listeners see a load as the whole list replaced). */
    public ObservableList<InboxService.Item> items() { return shown.getReadOnlyProperty(); }

    /** The list of cases shown now, a new one per load or filling-in step: what the table shows ({@link #list}). */
    public javafx.beans.value.ObservableValue<ObservableList<InboxService.Item>> listProperty() { return list.getReadOnlyProperty(); }

    /**
     * The case next to {@code caseId} in the inbox as shown (sorted and filtered): {@code direction} +1 the next one,
     * -1 the previous one; empty at either end or when the case is not in the list shown.
     */
    public java.util.Optional<String> neighbour(String caseId, int direction) {
        for (int i = 0; i < filtered.size(); i++) {
            if (filtered.get(i).row().caseId().equals(caseId)) {
                int j = i + Integer.signum(direction);
                return j >= 0 && j < filtered.size() ? java.util.Optional.of(filtered.get(j).row().caseId()) : java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    /** The case last opened from the inbox: selected again when the inbox is shown. */
    public StringProperty currentCaseProperty() { return currentCase; }
    public int total() { return all.size(); }
    public StringProperty searchProperty() { return search; }
    public StringProperty stepProperty() { return step; }
    public javafx.beans.property.ObjectProperty<Due> dueProperty() { return due; }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty messageProperty() { return message; }

    /** "3 天 4 小时", "逾期 2 天", "已暂停" … in the current language. */
    public String timeLeftText(Deadlines.TimeLeft t) {
        return timeLeftText.format(t);
    }

    public String creditsText(InboxService.Item i) {
        return i.recommendedTotal() == null ? "—" : Credits.format(i.recommendedTotal());
    }

    /**
     * The state a person reads: what became of their own act first (a case leaves the assignments once the platform
     * has accepted the decision, but "accepted" is what matters), then withdrawal, then the local state.
     */
    public static String displayState(cn.crb.localdb.CaseRepository.InboxRow r) {
        if (!r.withdrawn() || List.of("ACCEPTED", "QUEUED", "SENT", "CONFLICT", "REJECTED", "SIGNED").contains(r.localState())) return r.localState();
        return "WITHDRAWN";
    }

    public String stepText(String s) { return i18n.text("step.name." + s); }

    public String stateText(String s) { return i18n.text("localState." + s); }
}
