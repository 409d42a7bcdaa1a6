package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.PluginClient;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.stat.StatFileReader;
import io.rapace.plugin.stat.StatRow;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.testing.ExpectedLogs;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins registered to start on demand, with real processes: {@code Dormant} with no process until the first call,
 * which starts the plugin and is answered by it; shut down gracefully back to {@code Dormant} after an idle period,
 * and started again by the next call. Listeners, metrics and the stat file show each step. Waits are bounded guards,
 * never speed targets.
 */
class PluginOnDemandProcessTest {
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    @RegisterExtension
    final ExpectedLogs output = new ExpectedLogs("rapace.plugin");

    private static final Duration GUARD = HostsUnderTest.GUARD;

    @TempDir
    Path dir;

    private final HostsUnderTest hosts = new HostsUnderTest();
    private final List<Long> pids = hosts.pids;
    private final List<String> transitions = hosts.transitions;

    @AfterEach
    void nothingLeft() {
        hosts.closeAndCheck();
    }

    private PluginHost host() throws IOException {
        return hosts.build(hosts.builder(dir).statInterval(Duration.ofMillis(20)));
    }

    private static String echo(Plugin plugin, String text) {
        return new String(plugin.process(new ProcessRequest(1, "echo", text.getBytes(StandardCharsets.UTF_8)))
                .result(), StandardCharsets.UTF_8);
    }

    private static String statState(PluginHost host, String id) throws Exception {
        for (StatRow row : StatFileReader.read(host.statFile().orElseThrow()).rows()) {
            if (row.pluginId().equals(id)) {
                return row.state();
            }
        }
        return "(no row)";
    }

    /** The stat file is refreshed on a timer: waits (bounded) until its row for {@code id} says {@code state}. */
    private static void awaitStatState(PluginHost host, String id, String state) throws Exception {
        long until = System.nanoTime() + GUARD.toNanos();
        while (!statState(host, id).equals(state) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(state, statState(host, id));
    }

    @Test
    void aRegisteredPluginStartsOnItsFirstCall() throws Exception {
        PluginHost host = host();
        PluginHandle lazy = host.register(PluginSpec.sameClassPath("lazy", TestPlugin.class,
                "cfg".getBytes(StandardCharsets.UTF_8)));
        assertEquals(PluginState.DORMANT, lazy.state());
        assertEquals(-1, lazy.pid(), "no process before the first call");
        assertEquals(PluginState.DORMANT, lazy.metrics().state());
        awaitStatState(host, "lazy", "Dormant");
        assertEquals(List.of(), transitions);

        assertEquals("cfg:hello", echo(lazy.plugin(), "hello"), "the first call is answered by the started plugin");
        assertEquals(PluginState.RUNNING, lazy.state());
        assertTrue(lazy.pid() > 0);
        assertEquals(List.of("lazy Dormant->Starting", "lazy Starting->Connected", "lazy Connected->Initializing",
                "lazy Initializing->Running"), transitions);
        awaitStatState(host, "lazy", "Running");

        // a dormant plugin that is shut down stays down
        PluginHandle never = host.register(PluginSpec.sameClassPath("never", TestPlugin.class, new byte[0]));
        host.shutdown("never");
        assertEquals(PluginState.STOPPED, never.state());
        assertEquals("shut down while dormant", never.detail());
        RpcException down = assertThrows(RpcException.class, () -> echo(never.plugin(), "x"));
        assertEquals(ErrorCode.UNAVAILABLE, down.code());
        output.takeAll(Level.INFO, "[lazy] ");
    }

    @Test
    void anIdlePluginIsShutDownAndTheNextCallStartsItAgain() throws Exception {
        PluginHost host = host();
        PluginHandle sleepy = host.register(PluginSpec.sameClassPath("sleepy", TestPlugin.class, new byte[0]),
                Duration.ofMillis(400));
        Plugin client = sleepy.plugin();
        assertEquals(":one", echo(client, "one"));
        long first = sleepy.pid();
        ProcessHandle process = ProcessHandle.of(first).orElseThrow();

        assertTrue(sleepy.awaitState(PluginState.DORMANT, GUARD), "shut down after 400 ms without a call");
        assertTrue(sleepy.detail().startsWith("idle for 400 ms: acknowledged shutdown, exited with status 0"),
                sleepy.detail());
        process.onExit().get(GUARD.toSeconds(), TimeUnit.SECONDS);
        assertEquals(-1, sleepy.pid());
        awaitStatState(host, "sleepy", "Dormant");

        assertEquals(":two", echo(client, "two"), "the next call starts it again");
        assertNotEquals(first, sleepy.pid());
        assertEquals(List.of("sleepy Dormant->Starting", "sleepy Starting->Connected",
                "sleepy Connected->Initializing", "sleepy Initializing->Running", "sleepy Running->ShuttingDown",
                "sleepy ShuttingDown->Dormant", "sleepy Dormant->Starting", "sleepy Starting->Connected",
                "sleepy Connected->Initializing", "sleepy Initializing->Running"), transitions);
        output.takeAll(Level.INFO, "[sleepy] ");
    }

    /** A shutdown that comes while an idle stop is under way wins: the plugin ends Stopped and starts no more. */
    @Test
    void aShutdownDuringAnIdleStopLeavesThePluginStopped() throws Exception {
        PluginHost host = hosts.build(hosts.builder(dir).shutdownTimeout(Duration.ofSeconds(1)));
        // stubborn: it never acknowledges Shutdown, so the idle stop waits out the shutdown timeout
        PluginHandle sleepy = host.register(PluginSpec.sameClassPath("sleepy", TestPlugin.class,
                "stubborn".getBytes(StandardCharsets.UTF_8)), Duration.ofMillis(200));
        assertEquals("stubborn:a", echo(sleepy.plugin(), "a"));
        assertTrue(sleepy.awaitState(PluginState.SHUTTING_DOWN, GUARD), "the idle stop began");
        host.shutdown("sleepy");
        assertEquals(PluginState.STOPPED, sleepy.state());
        assertEquals(ErrorCode.UNAVAILABLE, assertThrows(RpcException.class, () -> echo(sleepy.plugin(), "b")).code());
        assertFalse(transitions.contains("sleepy ShuttingDown->Dormant"), transitions.toString());
        output.takeAll(Level.INFO, "[sleepy] ");
        output.takeAll(Level.WARNING, "[sleepy] ");
        logs.takeAll(Level.WARNING, "plugin sleepy");
    }

    /** A replaced on-demand plugin's new version keeps its settings: it too goes Dormant when idle. */
    @Test
    void aReplacementKeepsTheIdleStop() throws Exception {
        PluginHost host = host();
        PluginHandle sleepy = host.register(PluginSpec.sameClassPath("sleepy", TestPlugin.class,
                "v1".getBytes(StandardCharsets.UTF_8)), Duration.ofMillis(300));
        assertEquals("v1:a", echo(sleepy.plugin(), "a"));
        sleepy.replace(PluginSpec.sameClassPath("sleepy", TestPlugin.class, "v2".getBytes(StandardCharsets.UTF_8)));
        assertEquals("v2:b", echo(sleepy.plugin(), "b"));
        pids.add(sleepy.pid());
        assertTrue(sleepy.awaitState(PluginState.DORMANT, GUARD), "the new version goes Dormant when idle");
        assertEquals("v2:c", echo(sleepy.plugin(), "c"));
        output.takeAll(Level.INFO, "[sleepy] ");
        logs.takeAll(Level.INFO, "plugin sleepy");
    }

    @Test
    void aCallWhoseDeadlineEndsBeforeThePluginRunsFailsWithDeadlineExceeded() throws Exception {
        PluginHost host = host();
        PluginHandle slow = host.register(PluginSpec.sameClassPath("slow", TestPlugin.class, new byte[0]));
        Plugin hasty = slow.client(c -> new PluginClient(c, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(1))));
        RpcException late = assertThrows(RpcException.class, () -> echo(hasty, "x"));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, late.code());
        assertTrue(late.getMessage().startsWith("plugin slow was not running within 1 ms"), late.getMessage());
        // the start it began goes on, and the plugin runs for the next caller
        assertTrue(slow.awaitState(PluginState.RUNNING, GUARD));
        assertEquals(":y", echo(slow.plugin(), "y"));
        output.takeAll(Level.INFO, "[slow] ");
    }
}
