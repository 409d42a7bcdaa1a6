package io.rapace.plugin.stat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Prints the plugins of a running host from its stat file, as Aeron's {@code AeronStat} prints its counters:
 *
 * <pre>
 * java -cp rapace-plugin.jar io.rapace.plugin.stat.RapaceStat [--once] [--interval ms] [--dir path] [pid]
 * </pre>
 *
 * <p>Without a pid it shows the only host running, and lists the hosts when there are several. It removes the stat
 * files of hosts that no longer run before it looks. It refreshes every {@code --interval} milliseconds (1000 by
 * default) until the host ends or it is interrupted; {@code --once} prints one table and exits. {@code --dir} reads
 * another directory than {@code /dev/shm}. Exit status: 0 after a table (or when the host ended), 1 when there is
 * nothing to show or the file is unreadable, 2 for a bad command line.
 */
public final class RapaceStat {
    static final String USAGE = "usage: RapaceStat [--once] [--interval ms] [--dir path] [pid]";

    private static final String[] HEADINGS = {"PLUGIN", "STATE", "PID", "CALLS", "ERRORS", "BYTES IN", "BYTES OUT",
        "P50", "P99", "RESTARTS", "CPU", "RSS"};

    private RapaceStat() {
    }

    public static void main(String[] args) throws InterruptedException {
        int status = run(args, System.out, System.err);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The tool without {@code System.exit}: prints to {@code out} and {@code err}, returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        boolean once = false;
        long interval = 1000;
        Path directory = StatFiles.defaultDirectory();
        OptionalLong pid = OptionalLong.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--once")) {
                once = true;
            } else if ((arg.equals("--interval") || arg.equals("--dir")) && i + 1 == args.length) {
                err.println(arg + " needs a value");
                err.println(USAGE);
                return 2;
            } else if (arg.equals("--interval")) {
                String value = args[++i];
                try {
                    interval = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    interval = -1;
                }
                if (interval < 1) {
                    err.println("--interval needs a positive number of milliseconds, not \"" + value + "\"");
                    err.println(USAGE);
                    return 2;
                }
            } else if (arg.equals("--dir")) {
                directory = Path.of(args[++i]);
            } else if (!arg.startsWith("-") && pid.isEmpty()) {
                try {
                    pid = OptionalLong.of(Long.parseLong(arg));
                } catch (NumberFormatException e) {
                    err.println("\"" + arg + "\" is not a pid");
                    err.println(USAGE);
                    return 2;
                }
            } else {
                err.println("unexpected argument \"" + arg + "\"");
                err.println(USAGE);
                return 2;
            }
        }

        Path file;
        try {
            StatFiles.removeStale(directory);
            if (pid.isPresent()) {
                file = StatFiles.fileOf(directory, pid.getAsLong());
                if (!Files.exists(file)) {
                    err.println("no rapace host with pid " + pid.getAsLong() + ": " + file + " does not exist");
                    return 1;
                }
            } else {
                List<Path> files = StatFiles.list(directory);
                if (files.isEmpty()) {
                    err.println("no rapace host is running: no " + StatFileLayout.FILE_PREFIX + "<pid> file in "
                            + directory);
                    return 1;
                }
                if (files.size() > 1) {
                    List<String> pids = new ArrayList<>();
                    files.forEach(f -> pids.add(Long.toString(StatFiles.pidOf(f).getAsLong())));
                    err.println(files.size() + " rapace hosts are running; name one: " + String.join(" ", pids));
                    return 1;
                }
                file = files.get(0);
            }
        } catch (IOException e) {
            err.println("cannot list " + directory + ": " + e.getMessage());
            return 1;
        }

        try {
            StatFileReader reader = StatFileReader.open(file);
            boolean clear = !once && System.console() != null;
            while (true) {
                StatSnapshot snapshot = reader.read();
                if (clear) {
                    out.print("\u001b[H\u001b[2J");
                }
                out.print(format(snapshot, Instant.now()));
                out.flush();
                if (once) {
                    return 0;
                }
                Thread.sleep(interval);
                if (!Files.exists(file)) {
                    out.println("host " + reader.hostPid() + " has ended");
                    return 0;
                }
                if (!StatFiles.isAlive(reader.hostPid())) {
                    // killed: its file outlives it until the next host start, but its counters are frozen
                    out.println("host " + reader.hostPid() + " is gone (killed); its stat file " + file
                            + " is left for the next host start to remove");
                    return 0;
                }
            }
        } catch (StatFileException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    /** The table for one reading: a title line, the headings, one line per plugin. */
    static String format(StatSnapshot snapshot, Instant now) {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADINGS);
        for (StatRow row : snapshot.rows()) {
            lines.add(new String[] {row.pluginId(), row.state(), row.pid() < 0 ? "-" : Long.toString(row.pid()),
                Long.toString(row.calls()), Long.toString(row.errors()), bytes(row.bytesIn()), bytes(row.bytesOut()),
                nanos(row.p50Nanos()), nanos(row.p99Nanos()), Long.toString(row.restarts()), nanos(row.cpuNanos()),
                bytes(row.residentBytes())});
        }
        int[] widths = new int[HEADINGS.length];
        for (String[] line : lines) {
            for (int c = 0; c < line.length; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        long upSeconds = Math.max(0, now.toEpochMilli() - snapshot.createdMillis()) / 1000;
        sb.append("rapace host ").append(snapshot.hostPid()).append(" (").append(snapshot.file()).append("), up ")
                .append(upSeconds).append(" s, ").append(snapshot.rows().size())
                .append(snapshot.rows().size() == 1 ? " plugin" : " plugins");
        if (snapshot.busyRows() > 0) {
            sb.append(", ").append(snapshot.busyRows()).append(" busy");
        }
        sb.append(", ").append(now.truncatedTo(ChronoUnit.SECONDS)).append('\n');
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                if (c > 0) {
                    text.append("  ");
                }
                // Names left-aligned, numbers right-aligned.
                String format = c < 2 ? "%-" + widths[c] + "s" : "%" + widths[c] + "s";
                text.append(String.format(Locale.ROOT, format, line[c]));
            }
            sb.append(text.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** "850 ns", "12.3 us", "4.50 ms", "1.20 s"; "-" for unknown (negative). */
    static String nanos(long nanos) {
        if (nanos < 0) {
            return "-";
        }
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** "512 B", "1.5 KiB", "3.2 MiB", "1.1 GiB"; "-" for unknown (negative). */
    static String bytes(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
