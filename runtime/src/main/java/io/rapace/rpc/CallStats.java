package io.rapace.rpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the transport counted for one call: the payload bytes each way (the call header included) and whether a
 * limit of this side refused the call before anything was sent. Interceptors read it through
 * {@link ClientCall#stats()} and {@link ServerCall#stats()}, for metrics the call API alone cannot see; the figures
 * grow while the call runs and are final once it has ended. Counted on whichever threads send and receive the
 * call's frames, so reading them is safe from any thread.
 */
public final class CallStats {
    private static final VarHandle SENT;
    private static final VarHandle RECEIVED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SENT = lookup.findVarHandle(CallStats.class, "sent", long.class);
            RECEIVED = lookup.findVarHandle(CallStats.class, "received", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CallStats outer;
    // counted atomically in place (one object per call, not three)
    private volatile long sent;
    private volatile long received;
    private volatile boolean refused;

    /** Figures that also count into {@code outer} (null: none), so every interceptor of a chain sees its try. */
    CallStats(CallStats outer) {
        this.outer = outer;
    }

    /** Payload bytes this side sent for the call so far. */
    public long bytesSent() {
        return sent;
    }

    /** Payload bytes this side received for the call so far. */
    public long bytesReceived() {
        return received;
    }

    /**
     * True when a limit of this side (calls in flight, calls per second, nesting depth) refused the call before it
     * was sent or served; it then failed with {@link ErrorCode#RESOURCE_EXHAUSTED}.
     */
    public boolean refused() {
        return refused;
    }

    void addSent(long bytes) {
        for (CallStats s = this; s != null; s = s.outer) {
            SENT.getAndAdd(s, bytes);
        }
    }

    void addReceived(long bytes) {
        for (CallStats s = this; s != null; s = s.outer) {
            RECEIVED.getAndAdd(s, bytes);
        }
    }

    void markRefused() {
        for (CallStats s = this; s != null; s = s.outer) {
            s.refused = true;
        }
    }

    @Override
    public String toString() {
        return "CallStats[sent=" + bytesSent() + ", received=" + bytesReceived() + (refused ? ", refused" : "") + "]";
    }
}
