package io.rapace.plugin;

import io.rapace.testing.ExpectedLogs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real child processes: {@link TestPluginMain} on this JVM, and a shell that ignores SIGTERM. */
@Timeout(60)
class PluginProcessTest {
    /** What the plugins print, which the host logs under {@code rapace.plugin.<id>}. */
    @RegisterExtension
    final ExpectedLogs output = new ExpectedLogs("rapace.plugin");


    private static PluginCommand testMain(List<String> jvmOptions) {
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Path.of(entry));
        }
        return PluginCommand.java(TestPluginMain.class.getName(), classPath, jvmOptions);
    }

    @Test
    void logsEveryLineOfStdoutAndStderrTaggedWithThePluginIdAndNeverBlocksThePlugin() throws Exception {
        PluginProcess plugin = PluginProcess.start("talker", testMain(List.of("-Dplugin.greeting=hello")),
                List.of("talk", "3", "--segment", "/dev/shm/rapace-x"));

        // The plugin writes 1.1 MB to stderr before it exits: it only gets there if the host drains the pipe.
        assertEquals(3, plugin.onExit().get(30, TimeUnit.SECONDS));
        assertTrue(plugin.awaitOutputDrained(Duration.ofSeconds(10)));
        assertFalse(plugin.isAlive());

        assertEquals(List.of("[talker] greeting=hello", "[talker] args=[--segment, /dev/shm/rapace-x]",
                "[talker] unicode=h\u00e9llo \u2603", "[talker] done"), output.messages(Level.INFO));

        List<String> stderr = output.messages(Level.WARNING);
        String floodLine = "[talker] " + "x".repeat(TestPluginMain.FLOOD_LINE_LENGTH);
        assertEquals("[talker] err: starting", stderr.get(0));
        assertEquals(TestPluginMain.FLOOD_LINES, stderr.stream().filter(floodLine::equals).count());
        // A 20,000-byte line arrives in pieces of at most 8 KiB.
        List<Integer> pieces = new ArrayList<>();
        stderr.stream().filter(m -> m.startsWith("[talker] y")).forEach(m -> pieces.add(m.length() - 9));
        assertEquals(List.of(8192, 8192, 3616), pieces);
        assertEquals(1 + TestPluginMain.FLOOD_LINES + 3, stderr.size());
        // The command line is the java launcher, the options, the class path, the main class, the arguments.
        List<String> line = plugin.commandLine();
        assertEquals(List.of("-Dplugin.greeting=hello", "-cp"), line.subList(1, 3));
        assertEquals(List.of(TestPluginMain.class.getName(), "talk", "3", "--segment", "/dev/shm/rapace-x"),
                line.subList(4, line.size()));
    }

    @Test
    void terminateSendsSigtermAndReportsTheExitCodeAndTheProcessFigures() throws Exception {
        PluginProcess plugin = PluginProcess.start("sleeper", testMain(List.of("-Xmx32m")), List.of("sleep"));
        output.expect(Level.INFO, "[sleeper] ready");
        assertTrue(plugin.isAlive());
        assertTrue(plugin.pid() > 0);
        // A JVM that started has used CPU and holds some megabytes.
        assertTrue(plugin.cpuTimeNanos() > 0, "cpu " + plugin.cpuTimeNanos());
        assertTrue(plugin.residentBytes() > 1024 * 1024, "rss " + plugin.residentBytes());

        long start = System.nanoTime();
        assertEquals(143, plugin.terminate(Duration.ofSeconds(20)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "SIGTERM alone ended it");
        assertFalse(plugin.isAlive());
        assertEquals(143, plugin.onExit().get());
        assertEquals(-1, plugin.cpuTimeNanos());
        assertEquals(-1, plugin.residentBytes());
        // A second terminate is harmless.
        assertEquals(143, plugin.terminate(Duration.ofSeconds(1)));
    }

    @Test
    void terminateKillsAPluginThatIgnoresSigtermAfterTheGrace() throws Exception {
        PluginCommand shell = PluginCommand.of(List.of("sh", "-c", "trap '' TERM; echo ready; exec sleep 30"));
        PluginProcess plugin = PluginProcess.start("stubborn", shell, List.of());
        output.expect(Level.INFO, "[stubborn] ready");

        long start = System.nanoTime();
        assertEquals(137, plugin.terminate(Duration.ofMillis(300)));
        long took = System.nanoTime() - start;
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(300), "waited the grace: " + took);
        assertTrue(took < TimeUnit.SECONDS.toNanos(10), "then killed it: " + took);
        assertFalse(plugin.isAlive());
    }

    @Test
    void aCommandThatCannotStartNamesThePluginAndTheProgram() {
        PluginCommand missing = PluginCommand.of(List.of("/nonexistent/rapace-plugin"));
        IOException e = assertThrows(IOException.class,
                () -> PluginProcess.start("ghost", missing, List.of("--segment", "x")));
        // the rest is the JDK's own wording, which differs between JDK 17 and 25
        assertTrue(e.getMessage().startsWith("cannot start plugin ghost: Cannot run program "
                + "\"/nonexistent/rapace-plugin\": "), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }

    @Test
    void rejectsAnInvalidPluginIdBeforeStartingAnything() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginProcess.start("bad id", PluginCommand.of(List.of("true")), List.of()));
        assertEquals("plugin id \"bad id\" is not valid: use 1 to 64 of the characters A-Z a-z 0-9 . _ -, starting "
                + "with a letter or a digit", e.getMessage());
    }
}
