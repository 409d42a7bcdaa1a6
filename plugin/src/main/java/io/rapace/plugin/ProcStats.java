package io.rapace.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and resident memory of a process, read from Linux's {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status}. Anything unexpected (no {@code /proc}, a process that is gone, a format we do not
 * know) gives -1: metrics are best effort and never throw.
 */
final class ProcStats {
    /**
     * Clock ticks per second of the times in {@code /proc/<pid>/stat}. The kernel reports them in {@code USER_HZ},
     * which is 100 on every architecture the JDK runs on, and the JDK offers no {@code sysconf(_SC_CLK_TCK)}.
     */
    static final long USER_HZ = 100;

    /** {@code /proc} files we read are a few KiB; never read more than this from one. */
    private static final int MAX_PROC_FILE = 64 * 1024;

    private ProcStats() {
    }

    /**
     * User plus system CPU time of {@code pid} in nanoseconds, or -1. Off Linux, falls back to what
     * {@link ProcessHandle.Info#totalCpuDuration()} reports.
     */
    static long cpuTimeNanos(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat != null) {
            return parseCpuTimeNanos(stat);
        }
        try {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size of {@code pid} in bytes ({@code VmRSS}), or -1. */
    static long residentBytes(long pid) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        return status == null ? -1 : parseResidentBytes(status);
    }

    /**
     * {@code utime + stime} (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in nanoseconds, or -1. The second
     * field is the command name in parentheses and may itself hold spaces and parentheses, so fields are counted from
     * the last {@code ')'}.
     */
    static long parseCpuTimeNanos(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        if (fields.length < 13) {
            return -1;
        }
        long utime = parseNonNegative(fields[14 - 3]);
        long stime = parseNonNegative(fields[15 - 3]);
        if (utime < 0 || stime < 0 || utime > Long.MAX_VALUE / 2 / (1_000_000_000L / USER_HZ)) {
            return -1;
        }
        return (utime + stime) * (1_000_000_000L / USER_HZ);
    }

    /** The {@code VmRSS:   1234 kB} line of a {@code /proc/<pid>/status} file, in bytes, or -1. */
    static long parseResidentBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                if (parts.length != 2 || !parts[1].equals("kB")) {
                    return -1;
                }
                long kib = parseNonNegative(parts[0]);
                return kib < 0 || kib > Long.MAX_VALUE / 1024 ? -1 : kib * 1024;
            }
        }
        return -1;
    }

    private static long parseNonNegative(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }

    private static String read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_PROC_FILE), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
