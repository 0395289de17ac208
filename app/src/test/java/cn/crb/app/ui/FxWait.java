package cn.crb.app.ui;

import org.testfx.util.WaitForAsyncUtils;

import java.util.ConcurrentModificationException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for the window to reach a state, from the test thread. TestFX's lookups walk the scene graph off the FX
 * thread; while the FX thread swaps a screen (the first-start screen giving way to the shell, a list refilled) the
 * walk can meet a children list mid-change and throw ({@code IndexOutOfBoundsException: Index 1 out of bounds for
 * length 0}, as a CI run did in {@code enrol}). That is the test's own read racing the window, not the application
 * failing: the condition is asked again, as if it had answered "not yet". Any other exception still fails at once,
 * and a wait that times out carries the last such race as suppressed, so nothing is hidden.
 */
final class FxWait {
    private FxWait() {}

    static void until(long seconds, Callable<Boolean> condition) throws TimeoutException {
        RuntimeException[] lastRace = {null};
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
                try {
                    return condition.call();
                } catch (IndexOutOfBoundsException | ConcurrentModificationException race) {
                    lastRace[0] = race;
                    return false;
                } catch (NullPointerException e) {
                    // a list being cleared nulls its slots: a null child met while walking the scene graph is the same
                    // race; a null anywhere else is a real failure
                    if (!inSceneGraphWalk(e)) throw e;
                    lastRace[0] = e;
                    return false;
                }
            });
        } catch (TimeoutException e) {
            if (lastRace[0] != null) e.addSuppressed(lastRace[0]);
            throw e;
        }
    }

    /**
     * A look at the window taken on the FX thread, for the places that look once rather than wait (a retry loop's
     * check, the node to click): the scene graph is then not changing under the walk.
     */
    static <T> T onFx(Callable<T> look) throws Exception {
        return WaitForAsyncUtils.asyncFx(look).get(20, TimeUnit.SECONDS);
    }

    private static boolean inSceneGraphWalk(NullPointerException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && java.util.Arrays.stream(trace).limit(4).anyMatch(f -> f.getClassName().startsWith("javafx.scene.")
                || f.getClassName().startsWith("org.testfx.service.query") || f.getClassName().startsWith("java.util."));
    }
}
