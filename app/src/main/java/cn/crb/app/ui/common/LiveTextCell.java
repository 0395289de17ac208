package cn.crb.app.ui.common;

import javafx.beans.value.ObservableValue;
import javafx.beans.value.WritableValue;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.util.Callback;

/**
 * An editable text cell whose typing goes straight into the row's property, keystroke by keystroke, so nothing typed is
 * lost however the edit ends. JavaFX's {@code TextFieldTableCell} keeps the text in its field until Enter and throws it
 * away when the focus leaves the cell (a click on the comment, on Sign, on another case: JDK-8089514) — a reviewer's
 * granted credits and reasons vanished that way. Enter ends the edit; Escape puts back the value from before the edit.
 * Leaving the cell ends the edit as Enter does. The column's cell values must be writable ({@code WritableValue}, e.g. the row's {@code StringProperty}).
 */
public final class LiveTextCell<S> extends TableCell<S, String> {
    private TextField field;
    private String before;

    public static <S> Callback<TableColumn<S, String>, TableCell<S, String>> forTableColumn() {
        return c -> new LiveTextCell<>();
    }

    @Override
    public void startEdit() {
        if (!isEditable() || getTableView() == null || !getTableView().isEditable() || getTableColumn() == null || !getTableColumn().isEditable()) {
            return;
        }
        super.startEdit();
        if (!isEditing()) return;
        before = getItem();
        if (field == null) {
            field = new TextField();
            field.textProperty().addListener((o, a, b) -> { if (isEditing()) write(b); });
            // the focus went elsewhere: the value is already in the line; the cell shows it as text again
            field.focusedProperty().addListener((o, was, is) -> { if (!is && isEditing()) commitEdit(field.getText()); });
            field.setOnKeyPressed(e -> {
                if (e.getCode() == KeyCode.ENTER) {
                    commitEdit(field.getText());
                    e.consume();
                } else if (e.getCode() == KeyCode.ESCAPE) {
                    write(before);
                    cancelEdit();
                    e.consume();
                }
            });
        }
        field.setText(getItem() == null ? "" : getItem());
        setText(null);
        setGraphic(field);
        field.selectAll();
        field.requestFocus();
    }

    private void write(String value) {
        if (getTableColumn() == null || getIndex() < 0) return;
        ObservableValue<String> v = getTableColumn().getCellObservableValue(getIndex());
        if (v instanceof WritableValue<?> w && !java.util.Objects.equals(w.getValue(), value)) {
            @SuppressWarnings("unchecked") WritableValue<String> text = (WritableValue<String>) w; // a String column's value
            text.setValue(value);
        }
    }

    @Override
    public void cancelEdit() {
        super.cancelEdit();
        setText(getItem());
        setGraphic(null);
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        if (empty) {
            setText(null);
            setGraphic(null);
        } else if (isEditing() && field != null) {
            if (!field.getText().equals(item == null ? "" : item)) field.setText(item == null ? "" : item);
            setText(null);
            setGraphic(field);
        } else {
            setText(item);
            setGraphic(null);
        }
    }
}
