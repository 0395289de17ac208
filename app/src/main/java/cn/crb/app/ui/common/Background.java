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
        if (owned != null && owned.isShutdown()) {
            // the application is closing: no new work starts
            f.cancel(false);
            return f;
        }
        try {
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
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.cancel(false); // closed between the check and the submission
        }
        return f;
    }

    public void ui(Runnable r) { ui.execute(r); }

    /** Repeats {@code task} on a worker thread (no-op without a scheduler, as in tests). */
    public void every(long seconds, Runnable task) {
        every(seconds, task, 0);
    }

    /** Repeats {@code task} every {@code seconds}, the first time after {@code initialDelay} seconds. */
    public void every(long seconds, Runnable task, long initialDelay) {
        if (scheduler == null) return;
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("periodic task failed: {}", e.toString());
            }
        }, initialDelay, seconds, TimeUnit.SECONDS);
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

    /** Stops taking work and waits (up to {@code seconds}) for running tasks, e.g. a sync winding down after a cancel. */
    public void close(long seconds) {
        if (scheduler != null) scheduler.shutdownNow();
        if (owned == null) return;
        owned.shutdown();
        try {
            if (!owned.awaitTermination(seconds, TimeUnit.SECONDS)) {
                LOG.warn("background tasks still running after {} s; interrupting them", seconds);
                owned.shutdownNow();
            }
        } catch (InterruptedException e) {
            owned.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(0);
    }
}
