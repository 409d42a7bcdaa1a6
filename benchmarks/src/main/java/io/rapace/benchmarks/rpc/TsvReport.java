package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.rpc.RpcBenchmark.IdleBaseline;
import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The machine-readable summary of one {@link RpcBenchmark} run ({@code --tsv FILE}), tab-separated, one record a
 * line, every figure the median over the rounds:
 *
 * <pre>
 * figure  SYSTEM  METRIC  VALUE                  one per measured figure of each system, then of the baselines
 * target  TARGET  RAPACE  PEER  RATIO  MET       one per target of {@link Targets}; MET is met, not met or -
 * </pre>
 *
 * <p>A figure that was not measured has no line; a target figure that was not is {@code NaN}. Metric names are
 * {@code kind_statistic_unit_size}, such as {@code b2b_p50_us_16B} or {@code server_stream_msgs_per_s_64KiB}.
 */
final class TsvReport {
    /** The idle baseline's rows, as systems. */
    static final String HARNESS_ALONE = "harness alone";

    /** One metric: its name in the summary and its figure. */
    record Metric(String name, ToDoubleFunction<Result> value) {
    }

    private TsvReport() {
    }

    /** Every metric of a system, in a fixed order. */
    static List<Metric> metrics() {
        List<Metric> metrics = new ArrayList<>();
        for (int size : RpcBenchmark.UNARY_SIZES) {
            for (double p : new double[] {50, 99, 99.9}) {
                metrics.add(new Metric("b2b_p" + percentile(p) + "_us_" + size(size), RpcReport.b2b(size, p)));
            }
            for (double p : new double[] {50, 99}) {
                metrics.add(new Metric("paced_p" + percentile(p) + "_us_" + size(size), RpcReport.paced(size, p)));
            }
        }
        for (int size : RpcBenchmark.STREAM_SIZES) {
            metrics.add(new Metric("server_stream_msgs_per_s_" + size(size), RpcReport.stream(size)));
            metrics.add(new Metric("client_stream_msgs_per_s_" + size(size), RpcReport.clientStream(size)));
            metrics.add(new Metric("bidi_stream_msgs_per_s_" + size(size), RpcReport.bidiStream(size)));
        }
        for (int callers : RpcBenchmark.CALLERS) {
            metrics.add(new Metric("unary_calls_per_s_16B_" + callers + "_callers", RpcReport.throughput(callers)));
        }
        for (int plugins : RpcBenchmark.PLUGINS) {
            metrics.add(new Metric("unary_calls_per_s_16B_" + plugins + "_plugins",
                    RpcReport.pluginThroughput(plugins)));
        }
        metrics.add(new Metric("paced_cpu_host_ms_per_s_16B", r -> r.pacedHostCpu));
        metrics.add(new Metric("paced_cpu_peer_ms_per_s_16B", r -> r.pacedPeerCpu));
        metrics.add(new Metric("paced_cpu_both_ms_per_s_16B", RpcReport::pacedCpu));
        metrics.add(new Metric("alloc_unary_host_bytes_16B", r -> r.unaryHostAllocation));
        metrics.add(new Metric("alloc_unary_peer_bytes_16B", r -> r.unaryPeerAllocation));
        metrics.add(new Metric("alloc_stream_element_host_bytes_16B", r -> r.streamHostAllocation));
        metrics.add(new Metric("alloc_stream_element_peer_bytes_16B", r -> r.streamPeerAllocation));
        metrics.add(new Metric("idle_cpu_host_s", r -> r.hostIdleCpu));
        metrics.add(new Metric("idle_cpu_peer_s", r -> r.peerIdleCpu));
        return metrics;
    }

    static String render(List<SystemRounds> results, IdleBaseline idle, List<Targets.Target> targets) {
        StringBuilder sb = new StringBuilder();
        for (SystemRounds s : results) {
            for (Metric m : metrics()) {
                figure(sb, s.system, m.name(), s.median(m.value()));
            }
        }
        figure(sb, HARNESS_ALONE, "idle_cpu_host_s", idle.harness());
        figure(sb, RpcReport.IDLE_JVMS, "idle_cpu_host_s", idle.firstJvm());
        figure(sb, RpcReport.IDLE_JVMS, "idle_cpu_peer_s", idle.secondJvm());
        figure(sb, RpcReport.IDLE_SESSION, "idle_cpu_host_s", idle.sessionHost());
        figure(sb, RpcReport.IDLE_SESSION, "idle_cpu_peer_s", idle.sessionPeer());
        for (Targets.Target t : targets) {
            sb.append(String.join("\t", "target", t.label(), value(t.ours()), value(t.peer()), value(t.ratio()),
                    !t.measured() ? "-" : t.met() ? "met" : "not met")).append('\n');
        }
        return sb.toString();
    }

    private static void figure(StringBuilder sb, String system, String metric, double value) {
        if (!Double.isNaN(value)) {
            sb.append(String.join("\t", "figure", system, metric, value(value))).append('\n');
        }
    }

    /** Plain decimal, no grouping, enough digits for a nanosecond in microseconds or a CPU nanosecond. */
    private static String value(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v).replaceAll("\\.?0+$", "");
    }

    private static String percentile(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + "KiB" : bytes + "B";
    }
}
