package io.rapace.rpc;

import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.codec.Codec;
import io.rapace.config.Limits;
import io.rapace.registry.MethodDescriptor;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.registry.TypeSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * The call contract over the in-memory transport pair behind {@link Loopback}: two {@link CallEngine}s over
 * {@link InMemoryTransport#pair}, wired as {@code Loopback.Endpoint} wires them (same window, maximum message size,
 * calls-in-flight limit, no caller spin, no direct mode), except what the contract needs and the loopback's facade does
 * not offer: the executor kind, a GoAway with a drain (the loopback's own {@code close()} ends every call at once, see
 * {@code LoopbackTest}), the peer's death ({@link InMemoryTransport#kill}) and introspection. A new pair per case:
 * it costs a few threads.
 */
class LoopbackCallContractTest extends AbstractCallContractTest {
    private static final long DRAIN_NANOS = RpcSession.DEFAULT_DRAIN_TIMEOUT.toNanos();
    private static final AtomicInteger PAIRS = new AtomicInteger();

    private final List<InMemoryConnection> connections = new ArrayList<>();
    private InMemoryConnection shared;

    @Override
    HandlerExecutors executors() {
        return HandlerExecutors.DEFAULT;
    }

    @Override
    Connection shared() {
        if (shared == null) {
            shared = fresh();
        }
        return shared;
    }

    @Override
    InMemoryConnection fresh() {
        InMemoryConnection connection = new InMemoryConnection(executors());
        connections.add(connection);
        return connection;
    }

    @AfterEach
    void closeEveryPair() {
        for (InMemoryConnection connection : connections) {
            connection.end();
        }
    }

    /** One side of the pair: a {@link CallChannel} over its engine, as {@code Loopback.Endpoint} is. */
    static final class End implements CallChannel {
        final String id;
        final Probe probe = new Probe();
        final ExecutorService executor;
        final ScheduledThreadPoolExecutor timer;
        final CallEngine engine;

        End(String id, InMemoryTransport transport, HandlerExecutors kind, ThreadFactory threads) {
            this.id = id;
            this.executor = kind == HandlerExecutors.VIRTUAL_THREADS
                    ? HandlerExecutors.newVirtualThreadPerTaskExecutor()
                    : new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                            threads);
            this.timer = new ScheduledThreadPoolExecutor(1, threads);
            timer.setRemoveOnCancelPolicy(true);
            this.engine = new CallEngine(new EngineConfig(id, this, Limits.DEFAULT_STREAM_WINDOW, Long.MAX_VALUE,
                    DRAIN_NANOS, 0, false, false, Limits.DEFAULT_MAX_CALLS_IN_FLIGHT, 0, java.util.List.of(), executor,
                    timer, null), new MethodTable());
            engine.serve(probe);
            engine.serve(new CalculatorDispatcher(new Arithmetic()));
            engine.bind(transport);
        }

        void shutdown() {
            executor.shutdownNow();
            timer.shutdownNow();
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
            return "End[" + id + "]";
        }
    }

    /** {@code host} (PeerA) and {@code child} (PeerB) over one in-memory pair. */
    /** The peer is an engine of this JVM: its warnings are this JVM's. */
    @Override
    String peerWarning(String text) {
        return logs.expect(System.Logger.Level.WARNING, text);
    }

    static final class InMemoryConnection implements Connection {
        final InMemoryTransport[] pair;
        final End host;
        final End child;

        InMemoryConnection(HandlerExecutors kind) {
            String prefix = "rapace-contract-" + PAIRS.incrementAndGet() + "-";
            AtomicInteger number = new AtomicInteger();
            ThreadFactory threads = runnable -> {
                Thread thread = new Thread(runnable, prefix + number.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            this.pair = InMemoryTransport.pair("host", "child", Limits.DEFAULT_MAX_MESSAGE_SIZE, threads);
            this.host = new End("host", pair[0], kind, threads);
            this.child = new End("child", pair[1], kind, threads);
            pair[0].start(host.engine);
            pair[1].start(child.engine);
        }

        @Override
        public CallChannel channel() {
            return host;
        }

        @Override
        public Probe local() {
            return host.probe;
        }

        @Override
        public PeerIntrospection introspection() {
            ControlVerbs asked = host.engine.verbs;
            return new PeerIntrospection() {
                @Override
                public List<String> listServices(Duration timeout) {
                    return asked.listServices(timeout);
                }

                @Override
                public ServiceDescriptor getService(String name, Duration timeout) {
                    return asked.getService(name, timeout);
                }

                @Override
                public MethodDescriptor getMethod(int methodId, Duration timeout) {
                    return asked.getMethod(methodId, timeout);
                }

                @Override
                public TypeSchema getSchema(String typeName, Duration timeout) {
                    return asked.getSchema(typeName, timeout);
                }

                @Override
                public ServiceRegistry fetchRegistry(Duration timeout) {
                    return asked.fetchRegistry(timeout);
                }
            };
        }

        @Override
        public void killPeer() {
            pair[1].kill();
        }

        @Override
        public void close() {
            host.engine.close();
        }

        void end() {
            pair[0].closePair("the case ended");
            host.shutdown();
            child.shutdown();
        }
    }
}
