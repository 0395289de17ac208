package cn.crb.app.ui.help;

import cn.crb.app.ui.common.I18n;
import cn.crb.app.ui.common.Shortcut;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.List;

/**
 * The help window (F1 or the shell's Help button): the help page of a screen and, below it, the sheet of every keyboard
 * shortcut ({@link Shortcut}, the same table the window registers). It does not block the window, so a person can
 * read while working; Esc closes it.
 */
public final class HelpDialog {
    /** The screens with a help page; each has {@code help.<topic>.title} and {@code help.<topic>.body}. */
    public static final List<String> TOPICS = List.of("dashboard", "inbox", "case", "arbitration", "bulk", "standards", "sync", "audit");

    private final I18n i18n;
    private final List<String> sections;
    private Dialog<ButtonType> open;
    private ComboBox<String> topicChoice;

    /** {@code sections}: the shell sections the person sees, in navigation order (for Ctrl+1 …). */
    public HelpDialog(I18n i18n, List<String> sections) {
        this.i18n = i18n;
        this.sections = sections;
    }

    /** The topics this person can open: the visible sections, and the case screen after the inbox. */
    public List<String> topics() {
        List<String> out = new ArrayList<>();
        for (String t : TOPICS) if (sections.contains(t) || (t.equals("case") && sections.contains("inbox"))) out.add(t);
        return out;
    }

    /** Shows the help of {@code topic} (or brings the open help window forward on that topic). */
    public void show(Window owner, String topic) {
        String t = topics().contains(topic) ? topic : topics().getFirst();
        if (open != null && open.isShowing()) {
            topicChoice.setValue(t);
            ((javafx.stage.Stage) open.getDialogPane().getScene().getWindow()).toFront();
            return;
        }
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.initModality(Modality.NONE);
        dialog.setResizable(true);
        dialog.setTitle(i18n.text("help.title"));
        dialog.getDialogPane().setId("helpPane");
        dialog.getDialogPane().getButtonTypes().setAll(i18n.closeButton());

        Label title = new Label();
        title.getStyleClass().add("h2");
        Label body = new Label();
        body.setId("helpBody");
        body.setWrapText(true);
        body.getStyleClass().add("help-body");
        topicChoice = new ComboBox<>();
        topicChoice.setId("helpTopic");
        topicChoice.getItems().setAll(topics());
        topicChoice.setConverter(new StringConverter<>() {
            @Override public String toString(String s) { return s == null ? "" : i18n.text("help." + s + ".title"); }
            @Override public String fromString(String s) { return null; }
        });
        VBox keys = new VBox(6);
        keys.getStyleClass().add("help-keys");
        Label keysTitle = new Label(i18n.text("help.shortcuts"));
        keysTitle.getStyleClass().add("h3");
        topicChoice.valueProperty().addListener((o, a, s) -> {
            if (s == null) return;
            title.setText(i18n.text("help." + s + ".title"));
            body.setText(i18n.text("help." + s + ".body"));
            keys.getChildren().setAll(keysTitle, sheet(s));
        });
        topicChoice.setValue(t);
        Label topicLabel = new Label(i18n.text("help.topic"));
        topicLabel.setLabelFor(topicChoice);
        HBox top = new HBox(8, topicLabel, topicChoice);
        top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        // the page on the left, the shortcuts on the right: both visible without scrolling at the usual sizes
        VBox text = new VBox(10, top, title, body);
        text.getStyleClass().add("help-text");
        HBox.setHgrow(keys, Priority.ALWAYS);
        Separator line = new Separator(javafx.geometry.Orientation.VERTICAL);
        HBox page = new HBox(16, text, line, keys);
        page.getStyleClass().add("help-pane");
        ScrollPane scroll = new ScrollPane(page);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("help-scroll");
        // About, always visible under the page: the version and build time of this workstation
        Label about = new Label(aboutText());
        about.setId("aboutText");
        about.setWrapText(true);
        about.getStyleClass().add("help-about");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        dialog.getDialogPane().setContent(new VBox(8, scroll, new Separator(), about));
        dialog.setOnHidden(e -> open = null);
        open = dialog;
        dialog.show();
    }

    /** "version 0.1.0, built 2026年11月26日 12:05:03": the build time in the person's language and this computer's time zone. */
    String aboutText() {
        cn.crb.app.BuildInfo build = cn.crb.app.BuildInfo.current();
        String built = build.builtAt() == null ? i18n.text("help.about.unknown")
                : java.time.format.DateTimeFormatter.ofLocalizedDateTime(java.time.format.FormatStyle.MEDIUM)
                        .withLocale(i18n.locale()).withZone(java.time.ZoneId.systemDefault()).format(build.builtAt());
        return i18n.text("help.about.text", build.version(), built);
    }

    /** The shortcut sheet: one row per shortcut, grouped by where it works; the group of {@code topic}'s screen first. */
    GridPane sheet(String topic) {
        GridPane grid = new GridPane();
        grid.setId("shortcutSheet");
        grid.setHgap(14);
        grid.setVgap(5);
        ColumnConstraints keys = new ColumnConstraints();
        keys.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints what = new ColumnConstraints();
        what.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().setAll(keys, what);
        int row = 0;
        Shortcut.Scope scope = null;
        Shortcut.Scope first = switch (topic) {
            case "case" -> Shortcut.Scope.CASE;
            case "inbox" -> Shortcut.Scope.INBOX;
            default -> Shortcut.Scope.GLOBAL;
        };
        List<Shortcut> ordered = new ArrayList<>();
        for (Shortcut s : Shortcut.values()) if (s.scope() == first) ordered.add(s);
        for (Shortcut s : Shortcut.values()) if (s.scope() != first) ordered.add(s);
        for (Shortcut s : ordered) {
            int section = s.sectionIndex();
            if (section >= sections.size()) continue; // Ctrl+n beyond the sections this person has
            if (s.scope() != scope) {
                scope = s.scope();
                Label h = new Label(i18n.text("shortcut.scope." + scope.name()));
                h.getStyleClass().add("shortcut-scope");
                grid.add(h, 0, row++, 2, 1);
            }
            Label k = new Label(s.keysText());
            k.getStyleClass().add("shortcut-keys");
            k.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            String text = i18n.text(s.messageKey());
            if (section >= 0) text = text + i18n.text("shortcut.sectionName", i18n.text("nav." + sections.get(section)));
            Label d = new Label(text);
            d.setWrapText(true);
            d.setUserData(s);
            d.getStyleClass().add("shortcut-text");
            grid.add(k, 0, row);
            grid.add(d, 1, row++);
        }
        return grid;
    }

    /** The help window now open, or null (for tests). */
    public Node openPane() { return open == null ? null : open.getDialogPane(); }
}
