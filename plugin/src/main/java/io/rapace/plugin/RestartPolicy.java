package io.rapace.plugin;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * When a plugin that ended is started again: {@linkplain #never() never}, or {@linkplain #onFailure on failure} with
 * exponential back-off and a ceiling on the restart rate, so a plugin that dies at once on every start settles in
 * {@code Crashed} with a reason instead of burning a core.
 *
 * <p>The policy is an immutable value; the per-plugin history lives in a {@link Tracker}. Back-off and rate share one
 * memory: the delay before a restart is {@code initialDelay * multiplier^k}, capped at {@code maxDelay}, where
 * {@code k} is the number of restarts within the last {@code window}; a plugin that stayed up for a whole window
 * starts again from {@code initialDelay}. Once {@code maxRestarts} restarts fall within the window, the next failure
 * is final.
 *
 * <p>Pure logic: the clock is a {@link LongSupplier} of monotonic nanoseconds ({@code System::nanoTime} by default),
 * and nothing here sleeps or starts anything.
 */
public final class RestartPolicy {
    private final boolean restarts;
    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final int maxRestarts;
    private final Duration window;

    private RestartPolicy(boolean restarts, Duration initialDelay, double multiplier, Duration maxDelay,
            int maxRestarts, Duration window) {
        this.restarts = restarts;
        this.initialDelay = initialDelay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
        this.maxRestarts = maxRestarts;
        this.window = window;
    }

    /** Never restarts: a failure leaves the plugin {@code Crashed}, a normal exit {@code Stopped}. */
    public static RestartPolicy never() {
        return new RestartPolicy(false, Duration.ZERO, 1, Duration.ZERO, 0, Duration.ofNanos(1));
    }

    /**
     * Restarts after a failure, never after a normal exit.
     *
     * @param initialDelay delay before the first restart (0 or more)
     * @param multiplier factor applied to the delay for each further restart within the window (1 or more)
     * @param maxDelay the longest delay (at least {@code initialDelay})
     * @param maxRestarts restarts allowed within {@code window} (1 or more)
     * @param window the span over which restarts are counted (positive)
     * @throws IllegalArgumentException naming the parameter and its value
     */
    public static RestartPolicy onFailure(Duration initialDelay, double multiplier, Duration maxDelay, int maxRestarts,
            Duration window) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(window, "window");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay is negative: " + initialDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1, not " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
        }
        if (maxRestarts < 1) {
            throw new IllegalArgumentException("maxRestarts must be at least 1, not " + maxRestarts
                    + " (use RestartPolicy.never() for no restarts)");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, not " + window);
        }
        return new RestartPolicy(true, initialDelay, multiplier, maxDelay, maxRestarts, window);
    }

    /** On failure: 100 ms, doubling up to 10 s, at most 5 restarts a minute. */
    public static RestartPolicy onFailure() {
        return onFailure(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10), 5, Duration.ofMinutes(1));
    }

    /** A fresh history for one plugin, on {@code System.nanoTime()}. */
    public Tracker newTracker() {
        return newTracker(System::nanoTime);
    }

    /** A fresh history for one plugin, on the given monotonic nanosecond clock. */
    public Tracker newTracker(LongSupplier nanoClock) {
        return new Tracker(Objects.requireNonNull(nanoClock, "nanoClock"));
    }

    @Override
    public String toString() {
        if (!restarts) {
            return "never";
        }
        return "on-failure (delay " + format(initialDelay) + " x" + multiplier + " up to " + format(maxDelay)
                + ", at most " + maxRestarts + " restarts in " + format(window) + ")";
    }

    /** What to do after a plugin ended. */
    public sealed interface Decision permits Restart, Stay {
    }

    /**
     * Start the plugin again after {@code delay}.
     *
     * @param attempt 1 for the first restart within the window, 2 for the second, and so on
     */
    public record Restart(Duration delay, int attempt) implements Decision {
    }

    /** Leave the plugin in {@code state} ({@code Crashed} or {@code Stopped}); {@code reason} says why, for logs. */
    public record Stay(PluginState state, String reason) implements Decision {
    }

    /** The restart history of one plugin. Not thread-safe: the supervisor of that plugin owns it. */
    public final class Tracker {
        private final LongSupplier clock;
        /** Times of the restarts within the window, oldest first. */
        private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();

        private Tracker(LongSupplier clock) {
            this.clock = clock;
        }

        /**
         * Decides what follows the end of the plugin, and records a restart if it decides one.
         *
         * @param failed true for a crash, a hang or a non-zero exit; false for a normal exit or a requested stop
         * @param cause what happened, in words ("exit code 3", "no heartbeat for 1 s"), quoted in the reason
         */
        public Decision onExit(boolean failed, String cause) {
            if (!failed) {
                return new Stay(PluginState.STOPPED, "plugin ended normally (" + cause + "); not restarting");
            }
            if (!restarts) {
                return new Stay(PluginState.CRASHED,
                        "plugin failed (" + cause + "); not restarting: the restart policy is never");
            }
            long now = clock.getAsLong();
            long windowNanos = window.toNanos();
            while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() >= windowNanos) {
                restartTimes.removeFirst();
            }
            int recent = restartTimes.size();
            if (recent >= maxRestarts) {
                return new Stay(PluginState.CRASHED, "plugin failed (" + cause + "); not restarting: it was restarted "
                        + recent + " times within the last " + format(window) + ", the most the policy allows ("
                        + RestartPolicy.this + ")");
            }
            restartTimes.addLast(now);
            return new Restart(delay(recent), recent + 1);
        }

        /** Restarts within the window as of the last decision. */
        public int recentRestarts() {
            return restartTimes.size();
        }

        private Duration delay(int earlierRestarts) {
            double nanos = initialDelay.toNanos() * Math.pow(multiplier, earlierRestarts);
            long max = maxDelay.toNanos();
            return Duration.ofNanos(nanos >= max ? max : (long) nanos);
        }
    }

    /** "250 ms", "60 s", "1.5 s": durations as a reader of a log wants them. */
    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos >= 1_000_000_000L) {
            return nanos / 1e9 + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        return nanos / 1e6 + " ms";
    }
}
