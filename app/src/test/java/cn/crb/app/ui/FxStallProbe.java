package cn.crb.app.ui;

import javafx.application.Platform;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures how long the FX thread stays busy at a stretch: every 5 ms a probe thread posts a runnable to the FX thread
 * and notes the FX thread's CPU time; when the runnable runs, the CPU time the FX thread spent since the post is what
 * kept the probe waiting. That is the cost of the FX-thread work in that window (event handlers, list updates,
 * layout, rendering), not the wall-clock wait a busy 2-core machine adds by not scheduling the thread; both are kept.
 */
final class FxStallProbe implements AutoCloseable {
    /** One probe: wall-clock wait and FX-thread CPU time while waiting, in ms. */
    record Sample(double waitMs, double fxCpuMs) {}

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> stacks = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> slow = Collections.synchronizedList(new ArrayList<>());
    private final long fxThreadId;
    private final Thread prober;
    /** What the test is doing now (e.g. "sync", "scroll"), noted with each slow probe. */
    private volatile String phase = "";

    void phase(String now) { phase = now; }

    FxStallProbe() throws Exception {
        CompletableFuture<Long> id = new CompletableFuture<>();
        Platform.runLater(() -> id.complete(Thread.currentThread().threadId()));
        fxThreadId = id.get(10, TimeUnit.SECONDS);
        if (!threads.isThreadCpuTimeSupported()) throw new IllegalStateException("thread CPU time is not measurable on this JVM");
        threads.setThreadCpuTimeEnabled(true);
        prober = Thread.ofPlatform().daemon().name("fx-stall-probe").start(this::probe);
    }

    private void probe() {
        while (running.get()) {
            long cpu0 = threads.getThreadCpuTime(fxThreadId);
            long t0 = System.nanoTime();
            CompletableFuture<Void> ran = new CompletableFuture<>();
            java.util.Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
            Platform.runLater(() -> {
                long cpu1 = threads.getThreadCpuTime(fxThreadId);
                Sample sample = new Sample((System.nanoTime() - t0) / 1e6, (cpu1 - cpu0) / 1e6);
                samples.add(sample);
                if (sample.fxCpuMs() > 30) slow.add(String.format("%.1f ms of FX CPU in %.1f ms (%s), seen in:%n%s", sample.fxCpuMs(), sample.waitMs(), phase, seen));
                ran.complete(null);
            });
            try {
                while (!ran.isDone()) {
                    try {
                        ran.get(20, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException busy) {
                        // the FX thread has been busy for a while: note what it is doing (shown when a test fails)
                        var info = threads.getThreadInfo(fxThreadId, 40);
                        if (info != null) {
                            StringBuilder sb = new StringBuilder();
                            int shown = 0;
                            for (StackTraceElement f : info.getStackTrace()) {
                                String c = f.getClassName();
                                if (shown < 12 && (c.startsWith("cn.crb") || shown < 6)) {
                                    sb.append("    at ").append(f).append('\n');
                                    shown++;
                                }
                            }
                            stacks.merge(sb.toString(), 1, Integer::sum);
                            seen.merge(sb.toString(), 1, Integer::sum);
                        }
                        if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) return;
                    }
                }
                Thread.sleep(5);
            } catch (Exception e) {
                return;
            }
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** What the FX thread was doing while a probe waited longer than 20 ms, most often seen first (20 ms per sighting). */
    String busyStacks(int top) {
        StringBuilder sb = new StringBuilder();
        synchronized (slow) {
            slow.forEach(x -> sb.append("SLOW ").append(x).append('\n'));
        }
        stacks.entrySet().stream().sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> sb.append(e.getValue()).append(" x\n").append(e.getKey()));
        return sb.toString();
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) return 0;
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        prober.join(5000);
    }
}
