package cn.crb.app.ui.sync;

import cn.crb.app.ui.common.I18n;
import cn.crb.localdb.OutboxRepository;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;

import static cn.crb.app.ui.common.Tables.column;

/** Binds the Sync screen; the passphrase prompt for the audit checkpoint lives here. */
public final class SyncController {
    private final SyncViewModel vm;
    private final I18n i18n;

    @FXML private Button syncButton;
    @FXML private Button cancelButton;
    @FXML private ProgressBar progressBar;
    @FXML private Label phaseLabel;
    @FXML private Label reportLabel;
    @FXML private TableView<OutboxRepository.Entry> outboxTable;
    @FXML private Button redecideButton;
    @FXML private Button discardButton;
    @FXML private Button signInButton;

    public SyncController(SyncViewModel vm, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
    }

    @FXML
    @SuppressWarnings("unchecked")
    private void initialize() {
        syncButton.disableProperty().bind(vm.runningProperty());
        cancelButton.disableProperty().bind(vm.runningProperty().not());
        progressBar.progressProperty().bind(vm.progressProperty());
        progressBar.visibleProperty().bind(vm.runningProperty());
        phaseLabel.textProperty().bind(vm.phaseProperty());
        reportLabel.textProperty().bind(vm.reportProperty());
        signInButton.visibleProperty().bind(vm.signInNeededProperty());
        signInButton.managedProperty().bind(vm.signInNeededProperty());
        signInButton.disableProperty().bind(vm.runningProperty());
        DateTimeFormatter f = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(i18n.locale()).withZone(ZoneId.systemDefault());
        outboxTable.setItems(vm.outbox());
        outboxTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        outboxTable.getColumns().addAll(
                column(i18n, "outbox.col.state", vm::stateText),
                column(i18n, "outbox.col.type", OutboxRepository.Entry::type),
                column(i18n, "outbox.col.case", OutboxRepository.Entry::caseId),
                column(i18n, "outbox.col.created", e -> f.format(e.createdAt())),
                column(i18n, "outbox.col.attempts", OutboxRepository.Entry::attempts),
                column(i18n, "outbox.col.result", e -> e.resultCode() == null ? (e.lastError() == null ? "" : e.lastError())
                        : e.resultCode() + (e.resultDetail() == null ? "" : ": " + e.resultDetail())));
        outboxTable.getColumns().forEach(c -> c.setSortable(false));
        var selected = outboxTable.getSelectionModel().selectedItemProperty();
        discardButton.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> !SyncViewModel.needsPerson(selected.get()), selected));
        redecideButton.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> !SyncViewModel.needsPerson(selected.get()) || selected.get().caseId() == null, selected));
        vm.loadOutbox();
    }

    @FXML
    private void syncNow() {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(syncButton.getScene().getWindow());
        dialog.setTitle(i18n.text("sync.now"));
        dialog.setHeaderText(i18n.text("sync.passphrase.header"));
        PasswordField pass = new PasswordField();
        pass.setId("syncPassphrase");
        dialog.getDialogPane().setContent(new VBox(8, new Label(i18n.text("sync.passphrase.text")), pass));
        ButtonType go = new ButtonType(i18n.text("sync.now"), ButtonType.OK.getButtonData());
        dialog.getDialogPane().getButtonTypes().setAll(go, i18n.cancelButton());
        dialog.setOnShown(e -> javafx.application.Platform.runLater(pass::requestFocus)); // after the dialog focuses its default button
        dialog.showAndWait().filter(b -> b == go).ifPresent(b -> vm.syncNow(pass.getText().toCharArray()));
        pass.clear();
    }

    @FXML private void cancel() { vm.cancel(); }

    /** Asks for the fresh enrolment code the platform's administrator issued, then signs in again with the same key. */
    @FXML
    private void signInAgain() {
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(signInButton.getScene().getWindow());
        d.setTitle(i18n.text("signin.title"));
        d.setHeaderText(i18n.text("signin.header"));
        javafx.scene.control.TextField code = new javafx.scene.control.TextField();
        code.setId("signInCode");
        code.setPromptText("EC-XXXX-XXXX-XXXX-XXXX");
        d.getDialogPane().setContent(new VBox(8, new Label(i18n.text("signin.text")), code));
        ButtonType go = new ButtonType(i18n.text("signin.go"), ButtonType.OK.getButtonData());
        d.getDialogPane().getButtonTypes().setAll(go, i18n.cancelButton());
        d.getDialogPane().lookupButton(go).disableProperty().bind(code.textProperty().isEmpty());
        d.setOnShown(e -> javafx.application.Platform.runLater(code::requestFocus));
        d.showAndWait().filter(b -> b == go).ifPresent(b -> vm.signInAgain(code.getText()));
    }

    @FXML private void redecide() { vm.redecide(outboxTable.getSelectionModel().getSelectedItem()); }

    /** Asks for the reason (required) and discards the returned entry; the reason goes to the audit log. */
    @FXML
    private void discard() {
        OutboxRepository.Entry e = outboxTable.getSelectionModel().getSelectedItem();
        if (!SyncViewModel.needsPerson(e)) return;
        javafx.scene.control.Dialog<javafx.scene.control.ButtonType> d = new javafx.scene.control.Dialog<>();
        d.initOwner(outboxTable.getScene().getWindow());
        d.setTitle(i18n.text("outbox.discard.title"));
        d.setHeaderText(i18n.text("outbox.discard.header", e.caseId() == null ? "—" : e.caseId(),
                e.resultCode() == null ? "" : e.resultCode()));
        javafx.scene.control.TextArea reason = new javafx.scene.control.TextArea();
        reason.setId("discardReason");
        reason.setPrefRowCount(3);
        reason.setWrapText(true);
        d.getDialogPane().setContent(new javafx.scene.layout.VBox(6, new Label(i18n.text("outbox.discard.reason")), reason));
        javafx.scene.control.ButtonType ok = new javafx.scene.control.ButtonType(i18n.text("outbox.discard"), javafx.scene.control.ButtonType.OK.getButtonData());
        d.getDialogPane().getButtonTypes().setAll(ok, i18n.cancelButton());
        d.getDialogPane().lookupButton(ok).disableProperty().bind(reason.textProperty().isEmpty());
        d.setOnShown(x -> javafx.application.Platform.runLater(reason::requestFocus));
        d.showAndWait().filter(b -> b == ok).ifPresent(b -> vm.discard(e, reason.getText()));
    }
}
