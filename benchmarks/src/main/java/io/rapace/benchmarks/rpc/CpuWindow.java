package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.Machine;
import java.io.IOException;
import java.util.List;

/**
 * The CPU time this JVM and some child processes use over a window of wall time, summed over each process's
 * threads ({@link Machine#cpuNanos}, from {@code /proc/PID/task/*}{@code /schedstat}): opened, then closed into a
 * {@link Usage}.
 */
final class CpuWindow {
    private final List<Process> peers;
    private final long wallStart;
    private final long hostStart;
    private final long[] peerStart;

    private CpuWindow(List<Process> peers) throws IOException {
        this.peers = List.copyOf(peers);
        this.hostStart = Machine.cpuNanos(ProcessHandle.current().pid());
        this.peerStart = Machine.cpuNanos(this.peers);
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
        long host = Machine.cpuNanos(ProcessHandle.current().pid()) - hostStart;
        long[] peerEnd = Machine.cpuNanos(peers);
        long peer = 0;
        for (int i = 0; i < peers.size(); i++) {
            peer += peerEnd[i] - peerStart[i];
        }
        return new Usage(host / 1e9, peers.isEmpty() ? Double.NaN : peer / 1e9, wall / 1e9);
    }
}
