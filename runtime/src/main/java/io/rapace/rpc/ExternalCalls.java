package io.rapace.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The serving side of the one call engine for calls that arrive over another RPC system (the gRPC adapter,
 * {@code rapace-grpc}): the handler of a {@link ServerMethod} (and the {@link ServerInterceptor}s wrapped around its
 * dispatcher) runs with a {@link CallContext} of its own (deadline, metadata, the caller's identity, cancellation),
 * and its failure becomes the {@link RpcException} the engine would send: the exception's own code, else
 * {@link ErrorCode#INTERNAL} {@code "<method> failed: <exception>"}, logged as the engine logs a failed handler. The
 * messages travel as the other system carries them; an {@link Exchange} hands them over.
 *
 * <pre>{@code
 * ExternalCalls.Call call = ExternalCalls.call(method.id(), remaining, metadata, "grpc peer", channelBack);
 * onCancel(() -> call.cancel(ErrorCode.CANCELLED, "cancelled by the caller"));
 * ExternalCalls.run(method, call, exchange);   // on the thread that may block in the handler
 * }</pre>
 */
public final class ExternalCalls {
    private ExternalCalls() {
    }

    /** The transport's side of one call: its request (or request stream) in, its response (or stream) out. */
    public interface Exchange<Q, R> {
        /** The single request, decoded; an {@link RpcException} with {@link ErrorCode#INVALID_ARGUMENT} if not. */
        Q request();

        /** The stream of requests, decoded as they are taken. */
        RpcStream<Q> requests();

        /** Sends the single response. */
        void respond(R response);

        /** Sends every element of {@code responses} (as the transport's flow control allows), then ends. */
        void respondStream(RpcStream<R> responses) throws Exception;
    }

    /** One call being served: its context, and the transport's way to cancel it. */
    public static final class Call {
        private final CallContext context;
        private final Object lock = new Object();
        /** The thread running the handler now (under {@link #lock}). */
        private Thread handler;
        /** A cancel interrupted {@link #handler} (under {@link #lock}): the interrupt is this call's to clear. */
        private boolean interrupted;

        private Call(CallContext context) {
            this.context = context;
        }

        /** The context its handler sees as {@link CallContext#current()}. */
        public CallContext context() {
            return context;
        }

        /**
         * Cancels the call from the transport's side (the caller went away, its deadline passed): the context is
         * cancelled with {@code code} and {@code message}, its listeners run, and a handler blocked in the call is
         * interrupted. Later cancels do nothing.
         */
        public void cancel(ErrorCode code, String message) {
            if (context.isCancelled()) {
                return;
            }
            context.cancel(Failure.of(code, message));
            synchronized (lock) { // the handler's thread is this call's only while run() holds it
                if (handler != null && handler != Thread.currentThread()) {
                    handler.interrupt();
                    interrupted = true;
                }
            }
        }
    }

    /**
     * A call of method {@code methodId} that arrived with {@code remaining} of its deadline (null: none), with the
     * caller's {@code metadata}, from the caller {@code peerId}; a handler's nested calls go to {@code peerChannel}.
     */
    public static Call call(int methodId, Duration remaining, List<MetadataEntry> metadata, String peerId,
            CallChannel peerChannel) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(peerChannel, "peerChannel");
        long nanos = remaining == null ? -1 : Math.max(0, remaining.toNanos());
        return new Call(new CallContext(methodId, nanos, metadata, peerId, peerChannel));
    }

    /**
     * Runs {@code method}'s handler for {@code call} on this thread, with the call's context current, and returns once
     * the handler has responded through {@code exchange}.
     *
     * @throws RpcException the failure its caller is to see (the handler's, or {@link ErrorCode#CANCELLED} when the
     *                      call was cancelled meanwhile)
     */
    public static <Q, R> void run(ServerMethod<Q, R> method, Call call, Exchange<Q, R> exchange) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(exchange, "exchange");
        CallContext previous = CallContext.enter(call.context);
        synchronized (call.lock) {
            call.handler = Thread.currentThread();
        }
        try {
            call.context.checkCancelled();
            method.invoke(new ServerExchange<>() {
                @Override
                public Q request() {
                    return exchange.request();
                }

                @Override
                public RpcStream<Q> requests() {
                    return exchange.requests();
                }

                @Override
                public void respond(R response) {
                    exchange.respond(response);
                }

                @Override
                public void respondStream(RpcStream<R> responses) throws Exception {
                    Objects.requireNonNull(responses, "the handler returned null instead of a stream");
                    exchange.respondStream(responses);
                }
            });
        } catch (Exception | Error e) {
            Failure failure = call.context.isCancelled() && e instanceof InterruptedException
                    ? Failure.of(ErrorCode.CANCELLED, "the call was cancelled") : HandlerFailures.of(method, e);
            if (!call.context.isCancelled()) { // a cancelled call's handler may end as it likes, as in the engine
                HandlerFailures.log(method, call.context.peerId(), e);
            }
            if (e instanceof Error error) {
                throw error; // the transport ends the call as it ends one whose code fails (INTERNAL)
            }
            throw failure.toException();
        } finally {
            synchronized (call.lock) {
                call.handler = null;
                if (call.interrupted) {
                    Thread.interrupted(); // this call's cancel interrupted the thread: not the next call's business
                }
            }
            CallContext.restore(previous);
        }
    }

    /**
     * Sends every element of {@code stream} to {@code out} on this thread, as the engine sends a stream a handler
     * returned: a {@link RpcStream#generate generated} stream's producer runs here, on the handler's thread, with the
     * call's context current (iterating the stream would run it on a thread of its own).
     */
    public static <T> void drain(RpcStream<T> stream, StreamSender<T> out) throws Exception {
        Objects.requireNonNull(stream, "the handler returned null instead of a stream").drainTo(out);
    }

    /**
     * The deadline a call started now on this thread gets: the sooner of {@code timeout} and what is left of the call
     * this thread serves (a nested call inherits its handler's deadline, as on every rapace transport); empty when
     * neither has one.
     */
    public static java.util.Optional<Duration> deadline(java.util.Optional<Duration> timeout) {
        CallContext serving = CallContext.currentOrNull();
        java.util.Optional<Duration> inherited = serving == null ? java.util.Optional.empty() : serving.remaining();
        if (inherited.isEmpty()) {
            return timeout;
        }
        if (timeout.isEmpty() || inherited.get().compareTo(timeout.get()) < 0) {
            return inherited;
        }
        return timeout;
    }

    /**
     * The failure of a call whose deadline of {@code budget} passed, in the words every rapace transport uses
     * ({@code "deadline of 200 ms exceeded"}); a budget already spent when the call starts is
     * {@code "deadline exceeded before the call started"}.
     */
    public static RpcException deadlineExceeded(Duration budget) {
        long nanos = Deadlines.saturatedNanos(budget);
        if (nanos <= 0) {
            return new RpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline exceeded before the call started");
        }
        return new RpcException(ErrorCode.DEADLINE_EXCEEDED, Deadlines.exceeded(nanos));
    }

    /** The failure of a call whose calling thread was interrupted while it waited (the flag stays set). */
    public static RpcException interrupted() {
        return new RpcException(ErrorCode.CANCELLED, CallerSide.INTERRUPTED);
    }

    /**
     * Runs {@code cancel} if the call this thread serves is cancelled (a nested call is cancelled with its handler's
     * call); returns the action that undoes the link once the nested call ended (nothing to undo when this thread
     * serves no call).
     */
    public static Runnable cancelWithServedCall(Runnable cancel) {
        CallContext serving = CallContext.currentOrNull();
        return serving == null ? () -> { } : serving.addCancelListener(cancel);
    }
}
