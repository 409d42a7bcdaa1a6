package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.codec.PostcardReader;
import io.rapace.config.CloseCause;
import io.rapace.config.SegmentGeometry;
import io.rapace.config.SessionConfig;
import io.rapace.config.WakeMode;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.InvalidFrameKind;
import io.rapace.shm.SendTimeoutException;
import io.rapace.testing.ExpectedLogs;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session's cases with two real JVMs, run once per memory backend: ping-pong both ways, millions of frames
 * checked end to end, back-pressure, death by SIGKILL and by SIGSTOP, a hostile peer, and segment creation
 * failures.
 */
abstract class AbstractSessionProcessTest extends ChildProcessTest {
    /** Holds the warnings of invalid frames the hostile children send on purpose; the tests that provoke them expect them. */
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();


    // ------------------------------------------------------------------ ping-pong

    void pingPong(int size, int rounds, long childSpinNanos) throws Exception {
        Echoes echoes = new Echoes();
        Session s = hostWith(config(), echoes, "echo", Long.toString(childSpinNanos));
        assertEquals("peer-main", s.peerHello().peerId());
        assertEquals(lastChild.pid(), s.peerHello().pid());
        int channel = s.openChannel();
        Random random = new Random(size);
        for (int i = 0; i < rounds; i++) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            s.send(channel, 1000 + i, FrameFlags.DATA, ByteBuffer.wrap(payload));
            assertArrayEquals(payload, echoes.next(), "round " + i);
        }
        assertEquals(0, s.invalidFrames().values().stream().mapToLong(Long::longValue).sum());
        s.close();
        assertEquals(CloseCause.LOCAL_CLOSE, s.closeCause());
        assertTrue(lastChild.expect("RESULT sleeps").startsWith("RESULT sleeps "));
        assertTrue(lastChild.process.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, lastChild.process.exitValue());
    }

    @Test
    void pingPongInlinePayloadsFromTheHost() throws Exception {
        pingPong(16, 2_000, 2_000);
    }

    @Test
    void pingPongSlotPayloadsFromTheHost() throws Exception {
        pingPong(3_000, 2_000, 2_000);
    }

    @Test
    void pingPongSplitPayloadsFromTheHost() throws Exception {
        pingPong(100_000, 50, 2_000);
    }

    @Test
    void pingPongFromThePlugin() throws Exception {
        for (int size : new int[] {20, 2_000}) {
            SessionListener echo = (session, frame) -> {
                try {
                    session.send(frame.channelId(), frame.methodId(), frame.flags(), frame.payload());
                } catch (SendTimeoutException e) {
                    throw new IllegalStateException(e);
                }
            };
            hostWith(config(), echo, "pinger", "1000", Integer.toString(size));
            assertEquals("RESULT pinged 1000", lastChild.expect("RESULT"));
            assertTrue(lastChild.process.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /**
     * No lost wake-up: with no spin at all, both readers go to sleep whenever their ring is empty, which in a
     * ping-pong is before nearly every frame; one lost wake-up would hang a round (caught by the guard).
     */
    @Test
    void noWakeUpIsLostWhenEveryReceiveSleeps() throws Exception {
        Echoes echoes = new Echoes();
        SessionConfig noSpin = SessionConfig.builder().spin(Duration.ZERO).adaptiveSpin(Duration.ZERO).build();
        Session s = hostWith(noSpin, echoes, "echo", "0");
        int channel = s.openChannel();
        int rounds = 5_000;
        for (int i = 0; i < rounds; i++) {
            s.send(channel, 1, FrameFlags.DATA, ByteBuffer.wrap(new byte[] {(byte) i}));
            assertEquals((byte) i, echoes.next()[0]);
        }
        long hostSleeps = s.sleeps();
        s.close();
        long childSleeps = Long.parseLong(lastChild.expect("RESULT sleeps").substring("RESULT sleeps ".length()));
        // The sleeping path must be the one exercised; how often a frame arrives before the reader is asleep depends
        // on the scheduler (under load it often does), so a tenth of the rounds is asked, not most of them.
        assertTrue(hostSleeps >= rounds / 10, "host reader slept only " + hostSleeps + " times in " + rounds);
        assertTrue(childSleeps >= rounds / 10, "child reader slept only " + childSleeps + " times in " + rounds);
    }

    @Test
    void spinModeCarriesFramesWithoutSleeping() throws Exception {
        Echoes echoes = new Echoes();
        SessionConfig spin = SessionConfig.builder().wakeMode(WakeMode.SPIN).build();
        Session s = hostWith(spin, echoes, "echo");
        int channel = s.openChannel();
        for (int i = 0; i < 500; i++) {
            s.send(channel, 1, FrameFlags.DATA, ByteBuffer.wrap(new byte[] {(byte) i, 2, 3}));
            assertEquals((byte) i, echoes.next()[0]);
        }
        assertEquals(0, s.sleeps());
        lastChild.process.destroyForcibly();
        assertEquals(CloseCause.END_OF_STREAM, echoes.closed.get(GUARD.toSeconds(), TimeUnit.SECONDS),
                "spin mode still learns of death by end-of-stream");
    }

    // ------------------------------------------------------------------ checksum over millions of frames

    @Test
    void millionsOfFramesArriveInOrderWithoutLossOrDuplicates() throws Exception {
        int count = 2_000_000;
        long seed = 42;
        Random expected = new Random(seed);
        CRC32 crc = new CRC32();
        AtomicLong received = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        CompletableFuture<long[]> trailer = new CompletableFuture<>();
        SessionListener check = (session, frame) -> {
            if (frame.methodId() == 2) {
                try {
                    PostcardReader r = PostcardReader.of(frame.payload());
                    trailer.complete(new long[] {r.readU64(), r.readU64()});
                } catch (Exception e) {
                    trailer.completeExceptionally(e);
                }
                return;
            }
            long n = received.getAndIncrement();
            byte[] want = PeerMain.streamPayload(n, expected);
            byte[] got = frame.payloadBytes();
            if (!Arrays.equals(want, got) && failure.get() == null) {
                long seq = got.length >= 8 ? ByteBuffer.wrap(got).order(ByteOrder.LITTLE_ENDIAN).getLong(0) : -1;
                failure.set("frame " + n + ": expected " + want.length + " bytes with sequence " + n + ", got "
                        + got.length + " bytes with sequence " + seq);
            }
            crc.update(got);
        };
        hostWith(config(), check, "stream", Integer.toString(count), Long.toString(seed));
        long[] t = trailer.get(240, TimeUnit.SECONDS);
        assertEquals(null, failure.get());
        assertEquals(count, t[0]);
        assertEquals(count, received.get());
        assertEquals(t[1], crc.getValue());
        assertEquals("RESULT sent " + count + " " + crc.getValue(), lastChild.expect("RESULT"));
    }

    // ------------------------------------------------------------------ back-pressure

    @Test
    void aFullRingMakesTheHostWaitThenFail() throws Exception {
        Session s = hostWith(SessionConfig.builder().sendTimeout(Duration.ofMillis(50)).build(), new Echoes(),
                "stall");
        int channel = s.openChannel();
        s.send(channel, 1, FrameFlags.DATA, ByteBuffer.wrap(new byte[8]));
        lastChild.expect("STALLED");
        int sent = 0;
        SendTimeoutException e = null;
        while (e == null && sent < 1000) {
            try {
                s.send(channel, 1, FrameFlags.DATA, ByteBuffer.wrap(new byte[8]));
                sent++;
            } catch (SendTimeoutException full) {
                e = full;
            }
        }
        assertNotNull(e);
        assertEquals(64, sent, "the stalled reader took one descriptor; the ring holds 64 more");
        assertEquals("ring A->B is full (64 of 64 descriptors unread) for the whole send timeout: the peer is not "
                + "consuming", e.getMessage());
        assertTrue(s.isOpen(), "back-pressure is not death");
    }

    @Test
    void anExhaustedSlotPoolMakesTheHostWaitThenFail() throws Exception {
        Session s = hostWith(SessionConfig.builder().sendTimeout(Duration.ofMillis(50)).build(), new Echoes(),
                "stall");
        int channel = s.openChannel();
        s.send(channel, 1, FrameFlags.DATA, ByteBuffer.wrap(new byte[100]));
        lastChild.expect("STALLED");
        int sent = 0;
        SendTimeoutException e = null;
        while (e == null && sent < 1000) {
            try {
                s.send(channel, 1, FrameFlags.DATA, ByteBuffer.wrap(new byte[100]));
                sent++;
            } catch (SendTimeoutException exhausted) {
                e = exhausted;
            }
        }
        assertNotNull(e);
        assertEquals(15, sent, "the stalled reader holds one slot; 15 more fit");
        assertEquals("slot pool A->B is exhausted (all 16 slots of 4096 bytes in flight) for the whole send timeout: "
                + "the peer is not freeing slots", e.getMessage());
        s.send(channel, 1, FrameFlags.DATA, ByteBuffer.wrap(new byte[10]));
        assertTrue(s.isOpen());
    }

    /**
     * Memory stays flat under back-pressure: against a stalled consumer, tens of thousands of failed sends (inline
     * and slot payloads) leave the live heap where it was. The bound is 100 bytes per attempt, so anything a failed
     * send kept (a queued copy, a buffer, a record per attempt) would exceed it whatever the JVM's noise.
     */
    @Test
    void memoryStaysFlatUnderBackPressure() throws Exception {
        Session s = hostWith(config(), new Echoes(), "stall");
        int channel = s.openChannel();
        s.send(channel, 1, FrameFlags.DATA, ByteBuffer.wrap(new byte[8]));
        lastChild.expect("STALLED");
        ByteBuffer inline = ByteBuffer.wrap(new byte[8]);
        ByteBuffer slot = ByteBuffer.wrap(new byte[3_000]);
        int failed = attemptAgainstAStalledPeer(s, channel, inline, slot, 2_000); // fills the ring, warms up
        assertEquals(2_000 - 64, failed, "the ring holds 64 descriptors, then every send fails");
        long before = liveHeapBytes();
        int attempts = 40_000;
        assertEquals(attempts, attemptAgainstAStalledPeer(s, channel, inline, slot, attempts));
        long growth = liveHeapBytes() - before;
        assertTrue(growth < attempts * 100L, "the live heap grew by " + growth + " bytes over " + attempts
                + " failed sends");
        assertTrue(s.isOpen(), "back-pressure is not death");
    }

    private static int attemptAgainstAStalledPeer(Session s, int channel, ByteBuffer inline, ByteBuffer slot,
            int attempts) {
        int failed = 0;
        for (int i = 0; i < attempts; i++) {
            ByteBuffer payload = (i & 1) == 0 ? inline : slot;
            try {
                s.send(channel, 1, FrameFlags.DATA, 0, payload.duplicate(), Duration.ZERO);
            } catch (SendTimeoutException full) {
                failed++;
            }
        }
        return failed;
    }

    private static long liveHeapBytes() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    // ------------------------------------------------------------------ death

    @Test
    void sigkillOfThePluginIsReportedAsEndOfStream() throws Exception {
        Echoes echoes = new Echoes();
        hostWith(config(), echoes, "idle");
        lastChild.process.destroyForcibly(); // SIGKILL
        assertEquals(CloseCause.END_OF_STREAM, echoes.closed.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals("the doorbell socket reached end-of-stream: the peer process is gone", echoes.detail.get());
    }

    @Test
    void sigkillOfAWatchedPluginIsReportedAsDeath() throws Exception {
        Echoes echoes = new Echoes();
        Session s = hostWith(config(), echoes, "idle");
        s.watch(lastChild.process.toHandle());
        int channel = s.openChannel();
        lastChild.process.destroyForcibly();
        CloseCause cause = echoes.closed.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        assertTrue(cause == CloseCause.END_OF_STREAM || cause == CloseCause.PROCESS_EXIT, cause.toString());
        assertTrue(cause.isPeerDeath());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> s.send(channel, 1, FrameFlags.DATA, ByteBuffer.wrap(new byte[4])));
        assertTrue(e.getMessage().startsWith("session closed (" + cause + "): "), e.getMessage());
    }

    @Test
    void sigkillOfTheHostIsReportedToThePlugin() throws Exception {
        Child host = spawn("host");
        String[] paths = host.expect("PATHS").split(" ");
        Echoes echoes = new Echoes();
        Session s = Session.connect(Path.of(paths[1]), Path.of(paths[2]), config(), echoes);
        sessions.add(s);
        host.expect("READY");
        assertFalse(Files.exists(Path.of(paths[1])));
        host.process.destroyForcibly();
        assertEquals(CloseCause.END_OF_STREAM, echoes.closed.get(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aStoppedPluginDiesByHeartbeatTimeout() throws Exception {
        Echoes echoes = new Echoes();
        hostWith(config(), echoes, "idle");
        signal("STOP", lastChild.pid());
        try {
            assertEquals(CloseCause.HEARTBEAT_TIMEOUT, echoes.closed.get(GUARD.toSeconds(), TimeUnit.SECONDS));
            assertTrue(echoes.detail.get().startsWith("the peer's last_seen did not change for "),
                    echoes.detail.get());
        } finally {
            signal("CONT", lastChild.pid());
            lastChild.process.destroyForcibly();
        }
    }

    static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
    }

    @Test
    void anOrderlyCloseIsAGoAwayNotADeath() throws Exception {
        Echoes echoes = new Echoes();
        Session s = hostWith(config(), echoes, "idle");
        s.close();
        assertEquals("RESULT closed PEER_GOAWAY", lastChild.expect("RESULT"));
        assertEquals(CloseCause.LOCAL_CLOSE, echoes.closed.get(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void filesOfAHostKilledBeforeThePluginCameAreRemovedAtTheNextStart() throws Exception {
        Child host = spawn("listen-only");
        String[] paths = host.expect("PATHS").split(" ");
        assertTrue(Files.exists(Path.of(paths[1])));
        assertTrue(Files.exists(Path.of(paths[2])));
        host.process.destroyForcibly();
        assertTrue(host.process.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
        Session.listen(config()).close(); // the next host start
        assertFalse(Files.exists(Path.of(paths[1])));
        assertFalse(Files.exists(Path.of(paths[2])));
    }

    // ------------------------------------------------------------------ hostile peer

    @Test
    void aHostilePluginsRandomDescriptorsAreCountedAndDropped() throws Exception {
        Echoes echoes = new Echoes();
        Session s = hostWith(config(), echoes, "hostile", "20000", "7");
        String line = lastChild.expect("RESULT expected");
        byte[] done = echoes.next();
        assertEquals("done", new String(done, StandardCharsets.UTF_8), "the reader still works after the garbage");
        Map<InvalidFrameKind, Long> expected = new EnumMap<>(InvalidFrameKind.class);
        for (String kv : line.substring("RESULT expected ".length()).split(" ")) {
            String[] p = kv.split("=");
            expected.put(InvalidFrameKind.valueOf(p[0]), Long.parseLong(p[1]));
        }
        Map<InvalidFrameKind, Long> counted = s.invalidFrames();
        for (InvalidFrameKind k : List.of(InvalidFrameKind.SLOT_INDEX, InvalidFrameKind.INLINE_PAYLOAD,
                InvalidFrameKind.FLAGS)) {
            assertTrue(expected.get(k) > 0, k.toString());
            assertEquals(expected.get(k), counted.get(k), k + " in " + counted);
        }
        // The hostile writer re-marks slots while the host reads, so an out-of-bounds reference can turn stale
        // before the host sees it: the two kinds are exact only together.
        assertEquals(expected.get(InvalidFrameKind.STALE_GENERATION) + expected.get(InvalidFrameKind.SLOT_BOUNDS),
                counted.get(InvalidFrameKind.STALE_GENERATION) + counted.get(InvalidFrameKind.SLOT_BOUNDS),
                counted.toString());
        assertTrue(counted.get(InvalidFrameKind.SLOT_BOUNDS) > 0, counted.toString());
        assertTrue(counted.get(InvalidFrameKind.STALE_GENERATION) > 0, counted.toString());
        assertTrue(s.isOpen(), "garbage descriptors are dropped, not fatal");
        for (InvalidFrameKind kind : List.of(InvalidFrameKind.SLOT_INDEX, InvalidFrameKind.INLINE_PAYLOAD,
                InvalidFrameKind.FLAGS, InvalidFrameKind.SLOT_BOUNDS, InvalidFrameKind.STALE_GENERATION)) {
            logs.expect(Level.WARNING, "dropped an invalid frame from the peer (" + kind + ":");
            assertEquals(0, logs.takeAll(Level.WARNING, "dropped an invalid frame from the peer (" + kind + ":"),
                    kind + " logged once");
        }
        logs.takeAll(Level.WARNING, "dropped an invalid frame from the peer (CHANNEL:");
        logs.takeAll(Level.WARNING, "dropped an invalid frame from the peer (FREE_LIST:");
        // The hostile child's own warnings (it drops what the host answers on channels it never opened, at any time
        // until the session closes) arrive as LOG lines on its stdout, not on the build's output.
    }

    /**
     * An invalid frame naming a channel fails the call there at once: the host's listener hears onDropped with the
     * kind and code, the plugin gets an ERROR frame with that code on that channel, and the host logs each kind
     * once however many frames of it came (counted on the java.util.logging logger that System.Logger uses here).
     */
    @Test
    void anInvalidFrameFailsTheCallItNamesAtOnceAndIsLoggedOncePerKind() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<String> dropped = new java.util.concurrent.LinkedBlockingQueue<>();
        SessionListener listener = new SessionListener() {
            @Override
            public void onFrame(Session session, io.rapace.shm.Frame frame) {
            }

            @Override
            public void onDropped(Session session, int channelId, InvalidFrameKind kind, int errorCode) {
                dropped.add(channelId + " " + kind + " " + errorCode);
            }
        };
        Session s = hostWith(config(), listener, "invalid");
        int channel = Integer.parseInt(lastChild.expect("CHANNEL").substring("CHANNEL ".length()));
        assertEquals(0, channel % 2, "PeerB opens even channels");
        List<String> expected = List.of(channel + " SLOT_INDEX 102", channel + " SLOT_INDEX 102",
                channel + " STALE_GENERATION 103", channel + " STALE_GENERATION 103", channel + " CHECKSUM 14");
        for (String e : expected) {
            assertEquals(e, dropped.poll(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
        for (int code : new int[] {102, 102, 103, 103, 14}) {
            assertEquals("ERROR " + channel + " " + code, lastChild.expect("ERROR"));
        }
        assertEquals(2L, s.invalidFrames().get(InvalidFrameKind.SLOT_INDEX));
        assertEquals(2L, s.invalidFrames().get(InvalidFrameKind.STALE_GENERATION));
        assertTrue(s.isOpen(), "an invalid frame is dropped, not fatal");
        assertEquals(1L, s.invalidFrames().get(InvalidFrameKind.CHECKSUM)); // its call fails with DATA_LOSS (14)
        logs.expect(Level.WARNING, "dropped an invalid frame from the peer (CHECKSUM:");
        for (InvalidFrameKind kind : List.of(InvalidFrameKind.SLOT_INDEX, InvalidFrameKind.STALE_GENERATION)) {
            logs.expect(Level.WARNING, "dropped an invalid frame from the peer (" + kind + ":");
            assertEquals(0, logs.takeAll(Level.WARNING, "dropped an invalid frame from the peer (" + kind + ":"),
                    kind + " logged once for two frames");
        }
    }

    // ------------------------------------------------------------------ creation

    @Test
    void aFullDevShmIsAClearErrorNamingTheSizeNeeded() throws Exception {
        // ulimit -f 64 caps files at 65536 bytes: the preallocating write fails like ENOSPC on a full tmpfs.
        Child c = spawn(List.of("bash", "-c", "ulimit -f 64 && exec \"$0\" \"$@\""), "create", "64", "16", "4096");
        String line = c.expect("RESULT");
        assertTrue(line.matches("RESULT cannot preallocate segment /dev/shm/rapace-" + c.pid() + "-[0-9a-f]{32}: it "
                + "needs 140608 bytes \\(ring_capacity=64, slot_count=16, slot_size=4096\\) but only 65536 could be "
                + "written \\(.*\\); is /dev/shm full\\? Free space there or choose a smaller geometry"), line);
        assertTrue(c.process.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void theDefaultGeometryFitsUnderTheSameLimitWhenSmaller() throws Exception {
        Child c = spawn(List.of("bash", "-c", "ulimit -f 64 && exec \"$0\" \"$@\""), "create", "16", "4", "1024");
        assertEquals("RESULT created", c.expect("RESULT"));
        assertTrue(new SegmentGeometry(16, 4, 1024).segmentSize() <= 65536);
    }
}
