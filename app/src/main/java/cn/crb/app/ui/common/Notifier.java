package cn.crb.app.ui.common;

import cn.crb.app.notify.Notices;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.util.function.Consumer;

/**
 * Shows notices as ControlsFX notifications at the bottom right of the workstation window, for ten seconds; a click
 * leads to the notice's target. The texts shown in this session are kept, newest last (the status bar's count and
 * the tests read them). FX thread only.
 */
public final class Notifier {
    private final I18n i18n;
    private final Window owner;
    private final Consumer<Notices.Target> go;
    private final ObservableList<String> shown = FXCollections.observableArrayList();

    public Notifier(I18n i18n, Window owner, Consumer<Notices.Target> go) {
        this.i18n = i18n;
        this.owner = owner;
        this.go = go;
    }

    public void show(Notices.Notice n) {
        show(n, n.args().toArray());
    }

    /** Shows a notice whose arguments were already formatted (e.g. role names in the person's language). */
    public void show(Notices.Notice n, Object... formattedArgs) {
        String title = i18n.text("notice." + n.key() + ".title");
        String text = i18n.text("notice." + n.key() + ".text", formattedArgs);
        shown.add(text);
        if (owner == null || !owner.isShowing()) return;
        Notifications.create().owner(owner).title(title).text(text).position(Pos.BOTTOM_RIGHT)
                .hideAfter(Duration.seconds(10)).onAction(e -> go.accept(n.target())).showInformation();
    }

    public ObservableList<String> shown() { return shown; }
}
