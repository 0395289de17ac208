package cn.crb.app.ui.common;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;

/**
 * Keeps the keyboard focus where the person was working when the focused control is disabled under them (an Export
 * button while it runs, the Sync button while it syncs). JavaFX then moves the focus to the next control: often another
 * button (Cancel beside Sync, where a second press of Space meant for Sync cancelled it), and from a screen's last
 * control, round to the header's language choice. Instead, the focus goes to the nearest list or table around the
 * disabled control (among its siblings first, then its parent's, and so on), within the same screen: never to another
 * button or a choice. Where no list is near, JavaFX's choice stands. (Signing moves the focus to the case's lines
 * itself, CaseController.)
 */
public final class FocusKeeper {
    private FocusKeeper() {}

    public static void attach(Scene scene) {
        // JavaFX first clears the focus owner of a control being disabled, then gives the focus to the next control:
        // the disabled control is remembered between the two changes
        Node[] lost = {null};
        scene.focusOwnerProperty().addListener((o, was, now) -> {
            if (was != null && was.isDisabled() && now == null) {
                lost[0] = was;
                // JavaFX gives the focus on in the same event, if at all: a later change is the person's own
                Platform.runLater(() -> lost[0] = null);
                return;
            }
            Node from = was != null ? was : lost[0];
            lost[0] = null;
            if (from == null || now == null || !from.isDisabled() || from.getScene() != scene) return;
            Node near = nearestList(from);
            // JavaFX's choice stands when it is a list or field of the same screen; not when it is the header, nor
            // another button or choice (Cancel beside a disabled Sync: a second Space would cancel the sync)
            if (near != null && near != now && (isAction(now) || !isInside(now, commonAncestor(from, near)))) {
                Platform.runLater(() -> {
                    if (near.getScene() == scene && !near.isDisabled() && scene.getFocusOwner() == now) near.requestFocus();
                });
            }
        });
    }

    private static boolean isAction(Node n) {
        return n instanceof javafx.scene.control.ButtonBase || n instanceof javafx.scene.control.ComboBoxBase<?>
                || n instanceof javafx.scene.control.ChoiceBox<?> || n instanceof javafx.scene.control.Spinner<?>;
    }

    /** The first enabled, visible, focus-traversable list or table in the closest ancestor of {@code from} that has one. */
    private static Node nearestList(Node from) {
        for (Parent p = from.getParent(); p != null; p = p.getParent()) {
            Node found = firstList(p, from);
            if (found != null) return found;
        }
        return null;
    }

    private static Node firstList(Node n, Node except) {
        if (n == except || !n.isVisible() || n.isDisabled()) return null;
        if (n.isFocusTraversable() && isList(n)) return n;
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                Node f = firstList(c, except);
                if (f != null) return f;
            }
        }
        return null;
    }

    private static boolean isList(Node n) {
        return n instanceof javafx.scene.control.TableView<?> || n instanceof javafx.scene.control.ListView<?>
                || n instanceof javafx.scene.control.TreeView<?> || n instanceof javafx.scene.control.TreeTableView<?>;
    }

    private static Parent commonAncestor(Node a, Node b) {
        for (Parent p = a.getParent(); p != null; p = p.getParent()) {
            if (isInside(b, p)) return p;
        }
        return null;
    }

    private static boolean isInside(Node n, Parent ancestor) {
        if (ancestor == null) return false;
        for (Node p = n; p != null; p = p.getParent()) {
            if (p == ancestor) return true;
        }
        return false;
    }
}
