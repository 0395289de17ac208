package cn.crb.app.ui.common;

import cn.crb.app.notify.Notices;
import javafx.animation.PauseTransition;
import javafx.scene.Node;
import javafx.util.Duration;
import org.controlsfx.control.NotificationPane;
import org.controlsfx.control.action.Action;

import java.util.function.Consumer;

/**
 * Shows notices in a ControlsFX {@link NotificationPane} across the top of the workstation window (over the title bar), for ten seconds,
 * with a button that leads to the notice's target. Inside the window's own scene: a popup window per notice cost about
 * 100 ms of FX-thread time to create, measured by FxResponsivenessTest during a large sync. A newer notice replaces
 * the one shown. FX thread only.
 */
public final class Notifier {
    private final I18n i18n;
    private final NotificationPane pane;
    private final Consumer<Notices.Target> go;
    private final PauseTransition hideLater = new PauseTransition(Duration.seconds(10));

    public Notifier(I18n i18n, NotificationPane pane, Consumer<Notices.Target> go) {
        this.i18n = i18n;
        this.pane = pane;
        this.go = go;
        pane.setId("notificationPane");
        hideLater.setOnFinished(e -> pane.hide());
    }

    /** The window's content wrapped in a pane that can show notices; set its content for each screen. */
    public static NotificationPane wrap(Node content) {
        NotificationPane p = new NotificationPane(content);
        p.setShowFromTop(true); // over the title bar: at the bottom it covered the case form's Sign button
        return p;
    }

    public void show(Notices.Notice n) {
        show(n, n.args().stream().map(a -> a instanceof Number x ? i18n.count(x.longValue()) : a).toArray());
    }

    /** Shows a notice whose arguments were already formatted (e.g. role names in the person's language). */
    public void show(Notices.Notice n, Object... formattedArgs) {
        String text = i18n.text("notice." + n.key() + ".title") + " — " + i18n.text("notice." + n.key() + ".text", formattedArgs);
        Action open = new Action(i18n.text("notice.open"), e -> {
            pane.hide();
            go.accept(n.target());
        });
        // a newer notice replaces the one shown; NotificationPane.show(text, graphic,
        // actions) adds to the actions already there, so they are replaced here
        pane.getActions().setAll(open);
        pane.setText(text);
        pane.setGraphic(null);
        pane.show();
        hideLater.playFromStart();
    }
}
