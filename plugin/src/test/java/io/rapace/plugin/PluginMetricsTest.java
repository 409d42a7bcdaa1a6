package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.plugin.stat.StatRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginMetricsTest {

    @Test
    void countsCallsErrorsBytesRestartsAndState() {
        PluginMetrics metrics = new PluginMetrics("analytics");
        assertEquals(PluginState.STARTING, metrics.state());
        assertEquals(PluginState.STARTING, metrics.changeState(PluginState.CONNECTED, 4711));
        assertEquals(PluginState.CONNECTED, metrics.changeState(PluginState.RUNNING, 4711));
        metrics.recordCall("process", 1_000, 0, 100, 10);
        metrics.recordCall("process", 3_000, 0, 200, 20);
        metrics.recordCall("Storage.get", 100_000, 13, 0, 5);
        metrics.recordBytes(7, 3);
        metrics.recordRestart();

        PluginMetrics.Snapshot snapshot = metrics.snapshot();
        assertEquals(new PluginMetrics.Snapshot("analytics", PluginState.RUNNING, 4711, 3, 1, 307, 38, 1, 4095,
                100_000, 100_000, 0), snapshot);
        assertEquals(new StatRow("analytics", "Running", 4711, 3, 1, 307, 38, 4095, 100_000, 1, 5_000_000, 1 << 20,
                1234), snapshot.toStatRow(5_000_000, 1 << 20, 1234));
        // The median, 3000 ns, lies in [2048, 4095]; the smallest, 1000 ns, in [512, 1023].
        assertEquals(1023, metrics.latencyPercentileNanos(1));
    }

    @Test
    void countsFromManyThreadsWithoutLosingAny() throws InterruptedException {
        PluginMetrics metrics = new PluginMetrics("busy");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    metrics.recordCall("process", i, i % 10 == 0 ? 12 : 0, 1, 2);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        PluginMetrics.Snapshot snapshot = metrics.snapshot();
        assertEquals(40_000, snapshot.calls());
        assertEquals(4_000, snapshot.errors());
        assertEquals(40_000, snapshot.bytesIn());
        assertEquals(80_000, snapshot.bytesOut());
        assertEquals(9_999, snapshot.maxNanos());
    }

    @Test
    void emitsJfrEventsForCallsAndStateChanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plugin.jfr");
        PluginMetrics metrics = new PluginMetrics("jfr-test");
        try (Recording recording = new Recording()) {
            recording.enable("io.rapace.plugin.PluginCall");
            recording.enable("io.rapace.plugin.PluginStateChange");
            recording.start();
            metrics.changeState(PluginState.STARTING, -1); // no change: no event
            metrics.changeState(PluginState.CONNECTED, 42);
            metrics.recordCall("process", 1_500, 0, 10, 20);
            metrics.recordCall("Storage.get", 2_500, 4, 1, 2);
            metrics.changeState(PluginState.CRASHED, -1);
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> "jfr-test".equals(e.getString("pluginId")))
                .collect(Collectors.toList());

        List<String> calls = new ArrayList<>();
        List<String> states = new ArrayList<>();
        for (RecordedEvent e : events) {
            switch (e.getEventType().getName()) {
                case "io.rapace.plugin.PluginCall":
                    calls.add(e.getString("method") + " " + e.getLong("latency") + " " + e.getInt("code") + " "
                            + e.getLong("bytesIn") + " " + e.getLong("bytesOut"));
                    break;
                case "io.rapace.plugin.PluginStateChange":
                    states.add("'" + e.getString("from") + "' -> " + e.getString("to") + " " + e.getLong("pid"));
                    break;
                default:
                    throw new AssertionError(e.getEventType().getName());
            }
        }
        assertEquals(List.of("process 1500 0 10 20", "Storage.get 2500 4 1 2"), calls);
        assertEquals(List.of("'Starting' -> Connected 42", "'Connected' -> Crashed -1"), states);
        assertEquals(List.of("rapace", "Plugin"), events.get(0).getEventType().getCategoryNames());
    }
}
