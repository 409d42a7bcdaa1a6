package io.rapace.samples.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.testing.ExpectedLogs;
import io.rapace.testing.Leftovers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo with its host in this JVM under a JFR recording of the two rapace event types: every state change of both
 * plugins is a {@code io.rapace.plugin.PluginStateChange}, and the calls both ways (the host's to the plugin, the
 * plugin's nested calls to the host) are {@code io.rapace.plugin.PluginCall}s with the plugin's id, the method's name
 * and its code, the crashed call among them with PEER_DIED (100).
 */
class PluginHostDemoJfrProcessTest {
    private static final String STATE_CHANGE = "io.rapace.plugin.PluginStateChange";
    private static final String CALL = "io.rapace.plugin.PluginCall";

    @TempDir
    Path dir;

    /** The host library's warning about the demo's deliberate crash of transform, which the test expects. */
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    /** A call as the test compares it. */
    record Call(String pluginId, String method, int code) {
    }

    @Test
    void stateChangesAndCallsAreJfrEvents() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Path file = dir.resolve("demo.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(STATE_CHANGE);
            recording.enable(CALL);
            recording.start();
            try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                new PluginHostDemo(out).run();
            }
            recording.stop();
            recording.dump(file);
        }
        Transcript transcript = new Transcript(output.toString(StandardCharsets.UTF_8));
        logs.expect(Level.WARNING, "plugin transform: Running -> Crashed");
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();

        assertEquals(List.of("Starting->Connected", "Connected->Initializing", "Initializing->Running",
                "Running->ShuttingDown", "ShuttingDown->Stopped"), changes(events, "analytics"));
        assertEquals(List.of("Starting->Connected", "Connected->Initializing", "Initializing->Running",
                "Running->Crashed", "Crashed->Starting", "Starting->Connected", "Connected->Initializing",
                "Initializing->Running", "Running->ShuttingDown", "ShuttingDown->Stopped"),
                changes(events, "transform"));
        List<Long> connectedPids = events.stream()
                .filter(e -> e.getEventType().getName().equals(STATE_CHANGE))
                .filter(e -> e.getString("pluginId").equals("transform") && e.getString("to").equals("Connected"))
                .map(e -> e.getLong("pid")).toList();
        assertEquals(2, connectedPids.size());
        assertTrue(connectedPids.get(0) > 0 && connectedPids.get(1) > 0, connectedPids.toString());
        assertNotEquals(connectedPids.get(0), connectedPids.get(1));
        assertEquals(transcript.transitions("transform").get(5).pid(), connectedPids.get(1));

        Set<Call> calls = new HashSet<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals(CALL)) {
                calls.add(new Call(e.getString("pluginId"), e.getString("method"), e.getInt("code")));
                assertTrue(e.getLong("latency") > 0, e.toString());
            }
        }
        Set<Call> expected = Set.of(
                new Call("analytics", "initialize", 0),
                new Call("analytics", "process", 0),
                new Call("analytics", "Logger.log", 0),
                new Call("analytics", "Storage.get", 0),
                new Call("analytics", "Storage.set", 0),
                new Call("analytics", "shutdown", 0),
                new Call("transform", "initialize", 0),
                new Call("transform", "process", 0),
                new Call("transform", "process", 100), // the crash: PEER_DIED
                new Call("transform", "Storage.get", 0),
                new Call("transform", "Storage.set", 0),
                new Call("transform", "shutdown", 0));
        assertTrue(calls.containsAll(expected), "missing " + expected.stream().filter(c -> !calls.contains(c))
                .collect(Collectors.toList()) + " among " + calls);

        Leftovers.assertNothingLeft(transcript.pids());
    }

    private static List<String> changes(List<RecordedEvent> events, String pluginId) {
        return events.stream()
                .filter(e -> e.getEventType().getName().equals(STATE_CHANGE))
                .filter(e -> e.getString("pluginId").equals(pluginId))
                .map(e -> e.getString("from") + "->" + e.getString("to"))
                .toList();
    }
}
