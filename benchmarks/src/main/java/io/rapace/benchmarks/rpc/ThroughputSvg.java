package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * An SVG (written by hand, no library, in the style of {@link LatencySvg}) of one run's streaming throughput by
 * message size: three panels, server, client and bidi streaming, each with one line per system through its median
 * MiB/s at 16 B, 1 KiB and 64 KiB (the x axis spaced by the logarithm of the size, the y axis a log scale shared by
 * the panels). A size a system did not measure is left out of its line.
 */
final class ThroughputSvg {
    private static final int PANEL_W = 330;
    private static final int PANEL_H = 360;
    private static final int LEFT = 70;
    private static final int TOP = 50;
    private static final int PLOT_W = PANEL_W - LEFT - 20;
    private static final int PLOT_H = PANEL_H - TOP - 50;
    private static final double MIB = 1024 * 1024;

    /** One panel: its title and the messages per second of a system by size. */
    private record Panel(String title, IntFunction<ToDoubleFunction<Result>> rate) {
    }

    private static final List<Panel> PANELS = List.of(
            new Panel("server streaming", RpcReport::stream),
            new Panel("client streaming", RpcReport::clientStream),
            new Panel("bidi streaming", RpcReport::bidiStream));

    private ThroughputSvg() {
    }

    static String render(List<SystemRounds> results) {
        int[] sizes = RpcBenchmark.STREAM_SIZES;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (SystemRounds s : results) {
            for (Panel panel : PANELS) {
                for (int size : sizes) {
                    double mib = mibPerSecond(s, panel, size);
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
        int width = PANELS.size() * PANEL_W + 20;
        int height = PANEL_H + legendH + 40;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width,
                height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"16\" text-anchor=\"middle\">"
                + "Streaming throughput by message size, two processes (MiB/s, median)</text>%n", width / 2));
        for (int p = 0; p < PANELS.size(); p++) {
            panel(sb, 10 + p * PANEL_W, 30, PANELS.get(p), results, yLo, yHi);
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

    private static double mibPerSecond(SystemRounds s, Panel panel, int size) {
        return s.median(panel.rate().apply(size)) * size / MIB;
    }

    private static void panel(StringBuilder sb, int ox, int oy, Panel panel, List<SystemRounds> results, double yLo,
            double yHi) {
        int px = ox + LEFT;
        int py = oy + TOP;
        int[] sizes = RpcBenchmark.STREAM_SIZES;
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
                    py + PLOT_H + 16, size >= 1024 ? size / 1024 + " KiB" : size + " B"));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">message size</text>%n",
                px + PLOT_W / 2, py + PLOT_H + 36));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 %d %d)\">MiB/s (log scale)</text>%n", ox + 14, py + PLOT_H / 2, ox + 14,
                py + PLOT_H / 2));
        for (int i = 0; i < results.size(); i++) {
            List<String> points = new ArrayList<>();
            for (int size : sizes) {
                double mib = mibPerSecond(results.get(i), panel, size);
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
