package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.Codec;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One call of a {@link CallEngine}, on one side: the channel, what arrives on it (one message, or a {@link Pipe} of
 * messages), the credit for what this side streams out, and the call's single outcome.
 *
 * <p>Outbound calls (this side opened the channel) hold the decoded single response of a unary or client-streaming
 * call, or the pipe of responses of a server- or bidi-streaming one. Inbound calls (the peer opened it) hold the
 * request of a unary or server-streaming call, or the pipe of requests of a client- or bidi-streaming one, and the
 * handler's {@link CallContext}.
 *
 * <p>The call ends once, with the first outcome: success, or a {@link Failure} from either side, the deadline or the
 * session ending. Ending fails both directions (a failure from the peer keeps what it sent before readable), cancels
 * the handler's context, interrupts the threads working for the call and removes it from the engine. Whoever ended
 * it tells the peer, if the peer must learn of it.
 */
final class EngineCall {
    /** What a sender or a reader still working for a call that succeeded is told. */
    private static final Failure FINISHED = Failure.of(ErrorCode.CANCELLED, "the call has finished");
    final CallEngine engine;
    final int channel;
    final int methodId;
    final MethodKind kind;
    final boolean outbound;
    final long startNanos = System.nanoTime();
    /** The local time the deadline passes, when {@link #hasDeadline}. */
    final long deadlineNanos;
    final boolean hasDeadline;
    /** The streamed messages arriving on the channel, or null when one message arrives. */
    final Pipe<byte[]> incoming;
    /** Outbound unary and client-streaming calls: the decoded response. */
    final CompletableFuture<Object> single;
    /** Outbound unary and client-streaming calls: how to decode the response, on the reader thread. */
    final Codec<?> singleCodec;
    /** Credit for the stream this side sends, or null when this side sends no stream on the call. */
    final Credit credit;
    /** The call's byte counts, shared with the interceptors that asked for them. */
    final CallStats stats;

    /** Outbound calls with a deadline: what the caller is told when it passes, whichever side's timer saw it. */
    volatile String deadlineMessage;
    /** How deep the call is nested (1: made by no handler). */
    int depth = 1;
    /** Inbound unary and server-streaming calls: the request body, copied off the segment. */
    byte[] request;

    private final int grantThreshold;
    /** The thread working for the call, and any more (allocated for a second one only: most calls have one). */
    private Thread worker;
    private Set<Thread> workers;
    private Set<Thread> interrupted;
    private long grantedToPeer;
    private long streamReceived;
    private long ungranted;
    private CallContext context;
    private Failure outcome;
    private boolean ended;
    private boolean rejected;
    private ScheduledFuture<?> deadlineTimer;
    private Runnable unlinkParent;

    EngineCall(CallEngine engine, int channel, int methodId, MethodKind kind, boolean outbound, long budgetNanos,
            Codec<?> singleCodec, int streamWindow, CallStats stats) {
        this.engine = engine;
        this.stats = stats;
        this.channel = channel;
        this.methodId = methodId;
        this.kind = kind;
        this.outbound = outbound;
        this.hasDeadline = budgetNanos >= 0;
        this.deadlineNanos = hasDeadline ? startNanos + Math.min(budgetNanos, Long.MAX_VALUE / 4) : 0;
        boolean streamedIn = outbound ? kind.streamsResponses() : kind.streamsRequests();
        this.incoming = streamedIn ? new Pipe<>(Long.MAX_VALUE, bytes -> bytes.length) : null;
        this.single = outbound && !kind.streamsResponses() ? new CompletableFuture<>() : null;
        this.singleCodec = singleCodec;
        this.credit = (outbound ? kind.streamsRequests() : kind.streamsResponses()) ? new Credit() : null;
        this.grantThreshold = Math.max(1, streamWindow / 4);
    }

    /** Nanoseconds left before the deadline (negative once passed), or {@code Long.MAX_VALUE} without one. */
    long remainingNanos() {
        return hasDeadline ? deadlineNanos - System.nanoTime() : Long.MAX_VALUE;
    }

    // ---------------------------------------------------------------------------------------------------------
    // threads and context

    /** Makes {@code handlerContext} the context cancellation reaches (before the handler runs). */
    synchronized boolean setContext(CallContext handlerContext) {
        if (ended) {
            return false;
        }
        context = handlerContext;
        return true;
    }

    /** Registers a thread to interrupt if the call fails; false if it already ended (then do not run). */
    synchronized boolean attach(Thread thread) {
        if (ended) {
            return false;
        }
        if (worker == null || worker == thread) {
            worker = thread;
        } else {
            if (workers == null) {
                workers = new HashSet<>(4);
            }
            workers.add(thread);
        }
        return true;
    }

    /** Unregisters the current thread and clears an interrupt this call left on it (and only such an interrupt). */
    void detach() {
        boolean ours;
        synchronized (this) {
            if (worker == Thread.currentThread()) {
                worker = null;
            } else if (workers != null) {
                workers.remove(Thread.currentThread());
            }
            ours = interrupted != null && interrupted.remove(Thread.currentThread());
        }
        if (ours) {
            Thread.interrupted();
        }
    }

    synchronized void deadlineTimer(ScheduledFuture<?> timer) {
        if (ended) {
            timer.cancel(false);
        } else {
            deadlineTimer = timer;
        }
    }

    /** Cancels this call when {@code parent}, the call of the handler that made it, is cancelled. */
    void linkTo(CallContext parent) {
        Runnable unlink = parent.addCancelListener(() -> engine.frames.cancelOutbound(this,
                Failure.of(ErrorCode.CANCELLED, "cancelled with the call it was made for")));
        boolean done;
        synchronized (this) {
            done = ended;
            if (!done) {
                unlinkParent = unlink;
            }
        }
        if (done) {
            unlink.run();
        }
    }

    synchronized boolean isEnded() {
        return ended;
    }

    /** The outcome once ended: null while live or after success. */
    synchronized Failure failure() {
        return outcome;
    }

    /** Throws the call's failure if it ended with one. */
    void checkLive() {
        Failure f;
        boolean done;
        synchronized (this) {
            f = outcome;
            done = ended;
        }
        if (f != null) {
            throw f.toException();
        }
        if (done) {
            throw new RpcException(ErrorCode.CANCELLED, "the call has already finished");
        }
    }

    void markRejected() {
        rejected = true;
    }

    boolean rejected() {
        return rejected;
    }

    // ---------------------------------------------------------------------------------------------------------
    // credit of what arrives

    /** Records the credit this side granted the peer for the stream it receives. */
    synchronized void granted(long bytes) {
        grantedToPeer += bytes;
    }

    /**
     * A streamed message arrived (reader thread): false if the peer had already used all the credit it was given
     * when it sent it (a sender may only send while it has sent less than it was granted, so it overshoots by at most
     * its last message), which only a broken or hostile peer does.
     */
    synchronized boolean arrived(int bytes) {
        boolean allowed = streamReceived < grantedToPeer;
        streamReceived += bytes;
        return allowed;
    }

    /**
     * The reader took a message of {@code bytes}: returns the credit to grant back now (a quarter of the window at a
     * time), or 0 to keep collecting.
     */
    synchronized long taken(int bytes) {
        if (ended) {
            return 0;
        }
        ungranted += bytes;
        if (ungranted < grantThreshold) {
            return 0;
        }
        long grant = Math.min(ungranted, 0xFFFF_FFFFL);
        ungranted -= grant;
        grantedToPeer += grant;
        return grant;
    }

    // ---------------------------------------------------------------------------------------------------------
    // ending

    /**
     * Ends the call with {@code failure} (null: success) unless it already ended; returns whether this ended it.
     * {@code fromPeer}: the peer reported the failure, so what it sent before stays readable.
     */
    boolean end(Failure failure, boolean fromPeer) {
        CallContext handlerContext;
        ScheduledFuture<?> timer;
        Runnable unlink;
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
            outcome = failure;
            handlerContext = context;
            timer = deadlineTimer;
            unlink = unlinkParent;
            deadlineTimer = null;
            unlinkParent = null;
        }
        if (handlerContext != null && failure != null) {
            // first, so a handler woken by what follows (its send failing, its request stream ending) finds its
            // context cancelled
            handlerContext.cancel(failure);
        }
        Failure finished = failure != null ? failure : FINISHED;
        if (credit != null) {
            credit.fail(finished);
        }
        if (incoming != null) {
            if (failure == null) {
                if (outbound) {
                    incoming.complete();
                } else {
                    incoming.fail(finished);
                }
            } else if (fromPeer) {
                incoming.failAfterBuffered(failure);
            } else {
                incoming.fail(failure);
            }
        }
        if (single != null && failure != null) {
            single.completeExceptionally(new Failure.Signal(failure));
        }
        if (failure != null) {
            // after the context is cancelled (an interrupted handler finds out why), and under the lock, so a thread
            // that already detached (and may serve another call) is never hit
            synchronized (this) {
                interrupt(worker);
                for (Thread other : workers == null ? Set.<Thread>of() : workers) {
                    interrupt(other);
                }
            }
        }
        if (timer != null) {
            timer.cancel(false);
        }
        if (unlink != null) {
            unlink.run();
        }
        engine.ended(this);
        return true;
    }

    /** Interrupts {@code thread} (held under this call's lock) unless it is null or the current thread. */
    private void interrupt(Thread thread) {
        if (thread != null && thread != Thread.currentThread()) {
            if (interrupted == null) {
                interrupted = new HashSet<>(4);
            }
            interrupted.add(thread);
            thread.interrupt();
        }
    }

    @Override
    public String toString() {
        return "EngineCall[channel=" + Integer.toUnsignedString(channel) + ", method="
                + Integer.toUnsignedString(methodId) + ", " + kind + (outbound ? ", outbound" : ", inbound") + "]";
    }
}
