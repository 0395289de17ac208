package cn.crb.app.ui.bulk;

import cn.crb.app.ui.common.I18n;
import cn.crb.domain.bulk.ColumnMapping;
import cn.crb.domain.bulk.FileFormat;
import cn.crb.domain.bulk.FilePreview;
import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.Problem;
import cn.crb.localdb.BulkJob;
import cn.crb.localdb.BulkRepository;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

import java.io.File;

import static cn.crb.app.ui.common.Tables.column;
import static cn.crb.app.ui.common.Tables.width;

/** Binds the Bulk submission screen; the file choosers and the passphrase prompt for submitting live here. */
public final class BulkController {
    private final BulkViewModel vm;
    private final I18n i18n;

    @FXML private ListView<BulkJob> jobList;
    @FXML private Button chooseButton;
    @FXML private TextField pathField;
    @FXML private Label formatLabel;
    @FXML private ComboBox<BulkViewModel.EncodingOption> encodingChoice;
    @FXML private Label sheetTitle;
    @FXML private ComboBox<String> sheetChoice;
    @FXML private ComboBox<ImportMode> modeChoice;
    @FXML private Label alreadyLabel;
    @FXML private Button importButton;
    @FXML private Button cancelButton;
    @FXML private ProgressBar progressBar;
    @FXML private Label progressLabel;
    @FXML private Label messageLabel;
    @FXML private Label summaryLabel;
    @FXML private Label problemsNote;
    @FXML private ComboBox<BulkViewModel.CodeChoice> codeFilter;
    @FXML private ComboBox<BulkViewModel.ColumnChoice> columnFilter;
    @FXML private TabPane bulkTabs;
    @FXML private Tab previewTab;
    @FXML private Tab problemsTab;
    @FXML private Label previewLabel;
    @FXML private Label mappingLabel;
    @FXML private TableView<FilePreview.Row> previewTable;
    @FXML private TableView<Problem> problemTable;
    @FXML private Button revealButton;
    @FXML private Label resultsLabel;
    @FXML private TableView<BulkRepository.ResultLine> resultTable;
    @FXML private Button exportButton;
    @FXML private TextField exportPathField;
    @FXML private Button exportChooseButton;
    @FXML private Button submitButton;

    public BulkController(BulkViewModel vm, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
    }

    @FXML
    @SuppressWarnings("unchecked")
    private void initialize() {
        jobList.setItems(vm.jobs());
        jobList.setCellFactory(l -> new ListCell<>() {
            @Override protected void updateItem(BulkJob j, boolean empty) {
                super.updateItem(j, empty);
                setText(empty || j == null ? null : vm.jobLabel(j));
            }
        });
        jobList.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> { if (b != null) vm.show(b); });
        // no job shown (a new file chosen): none selected either, so that clicking the earlier one shows it again
        vm.jobProperty().addListener((o, a, b) -> { if (b == null) jobList.getSelectionModel().clearSelection(); });

        vm.fileProperty().addListener((o, a, b) -> pathField.setText(b == null ? "" : b.toString()));
        pathField.disableProperty().bind(vm.runningProperty());
        formatLabel.textProperty().bind(vm.formatTextProperty());
        encodingChoice.setItems(vm.encodings());
        encodingChoice.setConverter(converter(vm::encodingText));
        encodingChoice.valueProperty().bindBidirectional(vm.encodingProperty());
        sheetChoice.setItems(vm.sheets());
        sheetChoice.valueProperty().bindBidirectional(vm.sheetProperty());
        var xlsx = Bindings.createBooleanBinding(() -> vm.formatProperty().get() == FileFormat.XLSX, vm.formatProperty());
        sheetChoice.visibleProperty().bind(xlsx);
        sheetChoice.managedProperty().bind(xlsx);
        sheetTitle.visibleProperty().bind(xlsx);
        sheetTitle.managedProperty().bind(xlsx);
        encodingChoice.disableProperty().bind(xlsx);
        modeChoice.setItems(vm.modes());
        modeChoice.setConverter(converter(vm::modeText));
        modeChoice.valueProperty().bindBidirectional(vm.modeProperty());
        alreadyLabel.textProperty().bind(vm.alreadyTextProperty());
        alreadyLabel.managedProperty().bind(vm.alreadyTextProperty().isNotEmpty());

        chooseButton.disableProperty().bind(vm.runningProperty());
        importButton.disableProperty().bind(vm.canImport().not());
        cancelButton.disableProperty().bind(vm.runningProperty().not().or(vm.finishingProperty()));
        exportButton.disableProperty().bind(vm.canExport().not().or(vm.exportPathProperty().isEmpty()));
        exportChooseButton.disableProperty().bind(vm.canExport().not());
        exportPathField.textProperty().bindBidirectional(vm.exportPathProperty());
        exportPathField.disableProperty().bind(vm.canExport().not());
        submitButton.disableProperty().bind(vm.canSubmit().not());
        progressBar.progressProperty().bind(vm.progressProperty());
        progressBar.visibleProperty().bind(vm.runningProperty());
        progressLabel.textProperty().bind(vm.progressTextProperty());
        messageLabel.textProperty().bind(vm.messageProperty());
        summaryLabel.textProperty().bind(vm.summaryTextProperty());
        for (Label l : new Label[]{messageLabel, summaryLabel}) l.managedProperty().bind(l.textProperty().isNotEmpty());
        problemsNote.textProperty().bind(vm.problemsNoteProperty());
        codeFilter.setItems(vm.codeChoices());
        codeFilter.setConverter(converter(vm::codeChoiceText));
        codeFilter.valueProperty().bindBidirectional(vm.codeFilterProperty());
        codeFilter.disableProperty().bind(Bindings.isEmpty(vm.codeChoices()));
        columnFilter.setItems(vm.columnChoices());
        columnFilter.setConverter(converter(vm::columnChoiceText));
        columnFilter.valueProperty().bindBidirectional(vm.columnFilterProperty());
        columnFilter.disableProperty().bind(Bindings.isEmpty(vm.columnChoices()));
        resultsLabel.textProperty().bind(vm.resultsTextProperty());

        problemTable.setItems(vm.problems());
        revealButton.disableProperty().bind(problemTable.getSelectionModel().selectedItemProperty().isNull());
        problemTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        problemTable.getColumns().addAll(column(i18n, "bulk.col.row", Problem::row), column(i18n, "bulk.col.column", BulkViewModel::columnText),
                column(i18n, "bulk.col.code", p -> p.code().name()), column(i18n, "bulk.col.message", Problem::message));
        problemTable.getColumns().get(0).setPrefWidth(60);
        problemTable.getColumns().get(1).setPrefWidth(150);
        problemTable.getColumns().get(2).setPrefWidth(170);
        problemTable.getColumns().get(3).setPrefWidth(520);
        previewLabel.textProperty().bind(vm.previewTextProperty());
        mappingLabel.textProperty().bind(vm.mappingTextProperty());
        vm.mappingProblems().addListener((javafx.collections.ListChangeListener<Problem>) c -> {
            if (vm.mappingProblems().isEmpty()) mappingLabel.getStyleClass().remove("error");
            else if (!mappingLabel.getStyleClass().contains("error")) mappingLabel.getStyleClass().add("error");
        });
        previewTable.setItems(vm.previewRows());
        previewTable.setPlaceholder(new Label(i18n.text("bulk.path.prompt")));
        vm.mappedColumns().addListener((javafx.collections.ListChangeListener<BulkViewModel.MappedColumn>) c -> previewColumns());
        vm.stepProperty().addListener((o, a, b) -> {
            if (b == BulkViewModel.Step.PREVIEW) bulkTabs.getSelectionModel().select(previewTab);
            else if (b == BulkViewModel.Step.RESULTS && bulkTabs.getSelectionModel().getSelectedItem() == previewTab) bulkTabs.getSelectionModel().select(problemsTab);
        });
        resultTable.setItems(vm.results());
        resultTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        resultTable.getColumns().addAll(width(column(i18n, "bulk.col.row", BulkRepository.ResultLine::rowNumber), 50),
                width(column(i18n, "bulk.col.idMasked", BulkRepository.ResultLine::idMasked), 165),
                width(column(i18n, "bulk.col.nameMasked", BulkRepository.ResultLine::nameMasked), 90),
                width(column(i18n, "bulk.col.catalogueCode", BulkRepository.ResultLine::catalogueCode), 110),
                width(column(i18n, "bulk.col.title", BulkRepository.ResultLine::title), 90),
                width(column(i18n, "bulk.col.status", vm::resultStatusText), 70), column(i18n, "bulk.col.refusal", vm::resultCodeText));
        vm.loadJobs();
    }

    /** One table column per file column: its header as written over a ChoiceBox of the field it is read as. */
    private void previewColumns() {
        java.util.List<TableColumn<FilePreview.Row, ?>> cols = new java.util.ArrayList<>();
        TableColumn<FilePreview.Row, String> row = column(i18n, "bulk.col.row", FilePreview.Row::rowNumber);
        row.setPrefWidth(60);
        row.setSortable(false);
        cols.add(row);
        for (BulkViewModel.MappedColumn m : vm.mappedColumns()) {
            int i = m.position();
            TableColumn<FilePreview.Row, String> c = new TableColumn<>();
            c.setId("preview" + i);
            c.setSortable(false);
            c.setPrefWidth(170);
            c.setCellValueFactory(f -> new javafx.beans.property.ReadOnlyStringWrapper(i < f.getValue().cells().size() ? f.getValue().cells().get(i) : ""));
            ChoiceBox<ColumnMapping.Choice> box = new ChoiceBox<>(javafx.collections.FXCollections.observableArrayList(m.choices()));
            box.setId("map" + i);
            box.setConverter(converter(vm::choiceText));
            box.setMaxWidth(Double.MAX_VALUE);
            box.valueProperty().bindBidirectional(m.choiceProperty());
            box.disableProperty().bind(vm.runningProperty());
            Label header = new Label(m.shownHeader());
            header.getStyleClass().add("h3");
            c.setGraphic(new VBox(4, header, box));
            cols.add(c);
        }
        previewTable.getColumns().setAll(cols);
    }

    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> text) {
        return new StringConverter<>() {
            @Override public String toString(T t) { return text.apply(t); }
            @Override public T fromString(String s) { return null; }
        };
    }

    @FXML
    private void chooseFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.text("bulk.choose.title"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(i18n.text("bulk.choose.filter"), "*.csv", "*.txt", "*.xlsx"));
        File f = chooser.showOpenDialog(chooseButton.getScene().getWindow());
        if (f != null) vm.chooseFile(f.toPath());
    }

    /** A path typed or pasted into the field (Enter): taken like a chosen file. */
    @FXML
    private void useTypedPath() {
        String text = pathField.getText() == null ? "" : pathField.getText().strip().replaceAll("^\"|\"$", "");
        if (text.isEmpty()) return;
        try {
            vm.chooseFile(java.nio.file.Path.of(text));
        } catch (java.nio.file.InvalidPathException e) {
            vm.messageProperty().set(i18n.text("bulk.error.noFile", text));
        }
    }

    @FXML private void importFile() { vm.importFile(); }

    @FXML private void cancel() { vm.cancel(); }

    @FXML private void exportRejects() { vm.exportRejectsToTypedPath(); }

    /** Asks where to save the rejects (the save dialog confirms an overwrite itself) and writes them there. */
    @FXML
    private void chooseExportTarget() {
        BulkJob j = vm.jobProperty().get();
        if (j == null) return;
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.text("bulk.export.title"));
        boolean xlsx = "XLSX".equals(j.format());
        java.nio.file.Path suggested = vm.suggestedRejectsFile(j);
        chooser.setInitialFileName(suggested.getFileName().toString());
        if (java.nio.file.Files.isDirectory(suggested.getParent())) chooser.setInitialDirectory(suggested.getParent().toFile());
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(xlsx ? "XLSX" : "CSV", xlsx ? "*.xlsx" : "*.csv"));
        File f = chooser.showSaveDialog(exportButton.getScene().getWindow());
        if (f != null) {
            vm.exportPathProperty().set(f.toString());
            vm.exportRejects(f.toPath());
        }
    }

    @FXML
    private void submit() {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(submitButton.getScene().getWindow());
        dialog.setTitle(i18n.text("bulk.submit"));
        dialog.setHeaderText(i18n.text("bulk.passphrase.header"));
        PasswordField pass = new PasswordField();
        pass.setId("bulkPassphrase");
        dialog.getDialogPane().setContent(new VBox(8, new Label(i18n.text("bulk.passphrase.text")), pass));
        ButtonType go = new ButtonType(i18n.text("bulk.submit"), ButtonType.OK.getButtonData());
        dialog.getDialogPane().getButtonTypes().setAll(go, i18n.cancelButton());
        dialog.setOnShown(e -> javafx.application.Platform.runLater(pass::requestFocus)); // after the dialog focuses its default button
        dialog.showAndWait().filter(b -> b == go).ifPresent(b -> vm.submit(pass.getText().toCharArray()));
        pass.clear();
    }

    /** Shows the selected problem's row in clear after the clerk asked for it; the view model audits the reveal first. */
    @FXML
    private void reveal() {
        var p = problemTable.getSelectionModel().getSelectedItem();
        vm.reveal(p, row -> {
            javafx.scene.control.Dialog<javafx.scene.control.ButtonType> d = new javafx.scene.control.Dialog<>();
            d.initOwner(problemTable.getScene().getWindow());
            d.setTitle(i18n.text("bulk.reveal.title", row.row()));
            d.setHeaderText(i18n.text("bulk.reveal.header", row.row()));
            javafx.scene.layout.GridPane g = new javafx.scene.layout.GridPane();
            g.setHgap(12);
            g.setVgap(4);
            int r = 0;
            for (var c : row.cells()) {
                javafx.scene.control.TextField v = new javafx.scene.control.TextField(c.getValue());
                v.setEditable(false);
                v.setPrefColumnCount(24);
                g.addRow(r++, new javafx.scene.control.Label(c.getKey()), v);
            }
            d.getDialogPane().setContent(new javafx.scene.control.ScrollPane(g));
            d.getDialogPane().getButtonTypes().setAll(i18n.closeButton());
            d.showAndWait();
        });
    }
}
