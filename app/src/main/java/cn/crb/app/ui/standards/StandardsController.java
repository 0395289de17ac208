package cn.crb.app.ui.standards;

import cn.crb.app.ui.common.I18n;
import cn.crb.domain.evaluation.Credits;
import cn.crb.domain.standards.CatalogueEntry;
import cn.crb.domain.standards.ConversionRule;
import cn.crb.domain.standards.Equivalence;
import cn.crb.domain.standards.Institution;
import cn.crb.domain.standards.QfLevel;
import cn.crb.domain.standards.SocialScenario;
import cn.crb.domain.standards.StandardsDiff;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

import java.io.File;
import java.math.BigDecimal;

import static cn.crb.app.ui.common.Tables.column;
import static cn.crb.app.ui.common.Tables.table;

/** Binds the Standards screen to its view model and builds its tables. */
public final class StandardsController {
    private final StandardsViewModel vm;
    private final I18n i18n;

    @FXML private ListView<StandardsViewModel.VersionRow> versionList;
    @FXML private Button importButton;
    @FXML private TextField searchField;
    @FXML private ComboBox<StandardsViewModel.VersionRow> compareChoice;
    @FXML private Label messageLabel;
    @FXML private Tab catalogueTab;
    @FXML private Tab equivalencesTab;
    @FXML private Tab scenariosTab;
    @FXML private Tab rulesTab;
    @FXML private Tab institutionsTab;
    @FXML private Tab levelsTab;
    @FXML private Tab diffTab;

    public StandardsController(StandardsViewModel vm, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
    }

    @FXML
    @SuppressWarnings("unchecked")
    private void initialize() {
        versionList.setItems(vm.versions());
        versionList.setCellFactory(l -> new ListCell<>() {
            @Override protected void updateItem(StandardsViewModel.VersionRow r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? null : vm.label(r));
            }
        });
        versionList.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> { if (b != null) vm.selectedProperty().set(b); });
        vm.selectedProperty().addListener((o, a, b) -> versionList.getSelectionModel().select(b));
        compareChoice.setItems(vm.versions());
        compareChoice.setConverter(new StringConverter<>() {
            @Override public String toString(StandardsViewModel.VersionRow r) { return r == null ? "" : r.held().version(); }
            @Override public StandardsViewModel.VersionRow fromString(String s) { return null; }
        });
        compareChoice.valueProperty().bindBidirectional(vm.compareWithProperty());
        searchField.textProperty().bindBidirectional(vm.searchProperty());
        messageLabel.textProperty().bind(vm.messageProperty());
        importButton.disableProperty().bind(vm.busyProperty());

        TableView<CatalogueEntry> cat = table(vm.catalogue());
        cat.getColumns().addAll(column(i18n, "col.code", CatalogueEntry::code), column(i18n, "col.name", CatalogueEntry::name),
                column(i18n, "col.category", e -> i18n.text("category." + e.category().name())),
                column(i18n, "col.qfLevel", CatalogueEntry::qfLevel), column(i18n, "col.status", e -> i18n.text("status." + e.status().name())),
                column(i18n, "col.retiredOn", CatalogueEntry::retiredOn));
        catalogueTab.setContent(cat);
        TableView<Equivalence> eq = table(vm.equivalences());
        eq.getColumns().addAll(column(i18n, "col.certificateCode", Equivalence::certificateCode), column(i18n, "col.level", Equivalence::level),
                column(i18n, "col.credits", e -> credits(e.credits())));
        equivalencesTab.setContent(eq);
        TableView<SocialScenario> sc = table(vm.scenarios());
        sc.getColumns().addAll(column(i18n, "col.code", SocialScenario::code), column(i18n, "col.name", SocialScenario::name),
                column(i18n, "col.hoursPerCredit", e -> credits(e.hoursPerCredit())), column(i18n, "col.minHours", e -> credits(e.minHours())),
                column(i18n, "col.minScore", e -> credits(e.minScore())), column(i18n, "col.maxCredits", e -> credits(e.maxCredits())));
        scenariosTab.setContent(sc);
        TableView<ConversionRule> ru = table(vm.rules());
        ru.getColumns().addAll(column(i18n, "col.ruleId", ConversionRule::id), column(i18n, "col.sourceCode", ConversionRule::sourceCode),
                column(i18n, "col.targetInstitution", ConversionRule::targetInstitution), column(i18n, "col.targetCourse", ConversionRule::targetCourse),
                column(i18n, "col.targetCourseName", ConversionRule::targetCourseName), column(i18n, "col.maxCredits", e -> credits(e.maxCredits())));
        rulesTab.setContent(ru);
        TableView<Institution> in = table(vm.institutions());
        in.getColumns().addAll(column(i18n, "col.code", Institution::code), column(i18n, "col.name", Institution::name),
                column(i18n, "col.kind", Institution::kind), column(i18n, "col.province", Institution::province),
                column(i18n, "col.status", e -> i18n.text("status." + e.status().name())));
        in.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override protected void updateItem(Institution i, boolean empty) {
                super.updateItem(i, empty);
                getStyleClass().removeAll("row-blacklisted", "row-suspended");
                if (!empty && i != null && i.status().name().equals("BLACKLISTED")) getStyleClass().add("row-blacklisted");
                if (!empty && i != null && i.status().name().equals("SUSPENDED")) getStyleClass().add("row-suspended");
            }
        });
        institutionsTab.setContent(in);
        TableView<QfLevel> lv = table(vm.levels());
        lv.getColumns().addAll(column(i18n, "col.level", QfLevel::level), column(i18n, "col.name", QfLevel::name),
                column(i18n, "col.descriptor", QfLevel::descriptor));
        levelsTab.setContent(lv);
        TableView<StandardsDiff.Change> df = table(vm.changes());
        df.getColumns().addAll(column(i18n, "col.section", StandardsDiff.Change::section), column(i18n, "col.key", StandardsDiff.Change::key),
                column(i18n, "col.change", c -> i18n.text("change." + c.kind().name())),
                column(i18n, "col.details", StandardsDiff.Change::summary));
        diffTab.setContent(df);
        vm.load();
    }

    private String credits(BigDecimal d) {
        return d == null ? "" : Credits.format(d);
    }

    @FXML
    private void importFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.text("standards.dialog.title"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        File f = chooser.showOpenDialog(importButton.getScene().getWindow());
        if (f != null) vm.importFile(f.toPath());
    }
}
