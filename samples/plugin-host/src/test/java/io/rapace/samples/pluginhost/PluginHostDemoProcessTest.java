package io.rapace.samples.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.codec.Postcard;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.testing.Leftovers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a user runs it: its own JVM on this class path, starting its plugins as further JVMs. Checks its
 * transcript (registry, state changes in order, nested calls answered, the crash and the restart with a new pid,
 * ordered shutdown), its exit status, and that none of its processes or /dev/shm files outlive it.
 */
class PluginHostDemoProcessTest {
    /** The seed's listing of the service registry (its "Service Registry" section). */
    static final String SEED_REGISTRY = """
            Service: rapace.HostServices v1.0
              - Logger.log (1000): Unary
              - Storage.get (1001): Unary
              - Storage.set (1002): Unary
              - Events.subscribe (1003): ServerStreaming

            Service: rapace.Plugin v1.0
              - initialize (2000): Unary
              - process (2001): Unary
              - shutdown (2002): Unary
            """;

    static final List<String> ANALYTICS_STATES = List.of("Connected", "Initializing", "Running", "ShuttingDown",
            "Stopped");
    static final List<String> TRANSFORM_STATES = List.of("Connected", "Initializing", "Running", "Crashed",
            "Starting", "Connected", "Initializing", "Running", "ShuttingDown", "Stopped");

    @TempDir
    Path dir;

    @Test
    void theDemoRunsEndToEndAndLeavesNothingBehind() throws Exception {
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PluginHostDemo.class.getName())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        demo.getOutputStream().close();
        boolean ended = demo.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            demo.destroyForcibly().waitFor(); // our child; its plugins leave once their host is gone
        }
        Transcript transcript = new Transcript(Files.readString(stdout, StandardCharsets.UTF_8));
        String errors = Files.readString(stderr, StandardCharsets.UTF_8);
        assertTrue(ended, "the demo did not end within 90 s:\n" + transcript + errors);
        assertEquals(0, demo.exitValue(), transcript + errors);

        List<String> lines = transcript.lines();
        assertEquals("=== Rapace Plugin Host Example ===", lines.get(0));
        assertEquals("=== Done ===", lines.get(lines.size() - 1));
        assertTrue(transcript.toString().contains("\n\n" + SEED_REGISTRY + "\n"), transcript.toString());
        int registryBytes = 0;
        for (ServiceDescriptor service : ServiceRegistry.discover().services()) {
            registryBytes += Postcard.encode(ServiceDescriptor.CODEC, service).length;
        }
        assertEquals("Service registry: " + registryBytes + " bytes (2 service descriptors with their types, postcard)",
                lines.get(2));

        assertEquals(ANALYTICS_STATES, transcript.states("analytics"), transcript.toString());
        assertEquals(TRANSFORM_STATES, transcript.states("transform"), transcript.toString());
        List<Transcript.Transition> transform = transcript.transitions("transform");
        long oldPid = Long.parseLong(transcript.group(Pattern.compile(
                "\\[Host] Plugin transform runs as pid (\\d+); asking it to crash"), 1));
        assertEquals(oldPid, transform.get(2).pid()); // Running
        assertEquals(new Transcript.Transition("transform", "Running", "Crashed", oldPid, true), transform.get(3));
        assertEquals(new Transcript.Transition("transform", "Crashed", "Starting", oldPid, true), transform.get(4));
        long newPid = transform.get(5).pid(); // Connected again
        assertNotEquals(oldPid, newPid);
        assertEquals(newPid, transform.get(7).pid()); // Running again
        assertTrue(lines.contains("[Host] Plugin transform restarted by its policy: pid " + oldPid + " -> " + newPid
                + " (restarts: 1, old process alive: false)"), transcript.toString());

        transcript.assertLinesInOrder(
                "=== Loading plugin: analytics ===",
                "[Host] Creating session for plugin: analytics",
                "[Host] Initializing plugin: analytics",
                "[Host/Logger] [analytics] [Info] Initialized with config: window=60s",
                "[Host] Plugin analytics serves rapace.Plugin v1.0 (3 methods, introspected over its session)",
                "=== Loading plugin: transform ===",
                "[Host] Creating session for plugin: transform",
                "[Host] Initializing plugin: transform",
                "=== Processing ===",
                // the nested calls of request 1, answered while the host waits for its response
                "[Host] Sending process request to analytics: req_id=1, operation=count, 36 bytes",
                "[Host/Logger] [analytics] [Info] Processing started",
                "[Host/Storage] Plugin analytics GET cache_key: None",
                "[Host/Storage] Plugin analytics SET cache_key: 8 bytes",
                "[Host/Logger] [analytics] [Info] Processing finished: counted 3, total 3",
                "[Host] Plugin analytics process response: req_id=1, success=true, 8 bytes (total 3)",
                "[Host] Plugin transform process response: req_id=2, success=true, 13 bytes (\"HELLO PLUGINS\")",
                "[Host/Storage] Plugin analytics GET cache_key: Some(8 bytes)",
                "[Host] Plugin analytics process response: req_id=3, success=true, 8 bytes (total 4)",
                "[Host/Logger] [analytics] [Info] Host event: ConfigUpdated(sampling_rate = 0.5)",
                "=== Crash and restart: transform ===",
                "[Host/Logger] [transform] [Warn] Crashing on purpose: Runtime.halt(42)",
                "[Host/Storage] Plugin transform GET last_transform: Some(13 bytes)",
                "[Host] Plugin transform process response: req_id=5, success=true, 33 bytes "
                        + "(\"HELLO PLUGINS | AFTER THE RESTART\")",
                "=== Metrics ===",
                "=== Shutting down ===",
                "[Host] Shutting down plugin: analytics",
                "[Host/Logger] [analytics] [Info] Shutting down after 2 requests",
                "[Host] Shutting down plugin: transform",
                "[Host/Logger] [transform] [Info] Shutting down",
                "=== Done ===");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[Host] Plugin transform process failed: req_id=4, "
                + "PEER_DIED: ")), transcript.toString());
        assertTrue(lines.contains("[Host/Logger] [analytics] [Info] Host event: PluginUnloaded(transform)"),
                transcript.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[Host] transform: ShuttingDown -> Stopped \\(pid "
                + newPid + ", exited\\): acknowledged shutdown, exited with status 0")), transcript.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[Host] transform: Running, pid " + newPid
                + ", \\d+ calls, [1-9]\\d* errors, .* 1 restarts, CPU .*, RSS .*")), transcript.toString());

        Leftovers.assertNothingLeft(transcript.pids());
    }
}
