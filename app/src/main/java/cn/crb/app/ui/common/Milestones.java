package cn.crb.app.ui.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's CPU time for the start-up milestones in the log ({@code milestone: …}, read by
 * scripts/measure-startup.sh): on a shared or loaded machine the wall-clock time of a start varies with what else runs,
 * the CPU time it needed much less. Linux only (from {@code /proc/self/stat}, in clock ticks of 10 ms); elsewhere -1.
 */
public final class Milestones {
    private Milestones() {}

    /** CPU time (user + system) used by this process so far, in ms, or -1 when not known. */
    public static long processCpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name in parentheses: state ppid … utime (14th field) stime (15th)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
