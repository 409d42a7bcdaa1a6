package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.Machine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CPU time this JVM and some child processes use over a window of wall time, from each thread's
 * {@code /proc/PID/task/TID/schedstat} ({@link Machine#threadCpuNanos}): opened, then closed into a {@link Usage}.
 * Each thread counts what it ran between the two readings (all of it for a thread started meanwhile); a thread that
 * ended meanwhile is missing from the second reading and counts nothing, so a figure may under-count but is never
 * thrown off by the time a finished thread had run before the window.
 */
final class CpuWindow {
    private final List<Process> peers;
    private final long wallStart;
    private final Map<Long, Long> hostStart;
    private final List<Map<Long, Long>> peerStart = new ArrayList<>();

    private CpuWindow(List<Process> peers) throws IOException {
        this.peers = List.copyOf(peers);
        this.hostStart = Machine.threadCpuNanos(ProcessHandle.current().pid());
        for (Process p : this.peers) {
            peerStart.add(Machine.threadCpuNanos(p.pid()));
        }
        this.wallStart = System.nanoTime();
    }

    /** CPU seconds of this JVM, of the peers (summed; NaN if there are none) and the wall seconds of a window. */
    record Usage(double hostSeconds, double peerSeconds, double wallSeconds) {
        /** Milliseconds of CPU per second of wall time: {@code seconds / wallSeconds * 1000}. */
        double msPerSecond(double seconds) {
            return seconds / wallSeconds * 1000;
        }
    }

    /** Starts a window over this JVM and {@code peers}. */
    static CpuWindow open(List<Process> peers) throws IOException {
        return new CpuWindow(peers);
    }

    /** What the processes used since {@link #open}. */
    Usage close() throws IOException {
        long wall = System.nanoTime() - wallStart;
        long host = ranSince(hostStart, ProcessHandle.current().pid());
        long peer = 0;
        for (int i = 0; i < peers.size(); i++) {
            peer += ranSince(peerStart.get(i), peers.get(i).pid());
        }
        return new Usage(host / 1e9, peers.isEmpty() ? Double.NaN : peer / 1e9, wall / 1e9);
    }

    private static long ranSince(Map<Long, Long> start, long pid) throws IOException {
        long sum = 0;
        for (Map.Entry<Long, Long> thread : Machine.threadCpuNanos(pid).entrySet()) {
            sum += thread.getValue() - start.getOrDefault(thread.getKey(), 0L);
        }
        return sum;
    }
}
