package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two ends of a call channel in one JVM, for tests and for wiring a service in-process with exactly the behaviour
 * it will have across processes. Each end is an {@link Endpoint}: a {@link CallChannel} to the other end, and a place
 * to {@link Endpoint#serve serve} dispatchers. The usual setup serves on {@link #server()} and calls through
 * {@link #client()}; a handler on either end reaches back to the other with
 * {@code CallContext.current().peerChannel()} (a nested call).
 *
 * <pre>{@code
 * try (Loopback loopback = Loopback.create()) {
 *     loopback.server().serve(new CalculatorDispatcher(new MyCalculator()));
 *     Calculator calculator = new CalculatorClient(loopback.client());
 *     long three = calculator.add(1, 2);
 * }
 * }</pre>
 *
 * <p>What it does is what a session must do: requests and responses cross as postcard bytes (encoded by the
 * generated codecs into a reused heap buffer on the sending thread, decoded on the receiving thread); handlers run
 * on the loopback's threads, never on the caller's; the call header (deadline as remaining budget, metadata) is
 * encoded as on the wire; deadlines fail the call with {@code DEADLINE_EXCEEDED} and cancel the handler; a
 * cancellation reaches the handler's context and interrupts its thread; each stream direction has a credit window
 * in bytes ({@link #DEFAULT_STREAM_WINDOW} unless configured), so a producer waits for a consumer that does not read
 * while other calls go on; a message over the maximum size ({@link #DEFAULT_MAX_MESSAGE_SIZE} unless configured)
 * fails with {@code RESOURCE_EXHAUSTED}; an unknown method id fails with {@code UNIMPLEMENTED}; a handler's
 * exception reaches the caller as {@code INTERNAL} (an {@link RpcException} keeps its own code) and the loopback
 * goes on. {@link #close()} fails every call in progress with {@code SESSION_CLOSED} and returns once the
 * loopback's threads have stopped.
 */
public final class Loopback implements AutoCloseable {
    /** The maximum size of one message, 16 MiB, as on a session (DESIGN section 5). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
    /** Bytes of one stream direction that may wait unread before the producer waits, 64 KiB. */
    public static final int DEFAULT_STREAM_WINDOW = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(Loopback.class.getName());
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long CLOSE_GRACE_MILLIS = 10_000;

    private final Messages messages;
    private final int streamWindow;
    private final String threadPrefix;
    private final Endpoint client;
    private final Endpoint server;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Set<LoopbackCall> liveCalls = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor executor;
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Loopback(Builder builder) {
        this.messages = new Messages(builder.maxMessageSize);
        this.streamWindow = builder.streamWindow;
        this.threadPrefix = "rapace-loopback-" + INSTANCES.incrementAndGet() + "-";
        this.client = new Endpoint(builder.clientId);
        this.server = new Endpoint(builder.serverId);
        client.peer = server;
        server.peer = client;
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threadFactory("worker-"));
        this.timer = new ScheduledThreadPoolExecutor(1, threadFactory("timer-"));
        timer.setRemoveOnCancelPolicy(true);
        // Idle threads end on their own, so even a loopback nobody closes leaves nothing running for long.
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
    }

    /** A loopback with the defaults: ends named {@code client} and {@code server}, 16 MiB messages, 64 KiB windows. */
    public static Loopback create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The calling end: a channel to {@link #server()}, which serves the dispatchers a test registers. */
    public Endpoint client() {
        return client;
    }

    /** The serving end: a channel to {@link #client()}, for nested calls back. */
    public Endpoint server() {
        return server;
    }

    /**
     * Fails every call in progress with {@code SESSION_CLOSED} (handlers are cancelled and interrupted), refuses new
     * calls the same way, and waits for the loopback's threads to stop. A handler that ignores its cancellation for
     * ten seconds is left running, with a warning. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Failure failure = closedFailure();
        for (LoopbackCall call : liveCalls) {
            call.abort(failure);
        }
        executor.shutdownNow();
        timer.shutdownNow();
        long deadline = System.currentTimeMillis() + CLOSE_GRACE_MILLIS;
        for (Thread thread : threads) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                LOG.log(Level.WARNING, "loopback thread {0} did not stop within {1} ms of close()", thread.getName(),
                        CLOSE_GRACE_MILLIS);
            }
        }
    }

    /** The prefix of the names of this loopback's threads. */
    String threadPrefix() {
        return threadPrefix;
    }

    /** Stream senders of this loopback waiting for credit right now. */
    int blockedSenders() {
        int n = 0;
        for (LoopbackCall call : liveCalls) {
            n += call.blockedSenders();
        }
        return n;
    }

    private ThreadFactory threadFactory(String role) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, threadPrefix + role + number.incrementAndGet());
            thread.setDaemon(true);
            threads.removeIf(t -> t.getState() == Thread.State.TERMINATED);
            threads.add(thread);
            return thread;
        };
    }

    private static Failure closedFailure() {
        return Failure.of(ErrorCode.SESSION_CLOSED, "the loopback was closed");
    }

    private static String describeNanos(long nanos) {
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + " ms";
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + " us";
        }
        return nanos + " ns";
    }

    /**
     * One end of a {@link Loopback}: a {@link CallChannel} whose calls are served by the other end, and the
     * dispatchers this end serves.
     */
    public final class Endpoint implements CallChannel {
        private final String id;
        private final MethodTable served = new MethodTable();
        private Endpoint peer;

        private Endpoint(String id) {
            this.id = id;
        }

        /** This end's identity: what handlers on the other end see as {@link CallContext#peerId()}. */
        public String id() {
            return id;
        }

        /**
         * Serves the methods of {@code dispatcher} on this end.
         *
         * @throws IllegalArgumentException if one of its method ids is already served here (naming both methods), or
         *                                  appears twice in it
         */
        public void serve(ServiceDispatcher dispatcher) {
            served.register(dispatcher);
        }

        @Override
        public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
                CallOptions options) {
            byte[] body = messages.encode(requestCodec, request, "request", ErrorCode.INVALID_ARGUMENT);
            LoopbackCall call = open(methodId, MethodKind.UNARY, body, options);
            return Messages.decode(responseCodec, call.awaitResponse(), "response", ErrorCode.INTERNAL);
        }

        @Override
        public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            CompletableFuture<R> result = new CompletableFuture<>();
            LoopbackCall call;
            try {
                byte[] body = messages.encode(requestCodec, request, "request", ErrorCode.INVALID_ARGUMENT);
                call = open(methodId, MethodKind.UNARY, body, options);
            } catch (RpcException e) {
                result.completeExceptionally(e);
                return result;
            }
            call.response.whenComplete((bytes, error) -> {
                if (error != null) {
                    result.completeExceptionally(Failure.of(error).toException());
                    return;
                }
                try {
                    result.complete(Messages.decode(responseCodec, bytes, "response", ErrorCode.INTERNAL));
                } catch (RpcException e) {
                    result.completeExceptionally(e);
                }
            });
            result.whenComplete((value, error) -> {
                if (result.isCancelled()) {
                    call.cancelByCaller(Failure.of(ErrorCode.CANCELLED, "cancelled by the caller"));
                }
            });
            return result;
        }

        @Override
        public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            byte[] body = messages.encode(requestCodec, request, "request", ErrorCode.INVALID_ARGUMENT);
            LoopbackCall call = open(methodId, MethodKind.SERVER_STREAMING, body, options);
            return responseStream(call, responseCodec);
        }

        @Override
        public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            Objects.requireNonNull(requests, "requests");
            LoopbackCall call = open(methodId, MethodKind.CLIENT_STREAMING, null, options);
            sendRequests(call, requests, requestCodec);
            return Messages.decode(responseCodec, call.awaitResponse(), "response", ErrorCode.INTERNAL);
        }

        @Override
        public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            Objects.requireNonNull(requests, "requests");
            LoopbackCall call = open(methodId, MethodKind.BIDI_STREAMING, null, options);
            try {
                executor.execute(() -> {
                    if (call.attachWorker(Thread.currentThread())) {
                        try {
                            sendRequests(call, requests, requestCodec);
                        } finally {
                            call.detach();
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                call.abort(closedFailure());
            }
            return responseStream(call, responseCodec);
        }

        private <Q> void sendRequests(LoopbackCall call, RpcStream<Q> requests, Codec<Q> codec) {
            PipeSender<Q, byte[]> sender = new PipeSender<>(call.requests,
                    value -> messages.encode(codec, value, "request stream element", ErrorCode.INVALID_ARGUMENT),
                    call::abort);
            try {
                requests.drainTo(sender);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                call.abort(Failure.of(ErrorCode.CANCELLED, LoopbackCall.INTERRUPTED));
            } catch (Exception e) {
                call.abort(Failure.fromThrowable(e, ErrorCode.CANCELLED, "the request stream failed: "));
            }
        }

        private <R> RpcStream<R> responseStream(LoopbackCall call, Codec<R> codec) {
            return new PipeStream<byte[], R>(call.responses, bytes -> {
                try {
                    return Messages.decode(codec, bytes, "response stream element", ErrorCode.INTERNAL);
                } catch (RpcException e) {
                    call.cancelByCaller(Failure.of(e));
                    throw e;
                }
            }, call::cancelByCaller, "cancelled by the caller");
        }

        /** Starts a call: the caller's half of opening a channel. */
        private LoopbackCall open(int methodId, MethodKind kind, byte[] request, CallOptions options) {
            Objects.requireNonNull(options, "options");
            if (closed.get()) {
                throw closedFailure().toException();
            }
            CallContext parent = CallContext.currentOrNull();
            int depth = parent == null ? 1 : parent.depth() + 1;
            if (depth > RpcSession.MAX_NESTING_DEPTH) {
                throw new RpcException(ErrorCode.RESOURCE_EXHAUSTED, "nested call at depth " + depth
                        + " exceeds the limit of " + RpcSession.MAX_NESTING_DEPTH + " nested calls");
            }
            boolean hasDeadline = options.timeout().isPresent();
            long budget = hasDeadline ? saturatedNanos(options.timeout().get()) : 0;
            if (parent != null && parent.hasDeadline()) {
                long inherited = parent.remainingNanos();
                budget = hasDeadline ? Math.min(budget, inherited) : inherited;
                hasDeadline = true;
            }
            if (hasDeadline && budget <= 0) {
                throw new RpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline exceeded before the call started");
            }
            CallHeader callHeader = new CallHeader(hasDeadline ? budget : -1, options.metadata());
            byte[] header = messages.encode(CallHeader.CODEC, callHeader, "call header", ErrorCode.INVALID_ARGUMENT);
            LoopbackCall call = new LoopbackCall(methodId, kind, request, streamWindow, liveCalls::remove);
            call.depth = depth;
            liveCalls.add(call);
            if (closed.get()) {
                call.abort(closedFailure());
                return call;
            }
            if (hasDeadline) {
                try {
                    call.scheduleDeadline(timer, budget, "deadline of " + describeNanos(budget) + " exceeded");
                } catch (RejectedExecutionException e) {
                    call.abort(closedFailure());
                    return call;
                }
            }
            if (parent != null) {
                call.linkTo(parent);
            }
            peer.accept(call, header, this);
            return call;
        }

        /** The callee's half of opening a channel: route by method id and start the handler. */
        private void accept(LoopbackCall call, byte[] header, Endpoint caller) {
            MethodTable.Served target = served.get(call.methodId);
            String id = Integer.toUnsignedString(call.methodId);
            if (target == null) {
                call.abort(Failure.of(ErrorCode.UNIMPLEMENTED, this.id + " serves no method with id " + id));
                return;
            }
            if (target.method().kind() != call.kind) {
                call.abort(Failure.of(ErrorCode.UNIMPLEMENTED, "method " + id + " (" + target.method().name()
                        + ") is " + target.method().kind() + " but was called as " + call.kind));
                return;
            }
            try {
                executor.execute(() -> runHandler(call, target.method(), header, caller));
            } catch (RejectedExecutionException e) {
                call.abort(closedFailure());
            }
        }

        /** Runs the handler of one call on a loopback thread. */
        private <Q, R> void runHandler(LoopbackCall call, ServerMethod<Q, R> method, byte[] headerBytes,
                Endpoint caller) {
            CallHeader header;
            try {
                header = Postcard.decode(CallHeader.CODEC, headerBytes);
            } catch (DecodeException e) {
                call.abort(Failure.of(ErrorCode.INVALID_ARGUMENT, "call header does not decode: " + e.getMessage()));
                return;
            }
            // The budget starts again from the moment the header is read, on this side's clock.
            CallContext context = new CallContext(call.methodId, header.deadlineRemainingNanos(), header.metadata(),
                    caller.id, this, call.depth, false);
            if (!call.attachHandler(Thread.currentThread(), context)) {
                return;
            }
            CallContext previous = CallContext.enter(context);
            try {
                method.invoke(new Exchange<>(call, method));
                call.succeed();
            } catch (Exception | Error e) {
                if (call.abortByHandler(HandlerFailures.of(method, e))) {
                    HandlerFailures.log(method, this + " (called by " + caller + ")", e);
                }
                if (e instanceof Error error) {
                    throw error;
                }
            } finally {
                CallContext.restore(previous);
                call.detach();
            }
        }

        @Override
        public String toString() {
            return "Loopback.Endpoint[" + id + "]";
        }
    }

    /** The handler's side of a loopback call: decode in place, encode into the loopback's buffers. */
    private final class Exchange<Q, R> implements ServerExchange<Q, R> {
        private final LoopbackCall call;
        private final ServerMethod<Q, R> method;

        Exchange(LoopbackCall call, ServerMethod<Q, R> method) {
            this.call = call;
            this.method = method;
        }

        @Override
        public Q request() {
            return Messages.decode(method.requestCodec(), call.request, "request", ErrorCode.INVALID_ARGUMENT);
        }

        @Override
        public RpcStream<Q> requests() {
            return new PipeStream<byte[], Q>(call.requests, bytes -> {
                try {
                    return Messages.decode(method.requestCodec(), bytes, "request stream element",
                            ErrorCode.INVALID_ARGUMENT);
                } catch (RpcException e) {
                    call.abortByHandler(Failure.of(e));
                    throw e;
                }
            }, call::abortByHandler, "cancelled by the handler");
        }

        @Override
        public void respond(R response) {
            call.respond(messages.encode(method.responseCodec(), response, "response", ErrorCode.INTERNAL));
        }

        @Override
        public void respondStream(RpcStream<R> responses) throws Exception {
            Objects.requireNonNull(responses, "the handler returned null instead of a stream");
            responses.drainTo(new PipeSender<>(call.responses,
                    value -> messages.encode(method.responseCodec(), value, "response stream element",
                            ErrorCode.INTERNAL),
                    call::abortByHandler));
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Configures a {@link Loopback}. */
    public static final class Builder {
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int streamWindow = DEFAULT_STREAM_WINDOW;
        private String clientId = "client";
        private String serverId = "server";

        private Builder() {
        }

        /** The largest message, in encoded bytes, either end may send; larger ones fail with RESOURCE_EXHAUSTED. */
        public Builder maxMessageSize(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximum message size must be positive: " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** The credit window of each stream direction, in encoded bytes. */
        public Builder streamWindow(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("stream window must be positive: " + bytes);
            }
            this.streamWindow = bytes;
            return this;
        }

        /** The identity of the calling end, as handlers see it ({@code client} by default). */
        public Builder clientId(String id) {
            this.clientId = Objects.requireNonNull(id, "id");
            return this;
        }

        /** The identity of the serving end ({@code server} by default). */
        public Builder serverId(String id) {
            this.serverId = Objects.requireNonNull(id, "id");
            return this;
        }

        public Loopback build() {
            return new Loopback(this);
        }
    }
}
