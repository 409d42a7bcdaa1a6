package io.rapace.session;

/**
 * Decides whether the peer is alive from its heartbeat words, on the observer's own clock only: the peer is dead
 * when neither its epoch nor its {@code last_seen} changed for the timeout. The two processes' clocks are never
 * compared (the peer's {@code last_seen} is only compared with its own earlier value).
 */
final class Liveness {
    private long lastEpoch;
    private long lastSeen;
    private long lastChange;
    private boolean started;

    /**
     * Records one observation at {@code now} (this process's monotonic clock); returns true if the peer is dead: its
     * words have not changed for {@code timeoutNanos}.
     */
    boolean observe(long epoch, long seen, long now, long timeoutNanos) {
        if (!started || epoch != lastEpoch || seen != lastSeen) {
            started = true;
            lastEpoch = epoch;
            lastSeen = seen;
            lastChange = now;
            return false;
        }
        return now - lastChange >= timeoutNanos;
    }

    /**
     * Counts the peer's silence from {@code now} on, as if its words had just changed: when this side starts waiting
     * on a quiet peer, which beat slowly until it learns of the call, the peer gets a whole (short) timeout.
     */
    void restart(long now) {
        lastChange = now;
    }

    /** How long, at {@code now}, the words have stayed unchanged. */
    long unchangedFor(long now) {
        return now - lastChange;
    }

    long lastEpoch() {
        return lastEpoch;
    }
}
