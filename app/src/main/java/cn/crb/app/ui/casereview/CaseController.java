package cn.crb.app.ui.casereview;

import cn.crb.app.ui.common.I18n;
import cn.crb.app.ui.common.Tables;
import cn.crb.domain.decision.Verdict;
import cn.crb.domain.evaluation.Credits;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import static cn.crb.app.ui.common.Tables.column;
import static cn.crb.app.ui.common.Tables.width;

/** Binds the case screen to its view model; the passphrase dialog for signing lives here. */
public final class CaseController {
    private final CaseViewModel vm;
    private final I18n i18n;
    private final Runnable onBack;

    @FXML private Button backButton;
    @FXML private Label titleLabel;
    @FXML private Label timeLeftLabel;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private Label infoLabel;
    @FXML private Label inspectionHint;
    @FXML private Button objectionButton;
    @FXML private Label objectionStatus;
    @FXML private TableView<CaseViewModel.Line> linesTable;
    @FXML private javafx.scene.layout.FlowPane basisLinks;
    @FXML private javafx.scene.layout.FlowPane evidenceLinks;
    @FXML private TextArea basisEntry;
    @FXML private ComboBox<Verdict> verdictChoice;
    @FXML private Button acceptButton;
    @FXML private Label totalLabel;
    @FXML private TextArea commentArea;
    @FXML private TextArea noteArea;
    @FXML private Label problemsLabel;
    @FXML private Button signButton;
    @FXML private Label messageLabel;
    @FXML private Button exportNoticeButton;
    @FXML private Button learnerButton;
    @FXML private Button cancelExportButton;

    private cn.crb.app.ui.common.Keyboard keyboard;
    private java.util.function.IntPredicate onNeighbour = d -> false;

    public CaseController(CaseViewModel vm, I18n i18n, Runnable onBack) {
        this.vm = vm;
        this.i18n = i18n;
        this.onBack = onBack;
    }

    /**
     * The same, with the window's shortcuts; {@code onNeighbour} opens the next (+1) or previous (-1) case of the inbox
     * and says whether there was one.
     */
    public CaseController(CaseViewModel vm, I18n i18n, Runnable onBack, cn.crb.app.ui.common.Keyboard keyboard,
                          java.util.function.IntPredicate onNeighbour) {
        this(vm, i18n, onBack);
        this.keyboard = keyboard;
        this.onNeighbour = onNeighbour;
    }

    /** The keyboard flow of a case: shortcuts, Tab out of the text areas, the lines table focused once loaded. */
    private void bindKeyboard() {
        for (TextArea area : new TextArea[]{commentArea, noteArea}) {
            area.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == javafx.scene.input.KeyCode.TAB && !e.isControlDown()) {
                    area.requestFocusTraversal(e.isShiftDown() ? javafx.scene.TraversalDirection.PREVIOUS : javafx.scene.TraversalDirection.NEXT);
                    e.consume();
                }
            });
        }
        // cells, not rows: ← → reach the granted credits and the reason, F2 (or typing) edits, Enter keeps, Esc drops
        linesTable.getSelectionModel().setCellSelectionEnabled(true);
        vm.detailProperty().addListener((o, a, d) -> {
            if (d != null && titleLabel.getScene() != null) javafx.application.Platform.runLater(() -> {
                linesTable.requestFocus();
                if (linesTable.getSelectionModel().isEmpty() && !linesTable.getItems().isEmpty()) {
                    var granted = linesTable.getColumns().stream().filter(c -> "granted".equals(c.getId())).findFirst().orElse(null);
                    linesTable.getSelectionModel().select(0, granted);
                    linesTable.getFocusModel().focus(0, granted);
                }
            });
        });
        // signing disables the form; the focus goes back to the lines rather than to the window's first control
        vm.signedProperty().addListener((o, was, is) -> {
            if (is && titleLabel.getScene() != null) javafx.application.Platform.runLater(linesTable::requestFocus);
        });
        if (keyboard == null) return;
        keyboard.bind(cn.crb.app.ui.common.Shortcut.CASE_BACK, titleLabel, this::back);
        keyboard.bind(cn.crb.app.ui.common.Shortcut.NEXT_CASE, titleLabel, () -> { if (!onNeighbour.test(+1)) vm.noNeighbour(true); });
        keyboard.bind(cn.crb.app.ui.common.Shortcut.PREVIOUS_CASE, titleLabel, () -> { if (!onNeighbour.test(-1)) vm.noNeighbour(false); });
        keyboard.bind(cn.crb.app.ui.common.Shortcut.CASE_LINES, titleLabel, linesTable::requestFocus);
        keyboard.bind(cn.crb.app.ui.common.Shortcut.CASE_DECISION, titleLabel, () -> {
            if (!verdictChoice.isDisabled()) verdictChoice.requestFocus();
            else signButton.requestFocus();
        });
        keyboard.bind(cn.crb.app.ui.common.Shortcut.CASE_ACCEPT, titleLabel, () -> {
            if (!acceptButton.isDisabled()) {
                acceptRecommendation();
                verdictChoice.requestFocus();
            }
        });
        keyboard.bind(cn.crb.app.ui.common.Shortcut.CASE_SIGN, titleLabel, () -> { if (!signButton.isDisabled()) sign(); });
    }

    @FXML
    @SuppressWarnings("unchecked")
    private void initialize() {
        titleLabel.setText(vm.caseId());
        learnerButton.disableProperty().bind(vm.detailProperty().isNull());
        vm.detailProperty().addListener((o, a, d) -> {
            if (d == null) return;
            var rc = d.recognitionCase();
            var doc = d.document();
            titleLabel.setText(rc.caseId() + " · " + i18n.text("case.revision", rc.revision()));
            infoLabel.setText(i18n.text("case.info", doc.path("learner").path("nameMasked").asText("—"),
                    doc.path("learner").path("idMasked").asText("—"), doc.path("programme").path("name").asText("—"),
                    doc.path("programme").path("institution").asText("—"), rc.appliedOn(),
                    i18n.text("step.name." + doc.path("step").asText("REVIEW")),
                    d.bundle().map(b -> b.version().toString()).orElse(i18n.text("case.noStandardsShort"))));
            timeLeftLabel.getStyleClass().removeIf(s -> s.startsWith("urgency-"));
            timeLeftLabel.getStyleClass().add("urgency-" + d.timeLeft().urgency().name());
            String left = new cn.crb.app.ui.common.TimeLeftText(i18n).format(d.timeLeft());
            // "deemed consent if unanswered" only when the bundle in force says so (contract 03: `deemedConsent`)
            boolean deemed = d.bundle().map(b -> b.workflow().deemedConsent()).orElse(false);
            timeLeftLabel.setText(d.institutionResponse() && deemed ? i18n.text("case.deemedConsentIn", left) : left);
        });
        linesTable.setItems(vm.lines());
        linesTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<CaseViewModel.Line, String> granted = new TableColumn<>(i18n.text("case.col.granted"));
        granted.setId("granted");
        granted.setCellValueFactory(f -> f.getValue().granted);
        granted.setCellFactory(cn.crb.app.ui.common.LiveTextCell.forTableColumn()); // typed straight into the line: nothing lost on a click away
        granted.setEditable(true);
        TableColumn<CaseViewModel.Line, String> reason = new TableColumn<>(i18n.text("case.col.reason"));
        reason.setId("reason");
        reason.setCellValueFactory(f -> f.getValue().reason);
        reason.setCellFactory(cn.crb.app.ui.common.LiveTextCell.forTableColumn());
        reason.setEditable(true);
        // the outcome's name gets the room (it was cut to four characters while the reasons columns stood empty and
        // wide); numbers right-aligned; the last column (the reviewer's reason) takes what is left
        granted.setPrefWidth(64);
        linesTable.getColumns().addAll(
                width(column(i18n, "case.col.outcome", l -> l.outcome.outcomeId()), 46),
                width(Tables.fullTextOnHover(column(i18n, "case.col.title", l -> l.outcome.title() + " (" + l.outcome.catalogueCode() + ")")), 170),
                width(column(i18n, "col.category", l -> i18n.text("category." + l.outcome.category().name())), 70),
                width(Tables.fullTextOnHover(column(i18n, "case.col.issuer", l -> vm.institutionName(l.outcome.issuer()))), 110),
                width(column(i18n, "case.col.status", l -> vm.statusText(l.recommendation)), 76),
                width(Tables.numeric(column(i18n, "case.col.recommended", l -> l.recommendation == null ? "—" : Credits.format(l.recommendation.credits()))), 64),
                Tables.numeric(granted),
                width(column(i18n, "col.targetCourse", l -> l.recommendation == null ? "" : l.recommendation.targetCourse()), 76),
                width(column(i18n, "col.ruleId", l -> l.recommendation == null ? "" : l.recommendation.ruleId()), 86),
                width(column(i18n, "case.col.reasons", l -> vm.reasonsText(l.recommendation)), 96),
                reason);
        linesTable.getColumns().forEach(c -> c.setSortable(false));
        linesTable.editableProperty().bind(vm.signedProperty().not().and(vm.linesFixed().not()).and(vm.actionableProperty()));
        linesTable.getSelectionModel().selectedItemProperty().addListener((o, a, l) -> showBasis(l));
        verdictChoice.setItems(vm.verdictChoices());
        verdictChoice.setConverter(new StringConverter<>() {
            @Override public String toString(Verdict v) { return v == null ? "" : i18n.text("verdict." + v.name()); }
            @Override public Verdict fromString(String s) { return null; }
        });
        verdictChoice.valueProperty().bindBidirectional(vm.verdictProperty());
        commentArea.textProperty().bindBidirectional(vm.commentProperty());
        noteArea.textProperty().bindBidirectional(vm.privateNoteProperty());
        for (var c : new javafx.scene.control.Control[]{verdictChoice, commentArea, noteArea}) {
            c.disableProperty().bind(vm.signedProperty().or(vm.actionableProperty().not()));
        }
        acceptButton.disableProperty().bind(vm.signedProperty().or(vm.linesFixed()).or(vm.actionableProperty().not()));
        objectionButton.visibleProperty().bind(vm.objectionShownProperty());
        objectionButton.managedProperty().bind(vm.objectionShownProperty());
        objectionButton.disableProperty().bind(vm.objectionAllowedProperty().not().or(vm.busyProperty()));
        objectionStatus.textProperty().bind(vm.objectionStatusProperty());
        objectionStatus.visibleProperty().bind(vm.objectionShownProperty());
        objectionStatus.managedProperty().bind(vm.objectionShownProperty());
        inspectionHint.visibleProperty().bind(vm.inspectionProperty());
        inspectionHint.managedProperty().bind(vm.inspectionProperty());
        problemsLabel.textProperty().bind(vm.problemsProperty());
        // what the comment lacks (a decline's reason, findings, a rejection's comment) is shown at the field itself: marked
        // and with the reason as its tooltip (ControlsFX's decorations would wrap the scene's root in a DecorationPane)
        vm.commentProblemProperty().addListener((o, a, b) -> markComment(b));
        markComment(vm.commentProblemProperty().get());
        messageLabel.textProperty().bind(vm.messageProperty());
        signButton.disableProperty().bind(vm.canSignProperty().not().or(vm.busyProperty()));
        busyIndicator.visibleProperty().bind(vm.busyProperty());
        exportNoticeButton.visibleProperty().bind(vm.signedProperty());
        exportNoticeButton.managedProperty().bind(vm.signedProperty());
        exportNoticeButton.disableProperty().bind(vm.busyProperty());
        cancelExportButton.visibleProperty().bind(vm.exportingProperty());
        cancelExportButton.managedProperty().bind(vm.exportingProperty());
        totalLabel.textProperty().bind(vm.totalProperty());
        bindKeyboard();
        vm.load();
    }

    private void markComment(String problem) {
        commentArea.getStyleClass().remove("field-invalid");
        if (problem == null || problem.isEmpty()) {
            commentArea.setTooltip(null);
        } else {
            commentArea.getStyleClass().add("field-invalid");
            commentArea.setTooltip(new javafx.scene.control.Tooltip(problem));
        }
    }

    /** Each clause of the selected line as a link; clicking one shows the bundle entry it names. */
    private void showBasis(CaseViewModel.Line line) {
        showEvidence(line);
        basisLinks.getChildren().clear();
        basisEntry.setVisible(false);
        basisEntry.setManaged(false);
        if (line == null || line.recommendation == null) return;
        for (String clause : line.recommendation.basis()) {
            javafx.scene.control.Hyperlink link = new javafx.scene.control.Hyperlink(vm.basisLabel(clause));
            link.setTooltip(new javafx.scene.control.Tooltip(clause));
            link.getStyleClass().add("basis-link");
            link.setOnAction(e -> {
                basisEntry.setText(vm.basisEntry(clause));
                basisEntry.setVisible(true);
                basisEntry.setManaged(true);
            });
            basisLinks.getChildren().add(link);
        }
    }

    /** The selected outcome's evidence files as links; a click shows the file once its SM3 is checked. */
    private void showEvidence(CaseViewModel.Line line) {
        evidenceLinks.getChildren().clear();
        if (line == null) return;
        for (CaseViewModel.EvidenceRef ref : vm.evidenceOf(vm.lines().indexOf(line))) {
            javafx.scene.control.Hyperlink link = new javafx.scene.control.Hyperlink(ref.name());
            link.getStyleClass().add("evidence-link");
            link.setOnAction(e -> vm.openEvidence(ref, pages -> showPages(ref, pages)));
            evidenceLinks.getChildren().add(link);
        }
    }

    private void showPages(CaseViewModel.EvidenceRef ref, cn.crb.app.print.EvidencePages.Pages pages) {
        VBox box = new VBox(8);
        box.setId("evidencePages");
        for (byte[] img : pages.images()) {
            javafx.scene.image.ImageView v = new javafx.scene.image.ImageView(new javafx.scene.image.Image(new java.io.ByteArrayInputStream(img)));
            v.setPreserveRatio(true);
            v.setFitWidth(760);
            box.getChildren().add(v);
        }
        if (pages.totalPages() > pages.images().size()) {
            box.getChildren().add(new Label(i18n.text("case.evidence.morePages", pages.images().size(), pages.totalPages())));
        }
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(box);
        scroll.setPrefSize(800, 640);
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(evidenceLinks.getScene().getWindow());
        d.initModality(javafx.stage.Modality.NONE);
        d.setTitle(i18n.text("case.evidence.title", ref.name()));
        d.setHeaderText(i18n.text("case.evidence.title", ref.name()) + "\n" + i18n.text("case.evidence.verified", ref.sm3()));
        d.getDialogPane().setContent(scroll);
        d.getDialogPane().getButtonTypes().setAll(i18n.closeButton());
        d.setResizable(true);
        d.show();
    }

    @FXML private void back() { onBack.run(); }

    @FXML
    private void showLearner() {
        vm.learnerPlan().ifPresent(plan -> LearnerView.show(learnerButton.getScene().getWindow(), i18n, vm.learnerText().strip(), plan,
                vm.institutionName(plan.programme().institution())));
    }

    @FXML
    private void raiseObjection() {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(objectionButton.getScene().getWindow());
        dialog.setTitle(i18n.text("case.objection.title", vm.caseId()));
        dialog.setHeaderText(i18n.text("case.objection.title", vm.caseId()));
        TextArea grounds = new TextArea();
        grounds.setId("objectionGrounds");
        grounds.setPrefRowCount(3);
        grounds.setWrapText(true);
        PasswordField pass = new PasswordField();
        pass.setId("objectionPassphrase");
        pass.setPromptText(i18n.text("unlock.passphrase"));
        dialog.getDialogPane().setContent(new VBox(8, new Label(i18n.text("case.objection.text")), new Label(i18n.text("case.objection.grounds")),
                grounds, pass));
        ButtonType ok = new ButtonType(i18n.text("case.objection.sign"), ButtonType.OK.getButtonData());
        dialog.getDialogPane().getButtonTypes().setAll(ok, i18n.cancelButton());
        dialog.getDialogPane().lookupButton(ok).disableProperty().bind(grounds.textProperty().isEmpty().or(pass.textProperty().isEmpty()));
        dialog.setOnShown(e -> javafx.application.Platform.runLater(grounds::requestFocus)); // after the dialog focuses its default button
        dialog.showAndWait().filter(b -> b == ok).ifPresent(b -> vm.raiseObjection(grounds.getText(), pass.getText().toCharArray()));
        pass.clear();
    }

    @FXML private void acceptRecommendation() { vm.acceptRecommendation(); }

    /** Asks where to save the notice of the signed decision; writing it runs in the background. */
    @FXML
    private void exportNotice() {
        cn.crb.app.ui.common.PdfFiles.chooseTarget(exportNoticeButton.getScene().getWindow(), i18n, "notice.decision.chooser", vm.noticeFileName())
                .ifPresent(vm::exportNotice);
    }

    @FXML private void cancelExport() { vm.cancelExport(); }

    @FXML
    private void sign() {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(signButton.getScene().getWindow());
        dialog.setTitle(i18n.text("case.sign.title"));
        dialog.setHeaderText(i18n.text("case.sign.header", vm.caseId(), i18n.text("verdict." + vm.verdictProperty().get()),
                vm.decision() == null ? "" : Credits.format(vm.decision().totalGranted())));
        PasswordField pass = new PasswordField();
        pass.setId("signPassphrase");
        pass.setPromptText(i18n.text("unlock.passphrase"));
        VBox content = new VBox(8, new Label(i18n.text("case.sign.text")), pass);
        if (vm.decision() != null) for (String w : vm.decision().warnings()) {
            // allowed, but probably not meant: said before the passphrase, not instead of signing
            Label warning = new Label(i18n.text("decision.warning." + w));
            warning.setId("signWarning");
            warning.setWrapText(true);
            warning.setMaxWidth(540);
            warning.getStyleClass().add("warning-text");
            content.getChildren().addFirst(warning);
        }
        dialog.getDialogPane().setContent(content);
        ButtonType ok = new ButtonType(i18n.text("case.sign"), ButtonType.OK.getButtonData());
        dialog.getDialogPane().getButtonTypes().setAll(ok, i18n.cancelButton());
        dialog.setOnShown(e -> javafx.application.Platform.runLater(pass::requestFocus)); // after the dialog focuses its default button
        dialog.showAndWait().filter(b -> b == ok).ifPresent(b -> vm.sign(pass.getText().toCharArray()));
        pass.clear();
    }
}
