package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * SVGs (written by hand, no library, in the style of {@link LatencySvg}) of one run's throughput, panels side by side,
 * each with one line per system through its medians, both axes logarithmic, the y axis shared by the panels; a point
 * a system did not measure is left out of its line. {@link #render}: streaming throughput by message size (server,
 * client and bidi streaming, MiB/s at 16 B, 1 KiB and 64 KiB). {@link #renderScale}: the scaling curve, unary calls
 * per second by concurrent callers (1, 4, 16, 64) and by plugins on one host (1, 4, 8), of the systems measured with
 * {@code --scale}.
 */
final class ThroughputSvg {
    private static final int PANEL_W = 330;
    private static final int PANEL_H = 360;
    private static final int LEFT = 70;
    private static final int TOP = 50;
    private static final int PLOT_W = PANEL_W - LEFT - 20;
    private static final int PLOT_H = PANEL_H - TOP - 50;
    private static final double MIB = 1024 * 1024;

    /**
     * One panel: its title, its x values and their axis, and a system's figure at an x value (a rate of messages or
     * calls per second), multiplied by {@code scale(x)} for the plot (the message size, to plot bytes).
     */
    private record Panel(String title, int[] xs, String xTitle, IntFunction<String> xLabel,
            IntFunction<ToDoubleFunction<Result>> rate, IntFunction<Double> scale) {
    }

    private static final List<Panel> STREAMS = List.of(
            new Panel("server streaming", RpcBenchmark.STREAM_SIZES, "message size", ThroughputSvg::size,
                    RpcReport::stream, size -> size / MIB),
            new Panel("client streaming", RpcBenchmark.STREAM_SIZES, "message size", ThroughputSvg::size,
                    RpcReport::clientStream, size -> size / MIB),
            new Panel("bidi streaming", RpcBenchmark.STREAM_SIZES, "message size", ThroughputSvg::size,
                    RpcReport::bidiStream, size -> size / MIB));

    private static final List<Panel> SCALE = List.of(
            new Panel("by concurrent callers", RpcBenchmark.CALLERS, "callers", Integer::toString,
                    RpcReport::throughput, n -> 1.0),
            new Panel("by plugins on one host", RpcBenchmark.PLUGINS, "plugins, one caller each", Integer::toString,
                    RpcReport::pluginThroughput, n -> 1.0));

    private ThroughputSvg() {
    }

    /** Streaming throughput by message size, two processes (MiB/s). */
    static String render(List<SystemRounds> results) {
        return render(results, STREAMS, "Streaming throughput by message size, two processes (MiB/s, median)",
                "MiB/s (log scale)");
    }

    /** Unary calls per second by concurrent callers and by plugins (the systems measured with {@code --scale}). */
    static String renderScale(List<SystemRounds> results) {
        List<SystemRounds> scaled = results.stream()
                .filter(s -> s.rounds.stream().anyMatch(r -> !r.unaryThroughput.isEmpty())).toList();
        return render(scaled, SCALE, "Unary throughput, 16 B, default wake mode: the scaling curve (calls/s, median)",
                "calls/s (log scale)");
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private static String render(List<SystemRounds> results, List<Panel> panels, String title, String yTitle) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (SystemRounds s : results) {
            for (Panel panel : panels) {
                for (int size : panel.xs()) {
                    double mib = plotted(s, panel, size);
                    if (mib > 0) {
                        min = Math.min(min, mib);
                        max = Math.max(max, mib);
                    }
                }
            }
        }
        double yLo = max == 0 ? -1 : Math.floor(Math.log10(min));
        double yHi = max == 0 ? 4 : Math.max(yLo + 1, Math.ceil(Math.log10(max)));
        int legendH = 22 * ((results.size() + 2) / 3) + 10;
        int width = panels.size() * PANEL_W + 20;
        int height = PANEL_H + legendH + 40;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width,
                height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"16\" text-anchor=\"middle\">"
                + "%s</text>%n", width / 2, LatencySvg.escape(title)));
        for (int p = 0; p < panels.size(); p++) {
            panel(sb, 10 + p * PANEL_W, 30, panels.get(p), results, yLo, yHi, yTitle);
        }
        for (int i = 0; i < results.size(); i++) {
            int x = 30 + (i % 3) * (width - 40) / 3;
            int y = 30 + PANEL_H + 20 + 22 * (i / 3);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/>%n", x, y - 4, x + 24, y - 4, LatencySvg.color(i)));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 30, y,
                    LatencySvg.escape(results.get(i).system)));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String decadeLabel(int decade) {
        return decade >= 0 ? String.format(Locale.ROOT, "%,.0f", Math.pow(10, decade))
                : Double.toString(Math.pow(10, decade));
    }

    /** The plotted figure of {@code s} at {@code x} (NaN or 0 when not measured). */
    private static double plotted(SystemRounds s, Panel panel, int x) {
        return s.median(panel.rate().apply(x)) * panel.scale().apply(x);
    }

    private static void panel(StringBuilder sb, int ox, int oy, Panel panel, List<SystemRounds> results, double yLo,
            double yHi, String yTitle) {
        int px = ox + LEFT;
        int py = oy + TOP;
        int[] sizes = panel.xs();
        double xLo = Math.log10(sizes[0]);
        double xHi = Math.log10(sizes[sizes.length - 1]);
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\">%s"
                + "</text>%n", px + PLOT_W / 2, oy + 25, panel.title()));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#333\"/>%n", px, py, PLOT_W, PLOT_H));
        for (int decade = (int) yLo; decade <= (int) yHi; decade++) {
            double y = py + PLOT_H - (decade - yLo) / (yHi - yLo) * PLOT_H;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                    + "stroke=\"#ddd\"/>%n", px, y, px + PLOT_W, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    px - 6, y + 4, decadeLabel(decade)));
        }
        for (int size : sizes) {
            double x = px + (Math.log10(size) - xLo) / (xHi - xLo) * PLOT_W;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    + "stroke=\"#ddd\"/>%n", x, py, x, py + PLOT_H));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    py + PLOT_H + 16, panel.xLabel().apply(size)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                px + PLOT_W / 2, py + PLOT_H + 36, LatencySvg.escape(panel.xTitle())));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 %d %d)\">%s</text>%n", ox + 14, py + PLOT_H / 2, ox + 14,
                py + PLOT_H / 2, yTitle));
        for (int i = 0; i < results.size(); i++) {
            List<String> points = new ArrayList<>();
            for (int size : sizes) {
                double mib = plotted(results.get(i), panel, size);
                if (mib > 0) {
                    double x = px + (Math.log10(size) - xLo) / (xHi - xLo) * PLOT_W;
                    double y = py + PLOT_H - (Math.log10(mib) - yLo) / (yHi - yLo) * PLOT_H;
                    points.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
                }
            }
            if (!points.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                        + "points=\"%s\"><title>%s</title></polyline>%n", LatencySvg.color(i),
                        String.join(" ", points), LatencySvg.escape(results.get(i).system)));
            }
        }
    }
}
