package io.rapace.shm;

/**
 * The three numbers that shape a segment: descriptors per ring, slots per pool and bytes per slot (the same for
 * both directions). The defaults are the seed's: 64 descriptors, 16 slots of 4 KiB, which makes a segment of
 * {@value #DEFAULT_SEGMENT_SIZE} bytes (see {@code docs/operations.md} for sizing).
 *
 * @param ringCapacity descriptors per ring, a power of two in [2, 2^20]
 * @param slotCount slots per pool, in [1, 65536]
 * @param slotSize bytes per slot, a multiple of 64 in [64, 64 MiB]
 */
public record SegmentGeometry(int ringCapacity, int slotCount, int slotSize) {
    public static final int DEFAULT_RING_CAPACITY = 64;
    public static final int DEFAULT_SLOT_COUNT = 16;
    public static final int DEFAULT_SLOT_SIZE = 4096;
    /** Bytes of a segment with the default geometry. */
    public static final long DEFAULT_SEGMENT_SIZE = 140_608;

    /** The seed's geometry. */
    public static final SegmentGeometry DEFAULT =
            new SegmentGeometry(DEFAULT_RING_CAPACITY, DEFAULT_SLOT_COUNT, DEFAULT_SLOT_SIZE);

    /** Rejects a geometry that no segment may have, naming the field and the allowed range. */
    public SegmentGeometry {
        // the numbers as given: a negative one is reported as itself, not as the u32 a header would hold
        String problem = problem((long) ringCapacity, (long) slotCount, (long) slotSize);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Bytes of the whole segment file. */
    public long segmentSize() {
        return SegmentLayout.segmentSize(ringCapacity, slotCount, slotSize);
    }

    /** {@code ring_capacity=64, slot_count=16, slot_size=4096}: the geometry in the header's words. */
    @Override
    public String toString() {
        return describe(ringCapacity, slotCount, slotSize);
    }

    static String describe(int ringCapacity, int slotCount, int slotSize) {
        return "ring_capacity=" + Integer.toUnsignedString(ringCapacity) + ", slot_count="
                + Integer.toUnsignedString(slotCount) + ", slot_size=" + Integer.toUnsignedString(slotSize);
    }

    /** What is wrong with a geometry read from a header (each value a u32), or null if nothing is. */
    static String problem(int ringCapacity, int slotCount, int slotSize) {
        return problem(Integer.toUnsignedLong(ringCapacity), Integer.toUnsignedLong(slotCount),
                Integer.toUnsignedLong(slotSize));
    }

    /** What is wrong with a geometry of these values, or null if nothing is. */
    private static String problem(long cap, long count, long size) {
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
        long total = SegmentLayout.segmentSize((int) cap, (int) count, (int) size);
        if (total > SegmentLayout.MAX_SEGMENT_SIZE) {
            return "a segment with " + describe((int) cap, (int) count, (int) size) + " would be " + total
                    + " bytes, more than the " + SegmentLayout.MAX_SEGMENT_SIZE + " one mapping can hold";
        }
        return null;
    }
}
