package io.rapace.plugin;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A lock-free histogram of latencies in nanoseconds with one bucket per power of two: bucket 0 holds 0, bucket
 * {@code i >= 1} holds {@code [2^(i-1), 2^i - 1]}, up to bucket 63 for the largest {@code long}. Recording is one
 * atomic increment and no allocation; a percentile is exact to within a factor of two, which is what a dashboard of
 * RPC latencies needs and all a fixed 64-slot array can give.
 */
final class LatencyHistogram {
    static final int BUCKETS = 64;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    /** Records one latency; a negative value (a clock that stepped back) counts as 0. */
    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts.incrementAndGet(bucketOf(value));
        max.accumulate(value);
    }

    static int bucketOf(long nanos) {
        return nanos <= 0 ? 0 : 64 - Long.numberOfLeadingZeros(nanos);
    }

    /** The largest value bucket {@code i} holds. */
    static long upperBound(int bucket) {
        return bucket == 63 ? Long.MAX_VALUE : (1L << bucket) - 1;
    }

    long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    long max() {
        return max.get();
    }

    /**
     * The latency at or below which {@code percentile} percent of the recordings fall, reported as the upper bound
     * of its bucket (never above the largest value seen), or 0 when nothing was recorded.
     *
     * @param percentile in (0, 100]
     */
    long percentile(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], not " + percentile);
        }
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max.get());
            }
        }
        return max.get();
    }
}
