package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One call on a {@link Loopback}, shared by its two ends: what would travel as frames of one channel on a session.
 * The request is one message (unary, server streaming) or a {@link Pipe} of messages (client and bidi streaming);
 * the response likewise. All of it is encoded bytes.
 *
 * <p>The call ends once, with the first outcome: success when the handler has sent its whole response, or a
 * {@link Failure} (from either side, the deadline or the loopback closing). A failure fails both directions, cancels
 * the handler's context and interrupts the threads working for the call: the handler's and, for a bidi call, the
 * one sending the caller's requests.
 */
final class LoopbackCall {
    static final String INTERRUPTED = CallerSide.INTERRUPTED;
    private static final Failure SUCCEEDED = new Failure(0, "");

    final int methodId;
    final MethodKind kind;
    /** The single request of a unary or server-streaming call, else null. */
    final byte[] request;
    /** The requests of a client- or bidi-streaming call, else null. */
    final Pipe<byte[]> requests;
    /** The single response of a unary or client-streaming call, else null. */
    final CompletableFuture<byte[]> response;
    /** The responses of a server- or bidi-streaming call, else null. */
    final Pipe<byte[]> responses;

    /** How deep the call is nested: 1 when no handler made it. */
    int depth = 1;

    private final Consumer<LoopbackCall> onEnd;
    private final Set<Thread> workers = new HashSet<>();
    private CallContext context;
    private Failure outcome;
    private ScheduledFuture<?> deadlineTimer;
    private Runnable unlinkParent;

    LoopbackCall(int methodId, MethodKind kind, byte[] request, int streamWindow, Consumer<LoopbackCall> onEnd) {
        this.methodId = methodId;
        this.kind = kind;
        this.onEnd = onEnd;
        boolean streamedRequests = kind == MethodKind.CLIENT_STREAMING || kind == MethodKind.BIDI_STREAMING;
        boolean streamedResponses = kind == MethodKind.SERVER_STREAMING || kind == MethodKind.BIDI_STREAMING;
        this.request = streamedRequests ? null : request;
        this.requests = streamedRequests ? new Pipe<>(streamWindow, bytes -> bytes.length) : null;
        this.response = streamedResponses ? null : new CompletableFuture<>();
        this.responses = streamedResponses ? new Pipe<>(streamWindow, bytes -> bytes.length) : null;
    }

    /** Fails the call with {@code DEADLINE_EXCEEDED} after {@code budgetNanos}, unless it ended first. */
    void scheduleDeadline(ScheduledExecutorService timer, long budgetNanos, String message) {
        ScheduledFuture<?> timerTask = timer.schedule(() -> abort(Failure.of(ErrorCode.DEADLINE_EXCEEDED, message)),
                budgetNanos, TimeUnit.NANOSECONDS);
        boolean ended;
        synchronized (this) {
            ended = outcome != null;
            if (!ended) {
                deadlineTimer = timerTask;
            }
        }
        if (ended) {
            timerTask.cancel(false);
        }
    }

    /** Cancels this call when {@code parent}, the call of the handler that made it, is cancelled. */
    void linkTo(CallContext parent) {
        Runnable unlink = parent.addCancelListener(() -> abort(Failure.of(ErrorCode.CANCELLED,
                "cancelled with the call it was made for")));
        boolean ended;
        synchronized (this) {
            ended = outcome != null;
            if (!ended) {
                unlinkParent = unlink;
            }
        }
        if (ended) {
            unlink.run();
        }
    }

    /**
     * Registers the handler's thread and context; false if the call already ended, in which case the handler must
     * not run.
     */
    synchronized boolean attachHandler(Thread thread, CallContext handlerContext) {
        if (outcome != null) {
            return false;
        }
        context = handlerContext;
        workers.add(thread);
        return true;
    }

    /** Registers a thread to interrupt if the call fails; false if it already ended. */
    synchronized boolean attachWorker(Thread thread) {
        if (outcome != null) {
            return false;
        }
        workers.add(thread);
        return true;
    }

    /** Unregisters the current thread and clears an interrupt this call may have left on it. */
    void detach() {
        synchronized (this) {
            workers.remove(Thread.currentThread());
        }
        Thread.interrupted();
    }

    /** The handler's single response. */
    void respond(byte[] bytes) {
        response.complete(bytes);
    }

    /** The handler finished and its whole response was sent: the call succeeded, unless it ended before. */
    void succeed() {
        synchronized (this) {
            if (outcome != null) {
                return;
            }
            outcome = SUCCEEDED;
        }
        if (requests != null) {
            requests.fail(Failure.of(ErrorCode.CANCELLED, "the call has finished"));
        }
        ended();
    }

    /** Fails the call with {@code failure} at once, unless it already ended: the caller's side, a deadline, closing. */
    boolean abort(Failure failure) {
        return abort(failure, false);
    }

    /**
     * Fails the call from the handler's side: the caller still reads the responses the handler sent before, then gets
     * {@code failure}, as on the wire.
     */
    boolean abortByHandler(Failure failure) {
        return abort(failure, true);
    }

    private boolean abort(Failure failure, boolean byHandler) {
        CallContext handlerContext;
        synchronized (this) {
            if (outcome != null) {
                return false;
            }
            outcome = failure;
            handlerContext = context;
        }
        if (requests != null) {
            requests.fail(failure);
        }
        if (responses != null) {
            if (byHandler) {
                responses.failAfterBuffered(failure);
            } else {
                responses.fail(failure);
            }
        }
        if (response != null) {
            response.completeExceptionally(new Failure.Signal(failure));
        }
        if (handlerContext != null) {
            handlerContext.cancel(failure);
        }
        synchronized (this) {
            for (Thread worker : workers) {
                if (worker != Thread.currentThread()) {
                    worker.interrupt();
                }
            }
        }
        ended();
        return true;
    }

    /**
     * The caller abandons the call: a live call is cancelled; once the call succeeded, only the responses not yet
     * read are dropped.
     */
    void cancelByCaller(Failure failure) {
        if (!abort(failure) && responses != null) {
            responses.fail(failure);
        }
    }

    /** Waits for the single response; an interrupted wait cancels the call. */
    byte[] awaitResponse() {
        try {
            return response.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Failure failure = Failure.of(ErrorCode.CANCELLED, INTERRUPTED);
            abort(failure);
            throw failure.toException();
        } catch (ExecutionException e) {
            throw Failure.of(e.getCause()).toException();
        }
    }

    /** Blocked stream senders of this call, in either direction. */
    int blockedSenders() {
        return (requests == null ? 0 : requests.blockedSenders())
                + (responses == null ? 0 : responses.blockedSenders());
    }

    private void ended() {
        ScheduledFuture<?> timerTask;
        Runnable unlink;
        synchronized (this) {
            timerTask = deadlineTimer;
            unlink = unlinkParent;
            deadlineTimer = null;
            unlinkParent = null;
        }
        if (timerTask != null) {
            timerTask.cancel(false);
        }
        if (unlink != null) {
            unlink.run();
        }
        onEnd.accept(this);
    }
}
