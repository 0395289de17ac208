package cn.crb.app.ui.dashboard;

import cn.crb.app.dashboard.DashboardService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import cn.crb.app.ui.inbox.InboxViewModel;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The dashboard: the figures of {@link DashboardService}, loaded in the background, and where each figure leads —
 * the inbox filtered by step or deadline, the arbitration or sync screen.
 */
public final class DashboardViewModel {
    private final DashboardService service;
    private final Background background;
    private final I18n i18n;
    private final BiConsumer<String, InboxViewModel.Due> openInbox;
    private final Consumer<String> openSection;
    private final ObjectProperty<DashboardService.Dashboard> dashboard = new SimpleObjectProperty<>();
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");

    public DashboardViewModel(DashboardService service, Background background, I18n i18n, BiConsumer<String, InboxViewModel.Due> openInbox,
                              Consumer<String> openSection) {
        this.service = service;
        this.background = background;
        this.i18n = i18n;
        this.openInbox = openInbox;
        this.openSection = openSection;
    }

    public void load() {
        busy.set(true);
        background.run(service::load, d -> {
            busy.set(false);
            dashboard.set(d);
            message.set("");
        }, t -> {
            busy.set(false);
            message.set(ErrorMessages.of(t, i18n));
        });
    }

    /** A figure of cases was chosen: the inbox shows exactly those. */
    public void openCases(String step, InboxViewModel.Due due) { openInbox.accept(step, due); }

    public void openArbitration() { openSection.accept("arbitration"); }

    public void openSync() { openSection.accept("sync"); }

    public void openBulk() { openSection.accept("bulk"); }

    public ObjectProperty<DashboardService.Dashboard> dashboardProperty() { return dashboard; }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty messageProperty() { return message; }
}
