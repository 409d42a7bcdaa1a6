package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.SegmentGeometry;
import io.rapace.config.SessionConfig;
import io.rapace.plugin.api.HostEvent;
import io.rapace.plugin.api.PluginClient;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back-pressure at the edges ({@code docs/reliability.md}): a plugin that stops reading, one that floods its host, one
 * that never answers, a 20 MB configuration and absurd geometry through the public builders each end in the error
 * the documentation names, the host and a plugin beside them go on working, and nothing is left.
 */
class BackPressureEdgesProcessTest {
    private final HostsUnderTest hosts = new HostsUnderTest();

    @TempDir
    Path stats;

    @AfterEach
    void nothingLeft() throws IOException {
        hosts.closeAndCheck();
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> hosts.pids.stream()
                    .anyMatch(pid -> n.startsWith("rapace-" + pid + "-"))
                    || n.startsWith("rapace-" + ProcessHandle.current().pid() + "-")).toList());
        }
    }

    private static PluginSpec spec(String id) {
        return PluginSpec.sameClassPath(id, TestPlugin.class, id.getBytes(StandardCharsets.UTF_8));
    }

    private static String call(PluginHost.PluginHandle plugin, String operation, String data, Duration timeout) {
        PluginClient client = plugin.client(ch -> new PluginClient(ch, CallOptions.DEFAULT.withTimeout(timeout)));
        return new String(client.process(new ProcessRequest(1, operation, data.getBytes(StandardCharsets.UTF_8)))
                .result(), StandardCharsets.UTF_8);
    }

    /**
     * A subscriber that reads nothing is dropped once 10,000 events wait for it in the host (beyond those its stream's
     * credit let through); publishing never blocks on it.
     */
    @Test
    void aPluginThatStopsReadingIsDroppedAndNeitherTheHostNorItsNeighbourWaits() throws Exception {
        PluginHost host = hosts.build(hosts.builder(stats));
        PluginHost.PluginHandle stalled = host.launch(spec("stalled"));
        PluginHost.PluginHandle neighbour = host.launch(spec("neighbour"));
        CompletableFuture<String> stall = CompletableFuture.supplyAsync(
                () -> call(stalled, "stall-events", "", Duration.ofSeconds(60)));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (host.events().subscribers() == 0 && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        assertEquals(1, host.events().subscribers());
        // the events the stream's credit lets through wait in the plugin; the rest queue in the host, up to the limit
        // publishing must not wait for the stalled reader: the guard only catches a hang
        int published = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int n = 0;
            while (host.events().subscribers() > 0 && n < 20 * HostEventBus.MAX_QUEUED) {
                host.events().publish(new HostEvent.ConfigUpdated("k", Integer.toString(n++)));
            }
            return n;
        }, "publishing waited for the stalled reader");
        assertEquals(0, host.events().subscribers(), "the subscriber that reads nothing was not dropped after "
                + published + " events");
        assertTrue(published > HostEventBus.MAX_QUEUED, "dropped after " + published + " events");
        assertEquals("neighbour:hi", call(neighbour, "echo", "hi", Duration.ofSeconds(30)));
        assertEquals("stalled:hi", call(stalled, "echo", "hi", Duration.ofSeconds(30))); // its other calls go on
        assertFalse(stall.isDone());
    }

    /** Calls beyond the plugin's rate fail RESOURCE_EXHAUSTED and are counted; the host answers its neighbour. */
    @Test
    void aPluginThatFloodsItsHostIsRefusedBeyondItsLimitAndTheNeighbourIsServed() throws Exception {
        PluginLimits limits = new PluginLimits(SegmentGeometry.DEFAULT, PluginLimits.DEFAULT.maxMessageSize(),
                PluginLimits.DEFAULT.maxCallsInFlight(), 500, Duration.ofSeconds(30));
        PluginHost host = hosts.build(hosts.builder(stats).limits(limits));
        PluginHost.PluginHandle flood = host.launch(spec("flood"));
        PluginHost.PluginHandle neighbour = host.launch(spec("neighbour"));
        CompletableFuture<String> flooding = CompletableFuture.supplyAsync(
                () -> call(flood, "flood", "1500", Duration.ofSeconds(60)));
        Thread.sleep(300);
        // the neighbour's limit is its own: it is answered while the flood goes on
        assertEquals("neighbour:during", call(neighbour, "echo", "during", Duration.ofSeconds(30)));
        String outcome = flooding.get(60, TimeUnit.SECONDS);
        assertTrue(outcome.matches("answered [0-9]+, refused [1-9][0-9]*"), outcome);
        assertTrue(flood.rejectedCalls() > 0, "the host did not count the refused calls");
        assertEquals("flood:after", call(flood, "echo", "after", Duration.ofSeconds(30)));
    }

    /** The host's call timeout cuts off a handler that never answers; the plugin serves the next call. */
    @Test
    void aPluginThatNeverAnswersIsCutOffAtTheCallTimeout() throws Exception {
        PluginLimits limits = new PluginLimits(SegmentGeometry.DEFAULT, PluginLimits.DEFAULT.maxMessageSize(),
                PluginLimits.DEFAULT.maxCallsInFlight(), 0, Duration.ofMillis(300));
        PluginHost host = hosts.build(hosts.builder(stats).limits(limits));
        PluginHost.PluginHandle mute = host.launch(spec("mute"));
        RpcException e = assertThrows(RpcException.class, () -> mute.plugin().process(
                new ProcessRequest(1, "hang", new byte[0])));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code(), e.toString());
        assertEquals("mute:next", new String(mute.plugin().process(new ProcessRequest(2, "echo",
                "next".getBytes(StandardCharsets.UTF_8))).result(), StandardCharsets.UTF_8));
    }

    /** A configuration beyond the message size fails the start, naming both sizes; nothing of the start is left. */
    @Test
    void aTwentyMegabyteConfigurationFailsTheStartNamingTheLimit() throws Exception {
        PluginHost host = hosts.build(hosts.builder(stats).restartPolicy(RestartPolicy.never()));
        byte[] config = new byte[20 * 1024 * 1024];
        IOException e = assertThrows(IOException.class, () -> host.launch(
                PluginSpec.sameClassPath("big", TestPlugin.class, config)));
        String message = e.getMessage() + " / " + e.getCause();
        assertTrue(message.contains("big"), message);
        assertTrue(message.contains("RESOURCE_EXHAUSTED") || message.contains("16777216"), message);
        assertEquals(PluginState.CRASHED, host.plugin("big").orElseThrow().state());
    }

    /** Geometry no segment can have is refused where it is built, naming the field and the allowed range. */
    @Test
    void absurdGeometryIsRefusedByThePublicBuildersNamingTheField() {
        IllegalArgumentException capacity = assertThrows(IllegalArgumentException.class,
                () -> new SegmentGeometry(3, 16, 4096));
        assertTrue(capacity.getMessage().contains("ring_capacity"), capacity.getMessage());
        IllegalArgumentException slots = assertThrows(IllegalArgumentException.class,
                () -> new SegmentGeometry(64, 0, 4096));
        assertTrue(slots.getMessage().contains("slot_count"), slots.getMessage());
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> new SegmentGeometry(1 << 20, 1 << 20, 1 << 20));
        assertEquals("slot_count 1048576 is not in [1, 65536]", huge.getMessage());
        IllegalArgumentException message = assertThrows(IllegalArgumentException.class,
                () -> SessionConfig.builder().maxMessageSize(-1));
        assertTrue(message.getMessage().contains("-1"), message.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PluginLimits(SegmentGeometry.DEFAULT, 0, 1, 0,
                Duration.ofSeconds(1)));
    }
}
