package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host process itself ends: killed with SIGKILL, its plugin notices the end of its session at once and exits
 * (nothing left running), and the only file left, the stat file, goes at the next host start; terminated with
 * SIGTERM, the shutdown hook shuts the plugin down in order. Waits are bounded guards, never speed targets.
 */
class HostDeathProcessTest {
    private static final long GUARD_SECONDS = 60;

    @TempDir
    Path statDir;

    private final List<Process> hosts = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void nothingLeft() throws Exception {
        for (Process host : hosts) {
            host.destroyForcibly();
            host.waitFor(GUARD_SECONDS, TimeUnit.SECONDS);
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.onExit().completeOnTimeout(p, GUARD_SECONDS, TimeUnit.SECONDS).join();
                assertFalse(p.isAlive(), "process " + pid + " still runs");
            });
        }
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            List<String> left = files.map(f -> f.getFileName().toString())
                    .filter(n -> pids.stream().anyMatch(pid -> n.startsWith("rapace-" + pid + "-"))).toList();
            assertEquals(List.of(), left, "segment or socket files left in /dev/shm");
        }
    }

    /** Starts a host process; returns its plugin's pid and stat file. */
    private String[] startHost() throws Exception {
        Process host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), TestHostMain.class.getName(), statDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        hosts.add(host);
        pids.add(host.pid());
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        String plugin = out.readLine();
        String stat = out.readLine();
        assertTrue(plugin != null && plugin.startsWith("PLUGIN "), "host printed " + plugin);
        assertTrue(stat != null && stat.startsWith("STAT "), "host printed " + stat);
        pids.add(Long.parseLong(plugin.substring(7)));
        return new String[] {plugin.substring(7), stat.substring(5)};
    }

    @Test
    void aKilledHostLeavesOrphansThatExitAndAStatFileTheNextHostRemoves() throws Exception {
        String[] started = startHost();
        ProcessHandle plugin = ProcessHandle.of(Long.parseLong(started[0])).orElseThrow();
        Path stat = Path.of(started[1]);
        assertTrue(Files.exists(stat));
        Process host = hosts.get(0);
        host.destroyForcibly(); // SIGKILL: no hook, no cleanup
        assertTrue(host.waitFor(GUARD_SECONDS, TimeUnit.SECONDS));
        plugin.onExit().get(GUARD_SECONDS, TimeUnit.SECONDS);
        assertFalse(plugin.isAlive(), "the orphaned plugin exited");
        assertTrue(Files.exists(stat), "the killed host's stat file is the one thing left");
        try (PluginHost next = PluginHost.builder().statDirectory(statDir).shutdownHook(false).build()) {
            assertFalse(Files.exists(stat), "the next host start removed the dead host's stat file");
            assertTrue(Files.exists(next.statFile().orElseThrow()));
        }
    }

    @Test
    void aTerminatedHostShutsItsPluginsDownThroughItsShutdownHook() throws Exception {
        String[] started = startHost();
        ProcessHandle plugin = ProcessHandle.of(Long.parseLong(started[0])).orElseThrow();
        Path stat = Path.of(started[1]);
        Process host = hosts.get(0);
        host.destroy(); // SIGTERM: the shutdown hook runs
        assertTrue(host.waitFor(GUARD_SECONDS, TimeUnit.SECONDS));
        plugin.onExit().get(GUARD_SECONDS, TimeUnit.SECONDS);
        assertFalse(plugin.isAlive());
        assertFalse(Files.exists(stat), "the hook closed the host, which removed its stat file");
    }
}
