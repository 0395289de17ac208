package cn.crb.app.ui.onboarding;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/** Binds the first-start view to its view model. */
public final class OnboardingController {
    private final OnboardingViewModel vm;
    private final Runnable onBack;
    private final boolean canGoBack;

    @FXML private TextField platformField;
    @FXML private Label demoLabel;
    @FXML private VBox demoBox;
    @FXML private ComboBox<OnboardingViewModel.DemoChoice> demoPeople;
    @FXML private TextField codeField;
    @FXML private PasswordField passphraseField;
    @FXML private PasswordField confirmField;
    @FXML private ProgressBar strengthBar;
    @FXML private Label strengthLabel;
    @FXML private Label errorLabel;
    @FXML private Button createButton;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private Label stepLabel;
    @FXML private Hyperlink backLink;

    public OnboardingController(OnboardingViewModel vm, Runnable onBack, boolean canGoBack) {
        this.vm = vm;
        this.onBack = onBack;
        this.canGoBack = canGoBack;
    }

    @FXML
    private void initialize() {
        platformField.textProperty().bindBidirectional(vm.platformUrlProperty());
        codeField.textProperty().bindBidirectional(vm.codeProperty());
        passphraseField.textProperty().bindBidirectional(vm.passphraseProperty());
        confirmField.textProperty().bindBidirectional(vm.confirmationProperty());
        boolean demo = !vm.demoChoices().isEmpty();
        demoLabel.setVisible(demo);
        demoLabel.setManaged(demo);
        demoBox.setVisible(demo);
        demoBox.setManaged(demo);
        demoPeople.setItems(vm.demoChoices());
        demoPeople.valueProperty().bindBidirectional(vm.demoChoiceProperty());
        strengthBar.progressProperty().bind(Bindings.createDoubleBinding(vm::strengthProgress, vm.strengthProperty(), vm.passphraseProperty()));
        strengthLabel.textProperty().bind(Bindings.createStringBinding(vm::strengthText, vm.strengthProperty(),
                vm.passphraseProperty(), vm.confirmationProperty()));
        vm.strengthProperty().addListener((o, a, b) -> styleStrength());
        styleStrength();
        createButton.disableProperty().bind(vm.canCreateProperty().not());
        busyIndicator.visibleProperty().bind(vm.busyProperty());
        stepLabel.textProperty().bind(vm.stepProperty());
        errorLabel.textProperty().bind(vm.errorProperty());
        errorLabel.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        errorLabel.managedProperty().bind(errorLabel.visibleProperty());
        for (var c : new javafx.scene.control.Control[]{platformField, demoPeople, codeField, passphraseField, confirmField}) {
            c.disableProperty().bind(vm.busyProperty());
        }
        backLink.setVisible(canGoBack);
        // the address is usually prefilled: start where the person types first
        codeField.sceneProperty().addListener((o, a, scene) -> { if (scene != null) javafx.application.Platform.runLater(
                () -> (vm.platformUrlProperty().get().isBlank() ? platformField : demo ? demoPeople : codeField).requestFocus()); });
    }

    private void styleStrength() {
        strengthBar.getStyleClass().removeIf(s -> s.startsWith("strength-"));
        strengthBar.getStyleClass().add("strength-" + vm.strengthProperty().get().name());
    }

    @FXML private void create() { vm.create(); }

    @FXML private void back() { onBack.run(); }
}
