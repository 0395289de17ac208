package cn.crb.app.ui.common;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyEvent;

import java.util.EnumMap;
import java.util.Map;

/**
 * The one place where the window's shortcuts ({@link Shortcut}) are registered. A screen binds a shortcut to an action
 * together with the node that owns it; the action runs only while that node is shown in the window, so a closed case's
 * shortcuts do nothing. Keys are matched in the bubbling phase: a control that uses a key itself (a text field, a table
 * cell being edited, an open drop-down) keeps it. A shortcut that has no action on the current screen lets the key pass.
 * A shortcut runs once per key press: holding the keys (auto-repeat) does not open case after case or sign twice.
 */
public final class Keyboard {
    private record Binding(Node owner, Runnable action) {}

    /** The key of the shortcut that ran last while it is still held: its auto-repeat does not run the action again. */
    private KeyCode held;

    private final Map<Shortcut, Binding> bindings = new EnumMap<>(Shortcut.class);
    private Scene scene;

    /** Listens to the scene's keys (once). */
    public void attach(Scene scene) {
        if (this.scene == scene) return;
        this.scene = scene;
        scene.addEventHandler(KeyEvent.KEY_PRESSED, this::handle);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> { if (e.getCode() != held) held = null; });
        scene.addEventFilter(KeyEvent.KEY_RELEASED, e -> held = null);
        // a key released in another window (the dialog a shortcut opened) never reaches this scene
        java.util.function.Consumer<javafx.stage.Window> watch = w -> { if (w != null) w.focusedProperty().addListener((p, was, is) -> { if (!is) held = null; }); };
        watch.accept(scene.getWindow());
        scene.windowProperty().addListener((o, a, w) -> watch.accept(w));
    }

    /** Binds a shortcut to an action while {@code owner} is shown ({@code owner} null: always); replaces an earlier binding. */
    public void bind(Shortcut shortcut, Node owner, Runnable action) {
        bindings.put(shortcut, new Binding(owner, action));
    }

    /** Whether the shortcut would run an action now. */
    public boolean active(Shortcut shortcut) {
        Binding b = bindings.get(shortcut);
        return b != null && shown(b.owner());
    }

    private void handle(KeyEvent e) {
        if (e.isConsumed()) return;
        for (Shortcut s : Shortcut.values()) {
            for (KeyCodeCombination k : s.keys()) {
                if (k.match(e) && active(s)) {
                    e.consume();
                    if (e.getCode() == held) return; // held down: one action per press
                    held = e.getCode();
                    bindings.get(s).action().run();
                    return;
                }
            }
        }
    }

    private boolean shown(Node owner) {
        if (owner == null) return true;
        if (owner.getScene() != scene || scene == null) return false;
        for (Node n = owner; n != null; n = n.getParent()) if (!n.isVisible()) return false;
        return true;
    }
}
