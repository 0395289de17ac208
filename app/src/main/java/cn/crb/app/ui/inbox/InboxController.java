package cn.crb.app.ui.inbox;

import cn.crb.app.cases.InboxService;
import cn.crb.app.ui.common.I18n;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.text.NumberFormat;

import static cn.crb.app.ui.common.Tables.column;

/** Binds the inbox view to its view model; builds the table. */
public final class InboxController {
    private final InboxViewModel vm;
    private final I18n i18n;

    @FXML private Label countLabel;
    @FXML private TextField searchField;
    @FXML private ComboBox<String> stepChoice;
    @FXML private ComboBox<InboxViewModel.Due> dueChoice;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private Label messageLabel;
    @FXML private TableView<InboxService.Item> table;
    @FXML private VBox emptyBox;

    private final java.util.function.Consumer<String> onOpen;

    private cn.crb.app.ui.common.Keyboard keyboard;

    public InboxController(InboxViewModel vm, I18n i18n, java.util.function.Consumer<String> onOpen) {
        this.vm = vm;
        this.i18n = i18n;
        this.onOpen = onOpen;
    }

    /** The same, with the window's shortcuts: Enter opens the selected case, Ctrl+F goes to the search field. */
    public InboxController(InboxViewModel vm, I18n i18n, java.util.function.Consumer<String> onOpen, cn.crb.app.ui.common.Keyboard keyboard) {
        this(vm, i18n, onOpen);
        this.keyboard = keyboard;
    }

    private void openSelected() {
        var item = table.getSelectionModel().getSelectedItem();
        if (item == null && !table.getItems().isEmpty() && searchField.isFocused()) item = table.getItems().getFirst();
        if (item != null) onOpen.accept(item.row().caseId());
    }

    /** The time-left cell's colour per urgency, as CSS pseudo-classes (e.g. {@code .table-cell:urgency-overdue}). */
    private static final java.util.Map<cn.crb.domain.cases.Deadlines.Urgency, javafx.css.PseudoClass> URGENCY = urgencyClasses();

    private static java.util.Map<cn.crb.domain.cases.Deadlines.Urgency, javafx.css.PseudoClass> urgencyClasses() {
        var m = new java.util.EnumMap<cn.crb.domain.cases.Deadlines.Urgency, javafx.css.PseudoClass>(cn.crb.domain.cases.Deadlines.Urgency.class);
        for (var u : cn.crb.domain.cases.Deadlines.Urgency.values()) {
            m.put(u, javafx.css.PseudoClass.getPseudoClass("urgency-" + u.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        }
        return m;
    }

    /** The case selected last in this list (kept across reloads of the list). */
    private String selectedId;

    /**
     * Selects the case selected last, or else the case opened last, so that the keyboard carries on from there;
     * {@code scroll}: also brings it into view (when the inbox is shown, not when the list refreshes under a person
     * who is scrolling).
     */
    private void selectCurrent(boolean scroll) {
        String id = selectedId != null ? selectedId : vm.currentCaseProperty().get();
        if (id == null) return;
        var selected = table.getSelectionModel().getSelectedItem();
        if (selected != null && selected.row().caseId().equals(id) && !scroll) return;
        var items = table.getItems();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).row().caseId().equals(id)) {
                table.getSelectionModel().select(i);
                table.getFocusModel().focus(i);
                if (scroll) table.scrollTo(i);
                return;
            }
        }
    }
    @FXML
    @SuppressWarnings("unchecked")
    private void initialize() {
        table.itemsProperty().bind(vm.listProperty());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<InboxService.Item, String> left = column(i18n, "inbox.col.timeLeft", i -> vm.timeLeftText(i.timeLeft()));
        left.setCellFactory(c -> new TableCell<>() {
            private javafx.css.PseudoClass shown;

            @Override protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                InboxService.Item item = empty || getTableRow() == null ? null : getTableRow().getItem();
                setText(empty ? null : s);
                // a pseudo-class, not a style class: changing a style class re-matches the cell's whole CSS, and after a
                // reload of thousands of cases every visible cell does that in one pulse (measured by FxResponsivenessTest)
                javafx.css.PseudoClass next = item == null ? null : URGENCY.get(item.timeLeft().urgency());
                if (next != shown) {
                    if (shown != null) pseudoClassStateChanged(shown, false);
                    if (next != null) pseudoClassStateChanged(next, true);
                    shown = next;
                }
            }
        });
        table.getColumns().addAll(left,
                column(i18n, "inbox.col.case", i -> i.row().caseId()),
                column(i18n, "inbox.col.learner", i -> i.row().learnerMasked()),
                column(i18n, "inbox.col.programme", i -> i.row().programmeName()),
                column(i18n, "inbox.col.step", i -> vm.stepText(i.row().step())),
                cn.crb.app.ui.common.Tables.numeric(column(i18n, "inbox.col.outcomes", i -> i.row().outcomeCount())),
                cn.crb.app.ui.common.Tables.numeric(column(i18n, "inbox.col.recommended", vm::creditsText)),
                column(i18n, "inbox.col.state", i -> vm.stateText(InboxViewModel.displayState(i.row()))
                        + (i.row().needsReevaluation() ? " · " + i18n.text("inbox.reevaluate") : "")));
        table.getColumns().forEach(c -> c.setSortable(false));
        table.setRowFactory(t -> {
            javafx.scene.control.TableRow<InboxService.Item> row = new javafx.scene.control.TableRow<>();
            row.setOnMouseClicked(e -> { if (e.getClickCount() == 2 && !row.isEmpty()) onOpen.accept(row.getItem().row().caseId()); });
            return row;
        });
        if (keyboard != null) {
            keyboard.bind(cn.crb.app.ui.common.Shortcut.INBOX_OPEN, table, this::openSelected);
            keyboard.bind(cn.crb.app.ui.common.Shortcut.INBOX_SEARCH, table, () -> { searchField.requestFocus(); searchField.selectAll(); });
        } else {
            table.setOnKeyPressed(e -> { if (e.getCode() == javafx.scene.input.KeyCode.ENTER) openSelected(); });
        }
        // from the search field, ↓ goes to the list
        searchField.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.DOWN && !table.getItems().isEmpty()) {
                table.requestFocus();
                if (table.getSelectionModel().isEmpty()) table.getSelectionModel().selectFirst();
                e.consume();
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> { if (b != null) selectedId = b.row().caseId(); });
        vm.currentCaseProperty().addListener((o, a, b) -> selectedId = null);
        // after the table's own selection model has followed the change (it was registered first): on the list shown
        // now, and on each new list a load brings (a row whose total was filled in is no longer the item selected)
        javafx.collections.ListChangeListener<InboxService.Item> reselect = c -> selectCurrent(false);
        table.getItems().addListener(reselect);
        table.itemsProperty().addListener((o, a, b) -> {
            if (a != null) a.removeListener(reselect);
            if (b != null) b.addListener(reselect);
            selectCurrent(false);
        });
        table.sceneProperty().addListener((o, a, sc) -> {
            if (sc != null) javafx.application.Platform.runLater(() -> { selectCurrent(true); table.requestFocus(); });
        });
        searchField.textProperty().bindBidirectional(vm.searchProperty());
        stepChoice.getItems().setAll(InboxViewModel.STEPS);
        stepChoice.setConverter(new StringConverter<>() {
            @Override public String toString(String s) { return s == null ? "" : InboxViewModel.ALL_STEPS.equals(s) ? i18n.text("inbox.allSteps") : vm.stepText(s); }
            @Override public String fromString(String s) { return null; }
        });
        stepChoice.valueProperty().bindBidirectional(vm.stepProperty());
        dueChoice.getItems().setAll(InboxViewModel.Due.values());
        dueChoice.setConverter(new StringConverter<>() {
            @Override public String toString(InboxViewModel.Due d) { return d == null ? "" : i18n.text("inbox.due." + d.name()); }
            @Override public InboxViewModel.Due fromString(String s) { return null; }
        });
        dueChoice.valueProperty().bindBidirectional(vm.dueProperty());
        busyIndicator.visibleProperty().bind(vm.busyProperty());
        messageLabel.textProperty().bind(vm.messageProperty());
        messageLabel.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        messageLabel.managedProperty().bind(messageLabel.visibleProperty());
        emptyBox.visibleProperty().bind(Bindings.isEmpty(vm.items()).and(vm.busyProperty().not()));
        countLabel.textProperty().bind(Bindings.createStringBinding(() -> i18n.text("inbox.count",
                NumberFormat.getIntegerInstance(i18n.locale()).format(vm.items().size())), vm.items()));
        vm.load();
    }
}
