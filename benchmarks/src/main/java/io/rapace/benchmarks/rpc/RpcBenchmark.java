package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.Children;
import io.rapace.benchmarks.harness.Machine;
import io.rapace.benchmarks.harness.Timing;
import io.rapace.config.WakeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Typed RPC systems across two processes, compared in one run: for each {@link RpcSystem} (server side in an
 * {@link RpcPeer} child JVM, except gRPC in-process), unary round trips of 16 B and 1 KiB back to back (p50, p99,
 * p99.9) and paced at one call per millisecond (p50, p99) with the CPU both processes use meanwhile, server-, client-
 * and bidi-streaming throughput with 16 B, 1 KiB and 64 KiB messages, the bytes allocated per call and per stream
 * element, and the CPU time of its processes while connected and idle, beside an idle baseline of two JVMs; then
 * checks issue 14's targets ({@link Targets}). Prints a Markdown report on stdout (progress on stderr) and writes an
 * SVG of the 16 B latency distributions and one of the streaming throughput by message size. Every child is killed
 * and awaited at the end, also after a failure. Run from the benchmarks jar:
 *
 * <pre>
 * java --add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED \
 *      --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -cp benchmarks/target/benchmarks.jar io.rapace.benchmarks.rpc.RpcBenchmark \
 *      [--quick] [--svg FILE] [--throughput-svg FILE] [--tsv FILE] [--only SUBSTRING] [--scale] [--scale-svg FILE] \
 *      [--idle-seconds N] [--rounds N]
 * </pre>
 *
 * <p>{@code --quick} takes about a minute, the default run a few minutes. {@code --only} keeps the systems whose
 * name contains the substring (or one of several, comma-separated); {@code --idle-seconds 0} skips the idle CPU
 * windows. {@code --tsv FILE} also writes the machine-readable summary of {@link TsvReport}; {@code --scale} adds
 * the unary throughput by concurrent callers (1, 4, 16, 64) of the systems that take them, and by plugins on one
 * host (1, 4, 8) of the default configuration, drawn in {@code --scale-svg FILE}. {@code --rounds N} measures the
 * whole comparison {@code N} times, systems interleaved (round 1 measures every system once, then round 2, ...), and
 * reports each figure's median over the rounds with its spread (min..max); it takes {@code N} times as long.
 */
public final class RpcBenchmark {
    /** The flags of every child JVM: agrona (and Aeron) reach jdk.internal.misc; the chronicle backend the rest. */
    static final List<String> PEER_FLAGS = List.of("--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
    static final int[] UNARY_SIZES = {16, 1024};
    static final int[] STREAM_SIZES = {16, 1024, 65536};
    /** The numbers of concurrent callers of the throughput measurement ({@code --scale}). */
    static final int[] CALLERS = {1, 4, 16, 64};
    /** The numbers of plugins on one host of the throughput measurement ({@code --scale}, default executor only). */
    static final int[] PLUGINS = {1, 4, 8};
    static final long PACE_NANOS = 1_000_000;

    /**
     * How many calls of each kind; back-to-back calls are warmed up for {@link #b2bWarmup} calls and at least
     * {@link #warmupMillis}; {@link #streamCounts} is per {@link #STREAM_SIZES} entry, each stream warmed up for
     * {@link #warmupMillis} and then timed {@link #streamRuns} times; {@link #allocationCount} is the number
     * of unary calls, and of stream elements, of each allocation batch; {@link #scaleMillis} the counted window of
     * each throughput measurement ({@code --scale}).
     */
    record Counts(String mode, int b2bWarmup, int b2bCount, int pacedWarmup, int pacedCount, int[] streamCounts,
            int warmupMillis, int streamRuns, int allocationCount, int scaleMillis, int idleSeconds) {
        static Counts quick() {
            return new Counts("quick", 2_000, 5_000, 100, 500, new int[] {20_000, 20_000, 1_000}, 200, 1, 2_000, 500,
                    1);
        }

        static Counts full() {
            return new Counts("default", 20_000, 50_000, 500, 5_000, new int[] {200_000, 200_000, 5_000}, 1_500, 3,
                    10_000, 2_000, 5);
        }

        /** The same counts with an idle window of {@code seconds}. */
        Counts withIdleSeconds(int seconds) {
            return new Counts(mode, b2bWarmup, b2bCount, pacedWarmup, pacedCount, streamCounts, warmupMillis,
                    streamRuns, allocationCount, scaleMillis, seconds);
        }
    }

    /** What one system measured; a failed system keeps what it had and the reason. */
    static final class Result {
        final String system;
        final String note;
        /** False for a system whose unary calls are not measured ({@link RpcSystem#measuresUnary()}). */
        boolean unaryMeasured = true;
        /** Per payload size: sorted round-trip nanoseconds. */
        final Map<Integer, long[]> backToBack = new LinkedHashMap<>();
        final Map<Integer, long[]> paced = new LinkedHashMap<>();
        /** Per message size: messages per second of a server stream, a client stream and a bidi stream. */
        final Map<Integer, Double> streamRate = new LinkedHashMap<>();
        final Map<Integer, Double> clientStreamRate = new LinkedHashMap<>();
        final Map<Integer, Double> bidiRate = new LinkedHashMap<>();
        /** Per number of concurrent callers ({@code --scale}): 16 B unary calls per second. */
        final Map<Integer, Double> unaryThroughput = new LinkedHashMap<>();
        /** Per number of plugins, each its own process and session, one caller each ({@code --scale}): calls/s. */
        final Map<Integer, Double> pluginThroughput = new LinkedHashMap<>();
        /** CPU seconds over the idle window: this JVM, and the peer JVMs (NaN when there are none). */
        double hostIdleCpu = Double.NaN;
        double peerIdleCpu = Double.NaN;
        /**
         * Bytes allocated per 16 B unary call and per 16 B server-stream element, by every thread of this JVM and
         * of the peer JVM (NaN when there is none, or when not measured).
         */
        double unaryHostAllocation = Double.NaN;
        double unaryPeerAllocation = Double.NaN;
        double streamHostAllocation = Double.NaN;
        double streamPeerAllocation = Double.NaN;
        /** Milliseconds of CPU per second during the measured paced 16 B calls: this JVM, the peer JVMs. */
        double pacedHostCpu = Double.NaN;
        double pacedPeerCpu = Double.NaN;
        String failure;

        Result(String system, String note) {
            this.system = system;
            this.note = note;
        }
    }

    /**
     * The CPU seconds over one idle window, before any system: this JVM alone (the harness); two idle JVMs the
     * harness started with the runtime classes loaded and no session ({@code RpcPeer idle}); and, started the same
     * way, a host JVM and a plugin JVM connected by a quiet session in the default configuration (default wake
     * mode, handlers on the default executor: {@code RpcPeer idle-host} and {@code RpcPeer rapace}). NaN when the
     * idle windows are skipped.
     */
    record IdleBaseline(double harness, double firstJvm, double secondJvm, double sessionHost, double sessionPeer) {
        static final IdleBaseline NONE = new IdleBaseline(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN);

        /** Both idle JVMs together. */
        double twoJvms() {
            return firstJvm + secondJvm;
        }

        /** The host and the plugin of the quiet session together. */
        double session() {
            return sessionHost + sessionPeer;
        }
    }

    private RpcBenchmark() {
    }

    /** Every system of a run, in report order. To add one, see {@link RpcSystem}. */
    static List<RpcSystem> systems() {
        List<RpcSystem> all = new ArrayList<>();
        all.add(new AgronaRpc(false));
        all.add(new AeronRpc(false));
        all.add(new AgronaRpc(true));
        all.add(new AeronRpc(true));
        all.add(new UdsRpc());
        all.add(GrpcRpc.netty());
        all.add(new RapaceGrpcRpc());
        all.add(GrpcRpc.inProcess());
        all.add(new RapaceRpc(WakeMode.SPIN, true));
        all.add(new RapaceRpc(WakeMode.SPIN, false));
        all.add(new RapaceRpc(WakeMode.BLOCKING, true));
        all.add(new RapaceRpc(WakeMode.BLOCKING, false));
        all.add(new RapaceRpc(WakeMode.BLOCKING, false, true));
        return all;
    }

    public static void main(String[] args) throws Exception {
        Counts counts = Counts.full();
        Path svg = Path.of("benchmarks", "target", "rpc-latency.svg");
        Path throughputSvg = Path.of("benchmarks", "target", "rpc-throughput.svg");
        Path scaleSvg = Path.of("benchmarks", "target", "rpc-scale.svg");
        Path tsv = null;
        String only = "";
        boolean scale = false;
        int idleSeconds = -1;
        int rounds = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    counts = Counts.quick();
                    break;
                case "--svg":
                    svg = Path.of(args[++i]);
                    break;
                case "--throughput-svg":
                    throughputSvg = Path.of(args[++i]);
                    break;
                case "--scale-svg":
                    scaleSvg = Path.of(args[++i]);
                    break;
                case "--tsv":
                    tsv = Path.of(args[++i]);
                    break;
                case "--only":
                    only = args[++i];
                    break;
                case "--scale":
                    scale = true;
                    break;
                case "--idle-seconds":
                    idleSeconds = Integer.parseInt(args[++i]);
                    break;
                case "--rounds":
                    rounds = Integer.parseInt(args[++i]);
                    if (rounds < 1) {
                        throw new IllegalArgumentException("--rounds must be at least 1, not " + rounds);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; use [--quick] [--svg FILE] [--throughput-svg FILE] [--tsv FILE] [--only SUBSTRING]"
                            + " [--scale] [--scale-svg FILE]"
                            + " [--idle-seconds N] [--rounds N]");
            }
        }
        if (idleSeconds >= 0) {
            counts = counts.withIdleSeconds(idleSeconds);
        }
        String loadBefore = Machine.loadAverage();
        Map<String, SystemRounds> results = new LinkedHashMap<>();
        IdleBaseline baseline;
        try (Children children = new Children()) {
            baseline = idleBaseline(children, counts.idleSeconds());
            for (int round = 1; round <= rounds; round++) {
                if (rounds > 1) {
                    System.err.println("==== round " + round + " of " + rounds);
                }
                // fresh instances each round: a system is started and closed once
                for (RpcSystem system : systems()) {
                    if (selected(system.name(), only)) {
                        results.computeIfAbsent(system.name(), n -> new SystemRounds(n, system.note())).rounds
                                .add(measure(system, counts, scale, children));
                    }
                }
            }
        }
        String loadAfter = Machine.loadAverage();
        List<SystemRounds> all = List.copyOf(results.values());
        write(svg, LatencySvg.render(all.stream().map(SystemRounds::pooled).toList()));
        write(throughputSvg, ThroughputSvg.render(all));
        if (scale) {
            write(scaleSvg, ThroughputSvg.renderScale(all));
        }
        List<Targets.Target> targets = Targets.of(all, baseline, counts.idleSeconds());
        if (tsv != null) {
            write(tsv, TsvReport.render(all, baseline, targets));
        }
        System.out.println(RpcReport.markdown(all, counts, rounds, baseline, targets, loadBefore, loadAfter, svg));
        System.exit(0); // gRPC's shared executors are not daemon threads
    }

    /** Whether {@code --only} keeps the system {@code name}: its name contains one of the comma-separated parts. */
    static boolean selected(String name, String only) {
        for (String part : only.split(",", -1)) {
            if (name.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code text} to {@code file}, creating its directory if need be. */
    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text);
    }

    /**
     * Starts {@code system}, measures it (with {@code scale}, also its unary throughput by concurrent callers, if it
     * allows them), and closes it (which ends its peer), whatever happens.
     */
    static Result measure(RpcSystem system, Counts counts, boolean scale, Children children) {
        Result r = new Result(system.name(), system.note());
        r.unaryMeasured = system.measuresUnary();
        System.err.println("== " + system.name());
        try (system) {
            int before = children.started().size();
            system.start(children);
            List<Process> peers = children.started().subList(before, children.started().size());
            if (r.unaryMeasured) {
                measureUnary(system, counts, peers, r);
            }
            measureStreams(system, counts, r);
            measureAllocation(system, counts.allocationCount(), children, peers, r);
            if (scale && system.concurrentUnary()) {
                for (int callers : CALLERS) {
                    r.unaryThroughput.put(callers, throughput(Collections.nCopies(callers, system),
                            counts.scaleMillis()));
                    System.err.printf("%d callers: %,.0f calls/s%n", callers, r.unaryThroughput.get(callers));
                }
            }
            if (scale && system.name().equals(Targets.DEFAULT)) {
                for (int plugins : PLUGINS) {
                    r.pluginThroughput.put(plugins, pluginThroughput(system, plugins, counts.scaleMillis(),
                            counts.warmupMillis(), children));
                    System.err.printf("%d plugins: %,.0f calls/s%n", plugins, r.pluginThroughput.get(plugins));
                }
            }
            if (counts.idleSeconds() > 0) {
                Thread.sleep(500);
                CpuWindow.Usage idle = idleWindow(peers, counts.idleSeconds());
                r.hostIdleCpu = idle.hostSeconds();
                r.peerIdleCpu = idle.peerSeconds();
            }
        } catch (Exception | Error e) {
            r.failure = e.toString();
            System.err.println(system.name() + " failed:");
            e.printStackTrace();
        }
        return r;
    }

    /** Back-to-back and paced round trips of each {@link #UNARY_SIZES}, and the CPU of the paced 16 B calls. */
    private static void measureUnary(RpcSystem system, Counts counts, List<Process> peers, Result r)
            throws Exception {
        for (int size : UNARY_SIZES) {
            byte[] request = new byte[size];
            r.backToBack.put(size, Timing.sorted(backToBack(system, request, counts.b2bWarmup(),
                    counts.warmupMillis(), counts.b2bCount())));
            PacedRun paced = paced(system, request, counts.pacedWarmup(), counts.pacedCount(), peers);
            r.paced.put(size, Timing.sorted(paced.rtt()));
            if (size == 16) {
                r.pacedHostCpu = paced.cpu().msPerSecond(paced.cpu().hostSeconds());
                r.pacedPeerCpu = paced.cpu().msPerSecond(paced.cpu().peerSeconds());
            }
            System.err.printf("unary %d B: b2b p50 %.2f us, paced p50 %.2f us%n", size,
                    Timing.percentileMicros(r.backToBack.get(size), 50),
                    Timing.percentileMicros(r.paced.get(size), 50));
        }
    }

    /** Server-, client- and bidi-streaming rates of each {@link #STREAM_SIZES}. */
    private static void measureStreams(RpcSystem system, Counts counts, Result r) throws Exception {
        for (int i = 0; i < STREAM_SIZES.length; i++) {
            int size = STREAM_SIZES[i];
            int count = counts.streamCounts()[i];
            r.streamRate.put(size, streamRate(system::serverStream, count, size, counts));
            r.clientStreamRate.put(size, streamRate(system::clientStream, count, size, counts));
            r.bidiRate.put(size, streamRate(system::bidiStream, count, size, counts));
            System.err.printf("%d B streams: server %,.0f, client %,.0f, bidi %,.0f msgs/s%n", size,
                    r.streamRate.get(size), r.clientStreamRate.get(size), r.bidiRate.get(size));
        }
    }

    /** Bytes allocated per 16 B unary call (if measured) and per 16 B server-stream element, over {@code n} each. */
    private static void measureAllocation(RpcSystem system, int n, Children children, List<Process> peers,
            Result r) throws Exception {
        if (r.unaryMeasured) {
            byte[] request = new byte[16];
            double[] perCall = allocationPer(children, peers, n, () -> {
                for (int i = 0; i < n; i++) {
                    check(request, system.unary(request));
                }
            });
            r.unaryHostAllocation = perCall[0];
            r.unaryPeerAllocation = perCall[1];
        }
        double[] perElement = allocationPer(children, peers, n, () -> checkStream(system.serverStream(n, 16), n, 16));
        r.streamHostAllocation = perElement[0];
        r.streamPeerAllocation = perElement[1];
        System.err.printf("allocated per 16 B unary call %.0f + %.0f B, per stream element %.0f + %.0f B%n",
                r.unaryHostAllocation, r.unaryPeerAllocation, r.streamHostAllocation, r.streamPeerAllocation);
    }

    /**
     * Round-trip nanoseconds of {@code count} calls, each sent when the last returned, after {@code warmup} calls and
     * at least {@code warmupMillis} of them (the peer JVM starts cold: its JIT is still compiling after a few
     * thousand calls).
     */
    static long[] backToBack(RpcSystem system, byte[] request, int warmup, int warmupMillis, int count)
            throws Exception {
        warmUp(system, request, warmup, warmupMillis);
        long[] rtt = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            byte[] response = system.unary(request);
            rtt[i] = System.nanoTime() - start;
            check(request, response);
        }
        return rtt;
    }

    /** The round-trip nanoseconds of paced calls, and the CPU this JVM and the peers used over them. */
    record PacedRun(long[] rtt, CpuWindow.Usage cpu) {
    }

    /**
     * Round-trip nanoseconds of {@code count} calls after {@code warmup}, one per {@link #PACE_NANOS} on a fixed
     * schedule; the calling thread parks between calls, so each call starts from a quiet system (the server side
     * idle for about a millisecond). A call that overruns its slot delays the next, which then starts at once. The
     * CPU window opens after the warm-up and closes after the last call, over this JVM and {@code peers}.
     */
    static PacedRun paced(RpcSystem system, byte[] request, int warmup, int count, List<Process> peers)
            throws Exception {
        long[] rtt = new long[count];
        CpuWindow cpu = warmup == 0 ? CpuWindow.open(peers) : null;
        long schedule = System.nanoTime() + PACE_NANOS;
        for (int i = 0; i < warmup + count; i++) {
            Timing.waitUntil(schedule + i * PACE_NANOS);
            long start = System.nanoTime();
            byte[] response = system.unary(request);
            long t = System.nanoTime() - start;
            check(request, response);
            if (i >= warmup) {
                rtt[i - warmup] = t;
            } else if (i == warmup - 1) {
                cpu = CpuWindow.open(peers);
            }
        }
        return new PacedRun(rtt, cpu.close());
    }

    /** One streaming call of a system: {@code count} messages of {@code size} bytes; returns the bytes moved. */
    @FunctionalInterface
    interface StreamCall {
        long run(int count, int size) throws Exception;
    }

    /**
     * Messages per second of a stream of {@code count} messages in steady state: streams of a quarter as many run
     * until {@link Counts#warmupMillis} have passed (at least two; the peer JVM starts cold and its JIT needs
     * about a million 16 B elements), then {@link Counts#streamRuns} streams of {@code count} are timed one by one,
     * and the median rate counts.
     */
    static double streamRate(StreamCall call, int count, int size, Counts counts) throws Exception {
        int warm = Math.max(1, count / 4);
        long warmUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(counts.warmupMillis());
        for (int i = 0; i < 2 || System.nanoTime() - warmUntil < 0; i++) {
            checkStream(call.run(warm, size), warm, size);
        }
        double[] rates = new double[counts.streamRuns()];
        for (int i = 0; i < rates.length; i++) {
            long start = System.nanoTime();
            long bytes = call.run(count, size);
            long elapsed = System.nanoTime() - start;
            checkStream(bytes, count, size);
            rates[i] = count / (elapsed / 1e9);
        }
        java.util.Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    private static void check(byte[] request, byte[] response) {
        if (response == null || response.length != request.length) {
            throw new IllegalStateException("sent " + request.length + " bytes but the echo has "
                    + (response == null ? "none" : response.length + " bytes"));
        }
    }

    private static void checkStream(long bytes, int count, int size) {
        if (bytes != (long) count * size) {
            throw new IllegalStateException("asked for " + count + " x " + size + " B = " + (long) count * size
                    + " B but received " + bytes + " B");
        }
    }

    /**
     * 16 B unary calls per second of {@code plugins} systems like {@code first} on this host: {@code first} and
     * {@code plugins - 1} more ({@link RpcSystem#sibling}), each with its own peer process, one caller each. Each new
     * peer is first called back to back alone for {@code warmupMillis} (a cold JVM compiles for seconds: measured
     * cold, 8 plugins did a fiftieth of their warm rate). The extra systems are closed (their peers ended) before
     * this returns.
     */
    static double pluginThroughput(RpcSystem first, int plugins, int millis, int warmupMillis, Children children)
            throws Exception {
        List<RpcSystem> all = new ArrayList<>(List.of(first));
        try {
            byte[] request = new byte[16];
            for (int i = 1; i < plugins; i++) {
                RpcSystem more = first.sibling();
                all.add(more);
                more.start(children);
                warmUp(more, request, 0, warmupMillis);
            }
            return throughput(all, millis);
        } finally {
            for (RpcSystem more : all.subList(1, all.size())) {
                more.close();
            }
        }
    }

    /**
     * 16 B unary calls per second of one caller thread per element of {@code callers}, each calling its system back
     * to back: the calls that complete in a window of {@code millis}, after a quarter as long uncounted (the threads
     * start and warm up).
     */
    static double throughput(List<RpcSystem> callers, int millis) throws Exception {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) / 4;
        long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Callable<Long>> tasks = new ArrayList<>();
        for (RpcSystem system : callers) {
            tasks.add(() -> callUntil(system, start, end));
        }
        ExecutorService threads = Executors.newFixedThreadPool(callers.size());
        try {
            long calls = 0;
            for (Future<Long> f : threads.invokeAll(tasks)) {
                calls += f.get();
            }
            return calls / (millis / 1000.0);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Calls {@code system} back to back, at least {@code calls} times and for at least {@code millis}. */
    private static void warmUp(RpcSystem system, byte[] request, int calls, int millis) throws Exception {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (int i = 0; i < calls || System.nanoTime() - until < 0; i++) {
            check(request, system.unary(request));
        }
    }

    /** Calls {@code system} back to back until {@code end}; returns the calls that ended in {@code [start, end)}. */
    private static long callUntil(RpcSystem system, long start, long end) throws Exception {
        byte[] request = new byte[16];
        long counted = 0;
        long now;
        do {
            check(request, system.unary(request));
            now = System.nanoTime();
            if (now >= start && now < end) {
                counted++;
            }
        } while (now < end);
        return counted;
    }

    /** A batch of calls whose allocations are measured. */
    @FunctionalInterface
    interface Batch {
        void run() throws Exception;
    }

    /**
     * Bytes allocated per operation by {@code batch} of {@code count} operations (its calls already warm): {@code [0]}
     * by every thread of this JVM, {@code [1]} by every thread of the peer JVM (NaN if there is none). The peer is
     * asked before this JVM is read and after it is read again, so the asking is outside this JVM's figure.
     */
    static double[] allocationPer(Children children, List<Process> peers, int count, Batch batch) throws Exception {
        Process peer = peers.isEmpty() ? null : peers.get(0);
        long peerBefore = peer == null ? 0 : AllocatedBytes.ofPeer(children, peer);
        long hostBefore = AllocatedBytes.ofThisJvm();
        batch.run();
        long hostAfter = AllocatedBytes.ofThisJvm();
        long peerAfter = peer == null ? 0 : AllocatedBytes.ofPeer(children, peer);
        return new double[] {(double) (hostAfter - hostBefore) / count,
            peer == null ? Double.NaN : (double) (peerAfter - peerBefore) / count};
    }

    /** The CPU this JVM and {@code peers} use over {@code seconds} of sleep. */
    static CpuWindow.Usage idleWindow(List<Process> peers, int seconds) throws Exception {
        CpuWindow window = CpuWindow.open(peers);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        return window.close();
    }

    /**
     * The idle baseline, before any system: starts two idle JVMs ({@code RpcPeer idle}: runtime classes loaded, no
     * session) and a host JVM and a plugin JVM connected by a session in the default configuration (the host makes
     * its warm-up calls, then waits), all four with the peers' flags; lets them settle for a second, then measures
     * them and this JVM over one window of {@code seconds}; stops them. {@link IdleBaseline#NONE} if {@code seconds}
     * is 0.
     */
    static IdleBaseline idleBaseline(Children children, int seconds) throws Exception {
        if (seconds <= 0) {
            return IdleBaseline.NONE;
        }
        List<Process> jvms = new ArrayList<>();
        try {
            jvms.add(children.spawn(RpcPeer.class, PEER_FLAGS, "idle"));
            jvms.add(children.spawn(RpcPeer.class, PEER_FLAGS, "idle"));
            Process host = children.spawn(RpcPeer.class, PEER_FLAGS, "idle-host");
            jvms.add(host);
            String[] listening = children.expect(host, "LISTENING").split(" ");
            jvms.add(children.spawn(RpcPeer.class, PEER_FLAGS, "rapace", listening[1], listening[2],
                    WakeMode.BLOCKING.name(), "false"));
            for (Process jvm : jvms) {
                children.expect(jvm, "READY");
            }
            Thread.sleep(1000);
            List<CpuWindow> windows = new ArrayList<>();
            for (Process jvm : jvms) {
                windows.add(CpuWindow.open(List.of(jvm)));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            List<CpuWindow.Usage> used = new ArrayList<>();
            for (CpuWindow window : windows) {
                used.add(window.close());
            }
            return new IdleBaseline(used.get(0).hostSeconds(), used.get(0).peerSeconds(), used.get(1).peerSeconds(),
                    used.get(2).peerSeconds(), used.get(3).peerSeconds());
        } finally {
            for (Process jvm : jvms) {
                Children.stop(jvm);
            }
        }
    }
}
