package io.rapace.plugin;

import io.rapace.config.Limits;
import io.rapace.config.SegmentGeometry;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-plugin limits. Calls beyond {@code maxCallsInFlight} or {@code maxCallsPerSecond} (each direction) and messages
 * over {@code maxMessageSize} fail with {@code RESOURCE_EXHAUSTED}, and the plugin's rejected-call counter goes up.
 *
 * @param geometry          the plugin's segment: descriptors per ring, slots per pool, bytes per slot
 * @param maxMessageSize    the largest message either side may send, in bytes
 * @param maxCallsInFlight  calls in flight at once, per direction
 * @param maxCallsPerSecond calls per second, per direction; 0 for no limit
 * @param callTimeout       the deadline of each call the host makes to the plugin: a handler that hangs is cut off
 */
public record PluginLimits(SegmentGeometry geometry, int maxMessageSize, int maxCallsInFlight,
        double maxCallsPerSecond, Duration callTimeout) {

    /** The seed's geometry (64 descriptors, 16 slots of 4 KiB), 16 MiB messages, 1024 calls in flight, 30 s calls. */
    public static final PluginLimits DEFAULT = new PluginLimits(SegmentGeometry.DEFAULT,
            Limits.DEFAULT_MAX_MESSAGE_SIZE, Limits.DEFAULT_MAX_CALLS_IN_FLIGHT, 0, Duration.ofSeconds(30));

    public PluginLimits {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maximum message size must be positive: " + maxMessageSize);
        }
        if (maxCallsInFlight <= 0) {
            throw new IllegalArgumentException("maximum calls in flight must be positive: " + maxCallsInFlight);
        }
        if (!(maxCallsPerSecond >= 0) || Double.isInfinite(maxCallsPerSecond)) {
            throw new IllegalArgumentException("maximum calls per second must be a finite number >= 0: "
                    + maxCallsPerSecond);
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("call timeout must be positive: " + callTimeout);
        }
    }

    public PluginLimits withGeometry(SegmentGeometry g) {
        return new PluginLimits(g, maxMessageSize, maxCallsInFlight, maxCallsPerSecond, callTimeout);
    }

    public PluginLimits withMaxMessageSize(int bytes) {
        return new PluginLimits(geometry, bytes, maxCallsInFlight, maxCallsPerSecond, callTimeout);
    }

    public PluginLimits withMaxCallsInFlight(int calls) {
        return new PluginLimits(geometry, maxMessageSize, calls, maxCallsPerSecond, callTimeout);
    }

    public PluginLimits withMaxCallsPerSecond(double calls) {
        return new PluginLimits(geometry, maxMessageSize, maxCallsInFlight, calls, callTimeout);
    }

    public PluginLimits withCallTimeout(Duration timeout) {
        return new PluginLimits(geometry, maxMessageSize, maxCallsInFlight, maxCallsPerSecond, timeout);
    }
}
