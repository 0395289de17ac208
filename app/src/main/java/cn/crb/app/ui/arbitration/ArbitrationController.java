package cn.crb.app.ui.arbitration;

import cn.crb.app.arbitration.ArbitrationService;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.arbitration.Position;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static cn.crb.app.ui.common.Tables.column;

/**
 * Binds the arbitration screen. The dialogs here ask the acting member — not the person signed in — for their own key
 * file and passphrase; the passphrase field is cleared as soon as the dialog closes.
 */
public final class ArbitrationController {
    private final ArbitrationViewModel vm;
    private final I18n i18n;

    @FXML private ProgressIndicator busyIndicator;
    @FXML private ListView<ArbitrationService.Summary> sessionList;
    @FXML private VBox sessionPane;
    @FXML private Label headerLabel;
    @FXML private Label timeLeftLabel;
    @FXML private Label groundsLabel;
    @FXML private TableView<ArbitrationViewModel.MemberRow> memberTable;
    @FXML private Button voteButton;
    @FXML private Button conflictButton;
    @FXML private Label quorumLabel;
    @FXML private Label resultLabel;
    @FXML private Button revoteButton;
    @FXML private Button closeButton;
    @FXML private ListView<String> recordList;
    @FXML private Label notesTitle;
    @FXML private TextArea notesArea;
    @FXML private Label messageLabel;
    @FXML private Button exportMinutesButton;

    public ArbitrationController(ArbitrationViewModel vm, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
    }

    @FXML
    @SuppressWarnings("unchecked")
    private void initialize() {
        busyIndicator.visibleProperty().bind(vm.busyProperty());
        sessionList.setItems(vm.sessions());
        sessionList.setCellFactory(l -> new ListCell<>() {
            @Override protected void updateItem(ArbitrationService.Summary s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s.caseId() + "\n" + (s.closedHere() || "FINAL".equals(s.platformState())
                        ? i18n.text("arbitration.final") : i18n.text("arbitration.open")));
            }
        });
        sessionList.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> {
            if (s != null && (vm.viewProperty().get() == null || !vm.viewProperty().get().caseId().equals(s.caseId()))) vm.select(s.caseId());
        });
        sessionPane.visibleProperty().bind(vm.hasSessionProperty());
        headerLabel.textProperty().bind(vm.headerProperty());
        timeLeftLabel.textProperty().bind(vm.timeLeftProperty());
        groundsLabel.textProperty().bind(Bindings.createStringBinding(() -> i18n.text("arbitration.grounds", vm.groundsProperty().get()),
                vm.groundsProperty()));
        memberTable.setItems(vm.members());
        memberTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        memberTable.getColumns().addAll(
                column(i18n, "arbitration.col.member", m -> m.name() + (m.chair() ? " · " + i18n.text("arbitration.chair") : "")),
                column(i18n, "arbitration.col.institution", ArbitrationViewModel.MemberRow::institution),
                column(i18n, "arbitration.col.standing", ArbitrationViewModel.MemberRow::standing));
        memberTable.getColumns().forEach(c -> c.setSortable(false));
        var selected = memberTable.getSelectionModel().selectedItemProperty();
        voteButton.disableProperty().bind(Bindings.createBooleanBinding(() -> selected.get() == null || !selected.get().mayAct(), selected)
                .or(vm.busyProperty()));
        conflictButton.disableProperty().bind(voteButton.disableProperty());
        quorumLabel.textProperty().bind(vm.quorumProperty());
        resultLabel.textProperty().bind(vm.resultProperty());
        revoteButton.visibleProperty().bind(vm.needsRevoteProperty());
        revoteButton.managedProperty().bind(vm.needsRevoteProperty());
        revoteButton.disableProperty().bind(vm.busyProperty());
        closeButton.visibleProperty().bind(vm.closedProperty().not());
        closeButton.managedProperty().bind(vm.closedProperty().not());
        closeButton.disableProperty().bind(vm.canCloseProperty().not().or(vm.busyProperty()));
        exportMinutesButton.visibleProperty().bind(vm.minutesAvailableProperty());
        exportMinutesButton.managedProperty().bind(vm.minutesAvailableProperty());
        exportMinutesButton.disableProperty().bind(vm.busyProperty());
        recordList.setItems(vm.record());
        notesArea.textProperty().bindBidirectional(vm.notesProperty());
        notesArea.editableProperty().bind(vm.closedProperty().not());
        notesTitle.textProperty().bind(Bindings.createStringBinding(() -> i18n.text(vm.closedProperty().get() ? "arbitration.minutes" : "arbitration.notes"),
                vm.closedProperty()));
        messageLabel.textProperty().bind(vm.messageProperty());
        vm.load();
    }

    /** Asks where to save the minutes of the closed session; writing them runs in the background. */
    @FXML
    private void exportMinutes() {
        cn.crb.app.ui.common.PdfFiles.chooseTarget(exportMinutesButton.getScene().getWindow(), i18n, "notice.minutes.chooser", vm.minutesFileName())
                .ifPresent(vm::exportMinutes);
    }

    @FXML
    private void vote() {
        ArbitrationViewModel.MemberRow m = memberTable.getSelectionModel().getSelectedItem();
        if (m == null) return;
        KeyFields key = new KeyFields(vm.suggestedKeyFile(m));
        ComboBox<Position> position = new ComboBox<>();
        position.setId("votePosition");
        position.getItems().setAll(Position.values());
        position.setConverter(new StringConverter<>() {
            @Override public String toString(Position p) { return p == null ? "" : i18n.text("position." + p.name()); }
            @Override public Position fromString(String s) { return null; }
        });
        TextArea reason = new TextArea();
        reason.setId("voteReason");
        reason.setPrefRowCount(2);
        reason.setWrapText(true);
        GridPane amended = new GridPane();
        amended.setHgap(8);
        amended.setVgap(4);
        Map<String, TextField> amendedFields = new LinkedHashMap<>();
        int row = 0;
        for (ArbitrationViewModel.OutcomeRow o : vm.outcomes()) {
            TextField f = new TextField(o.granted());
            f.setId("amend-" + o.outcomeId());
            f.setPrefColumnCount(6);
            amendedFields.put(o.outcomeId(), f);
            amended.addRow(row++, new Label(o.outcomeId() + " " + o.title()), new Label(i18n.text("arbitration.grantedNow", o.granted())), f);
        }
        VBox amendedBox = new VBox(4, new Label(i18n.text("arbitration.amendedLines")), amended);
        amendedBox.visibleProperty().bind(position.valueProperty().isEqualTo(Position.AMEND));
        amendedBox.managedProperty().bind(amendedBox.visibleProperty());
        VBox content = new VBox(8, new Label(i18n.text("arbitration.vote.text", m.name())), key.node(),
                new Label(i18n.text("arbitration.position")), position, new Label(i18n.text("arbitration.reason")), reason, amendedBox);
        Dialog<ButtonType> dialog = dialog(i18n.text("arbitration.vote.title", m.name()), content, i18n.text("arbitration.vote.sign"));
        Node ok = dialog.getDialogPane().lookupButton(dialog.getDialogPane().getButtonTypes().getFirst());
        ok.disableProperty().bind(position.valueProperty().isNull().or(reason.textProperty().isEmpty()).or(key.incomplete()));
        dialog.setOnShown(e -> (key.file.getText().isEmpty() ? key.file : key.pass).requestFocus());
        var answer = dialog.showAndWait();
        if (answer.isPresent() && answer.get().getButtonData() == ButtonType.OK.getButtonData()) {
            Map<String, BigDecimal> lines = new LinkedHashMap<>();
            if (position.getValue() == Position.AMEND) {
                for (var e : amendedFields.entrySet()) {
                    try {
                        lines.put(e.getKey(), new BigDecimal(e.getValue().getText().strip()));
                    } catch (NumberFormatException ex) {
                        vm.messageProperty().set(i18n.text("arbitration.badCredits", e.getKey()));
                        key.clear();
                        return;
                    }
                }
            }
            vm.vote(m.memberId(), key.path(), key.pass.getText().toCharArray(), position.getValue(), lines, reason.getText());
        }
        key.clear();
    }

    @FXML
    private void declareConflict() {
        ArbitrationViewModel.MemberRow m = memberTable.getSelectionModel().getSelectedItem();
        if (m == null) return;
        KeyFields key = new KeyFields(vm.suggestedKeyFile(m));
        TextArea reason = new TextArea();
        reason.setId("conflictReason");
        reason.setPrefRowCount(2);
        reason.setWrapText(true);
        VBox content = new VBox(8, new Label(i18n.text("arbitration.conflict.text", m.name())), key.node(), new Label(i18n.text("arbitration.reason")), reason);
        Dialog<ButtonType> dialog = dialog(i18n.text("arbitration.conflict.title", m.name()), content, i18n.text("arbitration.declareConflict"));
        dialog.getDialogPane().lookupButton(dialog.getDialogPane().getButtonTypes().getFirst())
                .disableProperty().bind(reason.textProperty().isEmpty().or(key.incomplete()));
        var answer = dialog.showAndWait();
        if (answer.isPresent() && answer.get().getButtonData() == ButtonType.OK.getButtonData()) {
            vm.declareConflict(m.memberId(), key.path(), key.pass.getText().toCharArray(), reason.getText());
        }
        key.clear();
    }

    @FXML private void newRound() { vm.newRound(); }

    @FXML
    private void closeSession() {
        ArbitrationViewModel.MemberRow chair = vm.chairRow();
        if (chair == null) return;
        KeyFields key = new KeyFields(vm.suggestedKeyFile(chair));
        VBox content = new VBox(8, new Label(i18n.text("arbitration.close.text", chair.name(), vm.resultProperty().get())), key.node());
        Dialog<ButtonType> dialog = dialog(i18n.text("arbitration.close.title"), content, i18n.text("arbitration.close.sign"));
        dialog.getDialogPane().lookupButton(dialog.getDialogPane().getButtonTypes().getFirst()).disableProperty().bind(key.incomplete());
        dialog.setOnShown(e -> (key.file.getText().isEmpty() ? key.file : key.pass).requestFocus());
        var answer = dialog.showAndWait();
        if (answer.isPresent() && answer.get().getButtonData() == ButtonType.OK.getButtonData()) {
            vm.close(key.path(), key.pass.getText().toCharArray());
        }
        key.clear();
    }

    private Dialog<ButtonType> dialog(String title, Node content, String okText) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(memberTable.getScene().getWindow());
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().setPrefWidth(560);
        ButtonType ok = new ButtonType(okText, ButtonType.OK.getButtonData());
        dialog.getDialogPane().getButtonTypes().setAll(ok, i18n.cancelButton());
        return dialog;
    }

    /** The acting member's own key file (typed, pasted or chosen) and passphrase. */
    private final class KeyFields {
        final TextField file = new TextField();
        final PasswordField pass = new PasswordField();

        KeyFields(Path suggested) {
            file.setId("memberKeyFile");
            pass.setId("memberPassphrase");
            file.setPromptText(i18n.text("arbitration.keyFile.prompt"));
            pass.setPromptText(i18n.text("unlock.passphrase"));
            if (suggested != null) file.setText(suggested.toString());
        }

        Node node() {
            Button browse = new Button(i18n.text("arbitration.keyFile.browse"));
            browse.setOnAction(e -> {
                FileChooser chooser = new FileChooser();
                chooser.setTitle(i18n.text("arbitration.keyFile"));
                chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PKCS#12", "*.p12", "*.pfx"));
                File f = chooser.showOpenDialog(file.getScene().getWindow());
                if (f != null) file.setText(f.getAbsolutePath());
            });
            HBox row = new HBox(6, file, browse);
            HBox.setHgrow(file, Priority.ALWAYS);
            VBox box = new VBox(4, new Label(i18n.text("arbitration.keyFile")), row, new Label(i18n.text("arbitration.passphrase")), pass,
                    new Label(i18n.text("arbitration.ownKeyOnly")));
            box.setPadding(new Insets(0));
            return box;
        }

        javafx.beans.binding.BooleanBinding incomplete() {
            return file.textProperty().isEmpty().or(pass.textProperty().isEmpty());
        }

        Path path() {
            return Path.of(file.getText().strip());
        }

        void clear() {
            pass.clear();
        }
    }
}
