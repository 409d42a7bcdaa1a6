package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.Machine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * Two builds of rapace on one machine, alternately: each round runs the {@link RpcBenchmark} of jar A and of jar B
 * (each the shaded benchmarks jar of one commit, each in its own JVM, the rapace systems only, no idle windows), A
 * first in odd rounds and B first in even ones, so a drift of the machine weighs on both. It reads each run's
 * Markdown report (the format of every harness so far, so jar A may predate this class) and prints, per system, the
 * median over the rounds of b2b p50 (16 B and 1 KiB) and of the 16 B stream rate for each jar, the spread
 * (min..max), and the ratio B/A of the medians, flagging B as worse when its latency is more than 10% above A's or
 * its rate more than 10% below. Exits with status 2 if anything is flagged. Run from a benchmarks jar
 * ({@code benchmarks/compare-builds.sh} builds both jars from two commits and runs this):
 *
 * <pre>
 * java -cp B.jar io.rapace.benchmarks.rpc.RpcBuildComparison --jar-a A.jar --jar-b B.jar \
 *      [--label-a TEXT] [--label-b TEXT] [--rounds N] [--quick] [--only SUBSTRING]
 * </pre>
 */
public final class RpcBuildComparison {
    /** B is worse when its time exceeds A's by more than this fraction, or its rate falls short by more. */
    static final double TOLERANCE = 0.10;

    private static final String UNARY = "### Unary round trip";
    private static final String STREAM = "### Server streaming";

    /** A figure read from the report: its label, its column, and whether a higher value is better. */
    record Figure(String label, String table, int column, int size, boolean higherIsBetter) {
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("b2b p50 16 B (us)", UNARY, 2, 16, false),
            new Figure("b2b p50 1 KiB (us)", UNARY, 2, 1024, false),
            new Figure("stream 16 B (msgs/s)", STREAM, 1, 16, true));

    private RpcBuildComparison() {
    }

    public static void main(String[] args) throws Exception {
        Path jarA = null;
        Path jarB = null;
        String labelA = null;
        String labelB = null;
        int rounds = 5;
        boolean quick = false;
        String only = "rapace";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar-a" -> jarA = Path.of(args[++i]);
                case "--jar-b" -> jarB = Path.of(args[++i]);
                case "--label-a" -> labelA = args[++i];
                case "--label-b" -> labelB = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --jar-a JAR "
                        + "--jar-b JAR [--label-a TEXT] [--label-b TEXT] [--rounds N] [--quick] [--only SUBSTRING]");
            }
        }
        if (jarA == null || jarB == null || rounds < 1) {
            throw new IllegalArgumentException("need --jar-a JAR, --jar-b JAR and --rounds of at least 1");
        }
        List<Path> jars = List.of(jarA, jarB);
        List<String> labels = List.of(labelA == null ? jarA.toString() : labelA,
                labelB == null ? jarB.toString() : labelB);
        String loadBefore = Machine.loadAverage();
        List<List<Map<String, Map<Figure, Double>>>> runs = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 1; round <= rounds; round++) {
            for (int k = 0; k < 2; k++) {
                int jar = round % 2 == 1 ? k : 1 - k;
                System.err.printf("==== round %d of %d: %s (%s)%n", round, rounds, jar == 0 ? "A" : "B",
                        labels.get(jar));
                runs.get(jar).add(parse(runHarness(jars.get(jar), quick, only)));
            }
        }
        String header = String.format(Locale.ROOT, "JDK %s, %s, %d cores; %d rounds, %s counts (--only %s "
                + "--idle-seconds 0); A first in odd rounds, B first in even ones; load average (1, 5, 15 min) "
                + "before: %s; after: %s.", System.getProperty("java.runtime.version"), Machine.cpuModel(),
                Runtime.getRuntime().availableProcessors(), rounds, quick ? "quick" : "default", only, loadBefore,
                Machine.loadAverage());
        StringBuilder sb = new StringBuilder();
        boolean worse = report(sb, header, labels.get(0), labels.get(1), runs.get(0), runs.get(1));
        System.out.println(sb);
        System.exit(worse ? 2 : 0);
    }

    /** Runs one harness from {@code jar} in a new JVM (progress to our stderr); returns its report. */
    private static String runHarness(Path jar, boolean quick, String only) throws IOException, InterruptedException {
        Path svg = Files.createTempFile("rapace-compare-", ".svg");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(RpcBenchmark.PEER_FLAGS);
            cmd.addAll(List.of("-cp", jar.toString(), RpcBenchmark.class.getName(), "--only", only,
                    "--idle-seconds", "0", "--svg", svg.toString()));
            if (quick) {
                cmd.add("--quick");
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status = p.waitFor();
            if (status != 0) {
                System.err.println("the harness of " + jar + " exited with status " + status
                        + "; its figures of this round are missing");
            }
            return out;
        } finally {
            Files.deleteIfExists(svg);
        }
    }

    /**
     * The {@link #FIGURES} of each system in one harness report, by system name in report order; a cell of
     * {@code -} (not measured) is left out, and of a cell {@code median (min..max)} only the median is read.
     */
    static Map<String, Map<Figure, Double>> parse(String markdown) {
        Map<String, Map<Figure, Double>> bySystem = new LinkedHashMap<>();
        String table = "";
        for (String line : markdown.split("\n")) {
            if (line.startsWith("### ")) {
                table = line;
                continue;
            }
            if (!line.startsWith("| ")) {
                continue;
            }
            String[] cells = line.substring(1).split("\\|");
            if (cells[0].trim().equals("system")) {
                continue; // a table's header row
            }
            for (Figure f : FIGURES) {
                if (!table.startsWith(f.table()) || cells.length <= f.column()) {
                    continue;
                }
                boolean sizeMatches = f.table().equals(STREAM)
                        || cells[1].trim().equals(f.size() >= 1024 ? f.size() / 1024 + " KiB" : f.size() + " B");
                String cell = cells[f.column()].trim().split(" ")[0].replace(",", "");
                if (sizeMatches && !cell.equals("-") && cell.matches("[0-9.]+")) {
                    bySystem.computeIfAbsent(cells[0].trim(), s -> new LinkedHashMap<>()).put(f,
                            Double.parseDouble(cell));
                }
            }
        }
        return bySystem;
    }

    /**
     * The comparison table of {@code a}'s and {@code b}'s rounds, each a list of parsed reports; returns whether B is
     * worse than A beyond {@link #TOLERANCE} in any figure.
     */
    static boolean report(StringBuilder out, String header, String labelA, String labelB,
            List<Map<String, Map<Figure, Double>>> a, List<Map<String, Map<Figure, Double>>> b) {
        out.append("## rapace, two builds alternately\n\n").append(header).append("\n\n");
        out.append("A: ").append(labelA).append("  \nB: ").append(labelB).append("\n\n");
        out.append(String.format(Locale.ROOT, "Each cell: the median over the rounds, then the spread (min..max). "
                + "B/A: the ratio of the medians; **worse** when B's time is more than %.0f%% above A's or its rate "
                + "more than %.0f%% below.%n%n", 100 * TOLERANCE, 100 * TOLERANCE));
        out.append("| system | figure | A | B | B/A | |\n|---|---|---|---|---|---|\n");
        Set<String> systems = new LinkedHashSet<>();
        a.forEach(run -> systems.addAll(run.keySet()));
        b.forEach(run -> systems.addAll(run.keySet()));
        List<String> worse = new ArrayList<>();
        for (String system : systems) {
            for (Figure f : FIGURES) {
                Spread spreadA = spread(a, system, f);
                Spread spreadB = spread(b, system, f);
                double ratio = spreadB.median() / spreadA.median();
                boolean missing = spreadB.rounds() == 0 && spreadA.rounds() > 0;
                boolean flagged = missing || (f.higherIsBetter() ? ratio < 1 - TOLERANCE : ratio > 1 + TOLERANCE);
                DoubleFunction<String> format = f.higherIsBetter() ? RpcReport::rateText : RpcReport::us;
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", system, f.label(),
                        spreadA.text(format), spreadB.text(format),
                        Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio),
                        missing ? "**missing in B**" : Double.isNaN(ratio) ? "" : flagged ? "**worse**" : "ok"));
                if (flagged) {
                    worse.add(system + ", " + f.label());
                }
            }
        }
        out.append('\n').append(worse.isEmpty()
                ? String.format(Locale.ROOT, "No figure of B is worse than A's by more than %.0f%%.",
                        100 * TOLERANCE)
                : String.format(Locale.ROOT, "Worse by more than %.0f%%: %s.", 100 * TOLERANCE,
                        String.join("; ", worse)));
        return !worse.isEmpty();
    }

    private static Spread spread(List<Map<String, Map<Figure, Double>>> runs, String system, Figure f) {
        return Spread.of(runs.stream().mapToDouble(run -> run.getOrDefault(system, Map.of())
                .getOrDefault(f, Double.NaN)).toArray());
    }
}
