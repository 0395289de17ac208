package cn.crb.app.ui;

import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.I18n;
import cn.crb.app.ui.common.ViewLoader;
import cn.crb.app.ui.onboarding.OnboardingController;
import cn.crb.app.ui.onboarding.OnboardingViewModel;
import cn.crb.app.cases.CaseService;
import cn.crb.app.cases.InboxService;
import cn.crb.app.ui.casereview.CaseController;
import cn.crb.app.ui.casereview.CaseViewModel;
import cn.crb.app.standards.StandardsService;
import cn.crb.app.ui.inbox.InboxController;
import cn.crb.app.ui.inbox.InboxViewModel;
import cn.crb.app.ui.shell.ShellController;
import cn.crb.app.ui.standards.StandardsController;
import cn.crb.app.ui.standards.StandardsViewModel;
import cn.crb.app.ui.shell.ShellViewModel;
import cn.crb.app.ui.unlock.UnlockController;
import cn.crb.app.ui.unlock.UnlockViewModel;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.PlatformClient;
import cn.crb.ui.resources.UiResources;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * The one window and the flow between its screens: first start (onboarding) or unlock, then the shell.
 * It is the composition root of the UI: it builds view models and gives controllers their dependencies.
 * Changing the language reloads the current screen; view-model state is kept.
 */
public final class MainWindow {
    private static final Logger LOG = LoggerFactory.getLogger(MainWindow.class);
    private final Stage stage;
    private final ProfileService profiles;
    private final Background background;
    private final I18n i18n;
    private final HttpTransport http;
    private final String platformUrl;
    private final DemoPlatform demo;
    private final ViewLoader loader;

    private UiResources.View current;
    private OnboardingViewModel onboardingVm;
    private UnlockViewModel unlockVm;
    private ShellViewModel shellVm;
    private StandardsViewModel standardsVm;
    private InboxViewModel inboxVm;
    private CaseViewModel caseVm;
    private cn.crb.app.ui.sync.SyncViewModel syncVm;
    private cn.crb.app.ui.arbitration.ArbitrationViewModel arbitrationVm;
    private cn.crb.app.ui.dashboard.DashboardViewModel dashboardVm;
    private ShellController shellController;
    private ProfileSession session;
    private final cn.crb.app.ui.common.Looks looks;
    private final cn.crb.app.ui.common.Keyboard keyboard = new cn.crb.app.ui.common.Keyboard();
    private cn.crb.app.ui.help.HelpDialog help;
    private javafx.scene.Node caseView;
    private String caseId;
    private final cn.crb.app.notify.Notices noticeRules = new cn.crb.app.notify.Notices();
    private org.controlsfx.control.NotificationPane notices;
    private cn.crb.app.ui.common.Notifier notifier;

    public MainWindow(Stage stage, ProfileService profiles, Background background, I18n i18n, HttpTransport http,
                      String platformUrl, DemoPlatform demo) {
        this(stage, profiles, background, i18n, http, platformUrl, demo, null);
    }

    /** {@code looks} null: the light theme at 100 %, not saved. */
    public MainWindow(Stage stage, ProfileService profiles, Background background, I18n i18n, HttpTransport http,
                      String platformUrl, DemoPlatform demo, cn.crb.app.ui.common.Looks looks) {
        this.looks = looks;
        this.stage = stage;
        this.profiles = profiles;
        this.background = background;
        this.i18n = i18n;
        this.http = http;
        this.platformUrl = platformUrl;
        this.demo = demo;
        this.loader = new ViewLoader(i18n, this::controller);
        i18n.localeProperty().addListener((o, a, b) -> {
            if (looks != null) looks.saveLanguage(b);
            help = null;
            if (current != null) show(current);
        });
        if (looks != null) {
            keyboard.bind(cn.crb.app.ui.common.Shortcut.TEXT_LARGER, null, looks::larger);
            keyboard.bind(cn.crb.app.ui.common.Shortcut.TEXT_SMALLER, null, looks::smaller);
            keyboard.bind(cn.crb.app.ui.common.Shortcut.TEXT_RESET, null, looks::resetScale);
        }
    }

    /** First screen: unlock when a profile exists, else onboarding. */
    public void start() {
        if (profiles.list().isEmpty()) showOnboarding();
        else showUnlock();
        stage.show();
    }

    private Object controller(Class<?> type) {
        if (type == OnboardingController.class) return new OnboardingController(onboardingVm, this::showUnlock, !profiles.list().isEmpty());
        if (type == UnlockController.class) return new UnlockController(unlockVm, this::showOnboarding);
        if (type == ShellController.class) return shellController = new ShellController(shellVm, i18n, this::sectionView, looks, keyboard, this::showHelp);
        if (type == CaseController.class) return new CaseController(caseVm, i18n, this::closeCase, keyboard, this::openNeighbour);
        if (type == StandardsController.class) return new StandardsController(standardsVm, i18n);
        if (type == cn.crb.app.ui.audit.AuditController.class) return new cn.crb.app.ui.audit.AuditController(
                new cn.crb.app.ui.audit.AuditViewModel(session, background, i18n), i18n);
        if (type == cn.crb.app.ui.sync.SyncController.class) return new cn.crb.app.ui.sync.SyncController(syncVm, i18n);
        if (type == cn.crb.app.ui.bulk.BulkController.class) return new cn.crb.app.ui.bulk.BulkController(new cn.crb.app.ui.bulk.BulkViewModel(
                new cn.crb.app.bulk.BulkService(session, profiles, http, Clock.systemUTC()), background, i18n), i18n);
        if (type == cn.crb.app.ui.arbitration.ArbitrationController.class) {
            return new cn.crb.app.ui.arbitration.ArbitrationController(arbitrationVm, i18n);
        }
        if (type == cn.crb.app.ui.dashboard.DashboardController.class) return new cn.crb.app.ui.dashboard.DashboardController(dashboardVm, i18n);
        if (type == InboxController.class) return new InboxController(inboxVm, i18n, this::openCase, keyboard);
        throw new IllegalArgumentException("no controller " + type);
    }

    void showOnboarding() {
        if (onboardingVm == null) {
            List<OnboardingViewModel.DemoChoice> choices = demo == null ? List.of() : demo.choices(i18n::roles);
            onboardingVm = new OnboardingViewModel(profiles, background, i18n, platformUrl, choices, deviceName(), this::showShell);
        }
        show(UiResources.View.ONBOARDING);
    }

    void showUnlock() {
        if (unlockVm == null) unlockVm = new UnlockViewModel(profiles, background, i18n, this::showShell);
        else unlockVm.refresh();
        show(UiResources.View.UNLOCK);
    }

    void showShell(ProfileSession s) {
        this.session = s;
        help = null;
        URI url = URI.create(s.summary().platformUrl());
        PlatformClient client = new PlatformClient(url, http);
        boolean isDemo = demo != null && s.summary().platformUrl().equals(demo.url());
        // while the platform asked to be left alone (a Retry-After the sync did not wait out) it is not probed either:
        // it answered, so it is reachable
        shellVm = new ShellViewModel(s, background, i18n, () -> {
            var sync = syncVm;
            return sync != null && sync.platformAskedToWait() || client.reachable();
        }, isDemo);
        shellVm.start();
        standardsVm = new StandardsViewModel(new StandardsService(s, Clock.systemUTC()), background, i18n);
        inboxVm = new InboxViewModel(new InboxService(s, Clock.systemUTC()), background, i18n);
        dashboardVm = new cn.crb.app.ui.dashboard.DashboardViewModel(
                new cn.crb.app.dashboard.DashboardService(s, Clock.systemUTC(), java.time.ZoneId.systemDefault()), background, i18n,
                (step, due) -> {
                    inboxVm.showFiltered(step, due);
                    shellVm.sectionProperty().set("inbox");
                },
                section -> shellVm.sectionProperty().set(section));
        arbitrationVm = new cn.crb.app.ui.arbitration.ArbitrationViewModel(new cn.crb.app.arbitration.ArbitrationService(s, Clock.systemUTC()),
                background, i18n, () -> shellVm.refreshOutbox());
        long shellBuilt = System.nanoTime();
        syncVm = new cn.crb.app.ui.sync.SyncViewModel(s, profiles, new cn.crb.app.sync.SyncService(http, Clock.systemUTC()), background, i18n,
                report -> {
                    if (session == s) noticeRules.afterSync(report).reversed().forEach(notifier::show); // the most pressing shown last, on top
                    // The sync started at unlock finds the screens just read: when it changed nothing (offline), the
                    // 50,000 cases are not read again for it. Later syncs (every 10 minutes) read them again in any case,
                    // which also moves every case's time left on while the person works offline.
                    boolean screensOld = System.nanoTime() - shellBuilt > java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
                    if (report.changedLocalData() || screensOld) {
                        // the inbox (its order opens the next case) and the overview (its deadlines give notices) at
                        // once; the standards and arbitration screens only when shown (each showing builds its view,
                        // which loads them), not while hidden: their lists refilled on the FX thread in the same
                        // moment as the inbox's were among the longest stalls
                        inboxVm.load();
                        dashboardVm.load();
                        reloadIfShown(shellVm.sectionProperty().get());
                    }
                    // a case shown without standards to decide by (its fields closed) opens once they are installed
                    if (!report.standardsInstalled().isEmpty() && caseVm != null && caseVm.awaitingStandards()) caseVm.load();
                    shellVm.refreshOutbox();
                    shellVm.refreshLastSync();
                });
        syncVm.onActions(caseId -> {
            shellVm.sectionProperty().set("inbox");
            openCase(caseId);
        }, () -> shellVm.refreshOutbox());
        if (notifier == null) notifier = new cn.crb.app.ui.common.Notifier(i18n, notices, this::goTo);
        syncVm.onSignedInAgain(renewal -> {
            showShell(renewal.session());
            if (renewal.rolesChanged()) {
                notifier.show(new cn.crb.app.notify.Notices.Notice("roles", java.util.List.of(), cn.crb.app.notify.Notices.Target.SYNC),
                        i18n.roles(renewal.rolesBefore()), i18n.roles(renewal.session().summary().roles()));
            }
        }, deviceName());
        dashboardVm.dashboardProperty().addListener((o, a, d) -> {
            if (d != null && session == s) {
                noticeRules.deadlines(d, java.time.LocalDate.now()).ifPresent(notifier::show);
            }
        });
        LOG.info("milestone: shell shown for {} (process CPU {} ms)", s.summary().id(), cn.crb.app.ui.common.Milestones.processCpuMs());
        show(UiResources.View.SHELL);
        // pull what is new at once (a newcomer sees a real inbox within a minute), then every 10 minutes; without the
        // passphrase these runs do not sign an audit checkpoint (a sync from the Sync screen does)
        syncVm.syncNow(null);
        background.every(600, () -> background.ui(() -> { if (session == s) syncVm.syncAutomatically(); }), 600);
    }

    /**
     * After a sync changed what they list: the standards or arbitration screen loaded again when it is the one shown.
     * A hidden one is not: it is built, and loaded, anew when next shown (its controller loads its view model).
     */
    private void reloadIfShown(String section) {
        switch (section) {
            case "standards" -> standardsVm.load();
            case "arbitration" -> { if (shellVm.visibleSections().contains("arbitration")) arbitrationVm.load(); }
            default -> { }
        }
    }

    /** Where a click on a notice leads. */
    private void goTo(cn.crb.app.notify.Notices.Target target) {
        if (shellVm == null) return;
        stage.toFront();
        switch (target) {
            case INBOX -> { inboxVm.showFiltered(null, InboxViewModel.Due.ALL); shellVm.sectionProperty().set("inbox"); }
            case INBOX_OVERDUE -> { inboxVm.showFiltered(null, InboxViewModel.Due.OVERDUE); shellVm.sectionProperty().set("inbox"); }
            case INBOX_TODAY -> { inboxVm.showFiltered(null, InboxViewModel.Due.TODAY); shellVm.sectionProperty().set("inbox"); }
            case SYNC -> shellVm.sectionProperty().set("sync");
        }
    }

    void openCase(String caseId) {
        this.caseId = caseId;
        inboxVm.currentCaseProperty().set(caseId);
        caseVm = new CaseViewModel(new CaseService(session, profiles, Clock.systemUTC()), background, i18n, caseId, shellVm::refreshOutbox)
                .withEvidence(new cn.crb.app.cases.EvidenceService(session, http, Clock.systemUTC()));
        caseView = loader.load(UiResources.View.CASE);
        shellController.showInSection(caseView);
    }

    /** Opens the next (+1) or previous (-1) case of the inbox as it is sorted and filtered; false at either end. */
    private boolean openNeighbour(int direction) {
        var next = caseId == null ? java.util.Optional.<String>empty() : inboxVm.neighbour(caseId, direction);
        next.ifPresent(this::openCase);
        return next.isPresent();
    }

    /** The help window on the screen now shown (F1, or the shell's Help button). */
    private void showHelp() {
        if (shellVm == null) return;
        if (help == null) help = new cn.crb.app.ui.help.HelpDialog(i18n, shellVm.visibleSections());
        help.show(stage, currentScreen());
    }

    /** "case" while a case is shown, else the shell's section. */
    String currentScreen() {
        return caseView != null && caseView.getScene() != null ? "case" : shellVm.sectionProperty().get();
    }

    private void closeCase() {
        caseVm = null;
        caseView = null;
        shellController.showSection("inbox");
        inboxVm.load();
        shellVm.refreshOutbox();
    }

    /** The view of a shell section, or null when the section shows its empty state. */
    private javafx.scene.Node sectionView(String section) {
        return switch (section) {
            case "standards" -> loader.load(UiResources.View.STANDARDS);
            case "inbox" -> loader.load(UiResources.View.INBOX);
            case "dashboard" -> loader.load(UiResources.View.DASHBOARD);
            case "audit" -> loader.load(UiResources.View.AUDIT);
            case "sync" -> loader.load(UiResources.View.SYNC);
            case "bulk" -> loader.load(UiResources.View.BULK);
            case "arbitration" -> loader.load(UiResources.View.ARBITRATION);
            default -> null;
        };
    }

    private void show(UiResources.View view) {
        current = view;
        Parent content = loader.load(view);
        // every screen sits in one pane that can show notices across the top of the window
        if (notices == null) notices = cn.crb.app.ui.common.Notifier.wrap(content);
        else notices.setContent(content);
        Parent root = notices;
        Scene scene = stage.getScene();
        if (scene == null) {
            scene = new Scene(root, 1180, 760);
            stage.setScene(scene);
        } else if (scene.getRoot() != root) {
            scene.setRoot(root);
        }
        if (!attached) {
            // once per window, also when the stage already had a scene (a stage reused by a second instance, as in tests)
            attached = true;
            if (looks != null) {
                looks.apply(scene);
                looks.followAllWindows();
            } else if (!scene.getStylesheets().contains(UiResources.stylesheet().toExternalForm())) {
                scene.getStylesheets().add(UiResources.stylesheet().toExternalForm());
            }
            keyboard.attach(scene);
            cn.crb.app.ui.common.FocusKeeper.attach(scene);
        }
        stage.setTitle(i18n.text("app.title"));
    }

    private boolean attached;

    /** Asks running work (a sync) to stop at its next step. */
    public void cancelWork() {
        if (syncVm != null) syncVm.cancel();
    }

    /** Locks: closes the open session's database. */
    public void close() {
        if (session != null) session.close();
    }

    private static String deviceName() {
        try {
            return "workstation@" + InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "workstation";
        }
    }
}
