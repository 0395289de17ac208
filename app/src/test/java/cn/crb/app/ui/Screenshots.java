package cn.crb.app.ui;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a PNG of a scene as the person sees it, into {@code crb.screenshots.dir} (target/screenshots by default;
 * {@code scripts/screenshots.sh} points it at docs/screenshots).
 */
final class Screenshots {
    private Screenshots() {}

    static Path save(Scene scene, String name) throws IOException, ExecutionException, InterruptedException, TimeoutException {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage img = WaitForAsyncUtils.asyncFx(() -> scene.snapshot(null)).get(20, TimeUnit.SECONDS);
        Path dir = Path.of(System.getProperty("crb.screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", file.toFile());
        return file;
    }
}
