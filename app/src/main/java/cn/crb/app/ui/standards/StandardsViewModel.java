package cn.crb.app.ui.standards;

import cn.crb.app.standards.StandardsService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.standards.CatalogueEntry;
import cn.crb.domain.standards.ConversionRule;
import cn.crb.domain.standards.Equivalence;
import cn.crb.domain.standards.Institution;
import cn.crb.domain.standards.QfLevel;
import cn.crb.domain.standards.SocialScenario;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.domain.standards.StandardsDiff;
import cn.crb.domain.standards.StandardsLibrary;
import cn.crb.domain.standards.StandardsVersion;
import cn.crb.localdb.StandardsRepository;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The Standards screen: versions held (with verification state), the selected version's tables filtered by one
 * search text, and the changes against another version.
 */
public final class StandardsViewModel {
    /** A version row of the list. */
    public record VersionRow(StandardsRepository.Held held, boolean current) {}

    private final StandardsService service;
    private final Background background;
    private final I18n i18n;
    private StandardsLibrary library = new StandardsLibrary();

    private final ObservableList<VersionRow> versions = FXCollections.observableArrayList();
    private final ObjectProperty<VersionRow> selected = new SimpleObjectProperty<>();
    private final ObjectProperty<VersionRow> compareWith = new SimpleObjectProperty<>();
    private final StringProperty search = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);

    private final ObservableList<CatalogueEntry> catalogueAll = FXCollections.observableArrayList();
    private final ObservableList<Equivalence> equivalencesAll = FXCollections.observableArrayList();
    private final ObservableList<SocialScenario> scenariosAll = FXCollections.observableArrayList();
    private final ObservableList<ConversionRule> rulesAll = FXCollections.observableArrayList();
    private final ObservableList<Institution> institutionsAll = FXCollections.observableArrayList();
    private final ObservableList<QfLevel> levelsAll = FXCollections.observableArrayList();
    private final ObservableList<StandardsDiff.Change> changesAll = FXCollections.observableArrayList();
    private final FilteredList<CatalogueEntry> catalogue = new FilteredList<>(catalogueAll);
    private final FilteredList<Equivalence> equivalences = new FilteredList<>(equivalencesAll);
    private final FilteredList<SocialScenario> scenarios = new FilteredList<>(scenariosAll);
    private final FilteredList<ConversionRule> rules = new FilteredList<>(rulesAll);
    private final FilteredList<Institution> institutions = new FilteredList<>(institutionsAll);
    private final FilteredList<QfLevel> levels = new FilteredList<>(levelsAll);
    private final FilteredList<StandardsDiff.Change> changes = new FilteredList<>(changesAll);

    public StandardsViewModel(StandardsService service, Background background, I18n i18n) {
        this.service = service;
        this.background = background;
        this.i18n = i18n;
        selected.addListener((o, a, b) -> { show(b); refreshDiff(); });
        compareWith.addListener((o, a, b) -> refreshDiff());
        search.addListener((o, a, b) -> applyFilter(b));
    }

    public void load() {
        busy.set(true);
        background.run(() -> new Loaded(service.versions(), service.library()), l -> {
            busy.set(false);
            library = l.library();
            String current = library.current().map(b -> b.version().toString()).orElse(null);
            versions.setAll(l.held().reversed().stream().map(h -> new VersionRow(h, h.version().equals(current))).toList());
            selected.set(versions.isEmpty() ? null : versions.getFirst());
            compareWith.set(versions.size() > 1 ? versions.get(1) : null);
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
        });
    }

    private record Loaded(List<StandardsRepository.Held> held, StandardsLibrary library) {}

    public void importFile(Path file) {
        busy.set(true);
        background.run(() -> service.importFile(file), r -> {
            busy.set(false);
            message.set(r.installed()
                    ? i18n.text("standards.imported", r.version(), i18n.text("standards.admission." + r.code()))
                    // a verified bundle refused by the library (the same version with other content) says so with its
                    // version; a file refused by the verifier, with what the verifier found
                    : r.version() != null ? i18n.text("standards.refused", i18n.text("standards.admission." + r.code()), r.version())
                    : i18n.text("standards.refused", i18n.text("standards.refusal." + r.code()), r.detail()));
            load();
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
        });
    }

    private void show(VersionRow row) {
        StandardsBundle b = row == null ? null : library.get(StandardsVersion.parse(row.held().version())).orElse(null);
        catalogueAll.setAll(b == null ? List.of() : b.catalogue());
        equivalencesAll.setAll(b == null ? List.of() : b.vocational().equivalences());
        scenariosAll.setAll(b == null ? List.of() : b.scenarios());
        rulesAll.setAll(b == null ? List.of() : b.conversionRules());
        institutionsAll.setAll(b == null ? List.of() : b.institutions());
        levelsAll.setAll(b == null ? List.of() : b.qualificationFramework());
        applyFilter(search.get());
    }

    private void refreshDiff() {
        VersionRow a = compareWith.get();
        VersionRow b = selected.get();
        if (a == null || b == null || a.equals(b)) {
            changesAll.clear();
            return;
        }
        StandardsBundle from = library.get(StandardsVersion.parse(a.held().version())).orElse(null);
        StandardsBundle to = library.get(StandardsVersion.parse(b.held().version())).orElse(null);
        if (from == null || to == null) {
            changesAll.clear();
            return;
        }
        // comparing two bundles canonicalises every entry: tens of ms, so off the FX thread; a newer choice wins
        long gen = ++diffGeneration;
        background.run(() -> StandardsDiff.between(from, to), changes -> {
            if (gen == diffGeneration) changesAll.setAll(changes);
        }, t -> message.set(ErrorMessages.of(t, i18n)));
    }

    private long diffGeneration;

    private void applyFilter(String text) {
        String q = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        catalogue.setPredicate(matches(q, e -> e.code() + " " + e.name() + " " + e.category() + " " + e.status()));
        equivalences.setPredicate(matches(q, e -> e.certificateCode() + " " + e.level()));
        scenarios.setPredicate(matches(q, e -> e.code() + " " + e.name()));
        rules.setPredicate(matches(q, e -> e.id() + " " + e.sourceCode() + " " + e.targetInstitution() + " " + e.targetCourse() + " " + e.targetCourseName()));
        institutions.setPredicate(matches(q, e -> e.code() + " " + e.name() + " " + e.province() + " " + e.status()));
        levels.setPredicate(matches(q, e -> e.level() + " " + e.name() + " " + e.descriptor()));
        changes.setPredicate(matches(q, e -> e.section() + " " + e.key() + " " + e.before() + " " + e.after()));
    }

    private static <T> Predicate<T> matches(String q, java.util.function.Function<T, String> text) {
        return q.isEmpty() ? t -> true : t -> text.apply(t).toLowerCase(Locale.ROOT).contains(q);
    }

    public ObservableList<VersionRow> versions() { return versions; }
    public ObjectProperty<VersionRow> selectedProperty() { return selected; }
    public ObjectProperty<VersionRow> compareWithProperty() { return compareWith; }
    public StringProperty searchProperty() { return search; }
    public StringProperty messageProperty() { return message; }
    public BooleanProperty busyProperty() { return busy; }
    public ObservableList<CatalogueEntry> catalogue() { return catalogue; }
    public ObservableList<Equivalence> equivalences() { return equivalences; }
    public ObservableList<SocialScenario> scenarios() { return scenarios; }
    public ObservableList<ConversionRule> rules() { return rules; }
    public ObservableList<Institution> institutions() { return institutions; }
    public ObservableList<QfLevel> levels() { return levels; }
    public ObservableList<StandardsDiff.Change> changes() { return changes; }

    /** The label of a version in the list: version, period, verification, current marker. */
    public String label(VersionRow r) {
        var h = r.held();
        String period = h.effectiveFrom() + " – " + (h.effectiveUntil() == null ? i18n.text("standards.open") : h.effectiveUntil());
        return h.version() + (r.current() ? " · " + i18n.text("standards.current") : "") + "\n" + period + " · "
                + i18n.text(h.verified() ? "standards.verified" : "standards.unverified");
    }
}
