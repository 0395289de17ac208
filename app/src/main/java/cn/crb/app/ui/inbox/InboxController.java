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

    /** Selects (and shows) the case opened last, so that the keyboard carries on from there. */
    private void selectCurrent() {
        String id = vm.currentCaseProperty().get();
        if (id == null) return;
        table.getItems().stream().filter(i -> i.row().caseId().equals(id)).findFirst().ifPresent(i -> {
            table.getSelectionModel().select(i);
            table.getFocusModel().focus(table.getSelectionModel().getSelectedIndex());
            table.scrollTo(i);
        });
    }
    @FXML
    @SuppressWarnings("unchecked")
    private void initialize() {
        table.setItems(vm.items());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<InboxService.Item, String> left = column(i18n, "inbox.col.timeLeft", i -> vm.timeLeftText(i.timeLeft()));
        left.setCellFactory(c -> new TableCell<>() {
            @Override protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().removeIf(x -> x.startsWith("urgency-"));
                InboxService.Item item = empty || getTableRow() == null ? null : getTableRow().getItem();
                setText(empty ? null : s);
                if (item != null) getStyleClass().add("urgency-" + item.timeLeft().urgency().name());
            }
        });
        table.getColumns().addAll(left,
                column(i18n, "inbox.col.case", i -> i.row().caseId()),
                column(i18n, "inbox.col.learner", i -> i.row().learnerMasked()),
                column(i18n, "inbox.col.programme", i -> i.row().programmeName()),
                column(i18n, "inbox.col.step", i -> vm.stepText(i.row().step())),
                column(i18n, "inbox.col.outcomes", i -> i.row().outcomeCount()),
                column(i18n, "inbox.col.recommended", vm::creditsText),
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
        vm.items().addListener((javafx.collections.ListChangeListener<InboxService.Item>) c -> selectCurrent());
        table.sceneProperty().addListener((o, a, sc) -> {
            if (sc != null) javafx.application.Platform.runLater(() -> { selectCurrent(); table.requestFocus(); });
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
