package cn.crb.ui.resources;

import java.net.URL;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * Access to the workstation's view files, style sheets and message bundles, by name, so that they load the same way
 * from the IDE, from jars and from the runtime image. Bundles never fall back to the machine's default locale:
 * Simplified Chinese is the base bundle, English is {@code messages_en}.
 */
public final class UiResources {
    public static final String BUNDLE = "cn.crb.ui.messages";
    public static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;
    public static final Locale ENGLISH = Locale.ENGLISH;

    private UiResources() {}

    /** The view files, one per screen. */
    public enum View {
        ONBOARDING("onboarding.fxml"), UNLOCK("unlock.fxml"), SHELL("shell.fxml"), STANDARDS("standards.fxml"), INBOX("inbox.fxml"), CASE("case.fxml"), AUDIT("audit.fxml"), SYNC("sync.fxml"), BULK("bulk.fxml"), ARBITRATION("arbitration.fxml"), DASHBOARD("dashboard.fxml");

        private final String file;

        View(String file) { this.file = file; }

        public URL url() {
            return Objects.requireNonNull(UiResources.class.getResource("/cn/crb/ui/" + file), file);
        }
    }

    public static URL stylesheet() {
        return Objects.requireNonNull(UiResources.class.getResource("/cn/crb/ui/app.css"));
    }

    /** Another style sheet of the workstation, e.g. a theme ({@code theme-dark.css}). */
    public static URL stylesheet(String name) {
        return Objects.requireNonNull(UiResources.class.getResource("/cn/crb/ui/" + name), name);
    }

    public static URL icon() {
        return Objects.requireNonNull(UiResources.class.getResource("/cn/crb/ui/icon.png"));
    }

    public static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale, UiResources.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
