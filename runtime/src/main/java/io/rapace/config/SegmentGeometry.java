package io.rapace.config;

import io.rapace.shm.SegmentLayout;

/**
 * The three numbers that shape a segment: descriptors per ring, slots per pool and bytes per slot (the same for
 * both directions). The defaults are the seed's: 64 descriptors, 16 slots of 4 KiB, which makes a segment of
 * {@value #DEFAULT_SEGMENT_SIZE} bytes (see {@code docs/operations.md} for sizing). The limits of each number and the
 * size they make are the segment layout's (the runtime's {@code io.rapace.shm.SegmentLayout}, after
 * {@code docs/segment-format.md}).
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
        String problem = SegmentLayout.geometryProblem((long) ringCapacity, (long) slotCount, (long) slotSize);
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
        return SegmentLayout.describeGeometry(ringCapacity, slotCount, slotSize);
    }
}
