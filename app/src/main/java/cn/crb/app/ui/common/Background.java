package cn.crb.app.ui.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The one place background work runs: named daemon threads, results delivered on the UI executor, failures
 * nobody handled logged once. View models receive it so that tests can run everything on the calling thread.
 */
public final class Background implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Background.class);
    private final Executor worker;
    private final Executor ui;
    private final ExecutorService owned;
    private final ScheduledExecutorService scheduler;

    private Background(Executor worker, Executor ui, ExecutorService owned, ScheduledExecutorService scheduler) {
        this.worker = worker;
        this.ui = ui;
        this.owned = owned;
        this.scheduler = scheduler;
    }

    /** Worker threads for the application; results on {@code ui} (the FX thread). */
    public static Background forApplication(Executor ui) {
        ExecutorService pool = Executors.newFixedThreadPool(4, named("crb-worker"));
        return new Background(pool, ui, pool, Executors.newSingleThreadScheduledExecutor(named("crb-timer")));
    }

    /** Everything on the calling thread (view-model tests). */
    public static Background sameThread() {
        return new Background(Runnable::run, Runnable::run, null, null);
    }

    public <T> CompletableFuture<T> run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onError) {
        CompletableFuture<T> f = new CompletableFuture<>();
        worker.execute(() -> {
            try {
                T v = work.call();
                f.complete(v);
                ui.execute(() -> onSuccess.accept(v));
            } catch (Throwable t) {
                f.completeExceptionally(t);
                if (!(t instanceof Exception) || t instanceof RuntimeException) LOG.error("background task failed", t);
                ui.execute(() -> onError.accept(t));
            }
        });
        return f;
    }

    public void ui(Runnable r) { ui.execute(r); }

    /** Repeats {@code task} on a worker thread (no-op without a scheduler, as in tests). */
    public void every(long seconds, Runnable task) {
        if (scheduler == null) return;
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("periodic task failed: {}", e.toString());
            }
        }, 0, seconds, TimeUnit.SECONDS);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("uncaught in {}", th.getName(), e));
            return t;
        };
    }

    @Override
    public void close() {
        if (owned != null) owned.shutdownNow();
        if (scheduler != null) scheduler.shutdownNow();
    }
}
