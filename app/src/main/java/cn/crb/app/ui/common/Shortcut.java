package cn.crb.app.ui.common;

import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every keyboard shortcut of the workstation, in one table: where it works, its keys and its message key
 * ({@code shortcut.<NAME>}). {@link Keyboard} registers exactly these; the F1 sheet lists exactly these.
 * Keys were chosen not to clash with text editing (JavaFX binds Ctrl+A/C/V/X/Z/Y, Ctrl+←/→, Home/End) nor with the
 * Chinese input methods' own keys (Ctrl+Space, Ctrl+Shift, Ctrl+. for punctuation width).
 */
public enum Shortcut {
    HELP(Scope.GLOBAL, key(KeyCode.F1)),
    SECTION_1(Scope.GLOBAL, ctrl(KeyCode.DIGIT1)),
    SECTION_2(Scope.GLOBAL, ctrl(KeyCode.DIGIT2)),
    SECTION_3(Scope.GLOBAL, ctrl(KeyCode.DIGIT3)),
    SECTION_4(Scope.GLOBAL, ctrl(KeyCode.DIGIT4)),
    SECTION_5(Scope.GLOBAL, ctrl(KeyCode.DIGIT5)),
    SECTION_6(Scope.GLOBAL, ctrl(KeyCode.DIGIT6)),
    SECTION_7(Scope.GLOBAL, ctrl(KeyCode.DIGIT7)),
    TEXT_LARGER(Scope.GLOBAL, new KeyCodeCombination(KeyCode.EQUALS, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_ANY),
            ctrl(KeyCode.ADD)),
    TEXT_SMALLER(Scope.GLOBAL, ctrl(KeyCode.MINUS), ctrl(KeyCode.SUBTRACT)),
    TEXT_RESET(Scope.GLOBAL, ctrl(KeyCode.DIGIT0), ctrl(KeyCode.NUMPAD0)),
    INBOX_SEARCH(Scope.INBOX, ctrl(KeyCode.F)),
    INBOX_OPEN(Scope.INBOX, key(KeyCode.ENTER)),
    NEXT_CASE(Scope.CASE, ctrl(KeyCode.CLOSE_BRACKET), alt(KeyCode.RIGHT)),
    PREVIOUS_CASE(Scope.CASE, ctrl(KeyCode.OPEN_BRACKET), alt(KeyCode.LEFT)),
    CASE_LINES(Scope.CASE, ctrl(KeyCode.L)),
    CASE_DECISION(Scope.CASE, ctrl(KeyCode.D)),
    CASE_ACCEPT(Scope.CASE, ctrl(KeyCode.R)),
    CASE_SIGN(Scope.CASE, ctrl(KeyCode.ENTER)),
    CASE_BACK(Scope.CASE, key(KeyCode.ESCAPE));

    /** Where a shortcut works: everywhere in the main window, in the inbox, or in an open case. */
    public enum Scope { GLOBAL, INBOX, CASE }

    private final Scope scope;
    private final List<KeyCodeCombination> keys;

    Shortcut(Scope scope, KeyCodeCombination... keys) {
        this.scope = scope;
        this.keys = List.of(keys);
    }

    public Scope scope() { return scope; }
    public List<KeyCodeCombination> keys() { return keys; }
    public String messageKey() { return "shortcut." + name(); }

    /** The section index (0-based) of a SECTION_n shortcut, or -1. */
    public int sectionIndex() {
        return name().startsWith("SECTION_") ? Integer.parseInt(name().substring("SECTION_".length())) - 1 : -1;
    }

    /** "Ctrl+] / Alt+→" — the same on every machine (not the toolkit's locale-dependent key names). */
    public String keysText() {
        return keys.stream().map(Shortcut::text).collect(Collectors.joining(" / "));
    }

    static String text(KeyCodeCombination k) {
        StringBuilder s = new StringBuilder();
        if (k.getShortcut() == KeyCombination.ModifierValue.DOWN || k.getControl() == KeyCombination.ModifierValue.DOWN) s.append("Ctrl+");
        if (k.getAlt() == KeyCombination.ModifierValue.DOWN) s.append("Alt+");
        if (k.getShift() == KeyCombination.ModifierValue.DOWN) s.append("Shift+");
        s.append(switch (k.getCode()) {
            case CLOSE_BRACKET -> "]";
            case OPEN_BRACKET -> "[";
            case EQUALS -> "=";
            case MINUS -> "-";
            case ADD -> "Num +";
            case SUBTRACT -> "Num -";
            case NUMPAD0 -> "Num 0";
            case RIGHT -> "→";
            case LEFT -> "←";
            case ENTER -> "Enter";
            case ESCAPE -> "Esc";
            default -> k.getCode().getName();
        });
        return s.toString();
    }

    private static KeyCodeCombination key(KeyCode c) { return new KeyCodeCombination(c); }
    private static KeyCodeCombination ctrl(KeyCode c) { return new KeyCodeCombination(c, KeyCombination.SHORTCUT_DOWN); }
    private static KeyCodeCombination alt(KeyCode c) { return new KeyCodeCombination(c, KeyCombination.ALT_DOWN); }
}
