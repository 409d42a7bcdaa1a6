package io.rapace.session;

/**
 * Decides whether the peer is alive from its heartbeat words, on the observer's own clock only: the peer is dead
 * when neither its epoch nor its {@code last_seen} changed for the timeout. The two processes' clocks are never
 * compared (the peer's {@code last_seen} is only compared with its own earlier value).
 */
final class Liveness {
    private final long timeoutNanos;
    private long lastEpoch;
    private long lastSeen;
    private long lastChange;
    private boolean started;

    Liveness(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Records one observation at {@code now} (this process's monotonic clock); returns true if the peer is dead. */
    boolean observe(long epoch, long seen, long now) {
        if (!started || epoch != lastEpoch || seen != lastSeen) {
            started = true;
            lastEpoch = epoch;
            lastSeen = seen;
            lastChange = now;
            return false;
        }
        return now - lastChange >= timeoutNanos;
    }

    /** How long, at {@code now}, the words have stayed unchanged. */
    long unchangedFor(long now) {
        return now - lastChange;
    }

    long lastEpoch() {
        return lastEpoch;
    }
}
