package io.rapace.shm;

import io.rapace.config.SegmentGeometry;

/**
 * The map of a whole segment file; every region starts on a 64-byte boundary.
 *
 * <pre>
 *   offset                                   region
 *   0                                        segment header, 64 bytes ({@link SegmentHeader})
 *   64                                       ring A to B: header 256 bytes + ring_capacity * 64 ({@link RingHeader})
 *   64 + ring                                ring B to A: the same shape
 *   64 + 2 * ring                            slot pool A to B (A allocates, B frees) ({@link SlotPoolHeader})
 *   64 + 2 * ring + pool                     slot pool B to A (B allocates, A frees)
 *   64 + 2 * ring + 2 * pool                 end of file
 *
 *   ring = 256 + 64 * ring_capacity
 *   pool = 192 + align64(4 * slot_count) + align64(8 * slot_count) + slot_count * slot_size
 * </pre>
 *
 * <p>With the default geometry (64, 16, 4096): ring = 4352, pool = 65920, file = 140608 bytes.
 */
public final class SegmentLayout {
    static final int RING_A_TO_B_OFFSET = SegmentHeader.LENGTH;
    /** One {@code MappedByteBuffer} holds the segment, so it must stay below 2 GiB. */
    static final long MAX_SEGMENT_SIZE = Integer.MAX_VALUE - 63;

    private SegmentLayout() {
    }

    static long align64(long n) {
        return (n + 63) & ~63L;
    }

    /** Bytes of a segment file of this geometry. */
    public static long segmentSize(int ringCapacity, int slotCount, int slotSize) {
        return SegmentHeader.LENGTH + 2 * RingHeader.ringLength(ringCapacity)
                + 2 * SlotPoolHeader.poolLength(slotCount, slotSize);
    }

    /** Offset of the ring that {@code producer} writes and the other peer reads. */
    static int ringOffset(SegmentGeometry g, PeerRole producer) {
        long ring = RingHeader.ringLength(g.ringCapacity());
        return (int) (producer == PeerRole.PEER_A ? RING_A_TO_B_OFFSET : RING_A_TO_B_OFFSET + ring);
    }

    /** Offset of the slot pool that {@code allocator} sends from and the other peer frees into. */
    static int poolOffset(SegmentGeometry g, PeerRole allocator) {
        long first = RING_A_TO_B_OFFSET + 2 * RingHeader.ringLength(g.ringCapacity());
        long pool = SlotPoolHeader.poolLength(g.slotCount(), g.slotSize());
        return (int) (allocator == PeerRole.PEER_A ? first : first + pool);
    }

    /** {@code ring_capacity=64, slot_count=16, slot_size=4096}: a geometry in the header's words. */
    public static String describeGeometry(int ringCapacity, int slotCount, int slotSize) {
        return "ring_capacity=" + Integer.toUnsignedString(ringCapacity) + ", slot_count="
                + Integer.toUnsignedString(slotCount) + ", slot_size=" + Integer.toUnsignedString(slotSize);
    }

    /** What is wrong with a geometry read from a header (each value a u32), or null if nothing is. */
    public static String geometryProblem(int ringCapacity, int slotCount, int slotSize) {
        return geometryProblem(Integer.toUnsignedLong(ringCapacity), Integer.toUnsignedLong(slotCount),
                Integer.toUnsignedLong(slotSize));
    }

    /** What is wrong with a geometry of these values, or null if nothing is. */
    public static String geometryProblem(long cap, long count, long size) {
        if (cap < RingHeader.MIN_CAPACITY || cap > RingHeader.MAX_CAPACITY || Long.bitCount(cap) != 1) {
            return "ring_capacity " + cap + " is not a power of two in [" + RingHeader.MIN_CAPACITY + ", "
                    + RingHeader.MAX_CAPACITY + "]";
        }
        if (count < SlotPoolHeader.MIN_SLOT_COUNT || count > SlotPoolHeader.MAX_SLOT_COUNT) {
            return "slot_count " + count + " is not in [" + SlotPoolHeader.MIN_SLOT_COUNT + ", "
                    + SlotPoolHeader.MAX_SLOT_COUNT + "]";
        }
        if (size < SlotPoolHeader.MIN_SLOT_SIZE || size > SlotPoolHeader.MAX_SLOT_SIZE
                || size % SlotPoolHeader.SLOT_SIZE_ALIGNMENT != 0) {
            return "slot_size " + size + " is not a multiple of " + SlotPoolHeader.SLOT_SIZE_ALIGNMENT + " in ["
                    + SlotPoolHeader.MIN_SLOT_SIZE + ", " + SlotPoolHeader.MAX_SLOT_SIZE + "]";
        }
        long total = segmentSize((int) cap, (int) count, (int) size);
        if (total > MAX_SEGMENT_SIZE) {
            return "a segment with " + describeGeometry((int) cap, (int) count, (int) size) + " would be " + total
                    + " bytes, more than the " + MAX_SEGMENT_SIZE + " one mapping can hold";
        }
        return null;
    }
}
