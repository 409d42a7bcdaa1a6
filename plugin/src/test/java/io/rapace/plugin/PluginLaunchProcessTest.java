package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.SessionConfig;
import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.PluginClient;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.api.ProcessResponse;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.shm.Segment;
import io.rapace.testing.ExpectedLogs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launches that fail, closes that interrupt them, and what a host keeps afterwards, with real processes and real
 * files in /dev/shm: nothing of a launch is left in any order of launch, failure, close and JVM exit; a launch whose
 * process exits first fails at once (the connect timeout is a day here) with one sentence; a plugin without a
 * session answers calls with UNAVAILABLE; stopped plugins can be removed; every listener event has a {@code from}.
 * Waits are bounded guards, never speed targets.
 */
class PluginLaunchProcessTest {
    /** The host's warnings about the crashes and failures these tests provoke; each test expects its own. */
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    /** What the plugins print, which the host logs under {@code rapace.plugin.<id>}. */
    @RegisterExtension
    final ExpectedLogs output = new ExpectedLogs("rapace.plugin");

    private static final Duration GUARD = Duration.ofSeconds(60);
    private static final Duration NEVER = Duration.ofDays(1);

    @TempDir
    Path dir;

    private final List<PluginHost> hosts = new ArrayList<>();
    private final List<Long> pids = new CopyOnWriteArrayList<>();
    private final List<String> transitions = new CopyOnWriteArrayList<>();

    @AfterEach
    void nothingLeft() throws Exception {
        for (PluginHost host : hosts) {
            host.close();
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.onExit().completeOnTimeout(p, GUARD.toSeconds(), TimeUnit.SECONDS).join();
                assertFalse(p.isAlive(), "process " + pid + " still runs");
            });
        }
        assertEquals(List.of(), filesOf(ProcessHandle.current().pid()), "files of this JVM left in /dev/shm");
    }

    /** The names in /dev/shm of files created by process {@code pid} ({@code rapace-<pid>-...}). */
    private static List<String> filesOf(long pid) throws IOException {
        try (Stream<Path> files = Files.list(Segment.DEFAULT_DIRECTORY)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("rapace-" + pid + "-"))
                    .toList();
        }
    }

    private static void assertGone(RecordingPlugin.Record record) {
        assertTrue(record.segment().startsWith(Segment.DEFAULT_DIRECTORY), record.toString());
        for (Path file : record.files()) {
            assertFalse(Files.exists(file), file + " is left behind");
        }
    }

    private PluginHost host(PluginHost.Builder builder) throws IOException {
        PluginHost host = builder.statDirectory(dir).shutdownHook(false)
                .listener((id, from, to, pid, detail) -> {
                    transitions.add(id + " " + from.displayName() + "->" + to.displayName());
                    if (pid > 0) {
                        pids.add(pid);
                    }
                })
                .build();
        hosts.add(host);
        return host;
    }

    // ------------------------------------------------------------------ item: nothing left, failing fast

    @Test
    void aPluginThatExitsBeforeConnectingFailsTheLaunchAtOnceAndLeavesNothing() throws Exception {
        PluginHost host = host(PluginHost.builder().connectTimeout(NEVER));
        Path rec = dir.resolve("exit1.rec");
        IOException e = assertTimeoutPreemptively(GUARD, () -> assertThrows(IOException.class,
                () -> host.launch(RecordingPlugin.spec("exit1", rec, "exit 1"))));
        assertEquals("plugin exit1 exited with status 1 before it connected (its output is in the log "
                + "rapace.plugin.exit1)", e.getMessage());
        // the cause chain keeps the session's side (its exception type is internal to the runtime)
        assertEquals("io.rapace.session.SessionException", e.getCause().getClass().getName());
        RecordingPlugin.Record record = RecordingPlugin.await(rec, GUARD);
        pids.add(record.pid());
        assertGone(record); // exit, then (below) close
        PluginHandle handle = host.plugin("exit1").orElseThrow();
        assertEquals(PluginState.CRASHED, handle.state());
        assertEquals(e.getMessage(), handle.detail());
        host.close();
        assertGone(record);
        assertEquals(List.of("exit1 Starting->Crashed"), transitions);
        logs.expect(Level.WARNING, "plugin exit1: Starting -> Crashed");
        logs.expect(Level.WARNING, "plugin exit1: plugin failed (");
    }

    @Test
    void closingTheHostWhileAPluginHasNotConnectedEndsTheLaunchAndLeavesNothing() throws Exception {
        PluginHost host = host(PluginHost.builder().connectTimeout(NEVER));
        Path rec = dir.resolve("slow.rec");
        CompletableFuture<PluginHandle> launch = CompletableFuture.supplyAsync(() -> {
            try {
                return host.launch(RecordingPlugin.spec("slow", rec, "exec sleep 600"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        RecordingPlugin.Record record = RecordingPlugin.await(rec, GUARD);
        pids.add(record.pid());
        for (Path file : record.files()) {
            assertTrue(Files.exists(file), file + " exists while the plugin has not connected");
        }
        PluginHandle slow = host.plugin("slow").orElseThrow();
        assertEquals(PluginState.STARTING, slow.state());
        assertTimeoutPreemptively(GUARD, host::close); // not the day-long connect timeout
        assertGone(record);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> launch.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals("plugin slow was shut down before it connected", failed.getCause().getCause().getMessage());
        assertEquals(PluginState.STOPPED, slow.state());
        assertFalse(ProcessHandle.of(record.pid()).map(ProcessHandle::isAlive).orElse(false), "sleeper ended");
    }

    @Test
    void shuttingDownOnePluginThatHasNotConnectedLeavesNothing() throws Exception {
        PluginHost host = host(PluginHost.builder().connectTimeout(NEVER));
        Path rec = dir.resolve("slow2.rec");
        CompletableFuture<Throwable> launch = CompletableFuture.supplyAsync(() -> {
            try {
                host.launch(RecordingPlugin.spec("slow2", rec, "exec sleep 600"));
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        RecordingPlugin.Record record = RecordingPlugin.await(rec, GUARD);
        pids.add(record.pid());
        assertTimeoutPreemptively(GUARD, () -> host.shutdown("slow2"));
        assertGone(record);
        assertEquals("plugin slow2 was shut down before it connected",
                launch.get(GUARD.toSeconds(), TimeUnit.SECONDS).getMessage());
        assertEquals(PluginState.STOPPED, host.plugin("slow2").orElseThrow().state());
    }

    @Test
    void aHostJvmThatExitsDuringALaunchLeavesNothingWithItsShutdownHook() throws Exception {
        hostJvmExitsDuringALaunch("hook");
    }

    @Test
    void aHostJvmThatExitsDuringALaunchLeavesNoFilesEvenWithoutItsShutdownHook() throws Exception {
        hostJvmExitsDuringALaunch("nohook");
    }

    private void hostJvmExitsDuringALaunch(String hook) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LaunchAndExitMain.class.getName(), dir.toString(), hook)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        pids.add(child.pid());
        List<String> out = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.add(line);
            }
        }
        assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "the host JVM exited");
        assertEquals(List.of("FAILED plugin quick exited with status 1 before it connected (its output is in the log "
                + "rapace.plugin.quick)", "READY"), out);
        RecordingPlugin.Record quick = RecordingPlugin.await(dir.resolve("quick.rec"), GUARD);
        RecordingPlugin.Record slow = RecordingPlugin.await(dir.resolve("slow.rec"), GUARD);
        if (hook.equals("hook")) {
            // the hook closed the host, which stopped the plugin that had not connected
            ProcessHandle.of(slow.pid()).ifPresent(p -> p.onExit().completeOnTimeout(p, GUARD.toSeconds(),
                    TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(slow.pid()).map(ProcessHandle::isAlive).orElse(false));
        } else {
            // without the hook nobody stops a process that never connected: this test started it, and ends it
            ProcessHandle.of(slow.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        pids.add(slow.pid());
        assertGone(quick);
        assertGone(slow);
        assertEquals(List.of(), filesOf(child.pid()), "files of the exited host JVM left in /dev/shm");
    }

    // ------------------------------------------------------------------ item: messages

    @Test
    void launchFailuresAreOneSentenceEach() throws Exception {
        PluginHost host = host(PluginHost.builder().connectTimeout(NEVER));
        IOException noProgram = assertThrows(IOException.class, () -> host.launch(new PluginSpec("noprog",
                PluginCommand.of(List.of("/nonexistent/rapace-plugin")), new byte[0])));
        // the rest is the JDK's own wording, which differs between JDK 17 and 25
        assertTrue(noProgram.getMessage().startsWith("cannot start plugin noprog: Cannot run program "
                + "\"/nonexistent/rapace-plugin\": "), noProgram.getMessage());
        assertTrue(noProgram.getMessage().contains("No such file or directory"), noProgram.getMessage());
        IOException noClass = assertThrows(IOException.class, () -> host.launch(PluginSpec.java("noclass",
                "io.rapace.plugin.NoSuchPlugin", List.of(dir), new byte[0])));
        assertEquals("plugin noclass exited with status 1 before it connected (its output is in the log "
                + "rapace.plugin.noclass)", noClass.getMessage());
        PluginHost impatient = host(PluginHost.builder().connectTimeout(Duration.ofMillis(300)));
        Path rec = dir.resolve("late.rec");
        IOException late = assertThrows(IOException.class,
                () -> impatient.launch(RecordingPlugin.spec("late", rec, "exec sleep 600")));
        pids.add(RecordingPlugin.await(rec, GUARD).pid());
        assertEquals("plugin late did not connect within 300 ms", late.getMessage());
        assertTrue(late.getCause().getMessage().startsWith("no plugin connected to /dev/shm/rapace-"),
                late.getCause().getMessage());
        assertGone(RecordingPlugin.await(rec, GUARD));
        assertEquals(PluginState.CRASHED, impatient.plugin("late").orElseThrow().state());
        assertEquals(late.getMessage(), impatient.plugin("late").orElseThrow().detail());
        logs.expect(Level.WARNING, "plugin noprog: Starting -> Crashed");
        logs.expect(Level.WARNING, "plugin noclass: Starting -> Crashed");
        logs.expect(Level.WARNING, "plugin noclass: plugin failed (");
        logs.expect(Level.WARNING, "plugin late: Starting -> Crashed");
        logs.expect(Level.WARNING, "plugin late: plugin failed (");
        output.expect(Level.WARNING, "[noclass] Error: Could not find or load main class io.rapace.plugin.NoSuchPlugin");
        output.takeAll(Level.WARNING, "[noclass] ");
    }

    // ------------------------------------------------------------------ item: a client across restarts

    /** A call made while the plugin restarts waits for the new incarnation and is answered by it. */
    @Test
    void aCallMadeWhileThePluginRestartsIsAnsweredByTheNewIncarnation() throws Exception {
        PluginHost host = host(PluginHost.builder().restartPolicy(RestartPolicy.onFailure(Duration.ofMillis(300), 2,
                Duration.ofSeconds(1), 3, Duration.ofMinutes(1))));
        PluginHandle delta = host.launch(PluginSpec.sameClassPath("delta", TestPlugin.class, new byte[0]));
        Plugin client = delta.plugin();
        long firstPid = delta.pid();
        assertEquals(ErrorCode.PEER_DIED, assertThrows(RpcException.class,
                () -> client.process(new ProcessRequest(1, "crash", new byte[0]))).code());
        // made while the plugin is Crashed and its restart is due: it waits, then the new process answers
        assertTrue(delta.awaitState(PluginState.CRASHED, GUARD));
        ProcessResponse answer = client.process(new ProcessRequest(2, "echo", "x".getBytes(StandardCharsets.UTF_8)));
        assertEquals(":x", new String(answer.result(), StandardCharsets.UTF_8));
        assertEquals(PluginState.RUNNING, delta.state());
        assertNotEquals(firstPid, delta.pid());
        logs.expect(Level.WARNING, "plugin delta: Running -> Crashed");
        logs.takeAll(Level.INFO, "plugin delta: restarting in ");
    }

    /**
     * While a restart is due a call waits within its deadline and fails with DEADLINE_EXCEEDED past it; once the
     * plugin stays down (stopped, or crashed under a policy that gave up) a call fails at once with UNAVAILABLE.
     */
    @Test
    void aCallWaitsForARestartWithinItsDeadlineAndFailsAtOnceOnceThePluginStaysDown() throws Exception {
        // crashed and waiting out a long back-off before its restart
        PluginHost host = host(PluginHost.builder().restartPolicy(RestartPolicy.onFailure(Duration.ofMinutes(10), 2,
                Duration.ofMinutes(10), 3, Duration.ofMinutes(1))));
        PluginHandle gamma = host.launch(PluginSpec.sameClassPath("gamma", TestPlugin.class, new byte[0]));
        Plugin client = gamma.plugin();
        RpcException died = assertThrows(RpcException.class,
                () -> client.process(new ProcessRequest(1, "crash", new byte[0])));
        assertEquals(ErrorCode.PEER_DIED, died.code());
        assertTrue(gamma.awaitState(PluginState.CRASHED, GUARD));
        Plugin patient = gamma.client(c -> new PluginClient(c, CallOptions.DEFAULT.withTimeout(
                Duration.ofMillis(300))));
        long start = System.nanoTime();
        RpcException late = assertThrows(RpcException.class,
                () -> patient.process(new ProcessRequest(2, "echo", new byte[0])));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, late.code());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(250).toNanos(), "it waited for the restart");
        assertTrue(late.getMessage().startsWith("plugin gamma was not running within 300 ms (it is Crashed: "),
                late.getMessage());
        // stopped: the due restart is off, and a call fails at once
        host.shutdown("gamma");
        RpcException unavailable = assertThrows(RpcException.class,
                () -> client.process(new ProcessRequest(3, "echo", new byte[0])));
        assertEquals(ErrorCode.UNAVAILABLE, unavailable.code());
        assertTrue(unavailable.getMessage().startsWith("plugin gamma is Crashed and will not be restarted ("),
                unavailable.getMessage());
        assertSame(client, gamma.plugin(), "one client across the plugin's life");
        // a plugin whose launch failed, under a policy that never restarts, has no session either
        PluginHost never = host(PluginHost.builder());
        IOException failed = assertThrows(IOException.class, () -> never.launch(RecordingPlugin.spec("exit2",
                dir.resolve("exit2.rec"), "exit 2")));
        pids.add(RecordingPlugin.await(dir.resolve("exit2.rec"), GUARD).pid());
        assertTrue(failed.getMessage().startsWith("plugin exit2 exited with status 2"), failed.getMessage());
        RpcException alsoUnavailable = assertThrows(RpcException.class, () -> never.plugin("exit2").orElseThrow()
                .plugin().process(new ProcessRequest(4, "echo", new byte[0])));
        assertEquals(ErrorCode.UNAVAILABLE, alsoUnavailable.code());
        logs.expect(Level.WARNING, "plugin gamma: Running -> Crashed");
        logs.expect(Level.WARNING, "plugin exit2: Starting -> Crashed");
    }

    // ------------------------------------------------------------------ item: removing stopped plugins

    @Test
    void stoppedAndCrashedPluginsCanBeRemovedAndRunningOnesCannot() throws Exception {
        PluginHost host = host(PluginHost.builder().connectTimeout(NEVER));
        for (int i = 0; i < 40; i++) {
            String id = "brief-" + i;
            Path rec = dir.resolve(id + ".rec");
            assertThrows(IOException.class, () -> host.launch(RecordingPlugin.spec(id, rec, "exit 0")));
            pids.add(RecordingPlugin.await(rec, GUARD).pid());
            assertEquals(1, host.plugins().size());
            host.remove(id);
            assertEquals(0, host.plugins().size());
            assertTrue(host.plugin(id).isEmpty());
        }
        PluginHandle live = host.launch(PluginSpec.sameClassPath("live", TestPlugin.class, new byte[0]));
        IllegalStateException running = assertThrows(IllegalStateException.class, () -> host.remove("live"));
        assertEquals("plugin live is Running; shut it down before removing it", running.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> host.remove("nope"));
        assertEquals("no plugin nope on this host", unknown.getMessage());
        host.shutdown("live");
        assertEquals(PluginState.STOPPED, live.state());
        assertEquals(List.of(live), host.plugins());
        host.remove("live");
        assertEquals(List.of(), host.plugins());
        // the id is free again
        PluginHandle again = host.launch(PluginSpec.sameClassPath("live", TestPlugin.class, new byte[0]));
        assertEquals(List.of(again), host.plugins());
        // each short-lived plugin was reported as a crash before it connected
        for (int i = 0; i < 40; i++) {
            logs.expect(Level.WARNING, "plugin brief-" + i + ": Starting -> Crashed");
        }
        logs.takeAll(Level.WARNING, ": plugin failed (plugin brief-");
    }

    @Test
    void removingACrashedPluginCancelsItsPendingRestart() throws Exception {
        PluginHost host = host(PluginHost.builder().restartPolicy(RestartPolicy.onFailure(Duration.ofMillis(300), 2,
                Duration.ofSeconds(1), 3, Duration.ofMinutes(1))));
        PluginHandle delta = host.launch(PluginSpec.sameClassPath("delta", TestPlugin.class, new byte[0]));
        assertThrows(RpcException.class, () -> delta.plugin().process(new ProcessRequest(1, "crash", new byte[0])));
        assertTrue(delta.awaitState(PluginState.CRASHED, GUARD));
        host.remove("delta");
        Thread.sleep(1_000); // past the back-off: no restart may come
        assertEquals(PluginState.CRASHED, delta.state());
        assertEquals(0, delta.metrics().restarts());
        assertEquals(List.of(), host.plugins());
        logs.expect(Level.WARNING, "plugin delta: Running -> Crashed");
    }

    // ------------------------------------------------------------------ item: every event has a from

    @Test
    void everyListenerEventHasAFromStateStartingFirst() throws Exception {
        PluginHost host = host(PluginHost.builder().restartPolicy(RestartPolicy.onFailure(Duration.ofMillis(20), 2,
                Duration.ofSeconds(1), 3, Duration.ofMinutes(1))));
        PluginHandle eta = host.launch(PluginSpec.sameClassPath("eta", TestPlugin.class, new byte[0]));
        assertThrows(RpcException.class, () -> eta.plugin().process(new ProcessRequest(1, "crash", new byte[0])));
        long until = System.nanoTime() + GUARD.toNanos();
        while (transitions.stream().filter(t -> t.endsWith("->Running")).count() < 2 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        host.shutdown("eta");
        assertEquals(List.of("eta Starting->Connected", "eta Connected->Initializing", "eta Initializing->Running",
                "eta Running->Crashed", "eta Crashed->Starting", "eta Starting->Connected",
                "eta Connected->Initializing", "eta Initializing->Running", "eta Running->ShuttingDown",
                "eta ShuttingDown->Stopped"), transitions);
        logs.expect(Level.WARNING, "plugin eta: Running -> Crashed");
    }

    // ------------------------------------------------------------------ item: no /dev/shm

    @Test
    void aMissingSegmentDirectoryFailsTheHostsFirstUseWithOneSentence() {
        Path missing = dir.resolve("no-shm");
        IOException sessions = assertThrows(IOException.class, () -> PluginHost.builder().statDirectory(null)
                .shutdownHook(false).sessionConfig(SessionConfig.builder().directory(missing).build()).build());
        assertEquals("shared-memory directory " + missing + " does not exist: rapace creates its files there "
                + "(/dev/shm by default, which Linux has and macOS does not); set -Drapace.shm.dir=<dir> or "
                + "SessionConfig.Builder.directory to a directory on a memory-backed file system",
                sessions.getMessage());
        IOException stat = assertThrows(IOException.class, () -> PluginHost.builder().statDirectory(missing)
                .shutdownHook(false).build());
        assertEquals("shared-memory directory " + missing + " does not exist: rapace creates its files there "
                + "(/dev/shm by default, which Linux has and macOS does not); set -Drapace.shm.dir=<dir> or "
                + "PluginHost.Builder.statDirectory to a directory on a memory-backed file system",
                stat.getMessage());
    }

    @Test
    void theSystemPropertyPointsTheHostsFilesAtAnotherDirectory() throws Exception {
        String before = System.getProperty(Segment.DIRECTORY_PROPERTY);
        Path missing = dir.resolve("elsewhere");
        PluginHost.Builder builder;
        try {
            System.setProperty(Segment.DIRECTORY_PROPERTY, missing.toString());
            builder = PluginHost.builder().shutdownHook(false);
        } finally {
            if (before == null) {
                System.clearProperty(Segment.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(Segment.DIRECTORY_PROPERTY, before);
            }
        }
        IOException e = assertThrows(IOException.class, builder::build);
        assertTrue(e.getMessage().startsWith("shared-memory directory " + missing + " does not exist: "),
                e.getMessage());
        Files.createDirectory(missing);
        try (PluginHost host = builder.build()) {
            assertEquals(missing.resolve("rapace-stat-" + ProcessHandle.current().pid()),
                    host.statFile().orElseThrow());
        }
    }
}
