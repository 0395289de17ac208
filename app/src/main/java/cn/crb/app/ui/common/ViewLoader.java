package cn.crb.app.ui.common;

import cn.crb.ui.resources.UiResources;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/** The one FXML loader: views from ui-resources, messages of the current language, controllers built by the composition root. */
public final class ViewLoader {
    private final I18n i18n;
    private final Function<Class<?>, Object> controllers;

    public ViewLoader(I18n i18n, Function<Class<?>, Object> controllers) {
        this.i18n = i18n;
        this.controllers = controllers;
    }

    public Parent load(UiResources.View view) {
        FXMLLoader loader = new FXMLLoader(view.url(), i18n.bundle());
        loader.setControllerFactory(controllers::apply);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load view " + view, e);
        }
    }
}
