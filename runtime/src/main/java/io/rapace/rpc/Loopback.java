package io.rapace.rpc;

import io.rapace.codec.Codec;
import io.rapace.config.Limits;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>It behaves as two processes do by construction: each end is the same call engine an {@link RpcSession} runs,
 * and the two engines exchange the frames a session carries (call header, DATA, EOS, CANCEL, ERROR, CREDITS) through
 * an in-memory pair of transports, each end delivering what it receives on its own reader thread. So requests and
 * responses cross as postcard bytes; handlers run on the loopback's threads, never on the caller's; deadlines travel
 * as remaining budgets and fail the call with {@code DEADLINE_EXCEEDED} on both sides; a cancellation reaches the
 * handler's context and interrupts its thread; each stream direction has a byte credit window
 * ({@link Limits#DEFAULT_STREAM_WINDOW} unless configured), so a producer waits for a consumer that does not read
 * while other calls go on; a frame over the maximum message size ({@link Limits#DEFAULT_MAX_MESSAGE_SIZE} unless
 * configured; the opening frame counts the call header with the request) fails with {@code RESOURCE_EXHAUSTED}; an unknown method id
 * fails with {@code UNIMPLEMENTED}; nested calls go {@value Limits#MAX_NESTING_DEPTH} deep; a handler's exception
 * reaches the caller as {@code INTERNAL} (an {@link RpcException} keeps its own code) and the loopback goes on; each
 * end takes at most {@value Limits#DEFAULT_MAX_CALLS_IN_FLIGHT} calls in flight each way. {@link #close()} fails
 * every call in progress with {@code SESSION_CLOSED} and returns once the loopback's threads have stopped.
 */
public final class Loopback implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Loopback.class.getName());
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long CLOSE_GRACE_MILLIS = 10_000;

    private final String threadPrefix;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor executor;
    private final ScheduledThreadPoolExecutor timer;
    private final InMemoryTransport[] pair;
    private final Endpoint client;
    private final Endpoint server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Loopback(Builder builder) {
        this.threadPrefix = "rapace-loopback-" + INSTANCES.incrementAndGet() + "-";
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threadFactory("worker-"));
        this.timer = new ScheduledThreadPoolExecutor(1, threadFactory("timer-"));
        timer.setRemoveOnCancelPolicy(true);
        // Idle threads end on their own, so even a loopback nobody closes leaves nothing running for long.
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        this.pair = InMemoryTransport.pair(builder.clientId, builder.serverId, builder.maxMessageSize,
                threadFactory("reader-"));
        this.client = new Endpoint(builder.clientId, builder.serverId, builder.streamWindow, pair[0]);
        this.server = new Endpoint(builder.serverId, builder.clientId, builder.streamWindow, pair[1]);
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
        pair[0].closePair("the loopback was closed");
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
        return client.engine.blockedSenders() + server.engine.blockedSenders();
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

    /**
     * One end of a {@link Loopback}: a {@link CallChannel} whose calls are served by the other end, and the
     * dispatchers this end serves.
     */
    public final class Endpoint implements CallChannel {
        private final String id;
        private final CallEngine engine;

        private Endpoint(String id, String peerId, int streamWindow, InMemoryTransport transport) {
            this.id = id;
            // No drain on close, no caller spin (nothing to poll), no direct mode, no per-second limit, no
            // interceptors of its own (wrap the endpoint and the dispatchers with ClientInterceptors and
            // ServerInterceptors).
            this.engine = new CallEngine(new EngineConfig(id, this, streamWindow, Long.MAX_VALUE, 0, 0, false, false,
                    Limits.DEFAULT_MAX_CALLS_IN_FLIGHT, 0, List.of(), executor, timer,
                    this + " (called by Loopback.Endpoint[" + peerId + "])"), new MethodTable());
            engine.bind(transport);
            transport.start(engine);
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
            engine.serve(dispatcher);
        }

        @Override
        public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
                CallOptions options) {
            return engine.caller.unary(methodId, request, requestCodec, responseCodec, options);
        }

        @Override
        public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return engine.caller.unaryAsync(methodId, request, requestCodec, responseCodec, options);
        }

        @Override
        public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return engine.caller.serverStreaming(methodId, request, requestCodec, responseCodec, options);
        }

        @Override
        public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return engine.caller.clientStreaming(methodId, requests, requestCodec, responseCodec, options);
        }

        @Override
        public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return engine.caller.bidiStreaming(methodId, requests, requestCodec, responseCodec, options);
        }

        @Override
        public String toString() {
            return "Loopback.Endpoint[" + id + "]";
        }
    }

    /** Configures a {@link Loopback}. */
    public static final class Builder {
        private int maxMessageSize = Limits.DEFAULT_MAX_MESSAGE_SIZE;
        private int streamWindow = Limits.DEFAULT_STREAM_WINDOW;
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
