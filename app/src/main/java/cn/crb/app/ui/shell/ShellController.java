package cn.crb.app.ui.shell;

import cn.crb.app.ui.common.I18n;
import cn.crb.ui.resources.UiResources;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.List;
import java.util.Locale;

/** Binds the shell view to its view model; no logic of its own. */
public final class ShellController {
    private final ShellViewModel vm;
    private final I18n i18n;
    private final java.util.function.Function<String, javafx.scene.Node> sectionViews;
    private final java.util.Map<String, javafx.scene.Node> loaded = new java.util.HashMap<>();
    @FXML private javafx.scene.layout.StackPane content;

    @FXML private VBox nav;
    @FXML private VBox emptyState;
    @FXML private ToggleButton navInbox;
    @FXML private Label demoBadge;
    @FXML private ComboBox<Locale> languageChoice;
    @FXML private Label emptyTitle;
    @FXML private Label emptyText;
    @FXML private Label onlineLabel;
    @FXML private Label lastSyncLabel;
    @FXML private Label outboxLabel;
    @FXML private Label personLabel;
    @FXML private ComboBox<cn.crb.app.ui.common.Looks.Theme> themeChoice;
    @FXML private ComboBox<Integer> scaleChoice;
    @FXML private javafx.scene.control.Button helpButton;

    private cn.crb.app.ui.common.Looks looks;
    private cn.crb.app.ui.common.Keyboard keyboard;
    private Runnable onHelp = () -> { };
    private javafx.beans.value.ChangeListener<Number> scaleFollower;

    /** {@code sectionViews} gives the view of a section, or null while the section has only its empty state. */
    public ShellController(ShellViewModel vm, I18n i18n, java.util.function.Function<String, javafx.scene.Node> sectionViews) {
        this.vm = vm;
        this.i18n = i18n;
        this.sectionViews = sectionViews;
    }

    /** The same, with the window's looks (theme and text size choices), its shortcuts and the help page. */
    public ShellController(ShellViewModel vm, I18n i18n, java.util.function.Function<String, javafx.scene.Node> sectionViews,
                           cn.crb.app.ui.common.Looks looks, cn.crb.app.ui.common.Keyboard keyboard, Runnable onHelp) {
        this(vm, i18n, sectionViews);
        this.looks = looks;
        this.keyboard = keyboard;
        this.onHelp = onHelp;
    }

    /** Shows the n-th section the person can see (0-based), even when it is already selected (e.g. from a case). */
    public void showSectionAt(int index) {
        java.util.List<String> sections = vm.visibleSections();
        if (index < 0 || index >= sections.size()) return;
        String s = sections.get(index);
        if (s.equals(vm.sectionProperty().get())) showSection(s);
        else nav.getChildren().stream().filter(n -> n instanceof ToggleButton b && s.equals(b.getUserData()))
                .findFirst().ifPresent(n -> ((ToggleButton) n).setSelected(true));
        focusSection();
    }

    /** Moves the keyboard focus into the shown section (its first focusable control). */
    private void focusSection() {
        if (content.getChildren().isEmpty()) return;
        javafx.application.Platform.runLater(() -> {
            javafx.scene.Node view = content.getChildren().getFirst();
            javafx.scene.Node target = view.lookup(".table-view");
            if (target == null) target = view.lookup(".list-view");
            if (target != null && target.isVisible()) target.requestFocus();
            else view.requestFocusTraversal(javafx.scene.TraversalDirection.NEXT);
        });
    }

    @FXML private void help() { onHelp.run(); }

    /** Shows a view that belongs to the current section (e.g. one case of the inbox). */
    public void showInSection(javafx.scene.Node view) {
        content.getChildren().setAll(view);
    }

    /** Shows the section's own view again. */
    public void showSection(String section) {
        javafx.scene.Node view = loaded.computeIfAbsent(section, s -> {
            javafx.scene.Node n = sectionViews.apply(s);
            return n == null ? emptyState : n;
        });
        content.getChildren().setAll(view);
    }

    @FXML
    private void initialize() {
        ToggleGroup group = new ToggleGroup();
        nav.getChildren().forEach(n -> {
            if (n instanceof ToggleButton b) {
                boolean allowed = vm.visibleSections().contains((String) b.getUserData());
                b.setVisible(allowed);
                b.setManaged(allowed);
                b.setToggleGroup(group);
                if (b.getUserData().equals(vm.sectionProperty().get())) b.setSelected(true);
            }
        });
        group.selectedToggleProperty().addListener((o, old, now) -> {
            if (now == null) {
                old.setSelected(true); // one section is always shown
            } else {
                vm.sectionProperty().set((String) ((Toggle) now).getUserData());
            }
        });
        demoBadge.setVisible(vm.demo());
        demoBadge.setManaged(vm.demo());
        languageChoice.getItems().setAll(UiResources.CHINESE, UiResources.ENGLISH);
        languageChoice.setConverter(new StringConverter<>() {
            @Override public String toString(Locale l) { return l == null ? "" : i18n.text(l.getLanguage().equals("en") ? "lang.en" : "lang.zh"); }
            @Override public Locale fromString(String s) { return null; }
        });
        languageChoice.setValue(i18n.locale());
        languageChoice.valueProperty().addListener((o, a, b) -> { if (b != null) i18n.localeProperty().set(b); });
        if (looks != null) bindLooks();
        for (ComboBox<?> c : List.of(languageChoice, themeChoice, scaleChoice)) chosenFromTheListOnly(c);
        if (keyboard != null) {
            keyboard.bind(cn.crb.app.ui.common.Shortcut.HELP, nav, onHelp);
            for (cn.crb.app.ui.common.Shortcut s : cn.crb.app.ui.common.Shortcut.values()) {
                int i = s.sectionIndex();
                if (i >= 0) keyboard.bind(s, nav, () -> showSectionAt(i));
            }
        }
        emptyTitle.textProperty().bind(vm.emptyTitle());
        emptyText.textProperty().bind(vm.emptyText());
        onlineLabel.textProperty().bind(vm.connectivityText());
        vm.connectivityProperty().addListener((o, a, b) -> styleConnectivity(b));
        styleConnectivity(vm.connectivityProperty().get());
        lastSyncLabel.textProperty().bind(vm.lastSyncText());
        outboxLabel.textProperty().bind(vm.outboxText());
        personLabel.textProperty().bind(vm.personText());
        vm.sectionProperty().addListener((o, a, b) -> {
            // a section opened from elsewhere (a dashboard figure) selects its navigation button too
            group.getToggles().stream().filter(t -> b.equals(t.getUserData()) && !t.isSelected()).findFirst().ifPresent(t -> t.setSelected(true));
            showSection(b);
        });
        showSection(vm.sectionProperty().get());
    }

    private void bindLooks() {
        themeChoice.getItems().setAll(cn.crb.app.ui.common.Looks.Theme.values());
        themeChoice.setConverter(new StringConverter<>() {
            @Override public String toString(cn.crb.app.ui.common.Looks.Theme t) { return t == null ? "" : i18n.text(t.messageKey()); }
            @Override public cn.crb.app.ui.common.Looks.Theme fromString(String s) { return null; }
        });
        themeChoice.valueProperty().bindBidirectional(looks.themeProperty());
        scaleChoice.getItems().setAll(cn.crb.app.ui.common.Looks.SCALES);
        scaleChoice.setConverter(new StringConverter<>() {
            @Override public String toString(Integer p) {
                return p == null ? "" : java.text.NumberFormat.getPercentInstance(i18n.locale()).format(p / 100.0);
            }
            @Override public Integer fromString(String s) { return null; }
        });
        scaleChoice.setValue(looks.scaleProperty().get());
        scaleChoice.valueProperty().addListener((o, a, b) -> { if (b != null) looks.scaleProperty().set(b); });
        scaleFollower = (o, a, b) -> scaleChoice.setValue(b.intValue());
        looks.scaleProperty().addListener(new javafx.beans.value.WeakChangeListener<>(scaleFollower));
    }

    /**
     * The header's choices change the whole window, so they change only from their open list: a closed ComboBox of
     * JavaFX takes the arrow keys as "select the previous/next item", and the focus lands on the language choice (the
     * window's first control) whenever the focused button is disabled — after signing or an export, say — so a reviewer
     * pressing ↓ to read on switched the interface to English. Closed, ↓ and ↑ (and the other movement keys) now only
     * open the list; Enter there chooses, Esc leaves it as it was.
     */
    static void chosenFromTheListOnly(ComboBox<?> c) {
        c.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (c.isShowing()) return;
            switch (e.getCode()) {
                case UP, DOWN, LEFT, RIGHT, HOME, END, PAGE_UP, PAGE_DOWN, KP_UP, KP_DOWN, KP_LEFT, KP_RIGHT -> {
                    e.consume();
                    if (e.getCode() == javafx.scene.input.KeyCode.DOWN || e.getCode() == javafx.scene.input.KeyCode.UP) c.show();
                }
                default -> { }
            }
        });
    }

    private void styleConnectivity(ShellViewModel.Connectivity c) {
        onlineLabel.getStyleClass().removeAll("status-online", "status-offline");
        onlineLabel.getStyleClass().add(c == ShellViewModel.Connectivity.OFFLINE ? "status-offline" : "status-online");
    }
}
