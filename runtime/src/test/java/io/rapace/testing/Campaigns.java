package io.rapace.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the reliability campaigns ({@code docs/reliability.md}) share: percentiles, a process's footprint, reports. */
public final class Campaigns {
    private Campaigns() {
    }

    /** The {@code p}-th percentile (nearest rank) of {@code sorted}; 0 when it is empty. */
    public static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Nanoseconds as milliseconds with one decimal. */
    public static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** This JVM's live threads and its heap in use after a few GCs: {threads, bytes}. */
    public static long[] footprint() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime runtime = Runtime.getRuntime();
        return new long[] {Thread.getAllStackTraces().size(), runtime.totalMemory() - runtime.freeMemory()};
    }

    /**
     * Whether {@code pid} runs: it exists and is not a zombie, as /proc tells. (An orphan is no child of this JVM,
     * whose {@code onExit} would poll it slowly, and the container's init reaps it when it likes.)
     */
    public static boolean running(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("State:")) {
                    return !line.contains("Z") && !line.contains("X");
                }
            }
            return false;
        } catch (IOException e) {
            return false; // gone
        }
    }

    /** Prints a campaign's figures and writes them to {@code target/campaign/<name>}. */
    public static void report(String name, String text) throws IOException {
        System.out.print(text);
        Path out = Path.of("target", "campaign", name);
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }

    /**
     * Samples over time as an SVG chart: {@code csv} has a header line, then one line per sample whose first column is
     * the second it was taken at and whose next columns are the values {@code names} name; each line is scaled to its
     * own maximum (printed in the legend), so that a trend shows.
     */
    public static String chart(String csv, String... names) {
        String[] lines = csv.strip().split("\n");
        String[] colours = {"#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b"};
        int n = lines.length - 1;
        double[][] values = new double[names.length][n];
        double[] seconds = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines[i + 1].split(",");
            seconds[i] = Double.parseDouble(f[0]);
            for (int k = 0; k < names.length; k++) {
                values[k][i] = Double.parseDouble(f[k + 1]);
            }
        }
        int width = 720;
        int height = 300;
        int left = 50;
        int top = 20;
        int plotWidth = width - left - 20;
        int plotHeight = height - top - 90;
        double last = n == 0 ? 1 : Math.max(1, seconds[n - 1]);
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>%n", left, top, plotWidth, plotHeight));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">0 s</text><text x=\"%d\" y=\"%d\" "
                + "text-anchor=\"end\">%.0f s</text>%n", left, top + plotHeight + 15, left + plotWidth,
                top + plotHeight + 15, last));
        for (int k = 0; k < names.length; k++) {
            double max = 0;
            for (double v : values[k]) {
                max = Math.max(max, v);
            }
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < n; i++) {
                double x = left + plotWidth * seconds[i] / last;
                double y = top + plotHeight - (max == 0 ? 0 : plotHeight * 0.95 * values[k][i] / max);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                    + "points=\"%s\"/>%n", colours[k], points.toString().strip()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s, top of the chart = "
                    + "%,.0f</text>%n", left, top + plotHeight + 32 + 15 * k, colours[k], names[k], max / 0.95));
        }
        return svg.append("</svg>\n").toString();
    }
}
