package io.rapace.shm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.codec.PostcardReader;
import io.rapace.config.Limits;
import io.rapace.config.SegmentGeometry;
import io.rapace.testing.ExpectedLogs;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared-memory transport's cases, run once per memory backend: PeerA and PeerB are two mappings of one segment
 * in this JVM (the two-process cases live in {@code io.rapace.session}).
 */
abstract class AbstractShmTransportTest implements MemoryBackendTest {
    /** The transport logs the first invalid frame of each kind and each violation; the tests that forge them expect it. */
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    private final List<Segment> segments = new ArrayList<>();
    private final AtomicInteger rangB = new AtomicInteger();
    private final AtomicInteger rangA = new AtomicInteger();
    Segment segA;
    Segment segB;
    ShmTransport a;
    ShmTransport b;

    /** What a handler saw. */
    record Received(long msgId, int channelId, int methodId, int flags, int creditGrant, byte[] payload) {
    }

    static final class Collector implements FrameHandler {
        final List<Received> frames = new ArrayList<>();
        final List<InvalidFrameKind> dropped = new ArrayList<>();
        String violation;

        @Override
        public void onFrame(Frame f) {
            frames.add(new Received(f.msgId(), f.channelId(), f.methodId(), f.flags(), f.creditGrant(),
                    f.payloadBytes()));
        }

        @Override
        public void onDropped(int channelId, long msgId, InvalidFrameKind kind) {
            dropped.add(kind);
        }

        @Override
        public void onProtocolViolation(String message) {
            violation = message;
        }
    }

    @BeforeEach
    void selectBackend() {
        useBackend();
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (Segment s : segments) {
            s.close();
            s.unlink();
        }
        MemoryBackendTest.restoreDefault();
        assertEquals(List.of(), ShmFiles.leftByThisProcess());
    }

    void open(SegmentGeometry g, int maxMessageSize) throws IOException {
        segA = track(Segment.create(Segment.DEFAULT_DIRECTORY, g));
        segB = track(Segment.attach(segA.path()));
        segA.unlink();
        a = ShmTransport.open(segA, PeerRole.PEER_A, maxMessageSize, rangB::incrementAndGet);
        b = ShmTransport.open(segB, PeerRole.PEER_B, maxMessageSize, rangA::incrementAndGet);
    }

    void open() throws IOException {
        open(SegmentGeometry.DEFAULT, Limits.DEFAULT_MAX_MESSAGE_SIZE);
    }

    private Segment track(Segment s) {
        segments.add(s);
        return s;
    }

    static ByteBuffer bytes(int n, int seed) {
        byte[] out = new byte[n];
        new Random(seed).nextBytes(out);
        return ByteBuffer.wrap(out);
    }

    static List<Received> drain(ShmTransport t, Collector c) {
        while (t.poll(c, 1000) > 0) {
            // keep polling
        }
        return c.frames;
    }

    // ------------------------------------------------------------------ segments

    @Test
    void runsOnTheBackendItNames() throws IOException {
        open();
        assertEquals(backend(), segA.backend());
        assertEquals(backend(), segB.backend());
    }

    @Test
    void createsAPrivateFileWithAnUnguessableName() throws IOException {
        Segment s = track(Segment.create(Segment.DEFAULT_DIRECTORY, SegmentGeometry.DEFAULT));
        String name = s.path().getFileName().toString();
        assertTrue(name.matches("rapace-" + ProcessHandle.current().pid() + "-[0-9a-f]{32}"), name);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.path())));
        assertEquals(SegmentGeometry.DEFAULT_SEGMENT_SIZE, Files.size(s.path()));
        s.unlink();
        assertFalse(Files.exists(s.path()));
    }

    @Test
    void attachReadsTheGeometryTheCreatorChose() throws IOException {
        open(new SegmentGeometry(8, 3, 128), 1 << 20);
        assertEquals(new SegmentGeometry(8, 3, 128), segB.geometry());
    }

    @Test
    void attachRejectsAWrongMagic() throws IOException {
        Path p = writeHeader(0x4141414141414141L, SegmentHeader.VERSION, 64, 16, 4096, 140_608);
        SegmentException e = assertThrows(SegmentException.class, () -> Segment.attach(p));
        assertEquals("segment file " + p + " has magic \"AAAAAAAA\" but a rapace segment has \"RAPACE2\\0\"",
                e.getMessage());
    }

    @Test
    void attachRejectsAnUninitialisedFile() throws IOException {
        Path p = writeHeader(0, 0, 0, 0, 0, 4096);
        SegmentException e = assertThrows(SegmentException.class, () -> Segment.attach(p));
        assertEquals("segment file " + p + " has magic \"\\0\\0\\0\\0\\0\\0\\0\\0\" but a rapace segment has "
                + "\"RAPACE2\\0\" (not yet initialised, or not a segment)", e.getMessage());
    }

    @Test
    void attachRejectsAnotherMajorVersion() throws IOException {
        Path p = writeHeader(SegmentHeader.MAGIC, 0x0002_0003, 64, 16, 4096, 140_608);
        SegmentException e = assertThrows(SegmentException.class, () -> Segment.attach(p));
        assertEquals("segment file " + p + " has version 2.3 but this runtime speaks major version 1 (1.0)",
                e.getMessage());
    }

    @Test
    void attachAcceptsANewerMinorVersion() throws IOException {
        Segment s = track(Segment.create(Segment.DEFAULT_DIRECTORY, SegmentGeometry.DEFAULT));
        s.memory().putInt(SegmentHeader.VERSION_OFFSET, 0x0001_0007);
        Segment joined = track(Segment.attach(s.path()));
        assertEquals(SegmentGeometry.DEFAULT, joined.geometry());
    }

    @Test
    void attachRejectsAFileOfTheWrongSize() throws IOException {
        Path p = writeHeader(SegmentHeader.MAGIC, SegmentHeader.VERSION, 64, 16, 4096, 65536);
        SegmentException e = assertThrows(SegmentException.class, () -> Segment.attach(p));
        assertEquals("segment file is 65536 bytes but its header describes 140608 bytes (ring_capacity=64, "
                + "slot_count=16, slot_size=4096): " + p, e.getMessage());
    }

    @Test
    void attachRejectsAnImpossibleGeometry() throws IOException {
        Path p = writeHeader(SegmentHeader.MAGIC, SegmentHeader.VERSION, 100, 16, 4096, 140_608);
        SegmentException e = assertThrows(SegmentException.class, () -> Segment.attach(p));
        assertEquals("segment file " + p + " has an invalid geometry: ring_capacity 100 is not a power of two in "
                + "[2, 1048576]", e.getMessage());
    }

    @Test
    void attachRejectsAFileShorterThanAHeader() throws IOException {
        Path p = writeHeader(SegmentHeader.MAGIC, SegmentHeader.VERSION, 64, 16, 4096, 10);
        SegmentException e = assertThrows(SegmentException.class, () -> Segment.attach(p));
        assertEquals("segment file " + p + " is 10 bytes, smaller than the 64-byte segment header", e.getMessage());
    }

    @Test
    void attachRejectsAMissingFile() {
        Path p = Segment.DEFAULT_DIRECTORY.resolve(Segment.newFileName(".missing"));
        SegmentException e = assertThrows(SegmentException.class, () -> Segment.attach(p));
        assertEquals("segment file " + p + " does not exist", e.getMessage());
    }

    @Test
    void removeStaleDeletesOnlyFilesOfDeadProcesses() throws IOException {
        long dead = deadPid();
        Path stale = Segment.DEFAULT_DIRECTORY.resolve("rapace-" + dead + "-" + "0".repeat(32));
        Path staleSocket = Segment.DEFAULT_DIRECTORY.resolve("rapace-" + dead + "-" + "1".repeat(32) + ".sock");
        Files.createFile(stale);
        Files.createFile(staleSocket);
        Segment live = track(Segment.create(Segment.DEFAULT_DIRECTORY, SegmentGeometry.DEFAULT));
        assertTrue(Segment.removeStale(Segment.DEFAULT_DIRECTORY) >= 2);
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleSocket));
        assertTrue(Files.exists(live.path()));
    }

    static long deadPid() {
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            return p.pid();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClosedSegmentFailsCleanly() throws IOException {
        open();
        segB.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.poll(new Collector(), 1));
        assertEquals("segment memory is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> segB.memory().getLongAcquire(0));
    }

    @Test
    void theMemoryChecksEveryOffset() throws IOException {
        open();
        SegmentMemory m = segA.memory();
        assertThrows(IndexOutOfBoundsException.class, () -> m.getLong(m.size() - 4));
        assertThrows(IndexOutOfBoundsException.class, () -> m.putInt(-4, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> m.getIntAcquire(m.size()));
    }

    Path writeHeader(long magic, int version, int capacity, int slotCount, int slotSize, long fileSize)
            throws IOException {
        Path p = Segment.DEFAULT_DIRECTORY.resolve(Segment.newFileName(".test"));
        ByteBuffer h = ByteBuffer.allocate(SegmentHeader.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(SegmentHeader.MAGIC_OFFSET, magic);
        h.putInt(SegmentHeader.VERSION_OFFSET, version);
        h.putInt(SegmentHeader.RING_CAPACITY_OFFSET, capacity);
        h.putInt(SegmentHeader.SLOT_COUNT_OFFSET, slotCount);
        h.putInt(SegmentHeader.SLOT_SIZE_OFFSET, slotSize);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(h.limit((int) Math.min(fileSize, SegmentHeader.LENGTH)), 0);
            if (fileSize > SegmentHeader.LENGTH) {
                ch.write(ByteBuffer.allocate(1), fileSize - 1);
            }
        }
        CLEANUP.add(p);
        return p;
    }

    private final List<Path> CLEANUP = new ArrayList<>();

    @AfterEach
    void deleteHandWrittenFiles() throws IOException {
        for (Path p : CLEANUP) {
            Files.deleteIfExists(p);
        }
        CLEANUP.clear();
    }

    // ------------------------------------------------------------------ frames

    @Test
    void carriesInlinePayloadsBothWays() throws Exception {
        open();
        a.send(1, 1000, Descriptor.FLAG_DATA, 7, bytes(24, 1), 1, TimeUnit.SECONDS);
        b.send(1, 1000, Descriptor.FLAG_DATA | Descriptor.FLAG_EOS, 0, bytes(3, 2), 1, TimeUnit.SECONDS);
        Collector atB = new Collector();
        Collector atA = new Collector();
        assertEquals(1, drain(b, atB).size());
        assertEquals(1, drain(a, atA).size());
        Received r = atB.frames.get(0);
        assertEquals(1, r.channelId());
        assertEquals(1000, r.methodId());
        assertEquals(Descriptor.FLAG_DATA, r.flags());
        assertEquals(7, r.creditGrant());
        assertArrayEquals(bytes(24, 1).array(), r.payload());
        assertArrayEquals(bytes(3, 2).array(), atA.frames.get(0).payload());
        assertEquals(Descriptor.FLAG_DATA | Descriptor.FLAG_EOS, atA.frames.get(0).flags());
        int descriptor = SegmentLayout.ringOffset(segA.geometry(), PeerRole.PEER_A) + RingHeader.LENGTH;
        assertEquals(Descriptor.INLINE_SLOT, segA.memory().getInt(descriptor + Descriptor.PAYLOAD_SLOT_OFFSET));
    }

    @Test
    void carriesSlotPayloadsAndFreesTheSlots() throws Exception {
        open();
        for (int i = 0; i < 100; i++) {
            a.send(3, 1001, Descriptor.FLAG_DATA, 0, bytes(25 + i * 40, i), 1, TimeUnit.SECONDS);
            Collector c = new Collector();
            assertEquals(1, drain(b, c).size());
            assertArrayEquals(bytes(25 + i * 40, i).array(), c.frames.get(0).payload());
        }
        assertEquals(0, b.invalidFrameCount());
        assertEquals(0, a.invalidFrameCount());
    }

    @Test
    void encodesInPlaceIntoASlot() throws Exception {
        open();
        String text = "x".repeat(300);
        a.send(5, 1002, Descriptor.FLAG_DATA, 0, w -> {
            w.writeString(text);
            w.writeU64(42);
        }, 1, TimeUnit.SECONDS);
        Collector c = new Collector();
        drain(b, c);
        PostcardReader r = PostcardReader.of(c.frames.get(0).payload());
        assertEquals(text, r.readString());
        assertEquals(42, r.readU64());
        r.expectEnd();
        int descriptor = SegmentLayout.ringOffset(segA.geometry(), PeerRole.PEER_A) + RingHeader.LENGTH;
        int slot = segA.memory().getInt(descriptor + Descriptor.PAYLOAD_SLOT_OFFSET);
        assertTrue(slot >= 0 && slot < 16, "slot " + slot);
    }

    @Test
    void aSmallEncodedPayloadTravelsInline() throws Exception {
        open();
        a.send(5, 1002, Descriptor.FLAG_DATA, 0, w -> w.writeString("hello"), 1, TimeUnit.SECONDS);
        Collector c = new Collector();
        drain(b, c);
        assertEquals("hello", PostcardReader.of(c.frames.get(0).payload()).readString());
        int descriptor = SegmentLayout.ringOffset(segA.geometry(), PeerRole.PEER_A) + RingHeader.LENGTH;
        assertEquals(Descriptor.INLINE_SLOT, segA.memory().getInt(descriptor + Descriptor.PAYLOAD_SLOT_OFFSET));
    }

    @Test
    void splitsAndReassemblesAMessageLargerThanASlot() throws Exception {
        open();
        ByteBuffer big = bytes(3 * 4096 + 100, 9);
        Collector c = new Collector();
        Thread receiver = new Thread(() -> {
            while (c.frames.isEmpty()) {
                b.poll(c, 16);
                Thread.onSpinWait();
            }
        });
        receiver.start();
        a.send(7, 1003, Descriptor.FLAG_DATA | Descriptor.FLAG_EOS, 0, big, 5, TimeUnit.SECONDS);
        receiver.join(10_000);
        assertEquals(1, c.frames.size());
        Received r = c.frames.get(0);
        assertArrayEquals(big.array(), r.payload());
        assertEquals(Descriptor.FLAG_DATA | Descriptor.FLAG_EOS, r.flags());
        assertEquals(7, r.channelId());
        assertEquals(1003, r.methodId());
    }

    @Test
    void splitsAnEncodedMessageLargerThanThePool() throws Exception {
        open();
        byte[] body = bytes(100_000, 4).array();
        Collector c = new Collector();
        Thread receiver = new Thread(() -> {
            while (c.frames.isEmpty()) {
                b.poll(c, 16);
                Thread.onSpinWait();
            }
        });
        receiver.start();
        a.send(9, 1004, Descriptor.FLAG_DATA, 0, w -> w.writeBytes(body), 5, TimeUnit.SECONDS);
        receiver.join(10_000);
        assertArrayEquals(body, PostcardReader.of(c.frames.get(0).payload()).readBytes());
    }

    @Test
    void refusesToSendMoreThanTheMaximumMessageSize() throws IOException {
        open(SegmentGeometry.DEFAULT, 10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.send(1, 1, 0, 0, ByteBuffer.allocate(10_001), 1, TimeUnit.SECONDS));
        assertEquals("message of 10001 bytes exceeds the maximum message size of 10000 bytes", e.getMessage());
    }

    @Test
    void dropsAReassembledMessageOverTheReceiversMaximum() throws Exception {
        segA = track(Segment.create(Segment.DEFAULT_DIRECTORY, SegmentGeometry.DEFAULT));
        segB = track(Segment.attach(segA.path()));
        a = ShmTransport.open(segA, PeerRole.PEER_A, 1 << 20, () -> { });
        b = ShmTransport.open(segB, PeerRole.PEER_B, 10_000, () -> { });
        a.send(11, 1, 0, 0, bytes(12_000, 1), 1, TimeUnit.SECONDS);
        a.send(11, 1, 0, 0, bytes(5, 1), 1, TimeUnit.SECONDS);
        Collector c = new Collector();
        drain(b, c);
        assertEquals(1, c.frames.size());
        assertEquals(5, c.frames.get(0).payload().length);
        assertEquals(1L, b.invalidFrames().get(InvalidFrameKind.MESSAGE_TOO_LARGE));
        assertEquals(List.of(InvalidFrameKind.MESSAGE_TOO_LARGE), c.dropped);
        logs.expect(Level.WARNING, "(MESSAGE_TOO_LARGE: message 1 on channel 11 reached 12000 bytes, over the maximum "
                + "message size of 10000); further MESSAGE_TOO_LARGE frames are only counted");
    }

    // ------------------------------------------------------------------ back-pressure

    @Test
    void aFullRingMakesTheSenderWaitThenFail() throws Exception {
        open(new SegmentGeometry(4, 16, 4096), 1 << 20);
        for (int i = 0; i < 4; i++) {
            a.send(1, 1, 0, 0, bytes(8, i), 1, TimeUnit.SECONDS);
        }
        SendTimeoutException e = assertThrows(SendTimeoutException.class,
                () -> a.send(1, 1, 0, 0, bytes(8, 9), 20, TimeUnit.MILLISECONDS));
        assertEquals("ring A->B is full (4 of 4 descriptors unread) for the whole send timeout: the peer is not "
                + "consuming", e.getMessage());
        Collector c = new Collector();
        assertEquals(1, b.poll(c, 1));
        a.send(1, 1, 0, 0, bytes(8, 10), 1, TimeUnit.SECONDS);
        assertEquals(5, drain(b, c).size());
        assertArrayEquals(bytes(8, 10).array(), c.frames.get(4).payload());
    }

    @Test
    void anExhaustedSlotPoolMakesTheSenderWaitThenFail() throws Exception {
        open(new SegmentGeometry(64, 2, 4096), 1 << 20);
        a.send(1, 1, 0, 0, bytes(100, 1), 1, TimeUnit.SECONDS);
        a.send(1, 1, 0, 0, bytes(100, 2), 1, TimeUnit.SECONDS);
        SendTimeoutException e = assertThrows(SendTimeoutException.class,
                () -> a.send(1, 1, 0, 0, bytes(100, 3), 20, TimeUnit.MILLISECONDS));
        assertEquals("slot pool A->B is exhausted (all 2 slots of 4096 bytes in flight) for the whole send timeout: "
                + "the peer is not freeing slots", e.getMessage());
        a.send(1, 1, 0, 0, bytes(10, 3), 1, TimeUnit.SECONDS);
        Collector c = new Collector();
        assertEquals(3, drain(b, c).size());
        a.send(1, 1, 0, 0, bytes(100, 4), 1, TimeUnit.SECONDS);
        assertEquals(4, drain(b, c).size());
    }

    @Test
    void aWaitingSenderGoesOnWhenThePeerConsumes() throws Exception {
        open(new SegmentGeometry(2, 2, 64), 1 << 20);
        Collector c = new Collector();
        Thread slowReader = new Thread(() -> {
            while (c.frames.size() < 200) {
                b.poll(c, 1);
                try {
                    Thread.sleep(0, 100_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        slowReader.start();
        for (int i = 0; i < 200; i++) {
            a.send(1, 1, 0, 0, bytes(30 + i % 30, i), 10, TimeUnit.SECONDS);
        }
        slowReader.join(20_000);
        assertEquals(200, c.frames.size());
        for (int i = 0; i < 200; i++) {
            assertArrayEquals(bytes(30 + i % 30, i).array(), c.frames.get(i).payload());
        }
    }

    @Test
    void closedSendsFailWithTheReason() throws IOException {
        open();
        a.abortSends("session closed: test");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> a.send(1, 1, 0, 0, bytes(8, 1), 1, TimeUnit.SECONDS));
        assertEquals("session closed: test", e.getMessage());
    }

    // ------------------------------------------------------------------ doorbell protocol

    @Test
    void theProducerRingsOnlyWhenTheConsumerSleeps() throws Exception {
        open();
        a.send(1, 1, 0, 0, bytes(8, 1), 1, TimeUnit.SECONDS);
        assertEquals(0, rangB.get());
        assertFalse(b.prepareToSleep(), "a frame is waiting, so the consumer must not sleep");
        drain(b, new Collector());
        assertTrue(b.prepareToSleep());
        a.send(1, 1, 0, 0, bytes(8, 2), 1, TimeUnit.SECONDS);
        assertEquals(1, rangB.get());
        a.send(1, 1, 0, 0, bytes(8, 3), 1, TimeUnit.SECONDS);
        assertEquals(1, rangB.get(), "the flag was flipped back, so one byte per sleep");
        assertEquals(0, segA.memory().getIntAcquire(SegmentLayout.ringOffset(segA.geometry(), PeerRole.PEER_A)
                + RingHeader.CONSUMER_SLEEPING_OFFSET));
    }

    // ------------------------------------------------------------------ untrusted peer

    /** Writes a descriptor into B's outbound ring by hand and publishes it, as a hostile PeerB could. */
    void inject(long position, long msgId, int channel, int method, int slot, int generation, int offset, int len,
            int flags) {
        SegmentMemory m = segB.memory();
        int ring = SegmentLayout.ringOffset(segB.geometry(), PeerRole.PEER_B);
        int d = ring + RingHeader.descriptorOffset(position, segB.geometry().ringCapacity());
        m.putLong(d + Descriptor.MSG_ID_OFFSET, msgId);
        m.putInt(d + Descriptor.CHANNEL_ID_OFFSET, channel);
        m.putInt(d + Descriptor.METHOD_ID_OFFSET, method);
        m.putInt(d + Descriptor.PAYLOAD_SLOT_OFFSET, slot);
        m.putInt(d + Descriptor.PAYLOAD_GENERATION_OFFSET, generation);
        m.putInt(d + Descriptor.PAYLOAD_OFFSET_OFFSET, offset);
        m.putInt(d + Descriptor.PAYLOAD_LEN_OFFSET, len);
        m.putInt(d + Descriptor.FLAGS_OFFSET, flags);
        m.putLongRelease(ring + RingHeader.VISIBLE_HEAD_OFFSET, position + 1);
    }

    /** After injecting by hand, B's transport picks up the positions from the segment, as a fresh peer would. */
    void reopenB() {
        b = ShmTransport.open(segB, PeerRole.PEER_B, b.maxMessageSize(), () -> { });
    }

    @Test
    void dropsEachKindOfBadDescriptorAndCountsIt() throws Exception {
        open();
        Collector c = new Collector();
        inject(0, 1, 2, 1, 16, 1, 0, 100, 0);                  // slot index == slot_count
        inject(1, 2, 2, 1, 0x7FFF_FFFF, 1, 0, 100, 0);         // slot index far away
        inject(2, 3, 2, 1, 3, 99, 0, 100, 0);                  // generation of a free slot
        inject(3, 4, 2, 1, Descriptor.INLINE_SLOT, 0, 0, 25, 0);   // inline too long
        inject(4, 5, 2, 1, Descriptor.INLINE_SLOT, 0, 0, -1, 0);   // inline length 2^32 - 1
        inject(5, 6, 2, 1, Descriptor.INLINE_SLOT, 5, 0, 4, 0);    // inline with a generation
        inject(6, 7, 2, 1, Descriptor.INLINE_SLOT, 0, 0, 4, 0x8000);   // unknown flag
        assertEquals(7, a.poll(c, 100));
        assertEquals(List.of(), c.frames);
        Map<InvalidFrameKind, Long> counts = a.invalidFrames();
        assertEquals(2L, counts.get(InvalidFrameKind.SLOT_INDEX));
        assertEquals(1L, counts.get(InvalidFrameKind.STALE_GENERATION));
        assertEquals(3L, counts.get(InvalidFrameKind.INLINE_PAYLOAD));
        assertEquals(1L, counts.get(InvalidFrameKind.FLAGS));
        assertEquals(7, a.invalidFrameCount());
        for (String kind : List.of("SLOT_INDEX", "STALE_GENERATION", "INLINE_PAYLOAD", "FLAGS")) {
            logs.expect(Level.WARNING, "dropped an invalid frame from the peer (" + kind + ": ");
        }
        reopenB();
        b.send(2, 1, 0, 0, bytes(4, 1), 1, TimeUnit.SECONDS);
        assertEquals(1, drain(a, c).size(), "a valid frame after the garbage still arrives");
        assertNull(a.protocolViolation());
    }

    @Test
    void dropsAnOutOfBoundsSlotReferenceAndFreesTheSlot() throws Exception {
        open(new SegmentGeometry(64, 1, 4096), 1 << 20);
        // A real slot frame from B, then the same slot re-published with a bad offset.
        b.send(2, 1, 0, 0, bytes(100, 1), 1, TimeUnit.SECONDS);
        Collector c = new Collector();
        assertEquals(1, drain(a, c).size());
        b.send(2, 1, 0, 0, bytes(100, 2), 1, TimeUnit.SECONDS);
        int ring = SegmentLayout.ringOffset(segB.geometry(), PeerRole.PEER_B);
        int d = ring + RingHeader.descriptorOffset(1, 64);
        segB.memory().putInt(d + Descriptor.PAYLOAD_OFFSET_OFFSET, 4000);
        assertEquals(1, a.poll(c, 10));
        assertEquals(1L, a.invalidFrames().get(InvalidFrameKind.SLOT_BOUNDS));
        b.send(2, 1, 0, 0, bytes(100, 3), 100, TimeUnit.MILLISECONDS);
        logs.expect(Level.WARNING, "(SLOT_BOUNDS: payload_offset 4000 + payload_len 100 = 4100 is past the slot_size 4096)");
        assertEquals(2, drain(a, c).size(), "the slot named by the bad frame was freed, so B could send again");
    }

    @Test
    void aDuplicatedDescriptorIsStale() throws Exception {
        open();
        b.send(2, 1, 0, 0, bytes(100, 1), 1, TimeUnit.SECONDS);
        int ring = SegmentLayout.ringOffset(segB.geometry(), PeerRole.PEER_B);
        SegmentMemory m = segB.memory();
        int d0 = ring + RingHeader.descriptorOffset(0, 64);
        int d1 = ring + RingHeader.descriptorOffset(1, 64);
        for (int off = 0; off < Descriptor.LENGTH; off += 8) {
            m.putLong(d1 + off, m.getLong(d0 + off));
        }
        m.putLongRelease(ring + RingHeader.VISIBLE_HEAD_OFFSET, 2);
        Collector c = new Collector();
        assertEquals(2, a.poll(c, 10));
        assertEquals(1, c.frames.size());
        assertEquals(1L, a.invalidFrames().get(InvalidFrameKind.STALE_GENERATION));
        logs.expect(Level.WARNING, "dropped an invalid frame from the peer (STALE_GENERATION: ");
    }

    @Test
    void survivesThousandsOfRandomDescriptors() throws Exception {
        open(new SegmentGeometry(64, 16, 256), 1 << 16);
        Random random = new Random(20261126);
        Collector c = new Collector();
        int[] slots = {0, 1, 15, 16, 17, -1, -2, 0x7FFFFFFF, Integer.MIN_VALUE};
        int[] lens = {0, 1, 24, 25, 255, 256, 257, -1, Integer.MIN_VALUE, 0x7FFFFFFF};
        long position = 0;
        SegmentMemory m = segB.memory();
        int metaB = SegmentLayout.poolOffset(segB.geometry(), PeerRole.PEER_B)
                + (int) SlotPoolHeader.slotMetaOffset(16);
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 50; i++) {
                int kind = random.nextInt(3);
                int slot;
                int generation;
                int offset;
                int len;
                if (kind == 0) { // anything at all
                    slot = random.nextBoolean() ? slots[random.nextInt(slots.length)] : random.nextInt();
                    len = random.nextBoolean() ? lens[random.nextInt(lens.length)] : random.nextInt();
                    offset = random.nextBoolean() ? random.nextInt(300) : random.nextInt();
                    generation = random.nextInt(3);
                } else if (kind == 1) { // inline, maybe too long
                    slot = Descriptor.INLINE_SLOT;
                    len = random.nextInt(30);
                    offset = 0;
                    generation = 0;
                } else { // a slot the hostile sender marked in flight, with any offset and length
                    slot = random.nextInt(16);
                    generation = random.nextInt();
                    m.putInt(metaB + slot * SlotMeta.LENGTH + SlotMeta.GENERATION_OFFSET, generation);
                    m.putInt(metaB + slot * SlotMeta.LENGTH + SlotMeta.STATE_OFFSET, SlotMeta.STATE_IN_FLIGHT);
                    offset = random.nextBoolean() ? random.nextInt(300) : random.nextInt();
                    len = random.nextBoolean() ? random.nextInt(300) : lens[random.nextInt(lens.length)];
                }
                int flags = random.nextBoolean() ? random.nextInt(0x400) & ~Descriptor.FLAG_CONTINUED
                        : random.nextInt();
                inject(position++, random.nextLong(), random.nextInt(4), random.nextInt(), slot, generation, offset,
                        len, flags);
            }
            while (a.poll(c, 64) > 0) {
                // consume
            }
        }
        reopenB();
        assertNull(a.protocolViolation());
        Map<InvalidFrameKind, Long> counts = a.invalidFrames();
        long dropped = a.invalidFrameCount() - counts.get(InvalidFrameKind.FREE_LIST);
        assertTrue(dropped > 1_000 && dropped + c.frames.size() <= 10_000, counts + ", delivered " + c.frames.size());
        assertTrue(counts.get(InvalidFrameKind.SLOT_INDEX) > 0, counts.toString());
        assertTrue(counts.get(InvalidFrameKind.STALE_GENERATION) > 0, counts.toString());
        assertTrue(counts.get(InvalidFrameKind.INLINE_PAYLOAD) > 0, counts.toString());
        assertTrue(counts.get(InvalidFrameKind.FLAGS) > 0, counts.toString());
        assertTrue(counts.get(InvalidFrameKind.SLOT_BOUNDS) > 0, counts.toString());
        for (String kind : List.of("SLOT_INDEX", "STALE_GENERATION", "INLINE_PAYLOAD", "FLAGS", "SLOT_BOUNDS")) {
            assertEquals(1, logs.takeAll(Level.WARNING, "dropped an invalid frame from the peer (" + kind + ": "),
                    "one warning for the first " + kind + " frame, then only counts");
        }
        logs.takeAll(Level.WARNING, "dropped an invalid frame from the peer (FREE_LIST: ");
        b.send(1, 1, 0, 0, bytes(4, 1), 1, TimeUnit.SECONDS);
        int before = c.frames.size();
        while (a.poll(c, 64) > 0) {
            // consume
        }
        assertEquals(before + 1, c.frames.size(), "the reader still works");
        assertArrayEquals(bytes(4, 1).array(), c.frames.get(before).payload());
    }

    @Test
    void aRingPositionOutOfRangeEndsTheSession() throws Exception {
        open();
        int ring = SegmentLayout.ringOffset(segB.geometry(), PeerRole.PEER_B);
        segB.memory().putLongRelease(ring + RingHeader.VISIBLE_HEAD_OFFSET, 1L << 40);
        Collector c = new Collector();
        assertEquals(0, a.poll(c, 10));
        assertNotNull(c.violation);
        assertEquals("ring B->A visible_head 1099511627776 is outside [tail, tail + capacity] = [0, 64]",
                a.protocolViolation());
        logs.expect(Level.ERROR, "the peer broke the segment's invariants: ring B->A visible_head 1099511627776");
        assertEquals(0, a.poll(c, 10));
    }

    @Test
    void badIndicesOnTheFreeListAreSkipped() throws Exception {
        open(new SegmentGeometry(64, 2, 4096), 1 << 20);
        // B (the freer of pool A->B) pushes garbage: an out-of-range index and a slot that is not free.
        SegmentMemory m = segB.memory();
        int pool = SegmentLayout.poolOffset(segB.geometry(), PeerRole.PEER_A);
        a.send(1, 1, 0, 0, bytes(100, 1), 1, TimeUnit.SECONDS); // slot 0 in flight
        a.send(1, 1, 0, 0, bytes(100, 2), 1, TimeUnit.SECONDS); // slot 1 in flight
        long head = m.getLongAcquire(pool + SlotPoolHeader.FREE_HEAD_OFFSET);
        m.putInt(pool + SlotPoolHeader.freeRingEntryOffset((int) (head % 2)), 77);
        m.putInt(pool + SlotPoolHeader.freeRingEntryOffset((int) ((head + 1) % 2)), 0);
        m.putLongRelease(pool + SlotPoolHeader.FREE_HEAD_OFFSET, head + 2);
        reopenB();
        assertThrows(SendTimeoutException.class, () -> a.send(1, 1, 0, 0, bytes(100, 3), 10, TimeUnit.MILLISECONDS));
        assertEquals(2L, a.invalidFrames().get(InvalidFrameKind.FREE_LIST));
        logs.expect(Level.WARNING, "dropped an invalid frame from the peer (FREE_LIST: the peer freed slot 77 of pool A->B");
        Collector c = new Collector();
        assertEquals(2, drain(b, c).size());
        a.send(1, 1, 0, 0, bytes(100, 4), 1, TimeUnit.SECONDS);
        assertEquals(3, drain(b, c).size());
    }

    @Test
    void aForgedFreeHeadEndsTheSession() throws Exception {
        open(new SegmentGeometry(64, 2, 4096), 1 << 20);
        int pool = SegmentLayout.poolOffset(segB.geometry(), PeerRole.PEER_A);
        a.send(1, 1, 0, 0, bytes(100, 1), 1, TimeUnit.SECONDS);
        a.send(1, 1, 0, 0, bytes(100, 2), 1, TimeUnit.SECONDS);
        segB.memory().putLongRelease(pool + SlotPoolHeader.FREE_HEAD_OFFSET, 1000);
        assertThrows(SendTimeoutException.class, () -> a.send(1, 1, 0, 0, bytes(100, 3), 10, TimeUnit.MILLISECONDS));
        assertEquals("slot pool A->B free_head 1000 is outside [free_tail, free_tail + slot_count] = [2, 4]",
                a.protocolViolation());
        logs.expect(Level.ERROR, "the peer broke the segment's invariants: slot pool A->B free_head 1000");
    }

    @Test
    void aFragmentOfAnotherMessageIsAContinuationError() throws Exception {
        open();
        inject(0, 1, 2, 1, Descriptor.INLINE_SLOT, 0, 0, 4, Descriptor.FLAG_CONTINUED);
        inject(1, 2, 2, 1, Descriptor.INLINE_SLOT, 0, 0, 4, 0);
        inject(2, 3, 2, 1, Descriptor.INLINE_SLOT, 0, 0, 4, 0);
        Collector c = new Collector();
        assertEquals(3, a.poll(c, 10));
        assertEquals(1L, a.invalidFrames().get(InvalidFrameKind.CONTINUATION));
        logs.expect(Level.WARNING, "(CONTINUATION: msg_id 2 on channel 2 while message 1 was still being reassembled)");
        assertEquals(1, c.frames.size());
        assertEquals(3, c.frames.get(0).msgId());
    }

    @Test
    void aChannelThePolicyRejectsIsDropped() throws Exception {
        open();
        a.channelPolicy(id -> id % 2 == 0);
        b.send(3, 1, 0, 0, bytes(4, 1), 1, TimeUnit.SECONDS);
        b.send(4, 1, 0, 0, bytes(4, 1), 1, TimeUnit.SECONDS);
        Collector c = new Collector();
        drain(a, c);
        assertEquals(1, c.frames.size());
        assertEquals(4, c.frames.get(0).channelId());
        assertEquals(List.of(InvalidFrameKind.CHANNEL), c.dropped);
        logs.expect(Level.WARNING, "(CHANNEL: channel_id 3 is not one the peer may use now)");
    }

    @Test
    void liveness() throws IOException {
        open();
        assertEquals(0, b.peerEpoch());
        a.beat();
        a.beat();
        assertEquals(2, b.peerEpoch());
        assertTrue(b.peerLastSeen() != 0);
        assertEquals(0, a.peerEpoch());
    }

    @Test
    void everySendIsASignOfLife() throws Exception {
        open();
        long lastSeen = b.peerLastSeen();
        a.send(1, 1, 0, 0, bytes(8, 1), 1, TimeUnit.SECONDS);
        a.send(1, 1, 0, 0, w -> w.writeString("x".repeat(100)), 1, TimeUnit.SECONDS);
        assertEquals(2, b.peerEpoch());
        assertEquals(lastSeen, b.peerLastSeen(), "sends bump the epoch, not the clock");
    }

    // ------------------------------------------------------------------ frame checksums

    @Test
    void checksummedFramesArriveWholeAndAnAlteredOneIsDroppedAsChecksum() throws Exception {
        open();
        a.sendChecksums();
        b.sendChecksums();
        assertTrue(b.sendsChecksums());
        // inline (20 bytes at most once checksummed), in a slot, and split over slots
        for (int size : new int[] {0, 20, 21, 24, 100, 4096, 10_000}) {
            b.send(2, 7, Descriptor.FLAG_DATA, 0, bytes(size, size), 1, TimeUnit.SECONDS);
            Collector c = new Collector();
            List<Received> got = drain(a, c);
            assertEquals(1, got.size(), "size " + size);
            assertArrayEquals(bytes(size, size).array(), got.get(0).payload(), "size " + size);
            assertEquals(Descriptor.FLAG_DATA, got.get(0).flags(), "size " + size); // checked, then taken off
        }
        // a byte of a slot changes between the send and the read: the reader drops the frame
        b.send(2, 7, Descriptor.FLAG_DATA, 0, bytes(100, 1), 1, TimeUnit.SECONDS);
        SegmentGeometry g = segB.geometry();
        int data = SegmentLayout.poolOffset(g, PeerRole.PEER_B) + (int) SlotPoolHeader.slotDataOffset(g.slotCount());
        for (int slot = 0; slot < g.slotCount(); slot++) { // the slot it used is in flight; flip a byte of each
            int at = data + slot * g.slotSize() + 50;
            segB.memory().buffer().put(at, (byte) ~segB.memory().buffer().get(at));
        }
        Collector c = new Collector();
        assertEquals(List.of(), drain(a, c));
        assertEquals(List.of(InvalidFrameKind.CHECKSUM), c.dropped);
        assertEquals(1L, a.invalidFrames().get(InvalidFrameKind.CHECKSUM));
        assertTrue(logs.expect(System.Logger.Level.WARNING, "dropped an invalid frame from the peer (CHECKSUM")
                .contains("but the frame says"));
        // the next frame is whole again
        b.send(2, 7, Descriptor.FLAG_DATA, 0, bytes(100, 2), 1, TimeUnit.SECONDS);
        assertArrayEquals(bytes(100, 2).array(), drain(a, new Collector()).get(0).payload());
    }

    @Test
    void aSplitMessageWithOneAlteredFragmentIsNotDeliveredAtAll() throws Exception {
        open();
        a.sendChecksums();
        b.sendChecksums();
        b.send(2, 7, Descriptor.FLAG_DATA, 0, bytes(10_000, 9), 1, TimeUnit.SECONDS); // three fragments
        SegmentGeometry g = segB.geometry();
        int ring = SegmentLayout.ringOffset(g, PeerRole.PEER_B);
        long tail = segB.memory().getLongAcquire(ring + RingHeader.TAIL_OFFSET);
        int second = ring + RingHeader.descriptorOffset(tail + 1, g.ringCapacity());
        int slot = segB.memory().getInt(second + Descriptor.PAYLOAD_SLOT_OFFSET);
        int at = SegmentLayout.poolOffset(g, PeerRole.PEER_B) + (int) SlotPoolHeader.slotDataOffset(g.slotCount())
                + slot * g.slotSize() + 7;
        segB.memory().buffer().put(at, (byte) ~segB.memory().buffer().get(at));
        Collector c = new Collector();
        assertEquals(List.of(), drain(a, c), "a message spliced from the fragments that passed was delivered");
        assertEquals(List.of(InvalidFrameKind.CHECKSUM), c.dropped);
        logs.expect(System.Logger.Level.WARNING, "dropped an invalid frame from the peer (CHECKSUM");
        b.send(2, 7, Descriptor.FLAG_DATA, 0, bytes(10_000, 10), 1, TimeUnit.SECONDS);
        assertArrayEquals(bytes(10_000, 10).array(), drain(a, new Collector()).get(0).payload());
    }

    @Test
    void onceThePeerSendsChecksumsAFrameWithoutOneIsDropped() throws Exception {
        open();
        b.sendChecksums();
        b.send(2, 7, Descriptor.FLAG_DATA, 0, bytes(8, 1), 1, TimeUnit.SECONDS);
        assertEquals(1, drain(a, new Collector()).size());
        // a frame whose checksum flag was lost (as if the bit flipped): dropped, not delivered unchecked
        HostileWriter forger = new HostileWriter(segB, PeerRole.PEER_B, () -> { });
        forger.writeInline(2, 7, Descriptor.FLAG_DATA, new byte[] {1, 2, 3});
        Collector c = new Collector();
        assertEquals(List.of(), drain(a, c));
        assertEquals(List.of(InvalidFrameKind.CHECKSUM), c.dropped);
        assertTrue(logs.expect(System.Logger.Level.WARNING, "dropped an invalid frame from the peer (CHECKSUM")
                .contains("without a checksum"));
    }

    @Test
    void withoutChecksumsNothingChangesOnTheWire() throws Exception {
        open();
        b.send(2, 7, Descriptor.FLAG_DATA, 0, bytes(24, 1), 1, TimeUnit.SECONDS);
        List<Received> got = drain(a, new Collector());
        assertEquals(Descriptor.FLAG_DATA, got.get(0).flags());
        assertFalse(b.sendsChecksums());
    }
}
