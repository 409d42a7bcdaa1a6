package io.rapace.rpc;

import io.rapace.config.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limits of one end: calls in flight and calls per second in each direction, and the nesting depth, which
 * travels with a nested call as the reserved metadata entry {@value #DEPTH_KEY} so that both sides check it.
 */
final class CallLimits {
    /** The reserved metadata key carrying the nesting depth of a nested call (one byte); handlers never see it. */
    static final String DEPTH_KEY = "rapace-depth";

    final Limiter outbound;
    final Limiter inbound;

    CallLimits(int maxCallsInFlight, double maxCallsPerSecond) {
        this.outbound = new Limiter(maxCallsInFlight, maxCallsPerSecond);
        this.inbound = new Limiter(maxCallsInFlight, maxCallsPerSecond);
    }

    /** Null when a call at {@code depth} may be made or served, else the reason it may not. */
    static String depthRefusal(int depth) {
        return depth > Limits.MAX_NESTING_DEPTH
                ? "nested call at depth " + depth + " exceeds the limit of " + Limits.MAX_NESTING_DEPTH
                        + " nested calls"
                : null;
    }

    /** The metadata a call at {@code depth} sends: the caller's, plus the depth entry when nested. */
    static List<MetadataEntry> withDepth(List<MetadataEntry> metadata, int depth) {
        if (depth <= 1) {
            return metadata;
        }
        List<MetadataEntry> copy = new ArrayList<>(metadata);
        copy.add(new MetadataEntry(DEPTH_KEY, new byte[] {(byte) depth}));
        return copy;
    }

    /** The depth a call arrived with (1 without the entry; beyond any limit when the entry is malformed). */
    static int depthOf(List<MetadataEntry> metadata) {
        for (MetadataEntry entry : metadata) {
            if (entry.key().equals(DEPTH_KEY)) {
                return entry.bytes().length == 1 ? entry.bytes()[0] & 0xFF : Integer.MAX_VALUE;
            }
        }
        return 1;
    }

    /** The metadata a handler sees: without the depth entry. */
    static List<MetadataEntry> withoutDepth(List<MetadataEntry> metadata) {
        for (MetadataEntry entry : metadata) {
            if (entry.key().equals(DEPTH_KEY)) {
                List<MetadataEntry> copy = new ArrayList<>(metadata);
                copy.removeIf(e -> e.key().equals(DEPTH_KEY));
                return copy;
            }
        }
        return metadata;
    }

    /** Calls in flight and calls per second of one direction; {@link #admit} says why a call is refused. */
    static final class Limiter {
        private final int maxInFlight;
        private final double perSecond;
        private final AtomicInteger inFlight = new AtomicInteger();
        private double tokens;
        private long refilled = System.nanoTime();

        Limiter(int maxInFlight, double perSecond) {
            this.maxInFlight = maxInFlight;
            this.perSecond = perSecond;
            this.tokens = Math.max(1, perSecond);
        }

        /** Null when the call may go, else the reason it may not. */
        String admit() {
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                return "more than " + maxInFlight + " calls in flight (the session's limit)";
            }
            if (perSecond > 0) {
                synchronized (this) {
                    long now = System.nanoTime();
                    tokens = Math.min(Math.max(1, perSecond), tokens + (now - refilled) * perSecond / 1e9);
                    refilled = now;
                    if (tokens < 1) {
                        inFlight.decrementAndGet();
                        return "more than " + perSecond + " calls per second (the session's limit)";
                    }
                    tokens -= 1;
                }
            }
            return null;
        }

        void release() {
            inFlight.decrementAndGet();
        }
    }
}
