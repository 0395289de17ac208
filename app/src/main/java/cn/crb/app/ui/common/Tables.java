package cn.crb.app.ui.common;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.util.function.Function;

/** Builds read-only tables whose column titles come from the message bundles. */
public final class Tables {
    private Tables() {}

    public static <T> TableView<T> table(ObservableList<T> items) {
        TableView<T> t = new TableView<>(items);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return t;
    }

    public static <T> TableColumn<T, String> column(I18n i18n, String key, Function<T, Object> value) {
        TableColumn<T, String> c = new TableColumn<>(i18n.text(key));
        c.setId(key);
        c.setCellValueFactory(f -> {
            Object v = value.apply(f.getValue());
            return new ReadOnlyStringWrapper(v == null ? "" : v.toString());
        });
        return c;
    }

    /** A column of numbers: right-aligned, so that digits of the same place line up (counts, credits). */
    public static <T, V> TableColumn<T, V> numeric(TableColumn<T, V> c) {
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        return c;
    }

    /**
     * {@code c} with each cell's whole text also as its tooltip: for columns whose texts can be longer than the column
     * (an institution's or an outcome's name), so that a name cut to "南京大学继续教…" can still be read in full.
     */
    public static <T> TableColumn<T, String> fullTextOnHover(TableColumn<T, String> c) {
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            private final javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();

            @Override protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                tip.setText(s);
                setTooltip(empty || s == null || s.isEmpty() ? null : tip);
            }
        });
        return c;
    }

    /** {@code c} with its preferred width set: for building a table's columns in one expression. */
    public static <C extends TableColumn<?, ?>> C width(C c, double px) {
        c.setPrefWidth(px);
        return c;
    }
}
