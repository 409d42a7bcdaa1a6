package io.rapace.plugin.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RapaceStatTest {
    static final long SELF = ProcessHandle.current().pid();

    /** The table's heading and rows for the two rows {@link #publish} writes. */
    static final List<String> TABLE = List.of(
            "PLUGIN     STATE     PID  CALLS  ERRORS  BYTES IN  BYTES OUT     P50      P99  RESTARTS     CPU       RSS",
            "analytics  Running  4712   1500       3  12.0 KiB    1.5 MiB  1.5 us  90.0 us         1  1.25 s  48.0 MiB",
            "transform  Crashed     -      0       0       0 B        0 B    0 ns     0 ns         5       -"
                    + "         -");

    /** The heading alone, as wide as its words, for a host without plugins. */
    static final String EMPTY_TABLE =
            "PLUGIN  STATE  PID  CALLS  ERRORS  BYTES IN  BYTES OUT  P50  P99  RESTARTS  CPU  RSS";

    @TempDir
    Path dir;

    static void publish(StatFileWriter writer) {
        writer.update(new StatRow("analytics", "Running", 4712, 1500, 3, 12 * 1024, 1536 * 1024, 1500, 90_000, 1,
                1_250_000_000L, 48L << 20, System.currentTimeMillis()));
        writer.update(new StatRow("transform", "Crashed", -1, 0, 0, 0, 0, 0, 0, 5, -1, -1, System.currentTimeMillis()));
    }

    private String out;
    private String err;

    private int run(String... args) throws InterruptedException {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int status = RapaceStat.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return status;
    }

    @Test
    void printsTheTableOfTheOnlyHost() throws Exception {
        try (StatFileWriter writer = StatFileWriter.create(dir, SELF, 8)) {
            publish(writer);
            assertEquals(0, run("--once", "--dir", dir.toString()));
            assertEquals("", err);
            List<String> lines = out.lines().toList();
            assertTrue(lines.get(0).startsWith("rapace host " + SELF + " (" + writer.file() + "), up "), lines.get(0));
            assertTrue(lines.get(0).contains(" s, 2 plugins, "), lines.get(0));
            assertEquals(TABLE, lines.subList(1, lines.size()));
        }
    }

    @Test
    void picksTheNamedHostAmongSeveralAndListsThemWhenNoneIsNamed() throws Exception {
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        try (StatFileWriter mine = StatFileWriter.create(dir, SELF, 8);
                StatFileWriter other = StatFileWriter.create(dir, parent, 8)) {
            publish(mine);
            assertTrue(Files.exists(other.file()));
            assertEquals(1, run("--once", "--dir", dir.toString()));
            long low = Math.min(SELF, parent);
            long high = Math.max(SELF, parent);
            assertEquals("2 rapace hosts are running; name one: " + low + " " + high + "\n", err);

            assertEquals(0, run("--dir", dir.toString(), "--once", Long.toString(SELF)));
            assertEquals(TABLE, out.lines().skip(1).toList());

            assertEquals(0, run("--dir", dir.toString(), "--once", Long.toString(parent)));
            assertEquals(List.of(EMPTY_TABLE), out.lines().skip(1).toList());
            assertTrue(out.startsWith("rapace host " + parent + " ("), out);
            assertTrue(out.lines().findFirst().orElseThrow().contains(", 0 plugins, "), out);
        }
    }

    @Test
    void removesTheFilesOfDeadHostsAndSaysWhenNoHostRuns() throws Exception {
        Path stale = dir.resolve("rapace-stat-" + StatFileTest.deadPid());
        Files.write(stale, new byte[100]);
        assertEquals(1, run("--once", "--dir", dir.toString()));
        assertEquals("no rapace host is running: no rapace-stat-<pid> file in " + dir + "\n", err);
        assertFalse(Files.exists(stale));

        assertEquals(1, run("--once", "--dir", dir.toString(), "4711"));
        assertEquals("no rapace host with pid 4711: " + dir.resolve("rapace-stat-4711") + " does not exist\n", err);
    }

    @Test
    void reportsAnUnreadableFile() throws Exception {
        Path bad = dir.resolve("rapace-stat-" + SELF);
        Files.write(bad, new byte[100]);
        assertEquals(1, run("--once", "--dir", dir.toString()));
        assertEquals("stat file " + bad + " has magic \"\\0\\0\\0\\0\\0\\0\\0\\0\", not \"RAPSTAT\\0\" (the host has "
                + "not finished creating it)\n", err);
    }

    @Test
    void refreshesUntilTheHostEnds() throws Exception {
        StatFileWriter writer = StatFileWriter.create(dir, SELF, 8);
        publish(writer);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(150);
                writer.close();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        closer.start();
        assertEquals(0, run("--interval", "20", "--dir", dir.toString()));
        closer.join();
        assertTrue(out.endsWith("host " + SELF + " has ended\n"), out);
        assertTrue(out.lines().filter(TABLE.get(1)::equals).count() >= 2, out);
    }

    @Test
    void rejectsABadCommandLineWithTheUsage() throws Exception {
        assertEquals(2, run("--interval"));
        assertEquals("--interval needs a value\n" + RapaceStat.USAGE + "\n", err);
        assertEquals(2, run("--interval", "0"));
        assertEquals("--interval needs a positive number of milliseconds, not \"0\"\n" + RapaceStat.USAGE + "\n", err);
        assertEquals(2, run("12x"));
        assertEquals("\"12x\" is not a pid\n" + RapaceStat.USAGE + "\n", err);
        assertEquals(2, run("--verbose"));
        assertEquals("unexpected argument \"--verbose\"\n" + RapaceStat.USAGE + "\n", err);
        assertEquals(2, run("1", "2"));
        assertEquals("unexpected argument \"2\"\n" + RapaceStat.USAGE + "\n", err);
    }

    @Test
    void formatsDurationsAndSizesForPeople() {
        assertEquals("-", RapaceStat.nanos(-1));
        assertEquals("999 ns", RapaceStat.nanos(999));
        assertEquals("12.3 us", RapaceStat.nanos(12_345));
        assertEquals("4.50 ms", RapaceStat.nanos(4_500_000));
        assertEquals("61.00 s", RapaceStat.nanos(61_000_000_000L));
        assertEquals("-", RapaceStat.bytes(-1));
        assertEquals("1023 B", RapaceStat.bytes(1023));
        assertEquals("1.5 KiB", RapaceStat.bytes(1536));
        assertEquals("2.0 GiB", RapaceStat.bytes(2L << 30));
    }

    @Test
    void titleCountsBusyRowsAndTheTime() {
        StatSnapshot snapshot = new StatSnapshot(Path.of("/dev/shm/rapace-stat-7"), 7, 1_000, List.of(), 1);
        assertEquals("rapace host 7 (/dev/shm/rapace-stat-7), up 60 s, 0 plugins, 1 busy, 1970-01-01T00:01:01Z\n"
                + EMPTY_TABLE + "\n", RapaceStat.format(snapshot, Instant.ofEpochMilli(61_500)));
    }
}
