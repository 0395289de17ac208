package cn.crb.app.ui.audit;

import cn.crb.app.ui.common.I18n;
import cn.crb.domain.audit.AuditEntry;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;

import static cn.crb.app.ui.common.Tables.column;

/** Binds the audit view. */
public final class AuditController {
    private final AuditViewModel vm;
    private final I18n i18n;

    @FXML private Label statusLabel;
    @FXML private Button verifyButton;
    @FXML private TableView<AuditEntry> table;

    public AuditController(AuditViewModel vm, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
    }

    @FXML
    @SuppressWarnings("unchecked")
    private void initialize() {
        table.setItems(vm.entries());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().addAll(column(i18n, "audit.col.seq", AuditEntry::seq), column(i18n, "audit.col.at", vm::atText),
                column(i18n, "audit.col.action", vm::actionText), column(i18n, "audit.col.entity", vm::entityText),
                column(i18n, "audit.col.hash", e -> e.hash().substring(0, 16) + "…"));
        table.getColumns().forEach(c -> c.setSortable(false));
        statusLabel.textProperty().bind(vm.statusProperty());
        vm.okProperty().addListener((o, a, b) -> style());
        style();
        verifyButton.disableProperty().bind(vm.busyProperty());
        vm.load();
    }

    private void style() {
        statusLabel.getStyleClass().removeAll("status-online", "status-offline");
        statusLabel.getStyleClass().add(vm.okProperty().get() ? "status-online" : "status-offline");
    }

    @FXML private void verify() { vm.load(); }
}
