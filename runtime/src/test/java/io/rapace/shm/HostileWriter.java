package io.rapace.shm;

import io.rapace.config.SegmentGeometry;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays a hostile producer for tests in other packages and processes: writes descriptors with random slot indices,
 * generations, offsets, lengths and flags straight into {@code producer}'s outbound ring of a mapped segment,
 * waiting for the consumer to keep up, and wakes it through {@code ringPeer} when it sleeps. The owner's own
 * transport must not send on that ring afterwards (its private head would be stale).
 */
public final class HostileWriter {
    private final SegmentMemory m;
    private final int ring;
    private final int capacity;
    private final int meta;
    private final int slotCount;
    private final Runnable ringPeer;
    private long position;

    public HostileWriter(Segment segment, PeerRole producer, Runnable ringPeer) {
        this.m = segment.memory();
        SegmentGeometry g = segment.geometry();
        this.ring = SegmentLayout.ringOffset(g, producer);
        this.capacity = g.ringCapacity();
        this.slotCount = g.slotCount();
        this.meta = SegmentLayout.poolOffset(g, producer) + (int) SlotPoolHeader.slotMetaOffset(slotCount);
        this.ringPeer = ringPeer;
        this.position = m.getLongAcquire(ring + RingHeader.VISIBLE_HEAD_OFFSET);
    }

    /**
     * Writes {@code count} garbage descriptors, on channel {@code channel}: a mix of out-of-range slots, stale
     * generations, slots marked in flight with out-of-bounds offsets, overlong inline payloads and unknown flags,
     * none of which a correct reader may accept. Returns the counts by kind that the reader should report.
     */
    public Map<InvalidFrameKind, Long> writeGarbage(Random random, int count, int channel) {
        long[] expected = new long[InvalidFrameKind.values().length];
        for (int i = 0; i < count; i++) {
            int slot;
            int generation = 0;
            int offset = 0;
            int len;
            int flags = FrameFlags.DATA;
            InvalidFrameKind kind = InvalidFrameKind.values()[random.nextInt(5)];
            switch (kind) {
                case SLOT_INDEX:
                    slot = slotCount + random.nextInt(Integer.MAX_VALUE - slotCount - 1);
                    len = random.nextInt();
                    break;
                case STALE_GENERATION:
                    slot = random.nextInt(slotCount);
                    generation = m.getInt(meta + slot * SlotMeta.LENGTH + SlotMeta.GENERATION_OFFSET) + 1
                            + random.nextInt(1000);
                    len = random.nextInt(64);
                    break;
                case SLOT_BOUNDS:
                    slot = random.nextInt(slotCount);
                    generation = random.nextInt();
                    m.putInt(meta + slot * SlotMeta.LENGTH + SlotMeta.GENERATION_OFFSET, generation);
                    m.putInt(meta + slot * SlotMeta.LENGTH + SlotMeta.STATE_OFFSET, SlotMeta.STATE_IN_FLIGHT);
                    offset = random.nextInt(Integer.MAX_VALUE);
                    len = Integer.MAX_VALUE - random.nextInt(100);
                    break;
                case INLINE_PAYLOAD:
                    slot = Descriptor.INLINE_SLOT;
                    len = Descriptor.INLINE_PAYLOAD_CAPACITY + 1 + random.nextInt(Integer.MAX_VALUE - 30);
                    break;
                default:
                    slot = Descriptor.INLINE_SLOT;
                    len = random.nextInt(Descriptor.INLINE_PAYLOAD_CAPACITY + 1);
                    flags = (random.nextInt() | 0x400) & ~(FrameFlags.CONTINUED | FrameFlags.CHECKSUM);
                    break;
            }
            expected[kind.ordinal()]++;
            publish(random.nextLong(), channel, random.nextInt(), slot, generation, offset, len, flags, null);
        }
        Map<InvalidFrameKind, Long> out = new java.util.EnumMap<>(InvalidFrameKind.class);
        for (InvalidFrameKind k : InvalidFrameKind.values()) {
            out.put(k, expected[k.ordinal()]);
        }
        return out;
    }

    /**
     * One invalid descriptor of {@code kind} on {@code channel} with message id {@code msgId}: {@link
     * InvalidFrameKind#SLOT_INDEX} names the slot just past the pool, {@link InvalidFrameKind#STALE_GENERATION}
     * names slot 0 (free, as nothing of this producer is in flight) with a generation one past its own, {@link
     * InvalidFrameKind#CHECKSUM} is a checksummed inline frame whose checksum is wrong.
     */
    public void writeInvalid(InvalidFrameKind kind, int channel, long msgId) {
        switch (kind) {
            case SLOT_INDEX:
                publish(msgId, channel, 1, slotCount, 0, 0, 8, FrameFlags.DATA, null);
                break;
            case STALE_GENERATION: {
                int generation = m.getInt(meta + SlotMeta.GENERATION_OFFSET) + 1;
                publish(msgId, channel, 1, 0, generation, 0, 8, FrameFlags.DATA, null);
                break;
            }
            case CHECKSUM: // a checksummed inline frame whose CRC32C (at byte 60, here 0) does not match its payload
                publish(msgId, channel, 1, Descriptor.INLINE_SLOT, 0, 0, 3, FrameFlags.DATA | FrameFlags.CHECKSUM,
                        new byte[] {1, 2, 3});
                break;
            default:
                throw new IllegalArgumentException("not written singly: " + kind);
        }
    }

    /** A valid inline frame, so the reader can be seen still working after the garbage. */
    public void writeInline(int channel, int method, int flags, byte[] payload) {
        publish(0, channel, method, Descriptor.INLINE_SLOT, 0, 0, payload.length, flags, payload);
    }

    private void publish(long msgId, int channel, int method, int slot, int generation, int offset, int len,
            int flags, byte[] inline) {
        while (position - m.getLongAcquire(ring + RingHeader.TAIL_OFFSET) >= capacity) {
            LockSupport.parkNanos(50_000);
        }
        int d = ring + RingHeader.descriptorOffset(position, capacity);
        m.putLong(d + Descriptor.MSG_ID_OFFSET, msgId);
        m.putInt(d + Descriptor.CHANNEL_ID_OFFSET, channel);
        m.putInt(d + Descriptor.METHOD_ID_OFFSET, method);
        m.putInt(d + Descriptor.PAYLOAD_SLOT_OFFSET, slot);
        m.putInt(d + Descriptor.PAYLOAD_GENERATION_OFFSET, generation);
        m.putInt(d + Descriptor.PAYLOAD_OFFSET_OFFSET, offset);
        m.putInt(d + Descriptor.PAYLOAD_LEN_OFFSET, len);
        m.putInt(d + Descriptor.FLAGS_OFFSET, flags);
        if (inline != null) {
            m.buffer().put(d + Descriptor.INLINE_PAYLOAD_OFFSET, inline);
        }
        position++;
        m.putLongRelease(ring + RingHeader.VISIBLE_HEAD_OFFSET, position);
        m.fullFence();
        int sleeping = ring + RingHeader.CONSUMER_SLEEPING_OFFSET;
        if (m.getIntAcquire(sleeping) == 1 && m.compareAndSetInt(sleeping, 1, 0)) {
            ringPeer.run();
        }
    }
}
