package io.rapace.benchmarks.harness;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/** Pacing and percentiles: the whole statistics of the harnesses, a sorted {@code long[]} of nanoseconds. */
public final class Timing {
    private Timing() {
    }

    /** Parks (never spins) until {@code System.nanoTime()} reaches {@code deadline}. */
    public static void waitUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** A sorted copy of {@code nanos}. */
    public static long[] sorted(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * Percentile {@code p} (0 to 100) of already sorted nanoseconds, in microseconds: the smallest sample that at
     * least {@code p} percent of the samples do not exceed (nearest rank), the minimum for {@code p = 0}.
     */
    public static double percentileMicros(long[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000.0;
    }
}
