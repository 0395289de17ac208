package cn.crb.app.ui.dashboard;

import cn.crb.app.arbitration.ArbitrationService;
import cn.crb.app.dashboard.DashboardService;
import cn.crb.app.ui.common.I18n;
import cn.crb.app.ui.common.TimeLeftText;
import cn.crb.app.ui.inbox.InboxViewModel;
import cn.crb.localdb.OutboxRepository;
import javafx.fxml.FXML;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.PieChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.FlowPane;

import java.text.NumberFormat;
import java.time.format.DateTimeFormatter;

/** Binds the dashboard: tiles and chart slices are buttons that open what they count. */
public final class DashboardController {
    private final DashboardViewModel vm;
    private final I18n i18n;

    @FXML private Label summaryLabel;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private FlowPane tiles;
    @FXML private PieChart stepChart;
    @FXML private BarChart<String, Number> throughputChart;
    @FXML private BarChart<String, Number> creditsChart;
    @FXML private javafx.scene.layout.HBox charts;
    @FXML private ListView<ArbitrationService.Summary> arbitrationList;
    @FXML private Label arbitrationsLabel;
    @FXML private Label messageLabel;

    public DashboardController(DashboardViewModel vm, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
    }

    @FXML
    private void initialize() {
        busyIndicator.visibleProperty().bind(vm.busyProperty());
        messageLabel.textProperty().bind(vm.messageProperty());
        arbitrationList.setCellFactory(l -> new ListCell<>() {
            @Override protected void updateItem(ArbitrationService.Summary s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : i18n.text("dashboard.arbitrationLine", s.caseId(), s.arbitrationId(),
                        new TimeLeftText(i18n).format(s.timeLeft()), s.grounds()));
            }
        });
        arbitrationList.setOnMouseClicked(e -> {
            if (arbitrationList.getSelectionModel().getSelectedItem() != null) vm.openArbitration();
        });
        // decisions are counted: whole numbers on the axis ("0", not "0.0" on an empty week)
        ((javafx.scene.chart.NumberAxis) throughputChart.getYAxis()).setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override public String toString(Number v) { return v.doubleValue() == Math.rint(v.doubleValue()) ? i18n.count(v.longValue()) : ""; }
            @Override public Number fromString(String s) { return null; }
        });
        // drawn while shown: a sync's overview is loaded for its notices whoever looks, and redrawing the hidden charts
        // came in the same moment as the inbox's new list on the FX thread; the latest is drawn when the screen is next shown
        vm.dashboardProperty().addListener((o, a, d) -> { if (tiles.getScene() != null) show(d); });
        tiles.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null && vm.dashboardProperty().get() != drawn) show(vm.dashboardProperty().get());
        });
        if (vm.dashboardProperty().get() != null) show(vm.dashboardProperty().get());
        vm.load();
    }

    /** The overview the screen shows now. */
    private DashboardService.Dashboard drawn;

    private void show(DashboardService.Dashboard d) {
        if (d == null) return;
        drawn = d;
        NumberFormat n = NumberFormat.getIntegerInstance(i18n.localeProperty().get());
        summaryLabel.setText(i18n.text("dashboard.summary", n.format(d.cases())));
        java.util.List<Button> shown = new java.util.ArrayList<>();
        if (d.clerk()) {
            // a clerk's own work first: batches to send, and the bad rows of the last import to fix and import again
            Button toSend = tile("tileToSend", d.bulk().jobsToSend(), "dashboard.tile.toSend", null, vm::openBulk);
            if (d.bulk().rowsToSend() > 0) toSend.setTooltip(new javafx.scene.control.Tooltip(i18n.text("dashboard.tile.toSend.rows", n.format(d.bulk().rowsToSend()))));
            Button rejected = tile("tileRejected", (int) Math.min(Integer.MAX_VALUE, d.bulk().lastRejected()), "dashboard.tile.rejected", "urgency-DUE_SOON", vm::openBulk);
            if (d.bulk().lastFile() != null) rejected.setTooltip(new javafx.scene.control.Tooltip(d.bulk().lastFile()));
            shown.addAll(java.util.List.of(toSend, rejected));
        }
        if (d.casework()) {
            shown.addAll(java.util.List.of(
                    tile("tileOverdue", d.overdue(), "dashboard.tile.overdue", "urgency-OVERDUE", () -> vm.openCases(null, InboxViewModel.Due.OVERDUE)),
                    tile("tileToday", d.dueToday(), "dashboard.tile.today", "urgency-DUE_TODAY", () -> vm.openCases(null, InboxViewModel.Due.TODAY)),
                    tile("tileWeek", d.dueThisWeek(), "dashboard.tile.week", "urgency-DUE_SOON", () -> vm.openCases(null, InboxViewModel.Due.WEEK))));
        }
        if (d.reviewer()) shown.add(tile("tileReview", d.byStep().getOrDefault("REVIEW", 0), "dashboard.tile.review", null, () -> vm.openCases("REVIEW", InboxViewModel.Due.ALL)));
        shown.addAll(java.util.List.of(
                tile("tileOutbox", d.outbox().entrySet().stream().filter(e -> e.getKey().pending()).mapToInt(e -> e.getValue()).sum(),
                        "dashboard.tile.outbox", null, vm::openSync),
                tile("tileAttention", d.outbox().getOrDefault(OutboxRepository.State.CONFLICT, 0) + d.outbox().getOrDefault(OutboxRepository.State.REJECTED, 0),
                        "dashboard.tile.attention", "urgency-OVERDUE", vm::openSync)));
        if (d.panel()) shown.add(tile("tileArbitrations", d.arbitrations().size(), "dashboard.tile.arbitrations", null, vm::openArbitration));
        tiles.getChildren().setAll(shown);
        // the list of arbitrations is a panel's: not shown to a reviewer or clerk without a panel role
        arbitrationsLabel.setVisible(d.panel());
        arbitrationsLabel.setManaged(d.panel());
        arbitrationList.setVisible(d.panel());
        arbitrationList.setManaged(d.panel());
        // the charts of cases and decisions: not shown to a training institution's clerk, who has neither (they were
        // three empty charts under the batches); the credits granted by decisions are a reviewer's
        charts.setVisible(d.casework());
        charts.setManaged(d.casework());
        creditsChart.setVisible(d.reviewer());
        creditsChart.setManaged(d.reviewer());
        stepChart.getData().clear(); // not animated: a removed slice frees its colour at once, so each step keeps its colour
        stepChart.setTitle(i18n.text(d.byStep().isEmpty() ? "dashboard.byStep.none" : "dashboard.byStep"));
        // every step of the workflow, in its order, each time (a step without cases is an empty slice): a slice's colour
        // follows its place among the slices, so a step that came and went would have recoloured the ones after it
        java.util.List<String> steps = new java.util.ArrayList<>(DashboardService.STEP_ORDER);
        d.byStep().keySet().stream().filter(k -> !steps.contains(k)).forEach(steps::add);
        if (!d.byStep().isEmpty()) steps.forEach(step -> {
            int count = d.byStep().getOrDefault(step, 0);
            PieChart.Data slice = new PieChart.Data(i18n.text("step.name." + step) + " " + count, count);
            stepChart.getData().add(slice);
            slice.getNode().setOnMouseClicked(e -> vm.openCases(step, InboxViewModel.Due.ALL));
            slice.getNode().getStyleClass().add("clickable");
        });
        XYChart.Series<String, Number> perDay = new XYChart.Series<>();
        DateTimeFormatter day = DateTimeFormatter.ofPattern(i18n.text("dashboard.dayPattern"), i18n.localeProperty().get());
        d.signedPerDay().forEach((date, count) -> perDay.getData().add(new XYChart.Data<>(day.format(date), count)));
        throughputChart.getData().setAll(java.util.List.of(perDay));
        XYChart.Series<String, Number> recommended = new XYChart.Series<>();
        recommended.setName(i18n.text("dashboard.recommended"));
        XYChart.Series<String, Number> granted = new XYChart.Series<>();
        granted.setName(i18n.text("dashboard.granted"));
        d.creditsByClass().forEach((c, v) -> {
            String k = i18n.text("category." + c.name());
            recommended.getData().add(new XYChart.Data<>(k, v.recommended()));
            granted.getData().add(new XYChart.Data<>(k, v.granted()));
        });
        creditsChart.getData().setAll(java.util.List.of(recommended, granted));
        creditsChart.setTitle(i18n.text("dashboard.credits") + (d.creditsByClass().isEmpty() ? " · " + i18n.text("dashboard.noDecisions") : ""));
        arbitrationList.getItems().setAll(d.arbitrations());
    }

    private Button tile(String id, int value, String captionKey, String styleClass, Runnable open) {
        Button b = new Button(NumberFormat.getIntegerInstance(i18n.localeProperty().get()).format(value) + "\n" + i18n.text(captionKey));
        b.setId(id);
        b.getStyleClass().add("tile");
        if (styleClass != null && value > 0) b.getStyleClass().add(styleClass);
        b.setOnAction(e -> open.run());
        return b;
    }

    @FXML private void refresh() { vm.load(); }
}
