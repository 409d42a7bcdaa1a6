package io.rapace.rpc;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a handler knows about the call it serves: its deadline, whether it was cancelled, the caller's metadata and
 * the peer that made it, with a channel back to that peer for nested calls. The transport sets it for the handler's
 * thread while the handler (and the response stream it returns) runs; {@link #current()} reads it.
 *
 * <p>Cancellation reaches a handler three ways, use whichever fits: {@link #isCancelled()} to poll,
 * {@link #onCancel(Runnable)} to be called back, and the interruption of the handler's thread, so a handler blocked
 * in {@code Thread.sleep}, {@code Object.wait} or a blocking queue wakes up with an {@link InterruptedException}.
 * A call is cancelled when the caller cancels it, when its deadline passes, when the response cannot be delivered
 * and when the transport closes.
 *
 * <p>A call made from a handler's thread (a nested call) inherits the handler's deadline when it is sooner than its
 * own, and is cancelled with the handler's call.
 */
public final class CallContext {
    private static final System.Logger LOG = System.getLogger(CallContext.class.getName());
    private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

    private final int methodId;
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private final List<MetadataEntry> metadata;
    private final String peerId;
    private final CallChannel peerChannel;
    private final int depth;
    private final boolean direct;
    private final CallStats stats;

    private final Object lock = new Object();
    private Failure cancellation;
    /** Null until a listener is added (most calls never get one), and again once cancelled. */
    private List<Runnable> listeners;

    /**
     * A context for a call of {@code methodId} that arrived with {@code remainingNanos} of budget (negative: no
     * deadline), measured from now on this side's own clock.
     */
    CallContext(int methodId, long remainingNanos, List<MetadataEntry> metadata, String peerId,
            CallChannel peerChannel) {
        this(methodId, remainingNanos, metadata, peerId, peerChannel, 1, false, new CallStats(null));
    }

    /**
     * As above, for a call at nesting {@code depth} (1 for a call no handler made), run on the reader thread when
     * {@code direct}, counted in {@code stats}.
     */
    CallContext(int methodId, long remainingNanos, List<MetadataEntry> metadata, String peerId,
            CallChannel peerChannel, int depth, boolean direct, CallStats stats) {
        this.stats = stats;
        this.depth = depth;
        this.direct = direct;
        this.methodId = methodId;
        this.hasDeadline = remainingNanos >= 0;
        this.deadlineNanos = hasDeadline ? System.nanoTime() + remainingNanos : 0;
        this.metadata = List.copyOf(metadata);
        this.peerId = peerId;
        this.peerChannel = peerChannel;
    }

    /** What the transport counted for this call, for {@link ServerCall#stats()}. */
    CallStats stats() {
        return stats;
    }

    /**
     * The context of the call this thread is serving.
     *
     * @throws IllegalStateException if this thread is not running a handler
     */
    public static CallContext current() {
        CallContext context = CURRENT.get();
        if (context == null) {
            throw new IllegalStateException("no call is being served on thread " + Thread.currentThread().getName());
        }
        return context;
    }

    static CallContext currentOrNull() {
        return CURRENT.get();
    }

    /** Makes {@code context} current on this thread and returns the one it replaces (usually null). */
    static CallContext enter(CallContext context) {
        CallContext previous = CURRENT.get();
        CURRENT.set(context);
        return previous;
    }

    static void restore(CallContext previous) {
        CURRENT.set(previous); // null, not remove(): a pool thread would allocate its entry again for every call
    }

    /** The id of the method being served (a u32 in an int). */
    public int methodId() {
        return methodId;
    }

    /** The budget left before the call's deadline (zero once it has passed), or empty if the call has none. */
    public Optional<Duration> remaining() {
        return hasDeadline ? Optional.of(Duration.ofNanos(Math.max(0, remainingNanos()))) : Optional.empty();
    }

    boolean hasDeadline() {
        return hasDeadline;
    }

    /** Nanoseconds left before the deadline, negative once it has passed; only meaningful with a deadline. */
    long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    /** How deep this call is nested: 1 for a call no handler made, 2 for a call made by its handler, and so on. */
    public int depth() {
        return depth;
    }

    /** True when the handler runs on the session's reader thread (direct mode), where it must not block. */
    boolean direct() {
        return direct;
    }

    /** True once the call was cancelled, for whatever reason. */
    public boolean isCancelled() {
        synchronized (lock) {
            return cancellation != null;
        }
    }

    /**
     * Throws the reason the call was cancelled ({@link ErrorCode#CANCELLED}, {@link ErrorCode#DEADLINE_EXCEEDED},
     * {@link ErrorCode#SESSION_CLOSED}, ...) if it was; returns normally otherwise.
     */
    public void checkCancelled() {
        Failure reason;
        synchronized (lock) {
            reason = cancellation;
        }
        if (reason != null) {
            throw reason.toException();
        }
    }

    /**
     * Runs {@code action} once when the call is cancelled, on the thread that cancels it, or at once on this thread
     * if it already was. An exception from {@code action} is logged and otherwise ignored.
     */
    public void onCancel(Runnable action) {
        addCancelListener(action);
    }

    /** Like {@link #onCancel}, and returns an action that removes the listener again (for nested calls). */
    Runnable addCancelListener(Runnable action) {
        synchronized (lock) {
            if (cancellation == null) {
                if (listeners == null) {
                    listeners = new ArrayList<>(2);
                }
                listeners.add(action);
                return () -> {
                    synchronized (lock) {
                        if (listeners != null) {
                            listeners.remove(action);
                        }
                    }
                };
            }
        }
        runListener(action);
        return () -> { };
    }

    /** The caller's metadata, in the order it was added. */
    public List<MetadataEntry> metadata() {
        return metadata;
    }

    /** The identity of the peer that made the call, as it gave it when the session (or loopback) started. */
    public String peerId() {
        return peerId;
    }

    /** A channel to the peer that made the call, for nested calls back into the services it serves. */
    public CallChannel peerChannel() {
        return peerChannel;
    }

    /** Marks the call cancelled with {@code reason} and runs the listeners; later calls do nothing. */
    void cancel(Failure reason) {
        List<Runnable> toRun;
        synchronized (lock) {
            if (cancellation != null) {
                return;
            }
            cancellation = reason;
            toRun = listeners;
            listeners = null;
        }
        if (toRun == null) {
            return;
        }
        for (Runnable action : toRun) {
            runListener(action);
        }
    }

    private static void runListener(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cancellation listener failed", e);
        }
    }

    @Override
    public String toString() {
        return "CallContext[method=" + Integer.toUnsignedString(methodId) + ", peer=" + peerId + ", remaining="
                + remaining().map(Duration::toString).orElse("none") + ", cancelled=" + isCancelled() + "]";
    }
}
