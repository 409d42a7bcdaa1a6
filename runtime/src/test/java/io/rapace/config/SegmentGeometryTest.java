package io.rapace.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.shm.SegmentLayout;
import org.junit.jupiter.api.Test;

class SegmentGeometryTest {

    @Test
    void rejectsACapacityThatIsNotAPowerOfTwo() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new SegmentGeometry(48, 16, 4096));
        assertEquals("ring_capacity 48 is not a power of two in [2, 1048576]", e.getMessage());
    }

    @Test
    void rejectsASlotSizeThatIsNotAMultipleOf64() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new SegmentGeometry(64, 16, 1000));
        assertEquals("slot_size 1000 is not a multiple of 64 in [64, 67108864]", e.getMessage());
    }

    @Test
    void rejectsZeroSlotsAndUnsignedHugeValues() {
        assertEquals("slot_count 0 is not in [1, 65536]", SegmentLayout.geometryProblem(64, 0, 4096));
        assertEquals("ring_capacity 4294967295 is not a power of two in [2, 1048576]",
                SegmentLayout.geometryProblem(-1, 16, 4096));
    }

    @Test
    void reportsNegativeValuesGivenInJavaAsThemselves() {
        assertEquals("ring_capacity -1 is not a power of two in [2, 1048576]", assertThrows(
                IllegalArgumentException.class, () -> new SegmentGeometry(-1, 16, 4096)).getMessage());
        assertEquals("slot_count -16 is not in [1, 65536]", assertThrows(
                IllegalArgumentException.class, () -> new SegmentGeometry(64, -16, 4096)).getMessage());
        assertEquals("slot_size -4096 is not a multiple of 64 in [64, 67108864]", assertThrows(
                IllegalArgumentException.class, () -> new SegmentGeometry(64, 16, -4096)).getMessage());
    }

    @Test
    void rejectsASegmentTooLargeForOneMapping() {
        assertEquals("a segment with ring_capacity=64, slot_count=65536, slot_size=67108864 would be "
                + SegmentLayout.segmentSize(64, 65536, 67108864) + " bytes, more than the 2147483584 one mapping "
                + "can hold", SegmentLayout.geometryProblem(64, 65536, 1 << 26));
    }

    @Test
    void describesItselfInTheHeadersWords() {
        assertEquals("ring_capacity=64, slot_count=16, slot_size=4096", SegmentGeometry.DEFAULT.toString());
    }
}
