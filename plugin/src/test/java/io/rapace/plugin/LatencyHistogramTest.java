package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsArePowersOfTwo() {
        assertEquals(0, LatencyHistogram.bucketOf(0));
        assertEquals(1, LatencyHistogram.bucketOf(1));
        assertEquals(2, LatencyHistogram.bucketOf(2));
        assertEquals(2, LatencyHistogram.bucketOf(3));
        assertEquals(3, LatencyHistogram.bucketOf(4));
        assertEquals(10, LatencyHistogram.bucketOf(1023));
        assertEquals(11, LatencyHistogram.bucketOf(1024));
        assertEquals(63, LatencyHistogram.bucketOf(Long.MAX_VALUE));
        assertEquals(0, LatencyHistogram.bucketOf(-5));
        assertEquals(1023, LatencyHistogram.upperBound(10));
        assertEquals(Long.MAX_VALUE, LatencyHistogram.upperBound(63));
    }

    @Test
    void percentilesAreTheUpperBoundOfTheirBucketButNeverAboveTheMaximum() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertEquals(0, histogram.percentile(50));
        for (long v = 1; v <= 1000; v++) {
            histogram.record(v);
        }
        assertEquals(1000, histogram.count());
        assertEquals(511, histogram.percentile(50)); // the 500th value, 500, is in [256, 511]
        assertEquals(1000, histogram.percentile(99)); // 990 is in [512, 1023], capped at the maximum seen
        assertEquals(1, histogram.percentile(0.1));
        assertEquals(1000, histogram.max());
        histogram.record(-7);
        assertEquals(0, histogram.percentile(0.05));
    }

    @Test
    void rejectsAPercentileOutsideItsRange() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertEquals("percentile must be in (0, 100], not 0.0",
                assertThrows(IllegalArgumentException.class, () -> histogram.percentile(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> histogram.percentile(100.5));
    }
}
