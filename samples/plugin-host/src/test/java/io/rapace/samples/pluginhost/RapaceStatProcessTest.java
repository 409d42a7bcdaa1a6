package io.rapace.samples.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.plugin.PluginHost;
import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.PluginSpec;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.stat.RapaceStat;
import io.rapace.plugin.stat.StatFileReader;
import io.rapace.plugin.stat.StatRow;
import io.rapace.testing.Leftovers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stat tool as an operator runs it against a live host: this JVM hosts the demo's two plugins and publishes its
 * stat file; {@code RapaceStat --once} in a JVM of its own lists both plugins Running, with their pids and calls.
 */
class RapaceStatProcessTest {
    @TempDir
    Path statDir;

    @Test
    void theStatToolListsBothPluginsOfARunningHost() throws Exception {
        List<Long> pids = new ArrayList<>();
        Path statFile;
        try (PluginHost host = PluginHost.builder().statDirectory(statDir).statInterval(Duration.ofMillis(20))
                .shutdownHook(false).build()) {
            statFile = host.statFile().orElseThrow();
            PluginHandle analytics = host.launch(PluginSpec.sameClassPath("analytics", AnalyticsPlugin.class,
                    "window=60s".getBytes(StandardCharsets.UTF_8)));
            PluginHandle transform = host.launch(PluginSpec.sameClassPath("transform", TransformPlugin.class,
                    "mode=reverse".getBytes(StandardCharsets.UTF_8)));
            pids.add(analytics.pid());
            pids.add(transform.pid());
            analytics.plugin().process(new ProcessRequest(1, "count", "a\nb\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("cba", new String(transform.plugin().process(new ProcessRequest(2, "transform",
                    "abc".getBytes(StandardCharsets.UTF_8))).result(), StandardCharsets.UTF_8));
            awaitPublished(statFile, 2, 4);

            Process stat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), RapaceStat.class.getName(), "--once", "--dir",
                    statDir.toString(), Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true)
                    .start();
            stat.getOutputStream().close();
            String output = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(stat.waitFor(30, TimeUnit.SECONDS), output);
            assertEquals(0, stat.exitValue(), output);

            List<String> lines = output.lines().toList();
            assertTrue(lines.get(0).startsWith("rapace host " + ProcessHandle.current().pid() + " (" + statFile
                    + "), up "), output);
            assertTrue(lines.get(1).matches("PLUGIN +STATE +PID +CALLS +ERRORS +BYTES IN +BYTES OUT +P50 +P99"
                    + " +RESTARTS +CPU +RSS"), output);
            assertEquals(4, lines.size(), output);
            assertRow(lines.get(2), "analytics", analytics.pid(), output);
            assertRow(lines.get(3), "transform", transform.pid(), output);
        }
        assertFalse(Files.exists(statFile), "the stat file outlived its host");
        pids.add(ProcessHandle.current().pid());
        Leftovers.assertNothingLeft(pids);
    }

    /** Waits (a bounded guard) until the stat file has {@code plugins} rows, each with at least {@code calls}. */
    private static void awaitPublished(Path statFile, int plugins, long calls) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<StatRow> rows = StatFileReader.read(statFile).rows();
            if (rows.size() == plugins && rows.stream().allMatch(r -> r.calls() >= calls)) {
                return;
            }
            assertTrue(System.nanoTime() < until, "the stat file still shows " + rows);
            Thread.sleep(10);
        }
    }

    /** {@code analytics  Running  4712   8  0  ...}: the plugin, Running, its pid, and calls made. */
    private static void assertRow(String row, String pluginId, long pid, String output) {
        String[] columns = row.trim().split(" +");
        assertEquals(pluginId, columns[0], output);
        assertEquals("Running", columns[1], output);
        assertEquals(Long.toString(pid), columns[2], output);
        assertTrue(Long.parseLong(columns[3]) >= 4, output); // initialize, process and its nested calls
        assertEquals("0", columns[4], output);
    }
}
