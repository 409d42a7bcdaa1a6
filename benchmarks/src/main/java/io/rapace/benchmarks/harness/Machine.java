package io.rapace.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a published number comes with (CPU, load), and the CPU time of processes, from {@code /proc}. */
public final class Machine {
    private Machine() {
    }

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute load averages. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first {@code model name} of {@code /proc/cpuinfo}. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown CPU";
        }
        return "unknown CPU";
    }

    /**
     * On-CPU time of each process in nanoseconds: the sum of its threads' {@code schedstat} run times
     * ({@code /proc/PID/stat} counts 10 ms ticks, too coarse for an idle process).
     */
    public static long[] cpuNanos(List<Process> processes) throws IOException {
        long[] out = new long[processes.size()];
        for (int i = 0; i < processes.size(); i++) {
            out[i] = cpuNanos(processes.get(i).pid());
        }
        return out;
    }

    /** On-CPU time of process {@code pid} in nanoseconds, summed over its threads. */
    public static long cpuNanos(long pid) throws IOException {
        long sum = 0;
        for (long nanos : threadCpuNanos(pid).values()) {
            sum += nanos;
        }
        return sum;
    }

    /**
     * On-CPU time in nanoseconds of each live thread of process {@code pid}, by thread id. A thread that ends takes
     * its time out of {@link #cpuNanos(long)}; comparing two of these maps thread by thread never goes negative.
     */
    public static Map<Long, Long> threadCpuNanos(long pid) throws IOException {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        Map<Long, Long> byThread = new HashMap<>();
        try (var threads = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) threads::iterator) {
                try {
                    byThread.put(Long.parseLong(t.getFileName().toString()),
                            Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]));
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return byThread;
    }
}
