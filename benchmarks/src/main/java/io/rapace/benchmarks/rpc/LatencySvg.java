package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.Timing;
import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * An SVG (written by hand, no library) of the 16 B unary latency distributions of one run: two panels, back to back
 * and paced, each with one percentile curve per system from p0 to p99.9. The x axis is {@code -log10(1 - p)}, so
 * p90, p99 and p99.9 are evenly spaced; the y axis is the round trip on a log scale, shared by both panels.
 */
final class LatencySvg {
    static final int SIZE = 16;
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int PANEL_W = 470;
    private static final int PANEL_H = 360;
    private static final int LEFT = 70;
    private static final int TOP = 50;
    private static final int PLOT_W = PANEL_W - LEFT - 20;
    private static final int PLOT_H = PANEL_H - TOP - 50;
    /** Points per curve: p = 1 - 10^(-k/STEPS_PER_DECADE) for k = 0 .. 3 * STEPS_PER_DECADE. */
    private static final int STEPS_PER_DECADE = 20;
    private static final double X_MAX = 3;

    private LatencySvg() {
    }

    static String render(List<Result> results) {
        List<Result> shown = new ArrayList<>();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Result r : results) {
            long[] b2b = r.backToBack.get(SIZE);
            long[] paced = r.paced.get(SIZE);
            if (b2b == null || paced == null) {
                continue;
            }
            shown.add(r);
            min = Math.min(min, Math.min(b2b[0], paced[0]) / 1000.0);
            max = Math.max(max, Math.max(Timing.percentileMicros(b2b, 99.9), Timing.percentileMicros(paced, 99.9)));
        }
        double yLo = shown.isEmpty() ? -1 : Math.floor(Math.log10(Math.max(min, 0.01)));
        double yHi = shown.isEmpty() ? 4 : Math.max(yLo + 1, Math.ceil(Math.log10(max)));
        int legendH = 22 * ((shown.size() + 2) / 3) + 10;
        int width = 2 * PANEL_W + 20;
        int height = PANEL_H + legendH + 40;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width,
                height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"16\" text-anchor=\"middle\">"
                + "Unary round trip, %d B payload, two processes: latency by percentile</text>%n", width / 2, SIZE));
        panel(sb, 10, 30, "back to back", shown, r -> r.backToBack.get(SIZE), yLo, yHi);
        panel(sb, PANEL_W + 10, 30, "paced, one call per ms", shown, r -> r.paced.get(SIZE), yLo, yHi);
        for (int i = 0; i < shown.size(); i++) {
            int x = 30 + (i % 3) * (width - 40) / 3;
            int y = 30 + PANEL_H + 20 + 22 * (i / 3);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/>%n", x, y - 4, x + 24, y - 4, color(i)));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 30, y,
                    escape(shown.get(i).system)));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void panel(StringBuilder sb, int ox, int oy, String title, List<Result> shown,
            Function<Result, long[]> samples, double yLo, double yHi) {
        int px = ox + LEFT;
        int py = oy + TOP;
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\">%s"
                + "</text>%n", px + PLOT_W / 2, oy + 25, escape(title)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#333\"/>%n", px, py, PLOT_W, PLOT_H));
        for (int decade = (int) yLo; decade <= (int) yHi; decade++) {
            double y = py + PLOT_H - (decade - yLo) / (yHi - yLo) * PLOT_H;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                    + "stroke=\"#ddd\"/>%n", px, y, px + PLOT_W, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    px - 6, y + 4, decadeLabel(decade)));
        }
        String[] xLabels = {"p0", "p90", "p99", "p99.9"};
        for (int i = 0; i <= 3; i++) {
            double x = px + i / X_MAX * PLOT_W;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    + "stroke=\"#ddd\"/>%n", x, py, x, py + PLOT_H));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    py + PLOT_H + 16, xLabels[i]));
        }
        double p50 = px + Math.log10(2) / X_MAX * PLOT_W;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n"
                + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">p50</text>%n", p50, py, p50,
                py + PLOT_H, p50, py + PLOT_H + 16));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                px + PLOT_W / 2, py + PLOT_H + 36));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 %d %d)\">round trip (log scale)</text>%n", ox + 14, py + PLOT_H / 2,
                ox + 14, py + PLOT_H / 2));
        for (int i = 0; i < shown.size(); i++) {
            long[] sorted = samples.apply(shown.get(i));
            StringBuilder points = new StringBuilder();
            for (int k = 0; k <= X_MAX * STEPS_PER_DECADE; k++) {
                double xv = (double) k / STEPS_PER_DECADE;
                double p = 100 * (1 - Math.pow(10, -xv));
                double micros = Math.max(Timing.percentileMicros(sorted, p), Math.pow(10, yLo));
                double y = py + PLOT_H - (Math.log10(micros) - yLo) / (yHi - yLo) * PLOT_H;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px + xv / X_MAX * PLOT_W, y));
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"><title>%s</title></polyline>%n", color(i), points.toString().trim(),
                    escape(shown.get(i).system)));
        }
    }

    private static String decadeLabel(int decade) {
        double micros = Math.pow(10, decade);
        if (micros >= 1_000_000) {
            return String.format(Locale.ROOT, "%.0f s", micros / 1_000_000);
        }
        if (micros >= 1000) {
            return String.format(Locale.ROOT, "%.0f ms", micros / 1000);
        }
        return micros >= 1 ? String.format(Locale.ROOT, "%.0f us", micros)
                : String.format(Locale.ROOT, "%s us", Double.toString(micros));
    }

    /** The colour of the {@code i}th system of a chart (a palette of ten, repeated). */
    static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
