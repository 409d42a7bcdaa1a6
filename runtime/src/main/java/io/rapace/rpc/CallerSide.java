package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.session.FrameTransport;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Calling out: the five shapes of {@link CallChannel}, opening a call (GoAway, direct mode, depth, deadline and limit
 * checks, a channel, the deadline timer, the link to the handler making it), the opening frame, request streams,
 * waiting for the single answer, and the frames the peer's handler sends back.
 */
final class CallerSide implements CallChannel {
    /** What a caller whose wait was interrupted reads. */
    static final String INTERRUPTED = "cancelled: the calling thread was interrupted";

    private final CallEngine engine;

    CallerSide(CallEngine engine) {
        this.engine = engine;
    }

    @Override
    public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec, CallOptions options) {
        EngineCall call = open(methodId, MethodKind.UNARY, responseCodec, options);
        sendOpening(call, options, requestCodec, request, 0);
        return awaitSingle(call);
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        CompletableFuture<R> result = new CompletableFuture<>();
        EngineCall call;
        try {
            call = open(methodId, MethodKind.UNARY, responseCodec, options);
            sendOpening(call, options, requestCodec, request, 0);
        } catch (RpcException e) {
            result.completeExceptionally(e);
            return result;
        }
        call.single.whenComplete((value, error) -> {
            if (error != null) {
                result.completeExceptionally(Failure.of(error).toException());
            } else {
                @SuppressWarnings("unchecked")
                R response = (R) value;
                result.complete(response);
            }
        });
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                engine.frames.cancelOutbound(call, Failure.of(ErrorCode.CANCELLED, "cancelled by the caller"));
            }
        });
        return result;
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options) {
        EngineCall call = open(methodId, MethodKind.SERVER_STREAMING, null, options);
        sendOpening(call, options, requestCodec, request, engine.config.streamWindow());
        return engine.streams.incoming(call, responseCodec, "response stream element", ErrorCode.INTERNAL);
    }

    @Override
    public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options) {
        Objects.requireNonNull(requests, "requests");
        EngineCall call = open(methodId, MethodKind.CLIENT_STREAMING, responseCodec, options);
        sendOpening(call, options, null, null, 0);
        sendRequests(call, requests, requestCodec);
        return awaitSingle(call);
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        Objects.requireNonNull(requests, "requests");
        EngineCall call = open(methodId, MethodKind.BIDI_STREAMING, null, options);
        sendOpening(call, options, null, null, engine.config.streamWindow());
        try {
            engine.config.executor().execute(() -> {
                if (call.attach(Thread.currentThread())) {
                    try {
                        sendRequests(call, requests, requestCodec);
                    } catch (RpcException e) {
                        // the call has failed and the response stream reports it
                    } finally {
                        call.detach();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            engine.frames.cancelOutbound(call, Failure.of(ErrorCode.RESOURCE_EXHAUSTED,
                    "no thread to send the requests on"));
        }
        return engine.streams.incoming(call, responseCodec, "response stream element", ErrorCode.INTERNAL);
    }

    /** Starts an outbound call: checks, a channel, the deadline, the link to the handler that makes it. */
    private EngineCall open(int methodId, MethodKind kind, Codec<?> singleCodec, CallOptions options) {
        Objects.requireNonNull(options, "options");
        FrameTransport t = engine.transport();
        if (!t.isOpen()) {
            throw engine.sessionEnded().toException();
        }
        CallContext parent = CallContext.currentOrNull();
        // While draining, a nested call (made by a handler of a call in flight) still goes: the call it serves
        // must be able to finish.
        if (engine.closing() && parent == null) {
            throw new RpcException(ErrorCode.UNAVAILABLE, "this session is closing (GoAway sent): no new calls");
        }
        String goAway = engine.peerGoAway();
        if (goAway != null && parent == null) {
            throw new RpcException(ErrorCode.UNAVAILABLE, "the peer is going away (" + goAway + "): no new calls");
        }
        int depth = 1;
        if (parent != null) {
            if (parent.direct()) {
                throw new RpcException(ErrorCode.FAILED_PRECONDITION, "a handler running in direct mode (on the "
                        + "session's reader thread) cannot make a nested call: serve this method on the executor");
            }
            depth = parent.depth() + 1;
            String tooDeep = CallLimits.depthRefusal(depth);
            if (tooDeep != null) {
                options.statsOrNew().markRefused();
                throw new RpcException(ErrorCode.RESOURCE_EXHAUSTED, tooDeep);
            }
        }
        long budget = Deadlines.budgetNanos(options, parent);
        CallStats stats = options.statsOrNew();
        String refusal = engine.limits.outbound.admit();
        if (refusal != null) {
            stats.markRefused();
            throw new RpcException(ErrorCode.RESOURCE_EXHAUSTED, "call refused: " + refusal);
        }
        t.callStarting();
        int channel;
        try {
            channel = t.openChannel();
        } catch (IllegalStateException e) {
            engine.limits.outbound.release();
            throw new RpcException(ErrorCode.UNAVAILABLE, e.getMessage(), e);
        }
        EngineCall call = new EngineCall(engine, channel, methodId, kind, true, budget, singleCodec,
                engine.config.streamWindow(), stats);
        call.depth = depth;
        engine.outbound.put(channel, call);
        if (!t.isOpen()) {
            call.end(engine.sessionEnded(), false);
            throw engine.sessionEnded().toException();
        }
        if (budget >= 0) {
            call.deadlineMessage = Deadlines.exceeded(budget);
            try {
                call.deadlineTimer(engine.config.timer().schedule(() -> engine.frames.cancelOutbound(call,
                        Failure.of(ErrorCode.DEADLINE_EXCEEDED, call.deadlineMessage)), budget, TimeUnit.NANOSECONDS));
            } catch (RejectedExecutionException e) {
                call.end(engine.sessionEnded(), false);
                throw engine.sessionEnded().toException();
            }
        }
        if (parent != null) {
            call.linkTo(parent);
        }
        return call;
    }

    /** The opening frame: call header, then the request (or nothing when the requests are streamed). */
    private <Q> void sendOpening(EngineCall call, CallOptions options, Codec<Q> codec, Q request, int window) {
        long remaining = call.hasDeadline ? Math.max(0, call.remainingNanos()) : -1;
        CallHeader header = new CallHeader(remaining, CallLimits.withDepth(options.metadata(), call.depth));
        int flags = FrameFlags.CALL_HEADER | (codec == null ? FrameFlags.METADATA_ONLY : FrameFlags.DATA | FrameFlags.EOS);
        if (window > 0) {
            call.granted(window);
        }
        engine.frames.send(call, flags, window, w -> {
            CallHeader.encode(w, header);
            if (codec != null) {
                CallFrames.encodeValue(w, codec, request);
            }
        }, "request", ErrorCode.INVALID_ARGUMENT);
    }

    private <Q> void sendRequests(EngineCall call, RpcStream<Q> requests, Codec<Q> codec) {
        CallStreams.StreamOut<Q> out = new CallStreams.StreamOut<>(engine, call, codec, "request stream element",
                ErrorCode.INVALID_ARGUMENT);
        FrameTransport t = engine.transport();
        t.working(1);
        try {
            requests.drainTo(out);
        } catch (RpcException e) {
            if (!call.isEnded()) {
                engine.frames.cancelOutbound(call, Failure.of(e));
            }
            if (call.isEnded() && call.failure() == null) {
                // the handler answered before reading every request: the call ended well, and the answer, completed
                // just after the end on the delivering thread, is the caller's
                return;
            }
            if (call.single == null || !call.single.isDone() || call.single.isCompletedExceptionally()) {
                throw call.failure() != null ? call.failure().toException() : e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Failure f = Failure.of(ErrorCode.CANCELLED, INTERRUPTED);
            engine.frames.cancelOutbound(call, f);
            throw f.toException();
        } catch (Exception e) {
            Failure f = Failure.fromThrowable(e, ErrorCode.CANCELLED, "the request stream failed: ");
            engine.frames.cancelOutbound(call, f);
            throw f.toException();
        } finally {
            t.working(-1);
        }
    }

    @SuppressWarnings("unchecked")
    private <R> R awaitSingle(EngineCall call) {
        if (!call.single.isDone()) {
            // poll for the response on this thread rather than be woken by the reader: for the whole call in spin
            // mode, for the caller spin otherwise
            FrameTransport t = engine.transport();
            t.pollUntil(call.single::isDone, t.spinMode() ? call.remainingNanos()
                    : Math.min(engine.config.callerSpinNanos(), call.remainingNanos()));
        }
        try {
            return (R) call.single.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Failure f = Failure.of(ErrorCode.CANCELLED, INTERRUPTED);
            engine.frames.cancelOutbound(call, f);
            throw f.toException();
        } catch (ExecutionException e) {
            throw Failure.of(e.getCause()).toException();
        }
    }

    /** A frame from the handler of an outbound call (delivering thread). */
    void fromHandler(EngineCall call, Frame frame) {
        if (frame.hasFlag(FrameFlags.ERROR) || frame.hasFlag(FrameFlags.CANCEL)) {
            call.stats.addReceived(frame.payload().remaining());
            Failure failure = CallFrames.peerFailure(frame, ErrorCode.CANCELLED, "cancelled by the peer");
            if (failure.rawCode() == ErrorCode.DEADLINE_EXCEEDED.value() && call.deadlineMessage != null) {
                // the handler's timer won the race with ours: the caller reads the deadline it set
                failure = Failure.of(ErrorCode.DEADLINE_EXCEEDED, call.deadlineMessage);
            }
            call.end(failure, true);
            return;
        }
        if (frame.hasFlag(FrameFlags.CREDITS) && call.credit != null) {
            call.credit.grant(Integer.toUnsignedLong(frame.creditGrant()));
        }
        if (call.single != null) {
            if (frame.hasFlag(FrameFlags.DATA)) {
                call.stats.addReceived(frame.payload().remaining());
                Object value;
                try {
                    PostcardReader in = PostcardReader.of(frame.payload());
                    value = call.singleCodec.decode(in);
                    in.expectEnd();
                } catch (DecodeException | RuntimeException e) {
                    engine.frames.cancelOutbound(call, Failure.of(ErrorCode.INTERNAL, "response does not decode: "
                            + e.getMessage()));
                    return;
                }
                // ended first, so a caller that returns finds its call gone from the counts and the limits
                call.end(null, false);
                call.single.complete(value);
            }
            return;
        }
        engine.streams.arrived(call, frame, false);
        if (frame.hasFlag(FrameFlags.EOS)) {
            call.end(null, false); // completes the stream after what it holds
        }
    }
}
