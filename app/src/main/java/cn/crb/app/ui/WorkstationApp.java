package cn.crb.app.ui;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.sync.HttpTransport;
import cn.crb.ui.resources.UiResources;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Locale;

/** The JavaFX application: wires the services once (composition root) and opens the main window. */
public final class WorkstationApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(WorkstationApp.class);

    private Background background;
    private HttpTransport http;
    private DemoPlatform demo;
    private MainWindow window;

    @Override
    public void start(Stage stage) throws Exception {
        GuiOptions opts = Preload.options(getParameters().getRaw());
        WorkstationHome home = WorkstationHome.resolve(opts.home, System.getenv());
        background = Background.forApplication(Platform::runLater);
        // theme, text size and the language chosen last time (a --lang option wins over the saved language)
        looks = new cn.crb.app.ui.common.Looks(
                new cn.crb.app.profile.WorkstationPreferences(home.dir()), background);
        String lang = opts.lang != null ? opts.lang : looks.savedLanguage();
        I18n i18n = new I18n(lang == null ? Locale.SIMPLIFIED_CHINESE : Locale.forLanguageTag(lang));
        cn.crb.app.profile.PlatformSettings settings = cn.crb.app.profile.PlatformSettings.resolve(home, opts.platform, opts.pins, System.getenv());
        http = settings.transport();
        String platform = settings.url();
        if (platform == null || platform.isBlank()) {
            demo = DemoPlatform.start(home.demoPlatform(), opts.demoPort);
            platform = demo.url();
        }
        ProfileService profiles = new ProfileService(home, http, Clock.systemUTC());
        stage.getIcons().add(new Image(UiResources.icon().toExternalForm()));
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        window = new MainWindow(stage, profiles, background, i18n, http, platform, demo, looks);
        window.start();
        // SIGTERM (the person logs out, the computer shuts down): JavaFX does not call stop(); close in the same order
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.info("milestone: first screen shown {} ms after JVM start (process CPU {} ms)",
                System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime(), cn.crb.app.ui.common.Milestones.processCpuMs());
        // the HTTP client (TLS stack, trust store) is made while the person reads the first screen, not before it
        HttpTransport transport = http;
        background.run(() -> {
            transport.warmUp();
            return null;
        }, done -> {}, e -> LOG.warn("the HTTP client could not be prepared: {}", e.toString()));
    }

    private cn.crb.app.ui.common.Looks looks;

    @Override
    public void stop() {
        if (looks != null) looks.stopFollowing(); // stop() runs on the FX thread
        closeInOrder(15);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
            // the JVM is already exiting (the hook then finds everything closed), or start() failed before adding it
        }
    }

    /**
     * The process is being terminated by the system. The local database is opened with {@code DB_CLOSE_ON_EXIT=FALSE}
     * so that H2 does not close it under running background reads; it is closed here, after them (every commit is
     * already durable; this only keeps the end orderly and the log free of "database closed" errors).
     */
    private void closeOnSignal() {
        if (closed.get()) return;
        LOG.info("terminated by the system: cancelling work, waiting for background tasks, closing the database");
        closeInOrder(5);
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::closeOnSignal, "crb-shutdown");

    /** Cancels a running sync, lets background work finish (at most {@code seconds}), then closes the database. */
    private void closeInOrder(long seconds) {
        if (!closed.compareAndSet(false, true)) return;
        if (window != null) window.cancelWork();
        if (background != null) background.close(seconds);
        if (window != null) window.close();
        if (http != null) http.close();
        if (demo != null) demo.close();
    }
}
