package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.SessionConfig;
import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.api.HostEvent;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.api.ProcessResponse;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.testing.ExpectedLogs;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link PluginHost} in this JVM with {@link TestPlugin} processes: launch and states, host services through nested
 * calls, crashes and restarts, a frozen plugin, a hung handler, limits, graceful shutdown, discovery. After each test
 * no plugin process is alive and nothing of this JVM's or a plugin's is left in /dev/shm. Waits are bounded guards,
 * never speed targets.
 */
class PluginHostProcessTest {
    /** The host's warnings about the crashes and failures these tests provoke; each test expects its own. */
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    /** What the plugins print, which the host logs under {@code rapace.plugin.<id>}. */
    @RegisterExtension
    final ExpectedLogs output = new ExpectedLogs("rapace.plugin");

    private static final Duration GUARD = Duration.ofSeconds(60);

    @TempDir
    Path statDir;

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
                boolean gone = p.onExit().completeOnTimeout(null, GUARD.toSeconds(), TimeUnit.SECONDS).join() == null
                        ? !p.isAlive() : true;
                assertTrue(gone, "plugin process " + pid + " still runs");
            });
        }
        List<String> left = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("rapace-" + ProcessHandle.current().pid() + "-")
                            || pids.stream().anyMatch(pid -> n.startsWith("rapace-" + pid + "-")))
                    .forEach(left::add);
        }
        assertEquals(List.of(), left, "files left in /dev/shm");
    }

    private PluginHost host(PluginHost.Builder builder) throws IOException {
        PluginHost host = builder.statDirectory(statDir).shutdownHook(false)
                .listener((id, from, to, pid, detail) -> {
                    transitions.add(id + " " + to.displayName());
                    if (pid > 0) {
                        pids.add(pid);
                    }
                })
                .build();
        hosts.add(host);
        return host;
    }

    private static PluginSpec spec(String id, String config) {
        return PluginSpec.sameClassPath(id, TestPlugin.class, config.getBytes(StandardCharsets.UTF_8));
    }

    private static String call(PluginHandle plugin, String operation, String data) {
        ProcessResponse response = plugin.plugin().process(new ProcessRequest(7, operation,
                data.getBytes(StandardCharsets.UTF_8)));
        assertEquals(7, response.requestId());
        return new String(response.result(), StandardCharsets.UTF_8);
    }

    @Test
    void launchInitialiseProcessWithNestedCallsAndShutDown() throws Exception {
        PluginHost host = host(PluginHost.builder());
        PluginHandle alpha = host.launch(spec("alpha", "cfg-a"));
        assertEquals(PluginState.RUNNING, alpha.state());
        assertEquals("cfg-a:x", call(alpha, "echo", "x"));
        assertEquals("+", call(alpha, "work", "counter"));
        assertEquals("++", call(alpha, "work", "counter"));
        assertEquals("++", new String(host.storage().get("counter").orElseThrow(), StandardCharsets.UTF_8));
        List<String> said = output.messages(Level.INFO);
        assertTrue(said.contains("[alpha] initialised with cfg-a"), said.toString());
        assertTrue(said.contains("[alpha] Processing started 7"), said.toString());
        PluginMetrics.Snapshot metrics = alpha.metrics();
        assertTrue(metrics.calls() >= 8, metrics.toString()); // initialize, 3 process, logs, gets, sets
        assertEquals(0, metrics.errors());
        assertTrue(metrics.bytesIn() > 0 && metrics.bytesOut() > 0, metrics.toString());
        assertTrue(alpha.cpuTimeNanos() > 0);
        assertTrue(alpha.residentBytes() > 1 << 20);
        long pid = alpha.pid();
        host.shutdown("alpha");
        assertEquals(PluginState.STOPPED, alpha.state());
        assertTrue(alpha.detail().startsWith("acknowledged shutdown, exited with status 0"), alpha.detail());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(List.of("alpha Connected", "alpha Initializing", "alpha Running", "alpha ShuttingDown",
                "alpha Stopped"), transitions);
    }

    @Test
    void aCrashedPluginIsRestartedWithANewProcess() throws Exception {
        PluginHost host = host(PluginHost.builder().restartPolicy(RestartPolicy.onFailure(Duration.ofMillis(50), 2,
                Duration.ofSeconds(1), 3, Duration.ofMinutes(1))));
        PluginHandle beta = host.launch(spec("beta", "b"));
        long before = Long.parseLong(call(beta, "pid", ""));
        assertEquals(before, beta.pid());
        RpcException e = assertThrows(RpcException.class, () -> call(beta, "crash", ""));
        assertEquals(ErrorCode.PEER_DIED, e.code());
        long until = System.nanoTime() + GUARD.toNanos();
        while (!transitions.contains("beta Crashed") && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertTrue(beta.awaitState(PluginState.RUNNING, GUARD));
        long after = Long.parseLong(call(beta, "pid", ""));
        assertNotEquals(before, after);
        assertEquals(1, beta.metrics().restarts());
        assertTrue(transitions.contains("beta Crashed"), transitions.toString());
        assertEquals("b:again", call(beta, "echo", "again"));
        logs.expect(Level.WARNING, "plugin beta: Running -> Crashed");
    }

    @Test
    void withoutARestartPolicyACrashedPluginStaysCrashed() throws Exception {
        PluginHost host = host(PluginHost.builder());
        PluginHandle gamma = host.launch(spec("gamma", "g"));
        assertThrows(RpcException.class, () -> call(gamma, "crash", ""));
        assertTrue(gamma.awaitState(PluginState.CRASHED, GUARD));
        assertTrue(gamma.detail().contains("status 42"), gamma.detail());
        RpcException e = assertThrows(RpcException.class, () -> call(gamma, "echo", "x"));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        logs.expect(Level.WARNING, "plugin gamma: Running -> Crashed");
        logs.expect(Level.WARNING, "plugin gamma: plugin failed (");
    }

    @Test
    void aFrozenPluginIsCrashedAfterTheHeartbeatTimeout() throws Exception {
        PluginHost host = host(PluginHost.builder().sessionConfig(SessionConfig.builder()
                .heartbeatInterval(Duration.ofMillis(50)).peerTimeout(Duration.ofMillis(500)).build()));
        PluginHandle delta = host.launch(spec("delta", "d"));
        long pid = delta.pid();
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start();
        assertEquals(0, stop.waitFor());
        assertTrue(delta.awaitState(PluginState.CRASHED, GUARD));
        assertTrue(delta.detail().contains("no heartbeat"), delta.detail());
        // the frozen process was killed, not left stopped
        assertTrue(ProcessHandle.of(pid).map(p -> p.onExit().completeOnTimeout(p, GUARD.toSeconds(),
                TimeUnit.SECONDS).join().isAlive()).orElse(false) == false);
        logs.expect(Level.WARNING, "plugin delta: Running -> Crashed");
        logs.expect(Level.WARNING, "plugin delta: plugin failed (");
    }

    @Test
    void aHungHandlerIsCutOffByItsDeadline() throws Exception {
        PluginHost host = host(PluginHost.builder().limits(PluginLimits.DEFAULT.withCallTimeout(
                Duration.ofMillis(300))));
        PluginHandle eps = host.launch(spec("eps", "e"));
        RpcException e = assertThrows(RpcException.class, () -> call(eps, "hang", ""));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        assertEquals("e:still", call(eps, "echo", "still"));
        assertEquals(PluginState.RUNNING, eps.state());
        // the call's end reaches the metrics from the thread that ended it, which may be after the caller returned
        long until = System.nanoTime() + GUARD.toNanos();
        while (eps.metrics().errors() == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(1, eps.metrics().errors());
    }

    @Test
    void limitsGiveResourceExhaustedAndACounter() throws Exception {
        PluginHost host = host(PluginHost.builder().limits(PluginLimits.DEFAULT.withMaxCallsInFlight(1)
                .withCallTimeout(Duration.ofSeconds(2))));
        PluginHandle zeta = host.launch(spec("zeta", "z"));
        CompletableFuture<String> hanging = CompletableFuture.supplyAsync(() -> {
            try {
                return call(zeta, "hang", "");
            } catch (RpcException e) {
                return e.code().toString();
            }
        });
        long until = System.nanoTime() + GUARD.toNanos();
        while (zeta.session().orElseThrow().callsInFlight() == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        RpcException refused = assertThrows(RpcException.class, () -> call(zeta, "echo", "x"));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, refused.code());
        assertTrue(refused.getMessage().contains("calls in flight"), refused.getMessage());
        assertTrue(zeta.rejectedCalls() >= 1);
        assertEquals("DEADLINE_EXCEEDED", hanging.get(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void callsPerSecondMessageSizeAndStorageLimitsGiveResourceExhausted() throws Exception {
        PluginHost host = host(PluginHost.builder().storageLimit(10_000).limits(PluginLimits.DEFAULT
                .withMaxCallsPerSecond(5).withMaxMessageSize(16 * 1024)
                .withGeometry(new io.rapace.config.SegmentGeometry(16, 4, 1024))));
        PluginHandle iota = host.launch(spec("iota", "i"));
        // a message over 16 KiB, whichever side would send it
        RpcException tooLarge = assertThrows(RpcException.class, () -> call(iota, "echo", "x".repeat(20_000)));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, tooLarge.code());
        assertTrue(tooLarge.getMessage().contains("maximum message size"), tooLarge.getMessage());
        // split across the small slots, but under the maximum: fine
        assertEquals("i:" + "y".repeat(8_000), call(iota, "echo", "y".repeat(8_000)));
        // more than 5 calls a second
        RpcException tooFast = null;
        for (int i = 0; i < 20 && tooFast == null; i++) {
            try {
                call(iota, "echo", "z");
            } catch (RpcException e) {
                tooFast = e;
            }
        }
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, tooFast.code());
        assertTrue(tooFast.getMessage().contains("calls per second"), tooFast.getMessage());
        assertTrue(iota.rejectedCalls() >= 2, "rejected " + iota.rejectedCalls());
        Thread.sleep(1_100); // the rate refills
        RpcException full = assertThrows(RpcException.class, () -> call(iota, "store", "s".repeat(12_000)));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, full.code());
        assertTrue(full.getMessage().contains("host storage is full"), full.getMessage());
        assertEquals(0, host.storage().bytes());
    }

    @Test
    void aMaximumMessageSizeRaisedOnTheHostHoldsInThePluginToo() throws Exception {
        // the plugin's session takes the host's limit (--rapace-max-message-size): over 16 MiB, both ways
        PluginHost host = host(PluginHost.builder().limits(PluginLimits.DEFAULT.withMaxMessageSize(24 << 20)
                .withGeometry(new io.rapace.config.SegmentGeometry(64, 16, 64 * 1024))));
        PluginHandle big = host.launch(spec("big", "b"));
        String data = "x".repeat((16 << 20) + 4096);
        String answer = call(big, "echo", data);
        assertEquals(2 + data.length(), answer.length());
        assertTrue(answer.startsWith("b:xxx"));
        assertTrue(big.metrics().bytesOut() > 16 << 20 && big.metrics().bytesIn() > 16 << 20,
                big.metrics().toString());
    }

    @Test
    void aPluginThatNeitherAcknowledgesNorExitsIsTerminatedThenKilled() throws Exception {
        PluginHost host = host(PluginHost.builder().shutdownTimeout(Duration.ofMillis(500)));
        PluginHandle kappa = host.launch(spec("kappa", "stubborn"));
        long pid = kappa.pid();
        host.shutdown("kappa");
        assertEquals(PluginState.STOPPED, kappa.state());
        assertTrue(kappa.detail().startsWith("shutdown not acknowledged (DEADLINE_EXCEEDED"), kappa.detail());
        assertTrue(kappa.detail().endsWith("terminated (status 137)"), kappa.detail());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aPluginThatEndsWithStatusZeroIsStoppedNotRestarted() throws Exception {
        PluginHost host = host(PluginHost.builder().restartPolicy(RestartPolicy.onFailure()));
        PluginHandle lambda = host.launch(spec("lambda", "l"));
        assertThrows(RpcException.class, () -> call(lambda, "exit0", ""));
        assertTrue(lambda.awaitState(PluginState.STOPPED, GUARD));
        assertTrue(lambda.detail().contains("ended on its own"), lambda.detail());
        Thread.sleep(300);
        assertEquals(PluginState.STOPPED, lambda.state());
        assertEquals(0, lambda.metrics().restarts());
    }

    @Test
    void periodicJfrEventsCarryEachPluginsFigures(@TempDir Path dir) throws Exception {
        Path dump = dir.resolve("stats.jfr");
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
            // at the start and the end of every chunk: deterministic (the end comes with stop()), where a timed
            // period depends on when JFR's periodic thread runs
            recording.enable("io.rapace.plugin.PluginStats").with("period", "everyChunk");
            recording.start();
            PluginHost host = host(PluginHost.builder());
            PluginHandle mu = host.launch(spec("mu", "m"));
            assertEquals("m:1", call(mu, "echo", "1"));
            recording.stop();
            recording.dump(dump);
        }
        List<jdk.jfr.consumer.RecordedEvent> stats = jdk.jfr.consumer.RecordingFile.readAllEvents(dump).stream()
                .filter(e -> e.getEventType().getName().equals("io.rapace.plugin.PluginStats"))
                .filter(e -> e.getString("pluginId").equals("mu")).toList();
        assertFalse(stats.isEmpty(), "no PluginStats event for mu");
        jdk.jfr.consumer.RecordedEvent last = stats.get(stats.size() - 1);
        assertEquals("Running", last.getString("state"));
        assertTrue(last.getLong("calls") >= 2, last.toString());
        assertTrue(last.getLong("residentBytes") > 1 << 20, last.toString());
        assertTrue(last.getLong("pid") > 0, last.toString());
    }

    @Test
    void eventsReachSubscribedPlugins() throws Exception {
        PluginHost host = host(PluginHost.builder());
        PluginHandle eta = host.launch(spec("eta", "h"));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> call(eta, "events", ""));
        long until = System.nanoTime() + GUARD.toNanos();
        while (host.events().subscribers() == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        host.events().publish(new HostEvent.ConfigUpdated("mode", "fast"));
        assertEquals("ConfigUpdated", first.get(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aFailedInitialisationIsACrash() throws Exception {
        PluginHost host = host(PluginHost.builder());
        IOException e = assertThrows(IOException.class, () -> host.launch(spec("theta", "fail-init")));
        assertTrue(e.getMessage().contains("told to fail its initialisation"), e.getMessage());
        PluginHandle theta = host.plugin("theta").orElseThrow();
        assertTrue(theta.awaitState(PluginState.CRASHED, GUARD));
        logs.expect(Level.WARNING, "plugin theta: Initializing -> Crashed");
        logs.expect(Level.WARNING, "plugin theta: plugin failed (");
    }

    @Test
    void closeStopsEveryPluginAndRemovesTheStatFile() throws Exception {
        PluginHost host = host(PluginHost.builder());
        PluginHandle one = host.launch(spec("one", "1"));
        PluginHandle two = host.launch(spec("two", "2"));
        Path stat = host.statFile().orElseThrow();
        assertTrue(Files.exists(stat));
        host.close();
        assertEquals(PluginState.STOPPED, one.state());
        assertEquals(PluginState.STOPPED, two.state());
        assertFalse(Files.exists(stat));
        assertThrows(IllegalStateException.class, () -> host.launch(spec("three", "3")));
    }

    @Test
    void pluginsAreDiscoveredFromADirectoryOfJars(@TempDir Path dir) throws Exception {
        PluginHost host = host(PluginHost.builder());
        Path classes = Path.of(TestPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // The jar names the test plugin; its own class path comes from Class-Path so it finds the runtime too.
        writePluginJar(dir.resolve("disc.jar"), "disc", TestPlugin.class.getName(), classes);
        PluginHost.DiscoveryResult result = host.loadDirectory(dir);
        assertEquals(List.of(), result.problems());
        assertEquals(1, result.launched().size());
        PluginHandle disc = result.launched().get(0);
        assertEquals(":ok", call(disc, "echo", "ok"));
        assertEquals(List.of(), host.loadDirectory(dir).launched(), "nothing new on a second look");
        Files.writeString(dir.resolve("broken.jar"), "not a jar");
        writePluginJar(dir.resolve("later.jar"), "later", TestPlugin.class.getName(), classes);
        PluginHost.DiscoveryResult again = host.loadDirectory(dir);
        assertEquals(List.of("later"), again.launched().stream().map(PluginHandle::id).toList());
        assertEquals(1, again.problems().size(), again.problems().toString());
        assertTrue(again.problems().get(0).contains("broken.jar"), again.problems().toString());
        logs.expect(Level.WARNING, "broken.jar: not a readable jar");
    }

    /**
     * A newer jar for a running plugin's id is picked up on request: the plugin is replaced by it (and the calls of a
     * client made before go on to the new version); nothing newer, nothing replaced.
     */
    @Test
    void aNewerJarInTheDirectoryReplacesTheRunningPluginOnRequest(@TempDir Path dir) throws Exception {
        PluginHost host = host(PluginHost.builder());
        Path classes = Path.of(TestPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path v1 = dir.resolve("disc-1.jar");
        writePluginJar(v1, "disc", TestPlugin.class.getName(), classes);
        Files.setLastModifiedTime(v1, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        PluginHandle disc = host.loadDirectory(dir).launched().get(0);
        long firstPid = disc.pid();
        assertEquals(":ok", call(disc, "echo", "ok"));
        assertEquals(List.of(), host.replaceFromDirectory(dir, ReplaceOptions.DEFAULT).launched(),
                "nothing newer yet");

        writePluginJar(dir.resolve("disc-2.jar"), "disc", TestPluginV2.class.getName(), classes);
        PluginHost.DiscoveryResult replaced = host.replaceFromDirectory(dir, ReplaceOptions.DEFAULT);
        assertEquals(List.of(), replaced.problems());
        assertEquals(List.of(disc), replaced.launched());
        assertEquals("v2:ok", call(disc, "echo", "ok"), "the same handle reaches the new version");
        assertTrue(disc.pid() != firstPid);
        assertEquals(List.of(), host.replaceFromDirectory(dir, ReplaceOptions.DEFAULT).launched(),
                "the newest jar already runs");
        logs.takeAll(Level.WARNING, "plugin discovery: ");
    }

    /** A jar whose manifest names the plugin and whose Class-Path is this test's whole class path. */
    static void writePluginJar(Path jar, String id, String mainClass, Path classes) throws IOException {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes a = manifest.getMainAttributes();
        a.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(PluginDiscovery.ID_ATTRIBUTE, id);
        a.putValue(PluginDiscovery.MAIN_CLASS_ATTRIBUTE, mainClass);
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            classPath.append(p.toUri()).append(' ');
        }
        a.put(java.util.jar.Attributes.Name.CLASS_PATH, classPath.toString().trim());
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar),
                manifest)) {
            out.flush();
        }
        assertTrue(Files.exists(classes));
    }
}
