package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.testing.ExpectedLogs;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacing a running plugin by a new version under continuous load, with real processes: no call fails, a call in
 * flight on the old version completes there, new calls reach the new version, the old process is gone afterwards,
 * and listeners see no state change of the plugin. Waits are bounded guards; the latency printed is a figure for the
 * docs, never asserted.
 */
class PluginReplaceProcessTest {
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
        return hosts.build(hosts.builder(dir));
    }

    private static PluginSpec spec(String config) {
        return PluginSpec.sameClassPath("swap", TestPlugin.class, config.getBytes(StandardCharsets.UTF_8));
    }

    private static String call(Plugin plugin, String operation, String data) {
        return new String(plugin.process(new ProcessRequest(1, operation, data.getBytes(StandardCharsets.UTF_8)))
                .result(), StandardCharsets.UTF_8);
    }

    @Test
    void noCallFailsWhileARunningPluginIsReplaced() throws Exception {
        PluginHost host = host();
        PluginHandle swap = host.launch(spec("v1"));
        long oldPid = swap.pid();
        pids.add(oldPid);
        Plugin plugin = swap.plugin();
        assertEquals("v1:x", call(plugin, "echo", "x"));
        List<String> before = List.copyOf(transitions);

        AtomicBoolean loading = new AtomicBoolean(true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> answers = new CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread caller = new Thread(() -> {
                while (loading.get()) {
                    long start = System.nanoTime();
                    try {
                        answers.add(call(plugin, "echo", "load"));
                        latencies.add(System.nanoTime() - start);
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
            caller.start();
            callers.add(caller);
        }
        Thread.sleep(200); // load before the replace
        // a call in flight on the old version when it is replaced completes there
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> call(plugin, "slow", "500"));
        Thread.sleep(100);
        int callsBefore;
        synchronized (latencies) {
            callsBefore = latencies.size();
        }
        long replaceStart = System.nanoTime();
        swap.replace(spec("v2"));
        long replaceNanos = System.nanoTime() - replaceStart;
        List<Long> during;
        synchronized (latencies) { // the callers still add to it
            during = new ArrayList<>(latencies.subList(callsBefore, latencies.size()));
        }
        Thread.sleep(200); // load after the replace
        loading.set(false);
        for (Thread caller : callers) {
            caller.join(GUARD.toMillis());
        }

        assertEquals(List.of(), failures, "no call failed during the replace");
        assertEquals("v1:500", inFlight.get(GUARD.toSeconds(), TimeUnit.SECONDS), "answered by the old version");
        assertEquals("v2:load", answers.get(answers.size() - 1));
        assertEquals("v2:y", call(plugin, "echo", "y"), "new calls reach the new version");
        assertEquals(PluginState.RUNNING, swap.state());
        assertNotEquals(oldPid, swap.pid());
        pids.add(swap.pid());
        assertTrue(ProcessHandle.of(oldPid).map(p -> p.onExit().completeOnTimeout(p, GUARD.toSeconds(),
                TimeUnit.SECONDS).join()).map(p -> !p.isAlive()).orElse(true), "the old process is gone");
        assertEquals(before, transitions, "listeners see the plugin running throughout");
        Collections.sort(during);
        System.out.printf("replace took %.1f ms; %d calls completed during it, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                replaceNanos / 1e6, during.size(), during.get(during.size() / 2) / 1e6,
                during.get((int) Math.min(during.size() - 1, Math.ceil(during.size() * 0.99) - 1)) / 1e6,
                during.get(during.size() - 1) / 1e6);
        logs.takeAll(Level.INFO, "plugin swap");
        output.takeAll(Level.INFO, "[swap] ");
    }

    @Test
    void aReplacementThatDoesNotStartLeavesTheRunningVersion() throws Exception {
        PluginHost host = host();
        PluginHandle swap = host.launch(spec("v1"));
        pids.add(swap.pid());
        long pid = swap.pid();
        IOException failed = assertThrows(IOException.class, () -> swap.replace(spec("fail-init")));
        assertTrue(failed.getMessage().startsWith("plugin swap was not replaced: its new version did not start: "
                + "plugin swap failed to initialise: "), failed.getMessage());
        assertEquals(PluginState.RUNNING, swap.state());
        assertEquals(pid, swap.pid());
        assertEquals("v1:z", call(swap.plugin(), "echo", "z"));
        assertThrows(IllegalArgumentException.class, () -> swap.replace(PluginSpec.sameClassPath("other",
                TestPlugin.class, new byte[0])));
        host.shutdown("swap");
        assertEquals("plugin swap is Stopped; only a running plugin can be replaced",
                assertThrows(IllegalStateException.class, () -> swap.replace(spec("v2"))).getMessage());
        logs.takeAll(Level.WARNING, "plugin swap (replaced)");
        logs.takeAll(Level.WARNING, "plugin swap");
        output.takeAll(Level.INFO, "[swap] ");
        output.takeAll(Level.WARNING, "[swap] ");
    }
}
