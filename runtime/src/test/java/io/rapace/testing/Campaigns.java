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
}
