package io.rapace.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.rapace.annotation.MethodKind;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.ExternalCalls;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcStream;
import io.rapace.rpc.ServerMethod;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC call served by a rapace handler ({@link RapaceGrpc#service}), with the call's context
 * ({@link ExternalCalls}): gRPC's deadline, the {@code -bin} headers as metadata, the remote address as the peer's
 * identity. A unary handler runs on gRPC's callback thread once its request is in (unless the service was given an
 * executor); a streaming handler on a thread of its own, since it blocks while it waits for requests or for flow
 * control. gRPC delivers requests ahead of the handler through an {@link Inbox};
 * responses are sent as the call is ready for them, under the call's lock (a producer may send from several
 * threads). gRPC cancels the call's context at once when the caller cancels or the deadline passes, even while the
 * handler holds gRPC's thread; the handler's context is cancelled and its thread interrupted there.
 */
final class ServedCall<Q, R> extends ServerCall.Listener<byte[]> {
    private final ServerMethod<Q, R> method;
    private final ServerCall<byte[], byte[]> call;
    private final ExternalCalls.Call context;
    private final Deadline deadline;
    private final Encoder<R> encoder;
    private final Object lock = new Object();
    private final Inbox requests;
    private boolean halfClosed;
    private volatile boolean cancelled;
    /**
     * gRPC reported the caller gone: set before the handler is told, so that the handler's end, which may come at
     * once, closes nothing (a close then could reach the caller before gRPC's own status, and replace it).
     */
    private volatile boolean callerGone;
    private boolean headersSent;
    /** A unary handler run on gRPC's callback thread ({@link #start}). */
    private boolean inline;
    /** A cancel that arrives this close to the call's deadline is the caller's deadline ({@link #cancelledByCaller}). */
    private static final long DEADLINE_MARGIN_MILLIS = 20;
    /** The call was closed (by the handler's end, or when it cancelled its request stream): nothing more is sent. */
    private volatile boolean closed;
    private static final String HANDLER_CANCELLED = "cancelled by the handler";

    private ServedCall(ServerMethod<Q, R> method, ServerCall<byte[], byte[]> call, ExternalCalls.Call context,
            Deadline deadline, int maxMessageSize) {
        this.method = method;
        this.call = call;
        this.requests = new Inbox(lock, call::request);
        this.context = context;
        this.deadline = deadline;
        this.encoder = new Encoder<>(method.responseCodec(), "response", maxMessageSize);
    }

    /**
     * Starts serving {@code call}: its handler runs on {@code executor}, or, when that is null and the method is unary,
     * on gRPC's own callback thread once the request is in (as gRPC's generated handlers run), which saves two
     * thread hand-overs per call. A streaming handler always gets a thread of {@code streamingExecutor}: it blocks
     * while it waits for requests or for flow control, which gRPC's callback thread must never do.
     */
    static <Q, R> ServerCall.Listener<byte[]> start(ServerMethod<Q, R> method, ServerCall<byte[], byte[]> call,
            Metadata headers, Executor executor, Executor streamingExecutor, CallChannel peerChannel,
            int maxMessageSize) {
        Context grpcContext = Context.current();
        Deadline deadline = grpcContext.getDeadline();
        Duration remaining = deadline == null ? null : Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS));
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        ExternalCalls.Call context = ExternalCalls.call(method.id(), remaining, Headers.metadata(headers),
                remote == null ? "grpc" : "grpc " + remote, peerChannel);
        ServedCall<Q, R> served = new ServedCall<>(method, call, context, deadline, maxMessageSize);
        // gRPC cancels the call's context at once when the caller cancels or the deadline passes, even while a
        // handler holds the callback thread (onCancel waits for it): the handler learns of it there
        grpcContext.addListener(cancelled -> served.cancelledByCaller(), Runnable::run);
        served.inline = executor == null && method.kind() == MethodKind.UNARY;
        if (method.kind() == MethodKind.SERVER_STREAMING || method.kind() == MethodKind.BIDI_STREAMING) {
            call.setOnReadyThreshold(GrpcCall.ON_READY_THRESHOLD);
        }
        call.request(served.inline ? 2 : Inbox.PREFETCH);
        if (!served.inline) {
            try {
                (executor == null ? streamingExecutor : executor).execute(served::serve);
            } catch (RejectedExecutionException e) {
                call.close(Status.UNAVAILABLE.withDescription("the service is shutting down"), new Metadata());
            }
        }
        return served;
    }

    // ------------------------------------------------------------------------------------------ gRPC's callbacks

    @Override
    public void onMessage(byte[] message) {
        requests.add(message);
    }

    @Override
    public void onHalfClose() {
        synchronized (lock) {
            halfClosed = true;
            lock.notifyAll();
        }
        if (inline) {
            serve(); // the request is in: the unary handler runs here, on gRPC's thread
        }
    }

    @Override
    public void onCancel() {
        cancelledByCaller();
    }

    /** The caller cancelled, or the deadline passed, before the call was closed: the handler is told (once). */
    private void cancelledByCaller() {
        synchronized (lock) {
            if (cancelled || closed) {
                return; // gRPC also cancels a call's context once it completed
            }
        }
        callerGone = true;
        // the context first (it is idempotent), so whatever wakes below already sees it cancelled
        // a caller's deadline reaches this side as a plain cancel (HTTP/2 says no more), often just before this
        // side's copy of the deadline passes: a cancel that close to it is the deadline
        if (deadline != null && deadline.timeRemaining(TimeUnit.MILLISECONDS) < DEADLINE_MARGIN_MILLIS) {
            context.cancel(ErrorCode.DEADLINE_EXCEEDED, "the call's deadline passed");
        } else {
            context.cancel(ErrorCode.CANCELLED, "cancelled by the caller");
        }
        synchronized (lock) {
            cancelled = true;
            lock.notifyAll();
        }
    }

    @Override
    public void onReady() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------------------------------ the handler's thread

    private void serve() {
        try {
            ExternalCalls.run(method, context, new ExternalCalls.Exchange<>() {
                @Override
                public Q request() {
                    Object next = take();
                    if (next == Taken.END) {
                        throw new RpcException(ErrorCode.INVALID_ARGUMENT, "the call has no request");
                    }
                    @SuppressWarnings("unchecked")
                    Q request = (Q) next;
                    return request;
                }

                @Override
                public RpcStream<Q> requests() {
                    return requestStream();
                }

                @Override
                public void respond(R response) {
                    send(response);
                }

                @Override
                public void respondStream(RpcStream<R> responses) throws Exception {
                    boolean[] abandoned = {false};
                    // drained here, so a generated stream's producer runs on this handler's thread, in its context
                    ExternalCalls.drain(responses, new io.rapace.rpc.StreamSender<>() {
                        @Override
                        public void send(R value) {
                            ServedCall.this.send(value);
                        }

                        @Override
                        public void complete() {
                        }

                        @Override
                        public void cancel() {
                            abandoned[0] = true;
                        }
                    });
                    if (abandoned[0]) {
                        throw new RpcException(ErrorCode.CANCELLED, "the handler cancelled its response stream");
                    }
                }
            });
            close(Status.OK, new Metadata());
        } catch (RpcException e) {
            var status = Statuses.toStatus(e);
            close(status.getStatus(), status.getTrailers());
        } catch (RuntimeException | Error e) {
            close(Status.INTERNAL.withDescription(method.name() + " failed: " + e), new Metadata());
        }
    }

    /** The next request, decoded, or {@link Taken#END} once the caller half-closed; asks gRPC for the one after. */
    private Object take() {
        byte[] body = cancelled || closed ? null : requests.poll();
        if (body == null) {
            synchronized (lock) {
                requests.await(() -> !halfClosed && !cancelled && !closed, this::waitInterruptibly);
                if (cancelled) {
                    throw new RpcException(ErrorCode.CANCELLED, "cancelled by the caller");
                }
                if (closed) { // the handler cancelled its request stream: nothing more is read
                    throw new RpcException(ErrorCode.CANCELLED, HANDLER_CANCELLED);
                }
                body = requests.poll();
                if (body == null) {
                    return Taken.END;
                }
            }
        }
        requests.took();
        try {
            return Postcard.decode(method.requestCodec(), body);
        } catch (DecodeException e) {
            throw new RpcException(ErrorCode.INVALID_ARGUMENT, "request does not decode: " + e.getMessage(), e);
        }
    }

    private RpcStream<Q> requestStream() {
        Iterable<Q> elements = Taken.until(this::take);
        // the handler gives up reading: the call ends as cancelled, as a rapace session ends it
        return RpcStream.from(elements, () -> {
            context.cancel(ErrorCode.CANCELLED, HANDLER_CANCELLED);
            close(Status.CANCELLED.withDescription(HANDLER_CANCELLED), new Metadata());
        });
    }

    /** Sends one response once the call is ready for it (gRPC's flow control). */
    private void send(R response) {
        byte[] body = encoder.encode(response);
        boolean single = method.kind() == MethodKind.UNARY || method.kind() == MethodKind.CLIENT_STREAMING;
        synchronized (lock) {
            while (!single && !call.isReady() && !cancelled && !closed) { // a single response never waits
                waitInterruptibly(10); // onReady wakes it; the timeout only guards against a readiness not signalled
            }
            if (cancelled) {
                throw new RpcException(ErrorCode.CANCELLED, "cancelled by the caller");
            }
            if (closed) {
                throw new RpcException(ErrorCode.CANCELLED, HANDLER_CANCELLED);
            }
            // under the lock: a producer may hand its sender to other threads, and a ServerCall takes one at a time
            if (!headersSent) {
                call.sendHeaders(new Metadata());
                headersSent = true;
            }
            call.sendMessage(body);
        }
    }

    private void close(Status status, Metadata trailers) {
        synchronized (lock) {
            if (cancelled || callerGone || closed) {
                return; // gRPC ended the call already, or this side did
            }
            closed = true;
            lock.notifyAll(); // a reader or sender of this call waiting meanwhile stops
        }
        try {
            call.close(status, trailers);
        } catch (IllegalStateException e) {
            // closed meanwhile (cancelled as it finished)
        }
    }

    private void waitInterruptibly() {
        waitInterruptibly(0);
    }

    private void waitInterruptibly(long millis) {
        try {
            lock.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(ErrorCode.CANCELLED, "the call was cancelled");
        }
    }
}
