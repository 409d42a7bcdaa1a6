package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.rpc.RpcBenchmark.IdleBaseline;
import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The targets of issue 14 ("faster than the socket on every path a user takes"), each computed from one run's
 * medians over its rounds: what it compares, rapace's figure, the peer's, the ratio that the target bounds, and
 * whether it is met. A target whose systems did not run is left out; one whose figures are missing (a failed system)
 * has a NaN ratio and counts as neither met nor missed. The idle target compares the idle baseline's two rows
 * ({@link IdleBaseline}: a quiet session between two fresh JVMs against two idle JVMs started alike), measured in
 * the same window, so that what earlier systems left in the harness JVM does not count.
 */
final class Targets {
    static final String DEFAULT = "rapace default executor";
    static final String SPIN_DIRECT = "rapace spin direct";
    static final String SOCKET = "uds (blocking)";
    static final String AGRONA = "agrona ring (spin)";
    static final String AGRONA_COPY_OUT = "agrona ring copy-out (spin)";
    static final String AERON_COPY_OUT = "aeron ipc copy-out (spin)";
    static final String GRPC_IN_PROCESS = "grpc in-process";
    /** The idle target's absolute slack: a quiet session may use this much more CPU than two idle JVMs. */
    static final double IDLE_SLACK_SECONDS = 0.020;

    /**
     * One target: {@code ratio} is {@code ours / peer} for a bound on rapace's cost or time ({@code at most}), and
     * {@code peer / ours} for "times faster"; {@code met} is false when the ratio is NaN.
     */
    record Target(String label, double ours, double peer, double ratio, boolean met) {
        /** Whether both figures were measured. */
        boolean measured() {
            return !Double.isNaN(ratio);
        }
    }

    private Targets() {
    }

    /** The targets {@code results} allow, in the order; {@code idleSeconds} is the idle window's length. */
    static List<Target> of(List<SystemRounds> results, IdleBaseline idle, int idleSeconds) {
        Map<String, SystemRounds> by = new HashMap<>();
        for (SystemRounds s : results) {
            by.put(s.system, s);
        }
        List<Target> targets = new ArrayList<>();
        SystemRounds standard = by.get(DEFAULT);
        SystemRounds socket = by.get(SOCKET);
        if (standard != null && socket != null) {
            atMost(targets, "default executor: paced (1/ms) unary p50 at most 1.0x the socket's (us)", standard,
                    socket, RpcReport.paced(16, 50), 1.0);
            atMost(targets, "default executor: paced unary p99 at most 1.5x the socket's (us)", standard, socket,
                    RpcReport.paced(16, 99), 1.5);
            atMost(targets, "default executor: CPU of both processes during the paced run at most 1.5x the "
                    + "socket's (ms of CPU per s)", standard, socket, RpcReport::pacedCpu, 1.5);
            double ours = standard.median(RpcReport.b2b(16, 50));
            double theirs = socket.median(RpcReport.b2b(16, 50));
            add(targets, "default executor: b2b unary p50 at least 5x faster than the socket's (us)", ours, theirs,
                    theirs / ours, theirs / ours >= 5);
            atLeast(targets, "default executor: server streaming 16 B at least 20x the socket's rate (msgs/s)",
                    standard, socket, RpcReport.stream(16), 20);
        }
        if (standard != null && !Double.isNaN(standard.median(RpcReport.throughput(1)))) {
            double one = standard.median(RpcReport.throughput(1));
            double four = standard.median(RpcReport.throughput(4));
            add(targets, "default executor: 4 concurrent callers at least the single caller's rate (calls/s)", four,
                    one, four / one, four / one >= 1);
            double best = 0;
            for (int callers : RpcBenchmark.CALLERS) {
                best = Math.max(best, standard.median(RpcReport.throughput(callers)));
            }
            double many = standard.median(RpcReport.throughput(64));
            add(targets, "default executor: 64 concurrent callers at least 0.8x the best rate (calls/s)", many,
                    best, many / best, many / best >= 0.8);
        }
        SystemRounds inProcess = by.get(GRPC_IN_PROCESS);
        if (standard != null && inProcess != null) {
            atLeast(targets, "default executor: server streaming 16 B at least gRPC in-process's rate (msgs/s)",
                    standard, inProcess, RpcReport.stream(16), 1);
        }
        SystemRounds spinDirect = by.get(SPIN_DIRECT);
        SystemRounds agrona = by.get(AGRONA);
        if (spinDirect != null && agrona != null) {
            atMost(targets, "spin direct: unary b2b p50 within 2x of the Agrona round trip (us)", spinDirect, agrona,
                    RpcReport.b2b(16, 50), 2);
        }
        SystemRounds aeronCopy = by.get(AERON_COPY_OUT);
        SystemRounds agronaCopy = by.get(AGRONA_COPY_OUT);
        best(results, RpcReport.stream(16)).filter(s -> aeronCopy != null).ifPresent(s -> atLeast(targets,
                s.system + " (best rapace): server streaming 16 B at least Aeron IPC copy-out's rate (msgs/s)", s,
                aeronCopy, RpcReport.stream(16), 1));
        best(results, RpcReport.stream(1024)).filter(s -> agronaCopy != null).ifPresent(s -> atLeast(targets,
                s.system + " (best rapace): server streaming 1 KiB at least 0.8x the Agrona copy-out ring's rate "
                + "(msgs/s)", s, agronaCopy, RpcReport.stream(1024), 0.8));
        ToDoubleFunction<Result> mibPerSecond = r -> RpcReport.stream(65536).applyAsDouble(r) / 16;
        best(results, mibPerSecond).filter(s -> agronaCopy != null).ifPresent(s -> atLeast(targets,
                s.system + " (best rapace): server streaming 64 KiB at least 0.5x the Agrona copy-out ring's "
                + "(MiB/s)", s, agronaCopy, mibPerSecond, 0.5));
        if (idleSeconds > 0) {
            double ours = 1000 * idle.session();
            double theirs = 1000 * idle.twoJvms();
            double bound = Math.max(1.1 * theirs, theirs + 1000 * IDLE_SLACK_SECONDS);
            add(targets, String.format(Locale.ROOT, "default executor: a quiet session's host and plugin JVMs at "
                    + "most 1.1x (or 20 ms more than) two idle JVMs (ms of CPU over %d s)", idleSeconds), ours,
                    theirs, ours / theirs, ours <= bound);
        }
        return targets;
    }

    /** The rapace system with the highest median of {@code figure}, if any rapace system measured it. */
    private static Optional<SystemRounds> best(List<SystemRounds> results, ToDoubleFunction<Result> figure) {
        return results.stream().filter(s -> s.system.startsWith("rapace "))
                .filter(s -> !Double.isNaN(s.median(figure)))
                .max(Comparator.comparingDouble(s -> s.median(figure)));
    }

    /** {@code ours / peer} of {@code figure} at most {@code bound}. */
    private static void atMost(List<Target> targets, String label, SystemRounds ours, SystemRounds peer,
            ToDoubleFunction<Result> figure, double bound) {
        double a = ours.median(figure);
        double b = peer.median(figure);
        add(targets, label, a, b, a / b, a / b <= bound);
    }

    /** {@code ours / peer} of {@code figure} at least {@code bound}. */
    private static void atLeast(List<Target> targets, String label, SystemRounds ours, SystemRounds peer,
            ToDoubleFunction<Result> figure, double bound) {
        double a = ours.median(figure);
        double b = peer.median(figure);
        add(targets, label, a, b, a / b, a / b >= bound);
    }

    private static void add(List<Target> targets, String label, double ours, double peer, double ratio, boolean met) {
        targets.add(new Target(label, ours, peer, ratio, met && !Double.isNaN(ratio)));
    }
}
