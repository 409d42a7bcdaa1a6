package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import io.rapace.codec.PostcardReader;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Serving in: a frame opening a call from the peer is routed by method id, checked (shape, depth, drain, limits) and
 * started on the executor (or, in direct mode, on the delivering thread); the handler's {@link ServerExchange}; the
 * frames the caller sends afterwards.
 */
final class ServerSide {
    private static final System.Logger LOG = System.getLogger(RpcSession.class.getName());

    private final CallEngine engine;
    /** The methods this side serves, by id. */
    final MethodTable served;

    ServerSide(CallEngine engine, MethodTable served) {
        this.engine = engine;
        this.served = served;
    }

    /** A frame opening a call from the peer (delivering thread): route, check, start the handler. */
    void accept(Frame frame) {
        int channel = frame.channelId();
        int methodId = frame.methodId();
        ByteBuffer payload = frame.payload();
        CallHeader header;
        ByteBuffer body;
        try {
            PostcardReader in = PostcardReader.of(payload);
            header = CallHeader.decode(in);
            int bodyStart = payload.position() + in.position();
            body = payload.slice(bodyStart, payload.limit() - bodyStart).order(payload.order());
        } catch (DecodeException e) {
            refuse(channel, methodId, null, ErrorCode.INVALID_ARGUMENT, "call header does not decode: "
                    + e.getMessage());
            return;
        }
        int depth = CallLimits.depthOf(header.metadata());
        List<MetadataEntry> metadata = CallLimits.withoutDepth(header.metadata());
        MethodTable.Served target = served.get(methodId);
        if (target == null) {
            String self = engine.config.selfId().isEmpty() ? "this side" : engine.config.selfId();
            refuse(channel, methodId, null, ErrorCode.UNIMPLEMENTED, self + " serves no method with id "
                    + Integer.toUnsignedString(methodId) + " (called by " + peerLabel() + ")");
            return;
        }
        ServerMethod<?, ?> method = target.method();
        boolean streamedRequests = method.kind().streamsRequests();
        // The caller's shape: a request stream opens with METADATA_ONLY, a response stream with initial credit.
        MethodKind calledAs = frame.hasFlag(FrameFlags.METADATA_ONLY)
                ? (frame.creditGrant() != 0 ? MethodKind.BIDI_STREAMING : MethodKind.CLIENT_STREAMING)
                : (frame.creditGrant() != 0 ? MethodKind.SERVER_STREAMING : MethodKind.UNARY);
        if (calledAs != method.kind()) {
            refuse(channel, methodId, target, ErrorCode.UNIMPLEMENTED, "method " + Integer.toUnsignedString(methodId)
                    + " (" + method.name()
                    + ") is " + method.kind() + " but was called as " + calledAs);
            return;
        }
        String tooDeep = CallLimits.depthRefusal(depth);
        if (tooDeep != null) {
            refuse(channel, methodId, target, ErrorCode.RESOURCE_EXHAUSTED, tooDeep);
            return;
        }
        if (engine.closing() && depth == 1) {
            // a nested call (depth > 1) serves a call still in flight and is let through the drain
            refuse(channel, methodId, target, ErrorCode.UNAVAILABLE, "the session is closing (GoAway sent): "
                    + "no new calls");
            return;
        }
        String refusal = engine.limits.inbound.admit();
        if (refusal != null) {
            refuse(channel, methodId, target, ErrorCode.RESOURCE_EXHAUSTED, "call of " + method.name()
                    + " refused: " + refusal);
            return;
        }
        engine.transport().callStarting();
        // (the engine calls accept only for a channel with no inbound call: reopening a live one fails that call)
        EngineCall call = new EngineCall(engine, channel, methodId, method.kind(), false,
                header.deadlineRemainingNanos(), null, engine.config.streamWindow(), new CallStats(null));
        call.depth = depth;
        call.stats.addReceived(payload.remaining());
        if (method.kind().streamsResponses()) {
            call.credit.grant(Integer.toUnsignedLong(frame.creditGrant()));
        }
        boolean inline = engine.config.direct() && method.kind() == MethodKind.UNARY;
        CallContext context = new CallContext(methodId, header.deadlineRemainingNanos(), metadata, peerLabel(),
                engine.config.self(), depth, inline, call.stats);
        call.setContext(context);
        engine.inbound.put(channel, call);
        if (call.hasDeadline) {
            long budget = header.deadlineRemainingNanos();
            try {
                call.deadlineTimer(engine.config.timer().schedule(() -> engine.frames.failInbound(call,
                        Failure.of(ErrorCode.DEADLINE_EXCEEDED, Deadlines.exceededWhileServing(budget, method.name()))),
                        budget, TimeUnit.NANOSECONDS));
            } catch (RejectedExecutionException e) {
                call.end(engine.sessionEnded(), false);
                return;
            }
        }
        if (inline) {
            runHandler(call, method, context, body);
            return;
        }
        if (!streamedRequests) {
            byte[] copy = new byte[body.remaining()];
            body.get(body.position(), copy);
            call.request = copy;
        }
        Runnable task = () -> {
            // the reader steps aside in spin mode while the handler runs, and is woken when it is done
            engine.transport().working(1);
            try {
                runHandler(call, method, context, null);
            } finally {
                engine.transport().working(-1);
            }
        };
        if (engine.config.readerServes() && engine.transport().serveOnDeliveringThread(task)) {
            return; // leader/follower: this thread runs it after this delivery, another one reads
        }
        try {
            engine.config.executor().execute(task);
        } catch (RejectedExecutionException e) {
            String message = "no handler thread for " + method.name() + ": " + e.getMessage();
            tellRefused(call.methodId, served.get(call.methodId), ErrorCode.RESOURCE_EXHAUSTED, message);
            engine.frames.failInbound(call, Failure.of(ErrorCode.RESOURCE_EXHAUSTED, message));
        }
    }

    /** Tells the session's own server interceptors of a call refused before any dispatcher saw it. */
    private void tellRefused(int methodId, MethodTable.Served target, ErrorCode code, String message) {
        List<ServerInterceptor> interceptors = engine.config.interceptors();
        if (interceptors.isEmpty()) {
            return;
        }
        RpcMethod<?, ?> method = target == null ? null : target.asRpcMethod();
        RpcException refusal = new RpcException(code, message);
        for (ServerInterceptor interceptor : interceptors) {
            try {
                interceptor.refused(methodId, method, refusal);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "server interceptor " + interceptor + " failed on a refused call", e);
            }
        }
    }

    /** The peer as a handler's context names it: its Hello's id, or {@code peer}. */
    private String peerLabel() {
        var t = engine.transportOrNull();
        String peerId = t == null ? "" : t.peerId();
        return peerId.isEmpty() ? "peer" : peerId;
    }

    /** Answers a call that will not run with an ERROR frame, from the delivering thread, which never waits. */
    private void refuse(int channel, int methodId, MethodTable.Served target, ErrorCode code, String message) {
        tellRefused(methodId, target, code, message);
        engine.frames.refuse(channel, methodId, Failure.of(code, message));
    }

    /** Runs the handler of one inbound call, on an executor thread (or the reader thread in direct mode). */
    private <Q, R> void runHandler(EngineCall call, ServerMethod<Q, R> method, CallContext context,
            ByteBuffer inlineBody) {
        if (!call.attach(Thread.currentThread())) {
            return;
        }
        CallContext previous = CallContext.enter(context);
        try {
            if (method.kind().streamsRequests()) {
                int window = engine.config.streamWindow();
                call.granted(window);
                engine.frames.send(call, FrameFlags.CREDITS, window, w -> { }, "credit grant", ErrorCode.INTERNAL);
            }
            method.invoke(new Exchange<>(call, method, inlineBody));
            call.end(null, false);
        } catch (Exception | Error e) {
            if (engine.frames.failInbound(call, HandlerFailures.of(method, e))) {
                String label = engine.config.servedLabel();
                HandlerFailures.log(method, label == null ? call : label, e);
            }
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            CallContext.restore(previous);
            call.detach();
        }
    }

    /** A frame from the caller of an inbound call (delivering thread). */
    void fromCaller(EngineCall call, Frame frame) {
        if (frame.hasFlag(FrameFlags.CANCEL) || frame.hasFlag(FrameFlags.ERROR)) {
            call.stats.addReceived(frame.payload().remaining());
            call.end(CallFrames.peerFailure(frame, ErrorCode.CANCELLED, "cancelled by the caller"), true);
            return;
        }
        if (frame.hasFlag(FrameFlags.CREDITS) && call.credit != null) {
            call.credit.grant(Integer.toUnsignedLong(frame.creditGrant()));
        }
        engine.streams.arrived(call, frame, true);
    }

    /** The handler's side of one call: decode the request in place, encode responses into slots. */
    private final class Exchange<Q, R> implements ServerExchange<Q, R> {
        private final EngineCall call;
        private final ServerMethod<Q, R> method;
        private final ByteBuffer inlineBody;

        Exchange(EngineCall call, ServerMethod<Q, R> method, ByteBuffer inlineBody) {
            this.call = call;
            this.method = method;
            this.inlineBody = inlineBody;
        }

        @Override
        public Q request() {
            try {
                if (inlineBody != null) {
                    PostcardReader in = PostcardReader.of(inlineBody);
                    Q value = method.requestCodec().decode(in);
                    in.expectEnd();
                    return value;
                }
                return Postcard.decode(method.requestCodec(), call.request);
            } catch (DecodeException e) {
                throw new RpcException(ErrorCode.INVALID_ARGUMENT, "request does not decode: " + e.getMessage(), e);
            }
        }

        @Override
        public RpcStream<Q> requests() {
            return engine.streams.incoming(call, method.requestCodec(), "request stream element",
                    ErrorCode.INVALID_ARGUMENT);
        }

        @Override
        public void respond(R response) {
            call.checkLive();
            engine.retire(call);
            engine.frames.send(call, FrameFlags.DATA | FrameFlags.EOS, 0,
                    w -> CallFrames.encodeValue(w, method.responseCodec(), response), "response", ErrorCode.INTERNAL);
        }

        @Override
        public void respondStream(RpcStream<R> responses) throws Exception {
            Objects.requireNonNull(responses, "the handler returned null instead of a stream");
            engine.transport().working(1);
            try {
                responses.drainTo(new CallStreams.StreamOut<>(engine, call, method.responseCodec(),
                        "response stream element", ErrorCode.INTERNAL));
            } finally {
                engine.transport().working(-1);
            }
        }
    }
}
