package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.Machine;
import io.rapace.benchmarks.harness.Timing;
import io.rapace.benchmarks.rpc.RpcBenchmark.Counts;
import io.rapace.benchmarks.rpc.RpcBenchmark.IdleBaseline;
import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown report of one {@link RpcBenchmark} run. With several rounds each cell is the median over the rounds
 * followed by its spread, {@code median (min..max)}; ratios and targets use the medians. With one round the cells
 * hold the single value.
 */
final class RpcReport {
    static final String FLOOR = "agrona ring (spin)";
    static final String GRPC = "grpc netty (tcp)";
    /** The idle baseline's row: two JVMs in the roles of host and peer, measured with the harness alone. */
    static final String IDLE_JVMS = "two idle JVMs (runtime classes loaded, no session), same window";
    /** The idle baseline's other row: a quiet default-configuration session between two JVMs started alike. */
    static final String IDLE_SESSION = "rapace default executor, host and plugin in two fresh JVMs, same window";

    private RpcReport() {
    }

    /** One column of the ratio tables: a label and a figure. */
    private record Metric(String label, ToDoubleFunction<Result> value) {
    }

    private static final List<Metric> RATIO_METRICS = List.of(
            new Metric("b2b p50 16 B", b2b(16, 50)),
            new Metric("b2b p99 16 B", b2b(16, 99)),
            new Metric("b2b p50 1 KiB", b2b(1024, 50)),
            new Metric("paced p50 16 B", paced(16, 50)),
            new Metric("paced p99 16 B", paced(16, 99)),
            new Metric("stream 16 B", stream(16)),
            new Metric("stream 1 KiB", stream(1024)),
            new Metric("stream 64 KiB", stream(65536)));

    /** Back-to-back round trip of {@code size} bytes at percentile {@code p}, in microseconds. */
    static ToDoubleFunction<Result> b2b(int size, double p) {
        return r -> pct(r.backToBack.get(size), p);
    }

    /** Paced round trip of {@code size} bytes at percentile {@code p}, in microseconds. */
    static ToDoubleFunction<Result> paced(int size, double p) {
        return r -> pct(r.paced.get(size), p);
    }

    /** Server-streaming messages per second of {@code size} bytes. */
    static ToDoubleFunction<Result> stream(int size) {
        return r -> rate(r.streamRate, size);
    }

    /**
     * Milliseconds of CPU per second both processes used during the paced 16 B calls (this JVM alone for a system
     * without a peer JVM).
     */
    static double pacedCpu(Result r) {
        return r.pacedHostCpu + (Double.isNaN(r.pacedPeerCpu) ? 0 : r.pacedPeerCpu);
    }

    /** 16 B unary calls per second with {@code callers} concurrent callers ({@code --scale}). */
    static ToDoubleFunction<Result> throughput(int callers) {
        return r -> rate(r.unaryThroughput, callers);
    }

    /**
     * A table of calls/s by {@code xs} (callers or plugins) for the systems whose {@code figures} are not empty in
     * some round; nothing when none are.
     */
    private static void scaleTable(StringBuilder sb, List<SystemRounds> results,
            Function<Result, Map<Integer, Double>> figures, String title, String intro, int[] xs,
            IntFunction<String> header, IntFunction<ToDoubleFunction<Result>> rate) {
        List<SystemRounds> measured = results.stream()
                .filter(s -> s.rounds.stream().anyMatch(r -> !figures.apply(r).isEmpty())).toList();
        if (measured.isEmpty()) {
            return;
        }
        sb.append("\n### ").append(title).append("\n\n").append(intro).append("\n\n| system |");
        for (int x : xs) {
            sb.append(' ').append(header.apply(x)).append(" |");
        }
        sb.append("\n|---|").append("---|".repeat(xs.length)).append('\n');
        for (SystemRounds s : measured) {
            sb.append("| ").append(s.system).append(" |");
            for (int x : xs) {
                sb.append(' ').append(s.spread(rate.apply(x)).text(RpcReport::rateText)).append(" |");
            }
            sb.append('\n');
        }
    }

    /** Unary calls per second with {@code plugins} plugins on one host, one caller each. */
    static ToDoubleFunction<Result> pluginThroughput(int plugins) {
        return r -> rate(r.pluginThroughput, plugins);
    }

    /** Client-streaming messages per second of {@code size} bytes. */
    static ToDoubleFunction<Result> clientStream(int size) {
        return r -> rate(r.clientStreamRate, size);
    }

    /** Bidi-streaming messages per second of {@code size} bytes (each echoed). */
    static ToDoubleFunction<Result> bidiStream(int size) {
        return r -> rate(r.bidiRate, size);
    }

    static String markdown(List<SystemRounds> results, Counts c, int rounds, IdleBaseline idle,
            List<Targets.Target> targets, String loadBefore, String loadAfter, Path svg) {
        StringBuilder sb = new StringBuilder();
        sb.append("## RPC systems across two processes\n\n");
        sb.append(String.format(Locale.ROOT, "JDK %s, %s, %d cores; %s run; load average (1, 5, 15 min) before: %s;"
                + " after: %s.%n%n", System.getProperty("java.runtime.version"), Machine.cpuModel(),
                Runtime.getRuntime().availableProcessors(), c.mode(), loadBefore, loadAfter));
        sb.append(String.format(Locale.ROOT, "Unary: a byte[] echoed by the server; back to back (b2b) %,d calls "
                + "after %,d warm-up calls and at least %,d ms of them, and paced at one call per ms %,d calls after %,d "
                + "warm-up. Server, client and "
                + "bidi streaming: streams of %,d / %,d / %,d messages of 16 B / 1 KiB / 64 KiB, each the median rate of "
                + "%d timed stream(s) after %,d ms of quarter-size warm-up streams (steady state: the peer JVM starts "
                + "cold). Times in microseconds. Latency chart (16 B): %s.%n%n", c.b2bCount(), c.b2bWarmup(),
                c.warmupMillis(), c.pacedCount(), c.pacedWarmup(), c.streamCounts()[0], c.streamCounts()[1],
                c.streamCounts()[2], c.streamRuns(), c.warmupMillis(), svg));
        if (rounds > 1) {
            sb.append(String.format(Locale.ROOT, "%d rounds, systems interleaved (each round measures every system "
                    + "once, in the order below). Each cell: the median over the rounds, then the spread (min..max) "
                    + "in brackets; ratios and targets compare medians. The chart pools every round's samples.%n%n",
                    rounds));
        }
        sb.append("| system | setup |\n|---|---|\n");
        for (SystemRounds s : results) {
            sb.append("| ").append(s.system).append(" | ").append(s.note);
            for (String failure : s.failures()) {
                sb.append(" **failed: ").append(failure.replace('|', '/')).append("**");
            }
            sb.append(" |\n");
        }

        sb.append("\n### Unary round trip (us)\n\n");
        sb.append("| system | payload | b2b p50 | b2b p99 | b2b p99.9 | paced p50 | paced p99 |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (int size : RpcBenchmark.UNARY_SIZES) {
            for (SystemRounds s : results) {
                if (!s.unaryMeasured()) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", s.system,
                        size(size), s.spread(b2b(size, 50)).text(RpcReport::us),
                        s.spread(b2b(size, 99)).text(RpcReport::us), s.spread(b2b(size, 99.9)).text(RpcReport::us),
                        s.spread(paced(size, 50)).text(RpcReport::us), s.spread(paced(size, 99)).text(RpcReport::us)));
            }
        }

        streams(sb, "Server streaming (messages/s)", results, RpcReport::stream);
        streams(sb, "Client streaming (messages/s)", results, RpcReport::clientStream);
        streams(sb, "Bidi streaming (messages/s)", results, RpcReport::bidiStream);

        ratios(sb, results, FLOOR);
        ratios(sb, results, GRPC);
        targets(sb, targets, rounds);

        sb.append("\n### CPU during paced unary calls (16 B, ms of CPU per second)\n\n");
        sb.append("Summed over each process's threads (`/proc/PID/task/*/schedstat`) from the end of the paced "
                + "warm-up to the last paced call, per second of that window (one call per ms). The host column is "
                + "the whole harness JVM (its calling thread parks between calls), with its JIT compiler and "
                + "collector and any thread an earlier system left winding down.\n\n");
        sb.append("| system | host JVM | peer JVM | both |\n|---|---|---|---|\n");
        for (SystemRounds s : results) {
            if (s.unaryMeasured()) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", s.system,
                        s.spread(r -> r.pacedHostCpu).text(RpcReport::cpuRate),
                        s.spread(r -> r.pacedPeerCpu).text(RpcReport::cpuRate),
                        s.spread(RpcReport::pacedCpu).text(RpcReport::cpuRate)));
            }
        }

        scaleTable(sb, results, r -> r.unaryThroughput, "Unary throughput by concurrent callers (calls/s)",
                String.format(Locale.ROOT, "16 B unary calls completed per second with that many threads calling back "
                        + "to back, over %,d ms after %,d ms uncounted; the systems that take concurrent callers "
                        + "(`--scale`).", c.scaleMillis(), c.scaleMillis() / 4),
                RpcBenchmark.CALLERS, n -> Integer.toString(n), RpcReport::throughput);
        scaleTable(sb, results, r -> r.pluginThroughput, "Unary throughput by plugins on one host (calls/s)",
                String.format(Locale.ROOT, "16 B unary calls completed per second by that many plugins, each its own "
                        + "process and session with the harness, one caller thread each, over %,d ms after %,d ms "
                        + "uncounted (`--scale`, default configuration).", c.scaleMillis(), c.scaleMillis() / 4),
                RpcBenchmark.PLUGINS, n -> n + (n == 1 ? " plugin" : " plugins"), RpcReport::pluginThroughput);

        sb.append(String.format(Locale.ROOT, "%n### Allocation per call (bytes)%n%n"
                + "Heap bytes allocated per 16 B unary call (%,d calls) and per 16 B server-stream element (one stream "
                + "of %,d), summed over every thread of each JVM (`ThreadMXBean.getThreadAllocatedBytes`, before and "
                + "after the batch, after the timed calls); the peer JVM reports its own. The host column is the whole "
                + "harness JVM (both ends for gRPC in-process).%n%n", c.allocationCount(), c.allocationCount()));
        sb.append("| system | unary, host | unary, peer | stream element, host | stream element, peer |\n"
                + "|---|---|---|---|---|\n");
        for (SystemRounds s : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", s.system,
                    s.spread(r -> r.unaryHostAllocation).text(RpcReport::bytes),
                    s.spread(r -> r.unaryPeerAllocation).text(RpcReport::bytes),
                    s.spread(r -> r.streamHostAllocation).text(RpcReport::bytes),
                    s.spread(r -> r.streamPeerAllocation).text(RpcReport::bytes)));
        }

        if (!Double.isNaN(idle.harness())) {
            sb.append(String.format(Locale.ROOT, "%n### CPU while connected and idle (seconds of CPU per %d s)%n%n",
                    c.idleSeconds()));
            sb.append("Summed over each process's threads (`/proc/PID/task/*/schedstat`), after the measurements, "
                    + "with no call in flight. The host column is the whole harness JVM, so it includes what the "
                    + "harness itself costs (first row) and threads that earlier systems left behind; the peer "
                    + "column is the server JVM alone. A spinning side costs about one second per second.\n\n");
            sb.append("| system | host JVM | peer JVM |\n|---|---|---|\n");
            sb.append(String.format(Locale.ROOT, "| harness alone, before any system | %s | - |%n",
                    cpu(idle.harness())));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", IDLE_JVMS, cpu(idle.firstJvm()),
                    cpu(idle.secondJvm())));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", IDLE_SESSION, cpu(idle.sessionHost()),
                    cpu(idle.sessionPeer())));
            for (SystemRounds s : results) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", s.system,
                        s.spread(r -> r.hostIdleCpu).text(RpcReport::cpu),
                        s.spread(r -> r.peerIdleCpu).text(RpcReport::cpu)));
            }
        }
        return sb.toString();
    }

    /** A table of messages per second by message size, and 64 KiB in MiB/s, of one kind of stream. */
    private static void streams(StringBuilder sb, String title, List<SystemRounds> results,
            IntFunction<ToDoubleFunction<Result>> rate) {
        sb.append("\n### ").append(title).append("\n\n");
        sb.append("| system | 16 B | 1 KiB | 64 KiB | 64 KiB in MiB/s |\n|---|---|---|---|---|\n");
        for (SystemRounds s : results) {
            ToDoubleFunction<Result> large = rate.apply(65536);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", s.system,
                    s.spread(rate.apply(16)).text(RpcReport::rateText),
                    s.spread(rate.apply(1024)).text(RpcReport::rateText),
                    s.spread(large).text(RpcReport::rateText),
                    s.spread(r -> large.applyAsDouble(r) / 16).text(RpcReport::rateText)));
        }
    }

    /**
     * Each system against {@code reference}, median against median: times as system / reference (above 1 is
     * slower), throughput as system / reference (below 1 is slower).
     */
    private static void ratios(StringBuilder sb, List<SystemRounds> results, String reference) {
        SystemRounds ref = results.stream().filter(s -> s.system.equals(reference)).findFirst().orElse(null);
        if (ref == null || results.size() < 2) {
            return;
        }
        sb.append("\n### Ratios to ").append(reference)
                .append(" (times: above 1 is slower; streams: below 1 is slower)\n\n| system |");
        for (Metric m : RATIO_METRICS) {
            sb.append(' ').append(m.label()).append(" |");
        }
        sb.append("\n|---|").append("---|".repeat(RATIO_METRICS.size())).append('\n');
        for (SystemRounds s : results) {
            if (s == ref) {
                continue;
            }
            sb.append("| ").append(s.system).append(" |");
            for (Metric m : RATIO_METRICS) {
                double ratio = s.median(m.value()) / ref.median(m.value());
                sb.append(Double.isNaN(ratio) ? " - |" : String.format(Locale.ROOT, " %.2f |", ratio));
            }
            sb.append('\n');
        }
    }

    /** The targets table: each of {@link Targets} with both figures, the ratio it bounds, and met or missed. */
    private static void targets(StringBuilder sb, List<Targets.Target> targets, int rounds) {
        if (targets.isEmpty()) { // none of the peers ran
            return;
        }
        sb.append(rounds > 1 ? "\n### Targets (16 B, medians over " + rounds + " rounds)\n\n"
                : "\n### Targets (16 B, this run)\n\n");
        sb.append("| target | rapace | peer | ratio | met |\n|---|---|---|---|---|\n");
        for (Targets.Target t : targets) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s |%n", t.label(), num(t.ours()),
                    num(t.peer()), t.ratio(), !t.measured() ? "-" : t.met() ? "yes" : "**no**"));
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    static double pct(long[] sorted, double p) {
        return sorted == null ? Double.NaN : Timing.percentileMicros(sorted, p);
    }

    static double rate(Map<Integer, Double> rates, int size) {
        Double v = rates.get(size);
        return v == null ? Double.NaN : v;
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    static String us(double micros) {
        if (Double.isNaN(micros)) {
            return "-";
        }
        return String.format(Locale.ROOT, micros < 10 ? "%.2f" : micros < 100 ? "%.1f" : "%,.0f", micros);
    }

    static String rateText(double rate) {
        return Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%,.0f", rate);
    }

    private static String bytes(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, bytes < 100 ? "%.1f" : "%,.0f", bytes);
    }

    private static String cpuRate(double msPerSecond) {
        return Double.isNaN(msPerSecond) ? "-" : String.format(Locale.ROOT, "%.1f", msPerSecond);
    }

    private static String cpu(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.3f", seconds);
    }
}
