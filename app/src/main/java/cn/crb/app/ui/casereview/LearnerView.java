package cn.crb.app.ui.casereview;

import cn.crb.app.ui.common.I18n;
import cn.crb.domain.evaluation.Credits;
import cn.crb.domain.evaluation.LearnerPlan;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;

import static cn.crb.app.ui.common.Tables.column;

/**
 * The learner's accumulation and planning view of a case (issue 7): a summary against the programme's total and the
 * transfer cap, the credits accumulated over time as a chart, and the outcomes oldest first with their
 * qualification-framework level. A window of its own beside the case, so a reviewer can keep both in sight.
 */
public final class LearnerView {
    private LearnerView() {}

    /** {@code institution}: the receiving institution as the reviewer knows it (its name, or its code when the standards do not list it). */
    public static Stage show(Window owner, I18n i18n, String learner, LearnerPlan plan, String institution) {
        DateTimeFormatter dates = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(i18n.locale());
        Label who = new Label(i18n.text("learner.who", learner, plan.programme().name() == null ? plan.programme().programmeCode() : plan.programme().name(),
                institution));
        who.getStyleClass().add("h2");
        Label summary = new Label(i18n.text("learner.summary", c(plan.alreadyTransferred()), c(plan.recommended()), c(plan.afterThisCase()),
                c(plan.total()), c(plan.stillToEarn())));
        summary.setId("learnerSummary");
        summary.setWrapText(true);
        Label cap = new Label(plan.transferCap() == null ? i18n.text("learner.noStandards")
                : i18n.text("learner.cap", c(plan.transferCap()), c(plan.transferCapLeft())));
        cap.setWrapText(true);
        cap.getStyleClass().add("hint");
        ProgressBar toward = new ProgressBar(plan.total().signum() == 0 ? 0 : Math.min(1, plan.afterThisCase().doubleValue() / plan.total().doubleValue()));
        toward.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(toward, Priority.ALWAYS);
        HBox bar = new HBox(8, new Label(i18n.text("learner.progress")), toward);

        TableView<LearnerPlan.Step> table = new TableView<>(FXCollections.observableArrayList(plan.timeline()));
        table.setId("learnerTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().addAll(java.util.List.of(
                column(i18n, "learner.col.date", s -> dates.format(s.achievedOn())),
                column(i18n, "learner.col.outcome", LearnerPlan.Step::title),
                column(i18n, "learner.col.category", s -> i18n.text("category." + s.category().name())),
                column(i18n, "learner.col.issuer", s -> s.issuerName() == null ? s.issuer() : s.issuerName()),
                column(i18n, "learner.col.level", s -> s.qfLevel() == null ? i18n.text("learner.levelUnknown")
                        : s.qfLevel().name() + " · " + s.qfLevel().descriptor()),
                column(i18n, "learner.col.credits", s -> s.credits() == null ? "—" : c(s.credits())),
                column(i18n, "learner.col.cumulative", s -> s.cumulative() == null ? "—" : c(s.cumulative())),
                column(i18n, "learner.col.note", s -> (s.status() == null ? "" : i18n.text("lineStatus." + s.status().name()))
                        + (s.previouslyRecognized() ? i18n.text("learner.previouslyNote", i18n.text("learner.previously")) : ""))));
        table.getColumns().forEach(col -> col.setSortable(false));
        table.setPrefHeight(220);

        VBox root = new VBox(10, who, summary, bar, cap, chart(i18n, plan, dates), table);
        root.setId("learnerView");
        root.getStyleClass().add("feature-pane");
        root.setStyle("-fx-padding: 16;"); // inline: the screens' style class sets its own padding
        VBox.setVgrow(table, Priority.ALWAYS);
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle(i18n.text("learner.title", learner));
        Scene scene = new Scene(root, 1060, 700);
        if (owner != null && owner.getScene() != null) scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        stage.setScene(scene);
        stage.show();
        return stage;
    }

    /** Credits accumulated over time (a step line) and the transfer cap. */
    private static LineChart<Number, Number> chart(I18n i18n, LearnerPlan plan, DateTimeFormatter dates) {
        long first = plan.timeline().isEmpty() ? LocalDate.now().toEpochDay() : plan.timeline().getFirst().achievedOn().toEpochDay();
        long last = plan.timeline().isEmpty() ? first : plan.timeline().getLast().achievedOn().toEpochDay();
        long pad = Math.max(30, (last - first) / 10);
        NumberAxis x = new NumberAxis(first - pad, last + pad, Math.max(1, (last - first + 2 * pad) / 6));
        x.setTickLabelFormatter(new StringConverter<>() {
            @Override public String toString(Number n) { return dates.format(LocalDate.ofEpochDay(n.longValue())); }
            @Override public Number fromString(String s) { return null; }
        });
        NumberAxis y = new NumberAxis();
        y.setLabel(i18n.text("learner.chart.credits"));
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setId("learnerChart");
        chart.setAnimated(false);
        chart.setCreateSymbols(true);
        chart.setPrefHeight(240);
        XYChart.Series<Number, Number> cumulative = new XYChart.Series<>();
        cumulative.setName(i18n.text("learner.chart.cumulative"));
        BigDecimal before = plan.alreadyTransferred();
        cumulative.getData().add(new XYChart.Data<>(first - pad, before));
        for (LearnerPlan.Step s : plan.timeline()) {
            if (s.cumulative() == null) continue;
            long d = s.achievedOn().toEpochDay();
            cumulative.getData().add(new XYChart.Data<>(d, before));
            cumulative.getData().add(new XYChart.Data<>(d, s.cumulative()));
            before = s.cumulative();
        }
        cumulative.getData().add(new XYChart.Data<>(last + pad, before));
        chart.getData().add(cumulative);
        if (plan.transferCap() != null) {
            XYChart.Series<Number, Number> capLine = new XYChart.Series<>();
            capLine.setName(i18n.text("learner.chart.cap"));
            capLine.getData().add(new XYChart.Data<>(first - pad, plan.transferCap()));
            capLine.getData().add(new XYChart.Data<>(last + pad, plan.transferCap()));
            chart.getData().add(capLine);
        }
        return chart;
    }

    private static String c(BigDecimal v) {
        return v == null ? "—" : Credits.format(v);
    }
}
