package cn.crb.app.ui.common;

import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A window like the workstation's: a header with the language choice, a screen with a list and, below it, two buttons.
 * When the focused button is disabled (it started its work), JavaFX moves the focus to the next control, and from the
 * screen's last control that is the header's first one.
 */
class FocusKeeperTest extends ApplicationTest {
    private Window kept;
    private Window plain;

    private static final class Window {
        final ComboBox<String> language = new ComboBox<>(FXCollections.observableArrayList("中文", "English"));
        final TableView<String> list = new TableView<>(FXCollections.observableArrayList("2026-11-27", "2026-11-26"));
        final Button export = new Button("导出");
        final Button submit = new Button("提交");
        Scene scene;

        Stage show(boolean keeper) {
            scene = new Scene(new VBox(new HBox(language), new VBox(list, new HBox(export, submit))), 420, 320);
            if (keeper) FocusKeeper.attach(scene);
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            return stage;
        }
    }

    @Override
    public void start(Stage stage) {
        kept = new Window();
        plain = new Window();
        kept.show(true);
        plain.show(false);
    }

    private Node focusAfterDisabling(Window w, Button b) {
        interact(() -> {
            w.scene.getWindow().requestFocus();
            b.requestFocus();
        });
        assertThat(w.scene.getFocusOwner()).isSameAs(b);
        interact(() -> b.setDisable(true));
        WaitForAsyncUtils.waitForFxEvents();
        return w.scene.getFocusOwner();
    }

    @Test
    void theLastButtonDisabledHandsTheFocusToTheListBesideItNotToTheHeader() {
        // without the keeper, JavaFX goes round to the window's first control: the language choice
        assertThat(focusAfterDisabling(plain, plain.submit)).isSameAs(plain.language);
        assertThat(focusAfterDisabling(kept, kept.submit)).isSameAs(kept.list);
    }

    @Test
    void aButtonWithAnotherAfterItHandsTheFocusToTheListNotToTheNextButton() {
        // without the keeper the next button gets it: a second Space meant for Export would press Submit
        assertThat(focusAfterDisabling(plain, plain.export)).isSameAs(plain.submit);
        assertThat(focusAfterDisabling(kept, kept.export)).isSameAs(kept.list);
    }

    @Test
    void aClickAfterTheFocusWasLostIsThePersonsOwn() {
        // the focus goes nowhere (the disabled button was the window's only control left), then the person clicks:
        // where they clicked keeps the focus
        interact(() -> {
            kept.list.setDisable(true);
            kept.language.setDisable(true);
            kept.submit.setDisable(true);
        });
        assertThat(focusAfterDisabling(kept, kept.export)).isNull();
        interact(() -> {
            kept.language.setDisable(false);
            kept.list.setDisable(false);
        });
        WaitForAsyncUtils.waitForFxEvents();
        interact(() -> kept.language.requestFocus());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(kept.scene.getFocusOwner()).isSameAs(kept.language);
    }
}
