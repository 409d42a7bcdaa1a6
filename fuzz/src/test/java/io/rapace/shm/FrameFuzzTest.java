package io.rapace.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rapace.config.SegmentGeometry;
import io.rapace.fuzz.Quiet;
import java.nio.ByteBuffer;

/**
 * A host's reader against a peer that writes what it likes into a real segment: first well-placed descriptors with
 * any contents (published as a producer would), then any bytes at any offsets of the whole segment (headers, ring
 * positions, slot metadata, free lists, slot data). Whatever was written, {@link ShmTransport#poll} never throws,
 * never reads outside the segment (a valid frame's payload is read in full), and consumes every descriptor it was
 * shown unless it reports the segment broken. A segment (small, in {@code /dev/shm}, unlinked at once) per input,
 * so that every finding replays alone.
 */
class FrameFuzzTest {
    private static final SegmentGeometry GEOMETRY = new SegmentGeometry(8, 4, 64);

    static {
        Quiet.loggers();
    }

    @FuzzTest(maxDuration = "5m")
    void descriptorsAndSegmentBytesFromAHostilePeer(FuzzedDataProvider data) throws Exception {
        Segment segment = Segment.create(Segment.DEFAULT_DIRECTORY, GEOMETRY);
        try {
            segment.unlink();
            SegmentMemory m = segment.memory();
            int size = (int) GEOMETRY.segmentSize();
            ShmTransport host = ShmTransport.open(segment, PeerRole.PEER_A, 1024, () -> { });
            int ring = SegmentLayout.ringOffset(GEOMETRY, PeerRole.PEER_B);
            long head = m.getLongAcquire(ring + RingHeader.VISIBLE_HEAD_OFFSET);
            int descriptors = data.consumeInt(0, GEOMETRY.ringCapacity());
            for (int i = 0; i < descriptors; i++) {
                byte[] d = data.consumeBytes(Descriptor.LENGTH);
                m.buffer().put(ring + RingHeader.descriptorOffset(head, GEOMETRY.ringCapacity()), d);
                head++;
            }
            m.putLongRelease(ring + RingHeader.VISIBLE_HEAD_OFFSET, head);
            int patches = data.consumeInt(0, 8);
            for (int i = 0; i < patches; i++) {
                int offset = data.consumeInt(0, size - 1);
                byte[] bytes = data.consumeBytes(Math.min(size - offset, 16));
                m.buffer().put(offset, bytes);
            }
            Reader reader = new Reader();
            int consumed = host.poll(reader, Integer.MAX_VALUE);
            consumed += host.poll(reader, Integer.MAX_VALUE);
            assertTrue(consumed <= 2 * GEOMETRY.ringCapacity(), "consumed " + consumed);
            if (patches == 0) {
                assertEquals(descriptors, consumed, "the reader left descriptors in its ring");
                assertEquals(null, reader.violation, "well-placed descriptors broke the segment");
            }
        } finally {
            segment.close();
        }
    }

    /** Reads every valid frame's payload in full, as a session would decode it. */
    private static final class Reader implements FrameHandler {
        String violation;

        @Override
        public void onFrame(Frame frame) {
            ByteBuffer payload = frame.payload();
            byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
        }

        @Override
        public void onProtocolViolation(String message) {
            violation = message;
        }
    }
}
