package io.rapace.grpc;

import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.ExternalCalls;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcMethod;
import io.rapace.rpc.RpcStream;
import io.rapace.rpc.StreamSender;
import java.time.Duration;

/**
 * One rapace call over one gRPC {@link ClientCall}: sends requests as the call is ready for them (gRPC's flow
 * control holds up a fast sender), and takes its responses through an {@link Inbox} (so a slow reader holds up only
 * its own call). Every failure is an {@link RpcException}.
 */
final class GrpcCall<Q, R> extends ClientCall.Listener<byte[]> {
    private final ClientCall<byte[], byte[]> call;
    private final Encoder<Q> encoder;
    private final Codec<R> responseCodec;
    private final RpcMethod<Q, R> method;
    /** Words a schema refusal for this call's channel. */
    private final SchemaRefusals refusals;
    private final Object lock = new Object();
    /**
     * How many bytes a stream's sender may have queued in gRPC before it waits for the transport to take them
     * ({@code setOnReadyThreshold}; gRPC's own is 32 KiB, less than one large message, so a sender of 64 KiB messages
     * would wait for the transport's thread after each one): one HTTP/2 stream window, gRPC's default.
     */
    static final int ON_READY_THRESHOLD = 1024 * 1024;
    private final Inbox responses;
    /** The call's end (null while it runs): null status means OK. */
    private Status status;
    private Metadata trailers;
    private boolean ended;
    /** This side cancelled the call: nothing more is sent. */
    private volatile boolean cancelCalled;
    /** Why this side cancelled: what its reader is told, whatever end the other side reached meanwhile. */
    private String cancelReason;
    /** Run once the call ended: unlinking a nested call from its handler's, stopping a bidi call's sender. */
    private final java.util.List<Runnable> onEnd = new java.util.ArrayList<>(1);
    /** For an async unary call: completed when the call ends. */
    private java.util.concurrent.CompletableFuture<R> future;

    private final Metadata headers;

    /** The call's gRPC deadline and the budget it was given (both null without a deadline). */
    private final Deadline deadline;
    private final Duration budget;

    GrpcCall(ClientCall<byte[], byte[]> call, Metadata headers, RpcMethod<Q, R> method, SchemaRefusals refusals,
            int maxMessageSize, Deadline deadline, Duration budget) {
        this.call = call;
        this.responses = new Inbox(lock, call::request);
        this.deadline = deadline;
        this.budget = budget;
        this.headers = headers;
        this.method = method;
        this.refusals = refusals;
        this.encoder = new Encoder<>(method.requestCodec(), "request", maxMessageSize);
        this.responseCodec = method.responseCodec();
    }

    /** Runs {@code action} once the call ended (at once if it has). */
    void onEnd(Runnable action) {
        boolean now;
        synchronized (lock) {
            now = ended;
            if (!now) {
                onEnd.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    /** The single response, as a future completed when the call ends; call before {@link #begin}. */
    java.util.concurrent.CompletableFuture<R> future() {
        future = new java.util.concurrent.CompletableFuture<>();
        return future;
    }

    /**
     * Starts the call and asks for the first responses; a call made by a handler is then linked to the handler's call,
     * so that it is cancelled with it (at once if that already was).
     */
    void begin() {
        synchronized (lock) { // never beside a cancel from another thread: a ClientCall takes one call at a time
            call.start(this, headers);
            call.request(Inbox.PREFETCH);
        }
        onEnd(ExternalCalls.cancelWithServedCall(() -> cancel("the handler's call was cancelled", null)));
    }

    // ------------------------------------------------------------------------------------------ gRPC's side

    @Override
    public void onMessage(byte[] message) {
        responses.add(message);
    }

    @Override
    public void onClose(Status closed, Metadata closedTrailers) {
        synchronized (lock) {
            status = closed;
            trailers = closedTrailers;
            ended = true;
            lock.notifyAll();
        }
        for (Runnable action : onEnd) { // no more are added once ended is set
            action.run();
        }
        if (future != null) {
            if (SchemaRefusals.isRefusal(closed, closedTrailers)) { // worded off gRPC's thread: it may ask the server
                java.util.concurrent.CompletableFuture.runAsync(this::completeFuture);
            } else {
                completeFuture();
            }
        }
    }

    private void completeFuture() {
        try {
            future.complete(single());
        } catch (RpcException e) {
            future.completeExceptionally(e);
        }
    }

    @Override
    public void onReady() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------------------------------ sending

    /**
     * Sends the already encoded single request of a unary or server-streaming call and half-closes (gRPC buffers it
     * until the stream is up).
     */
    void sendOnly(byte[] body) {
        synchronized (lock) {
            if (cancelCalled) {
                return;
            }
            call.sendMessage(body);
            call.halfClose();
        }
    }

    /** The encoded request, refused with RESOURCE_EXHAUSTED when larger than the maximum message size. */
    byte[] encodeRequest(Q request) {
        return encoder.encode(request);
    }

    /**
     * Sends one request of a stream once the call is ready for more (gRPC's flow control); false when the call
     * already ended or was cancelled (its end says why).
     */
    boolean send(Q request) {
        byte[] body = encodeRequest(request);
        synchronized (lock) {
            while (!ended && !cancelCalled && !call.isReady()) {
                waitInterruptibly(10); // onReady wakes it; the timeout only guards against a readiness not signalled
            }
            if (ended || cancelCalled) {
                return false;
            }
            call.sendMessage(body); // under the lock: never beside a cancel from the reading thread
        }
        return true;
    }

    /**
     * Sends every request of {@code requests}, then half-closes; stops early when the call ended. A request stream
     * that fails cancels the call (and is cancelled itself), so nothing is left open.
     */
    void sendAll(RpcStream<Q> requests) {
        boolean[] ended = {false};
        try {
            // on this thread: a generated stream's producer sends straight into the call, with no hand-over
            ExternalCalls.drain(requests, new StreamSender<>() {
                @Override
                public void send(Q request) {
                    if (!GrpcCall.this.send(request)) {
                        ended[0] = true;
                        throw new RpcException(ErrorCode.CANCELLED, "the call ended");
                    }
                }

                @Override
                public void complete() {
                    synchronized (lock) {
                        if (!cancelCalled && !ended[0]) {
                            ended[0] = true;
                            call.halfClose();
                        }
                    }
                }

                @Override
                public void cancel() {
                    GrpcCall.this.cancel("the request stream was cancelled", null);
                }
            });
        } catch (RpcException e) {
            if (ended[0]) {
                requests.cancel();
                return; // the call ended first: its end says how
            }
            requests.cancel();
            cancel(e.getMessage(), e);
            throw e;
        } catch (Exception | Error e) {
            RpcException failure = new RpcException(ErrorCode.CANCELLED, "the request stream failed: " + e, e);
            requests.cancel();
            cancel(failure.getMessage(), e);
            throw failure;
        }
    }

    /** Cancels the call (once; later cancels and sends do nothing). */
    void cancel(String why, Throwable cause) {
        synchronized (lock) {
            if (cancelCalled) {
                return;
            }
            cancelCalled = true; // after the end too: what is left unread is not delivered, the reader is told why
            cancelReason = why;
            if (!ended) {
                call.cancel(why, cause);
            }
            lock.notifyAll();
        }
    }

    /** True once the call ended (its status came). */
    boolean ended() {
        synchronized (lock) {
            return ended;
        }
    }

    // ------------------------------------------------------------------------------------------ receiving

    /** The single response of a unary or client-streaming call, once it ended. */
    R single() {
        byte[] body;
        synchronized (lock) {
            while (!ended) {
                waitInterruptibly();
            }
            if (status != null && !status.isOk()) {
                throw failure();
            }
            body = responses.poll();
        }
        if (body == null) {
            throw new RpcException(ErrorCode.INTERNAL, "the call ended without a response");
        }
        return decode(body);
    }

    /** The responses, one at a time, as a stream whose {@link RpcStream#cancel()} cancels the call. */
    RpcStream<R> stream() {
        Iterable<R> elements = Taken.until(this::take);
        return RpcStream.from(elements, () -> cancel("cancelled by the caller", null));
    }

    /** The next response, decoded, or {@link Taken#END} after a successful end; a failed end throws. */
    private Object take() {
        Object next = cancelCalled ? null : responses.poll(); // the lock below settles a cancel made meanwhile
        if (next == null) {
            next = awaitResponse();
            if (next == Taken.END) {
                return next;
            }
        }
        responses.took();
        return decode((byte[]) next);
    }

    /** Waits for the next response; throws the call's failure or returns {@link Taken#END} once it ended. */
    private Object awaitResponse() {
        synchronized (lock) {
            responses.await(() -> !ended && !cancelCalled, this::waitInterruptibly);
            if (cancelCalled) { // what is left unread is not delivered: the reader is told why
                throw new RpcException(ErrorCode.CANCELLED, cancelReason);
            }
            byte[] body = responses.poll();
            if (body != null) {
                return body;
            }
            if (status != null && !status.isOk()) {
                throw failure();
            }
            return Taken.END;
        }
    }

    private RpcException failure() {
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && deadline != null && deadline.isExpired()) {
            return ExternalCalls.deadlineExceeded(budget); // this call's own deadline: in rapace's words
        }
        RpcException failure = Statuses.fromStatus(status.asRuntimeException(trailers));
        return SchemaRefusals.isRefusal(status, trailers) ? refusals.explain(method, failure) : failure;
    }

    /** Waits for gRPC's next event; an interrupt cancels the call and throws CANCELLED, keeping the flag set. */
    private void waitInterruptibly() {
        waitInterruptibly(0);
    }

    private void waitInterruptibly(long millis) {
        try {
            lock.wait(millis);
        } catch (InterruptedException e) {
            cancel("the calling thread was interrupted", e);
            Thread.currentThread().interrupt();
            throw ExternalCalls.interrupted();
        }
    }

    private R decode(byte[] body) {
        try {
            return Postcard.decode(responseCodec, body);
        } catch (DecodeException e) {
            cancel("a response does not decode", e);
            throw new RpcException(ErrorCode.INTERNAL, "response does not decode: " + e.getMessage(), e);
        }
    }
}
