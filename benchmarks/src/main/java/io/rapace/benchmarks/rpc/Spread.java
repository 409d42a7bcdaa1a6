package io.rapace.benchmarks.rpc;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * One figure of one system over the rounds of a run: the median of the rounds' values and their spread, the smallest
 * and the largest. A round that did not measure the figure (NaN: the system failed before it) is left out, so
 * {@link #rounds} may be fewer than the run's. With an even number of rounds the median is the mean of the middle
 * two.
 */
record Spread(double median, double min, double max, int rounds) {
    static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    /** The median and spread of {@code values}, NaN left out; {@link #NONE} if nothing is left. */
    static Spread of(double... values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return NONE;
        }
        int mid = v.length / 2;
        double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        return new Spread(median, v[0], v[v.length - 1], v.length);
    }

    /**
     * {@code format(median)}, followed by {@code (min..max)} when more than one round measured it; {@code -} if no
     * round did. One round reads exactly as a run without rounds.
     */
    String text(DoubleFunction<String> format) {
        if (rounds == 0) {
            return "-";
        }
        if (rounds == 1) {
            return format.apply(median);
        }
        return String.format(Locale.ROOT, "%s (%s..%s)", format.apply(median), format.apply(min), format.apply(max));
    }
}
