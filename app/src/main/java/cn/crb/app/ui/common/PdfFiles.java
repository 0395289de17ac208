package cn.crb.app.ui.common;

import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

/** The save dialog for a printable document: PDF files, a suggested name, the person's home folder to start with. */
public final class PdfFiles {
    private PdfFiles() {}

    public static Optional<Path> chooseTarget(Window owner, I18n i18n, String titleKey, String suggestedName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.text(titleKey));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(i18n.text("notice.filter"), "*.pdf"));
        chooser.setInitialFileName(suggestedName);
        File home = new File(System.getProperty("user.home"));
        if (home.isDirectory()) chooser.setInitialDirectory(home);
        File f = chooser.showSaveDialog(owner);
        if (f == null) return Optional.empty();
        Path p = f.toPath();
        return Optional.of(p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pdf") ? p
                : p.resolveSibling(p.getFileName() + ".pdf"));
    }
}
