package cn.crb.app.ui;

import cn.crb.sim.PlatformSim;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;

/**
 * What the journeys share: a fresh platform-sim (demo world) and profile folder per test, the real application
 * started on them, enrolment through the first-start screen, and finding things in the window.
 */
abstract class JourneyBase extends FxRobot {
    @TempDir Path home;
    @TempDir Path simDir;
    PlatformSim sim;
    WorkstationApp app;

    @BeforeEach
    void startPlatform() throws Exception {
        sim = PlatformSim.start(new PlatformSim.Options(0, simDir, true, List.of()));
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (app != null) FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        if (sim != null) sim.close();
    }

    /** Starts the workstation on the fresh profile folder, pointed at the platform. */
    void startApp() throws Exception {
        app = (WorkstationApp) FxToolkit.setupApplication(WorkstationApp.class, "--home", home.toString(), "--platform", sim.baseUrl().toString());
    }

    /** Enrols with an enrolment code and a passphrase on the first-start screen and waits for the shell. */
    void enrol(String code, String passphrase) throws Exception {
        clickOn("#codeField").write(code);
        clickOn("#passphraseField").write(passphrase);
        clickOn("#confirmField").write(passphrase);
        clickOn("#createButton");
        FxWait.until(60, () -> lookup("#personLabel").tryQuery().isPresent());
    }

    /** Waits until the first sync brought the standards (the Standards screen reloads when a sync finishes). */
    void waitForStandards() throws Exception {
        navigate("#navStandards");
        FxWait.until(90, () -> lookup("#versionList").tryQuery()
                .map(n -> !((ListView<?>) n).getItems().isEmpty()).orElse(false));
    }

    /** Clicks a navigation button once the shell has settled (the one of that id that is shown in a scene). */
    void navigate(String id) throws Exception {
        FxWait.until(20, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            return lookup(id).queryAll().stream().anyMatch(n -> n.getScene() != null && n.isVisible());
        });
        clickOn(FxWait.onFx(() -> lookup(id).queryAll().stream().filter(n -> n.getScene() != null && n.isVisible()).findFirst().orElseThrow()));
    }

    /** The text of a label (or other labeled control) by id. */
    String text(String id) { return lookup(id).queryAs(Labeled.class).getText(); }

    /** A call of platform-sim's admin API (POST with a JSON body, or GET when {@code body} is null), answered 2xx. */
    com.fasterxml.jackson.databind.JsonNode admin(String path, String body) throws Exception {
        var req = java.net.http.HttpRequest.newBuilder(sim.baseUrl().resolve(path)).header("Content-Type", "application/json");
        req = body == null ? req.GET() : req.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var r = client.send(req.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
            return cn.crb.domain.json.Json.parse(r.body());
        }
    }

    /** Whether a node of this id is shown in the window. */
    boolean visible(String id) {
        return lookup(id).queryAll().stream().anyMatch(n -> n.getScene() != null && n.isVisible());
    }

    /** The button with this text in the open dialog (not in the main window). */
    Node dialogButton(String text) {
        return lookup(".dialog-pane .button").match((Button b) -> text.equals(b.getText())).query();
    }
}
