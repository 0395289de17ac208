package cn.crb.app.ui.unlock;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;

/** Binds the unlock view to its view model. */
public final class UnlockController {
    private final UnlockViewModel vm;
    private final Runnable onNewProfile;

    @FXML private ComboBox<UnlockViewModel.Choice> profiles;
    @FXML private PasswordField passphraseField;
    @FXML private Label errorLabel;
    @FXML private Button unlockButton;
    @FXML private ProgressIndicator busyIndicator;

    public UnlockController(UnlockViewModel vm, Runnable onNewProfile) {
        this.vm = vm;
        this.onNewProfile = onNewProfile;
    }

    @FXML
    private void initialize() {
        profiles.setItems(vm.choices());
        profiles.valueProperty().bindBidirectional(vm.selectedProperty());
        passphraseField.textProperty().bindBidirectional(vm.passphraseProperty());
        passphraseField.disableProperty().bind(vm.busyProperty());
        unlockButton.disableProperty().bind(vm.canUnlockProperty().not());
        busyIndicator.visibleProperty().bind(vm.busyProperty());
        errorLabel.textProperty().bind(vm.errorProperty());
        errorLabel.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        errorLabel.managedProperty().bind(errorLabel.visibleProperty());
        passphraseField.sceneProperty().addListener((o, a, s) -> { if (s != null) passphraseField.requestFocus(); });
    }

    @FXML private void unlock() { vm.unlock(); }

    @FXML private void newProfile() { onNewProfile.run(); }
}
