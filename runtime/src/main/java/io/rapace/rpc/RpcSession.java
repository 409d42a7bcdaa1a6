package io.rapace.rpc;

import io.rapace.codec.Codec;
import io.rapace.config.CloseCause;
import io.rapace.config.Limits;
import io.rapace.config.SessionConfig;
import io.rapace.registry.MethodDescriptor;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.registry.TypeSchema;
import io.rapace.session.GoAway;
import io.rapace.session.Hello;
import io.rapace.session.Session;
import io.rapace.session.SessionListener;
import io.rapace.shm.Frame;
import io.rapace.shm.InvalidFrameKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls between two processes over one shared-memory session: the same {@link CallChannel} the generated
 * clients use on a {@link Loopback}, so a generated {@code FooClient} and {@code FooDispatcher} work across processes
 * with no change. Both sides call and serve at once: the host (PeerA) opens odd channel ids, the plugin (PeerB) even
 * ones.
 *
 * <pre>{@code
 * // host
 * try (RpcSession.Listening listening = RpcSession.builder()
 *         .config(SessionConfig.builder().peerId("host").build())
 *         .serve(new HostServicesDispatcher(hostServices))
 *         .listen()) {
 *     startPlugin(listening.segmentPath(), listening.socketPath());
 *     try (RpcSession rpc = listening.accept(Duration.ofSeconds(10))) {
 *         Plugin plugin = new PluginClient(rpc);
 *         plugin.initialize(config);
 *     }
 * }
 * // plugin
 * try (RpcSession rpc = RpcSession.builder().serve(new PluginDispatcher(impl)).connect(segment, socket)) {
 *     rpc.closed().join();
 * }
 * }</pre>
 *
 * <p>On the wire ({@code docs/rpc.md}, the bytes in {@code docs/wire-format.md}): a call opens its channel with a frame
 * flagged {@code CALL_HEADER} whose payload is the call header (deadline as remaining budget, metadata) followed by
 * the request, or by nothing ({@code METADATA_ONLY}) when the requests are streamed; its {@code credit_grant} is the
 * caller's window for a response stream. Single messages travel as {@code DATA|EOS}; stream elements as {@code DATA}
 * frames, the half-close as an empty {@code EOS} frame; {@code CANCEL} aborts from the caller, {@code ERROR}
 * {code u32, message string} fails the call from the handler; {@code CREDITS} frames grant stream credit back in
 * bytes. Payloads are encoded in place into this side's slots (or inline when at most 24 bytes).
 *
 * <p>Threads: frames are delivered by the session's reader thread, or by a caller polling for its own answer; a
 * delivering thread never waits for a call, and what it sends itself (a refusal, a cancel, an introspection answer)
 * waits at most 2 ms for ring space, else is dropped and logged. Handlers run on the
 * {@link Builder#executor executor} (by default a pool of daemon threads that grows with the calls in flight, up to
 * the calls-in-flight limit, so nested calls to depth {@value Limits#MAX_NESTING_DEPTH} in both directions cannot
 * deadlock), or, for unary methods in {@link Builder#directHandlers direct mode}, on the delivering thread itself,
 * whose response then waits for ring space up to the session's send timeout. A bidi call sends its requests from an
 * executor thread.
 *
 * <p>Calls themselves are made and served by a {@code CallEngine} over the session (a {@code FrameTransport}); this
 * class owns the session's threads and binds the engine to the session.
 *
 * <p>Ending: {@link #close()} sends GoAway (the peer opens no new call), lets the calls in flight finish within the
 * drain timeout, then closes the session. When the peer dies every call in progress fails at once with
 * {@link ErrorCode#PEER_DIED}; when the session ends otherwise, with {@link ErrorCode#SESSION_CLOSED}.
 */
public final class RpcSession implements CallChannel, AutoCloseable {
    /** How long a caller polls for its unary response before sleeping, outside spin mode, unless configured. */
    public static final Duration DEFAULT_CALLER_SPIN = Duration.ofNanos(50_000);
    /** How long {@link #close()} lets calls in flight finish, unless configured. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final int instance = INSTANCES.incrementAndGet();
    private final SessionConfig config;
    private final Duration drainTimeout;
    private final MethodTable served;
    private final ExecutorService ownExecutor;
    private final ScheduledThreadPoolExecutor timer;
    private final CallEngine engine;
    /** The engine's calls behind the builder's client interceptors (the engine itself when there are none). */
    private final CallChannel calls;
    private final CompletableFuture<CloseCause> closed = new CompletableFuture<>();
    private final SessionFrames events = new SessionFrames();
    private volatile Session session;
    private final SchemaCheck schema = new SchemaCheck(this);

    private RpcSession(Builder b) {
        this.config = b.config;
        this.drainTimeout = b.drainTimeout;
        this.served = new MethodTable();
        Executor executor;
        if (b.executor != null) {
            executor = b.executor;
            this.ownExecutor = null;
        } else {
            this.ownExecutor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), threads("handler-"));
            executor = ownExecutor;
        }
        this.timer = new ScheduledThreadPoolExecutor(1, threads("timer-"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        this.engine = new CallEngine(new EngineConfig(config.peerId(), this, b.streamWindow,
                config.sendTimeout().toNanos(), b.drainTimeout.toNanos(), b.callerSpin.toNanos(), b.direct,
                b.executor == null,
                b.maxCallsInFlight, b.maxCallsPerSecond, b.serverInterceptors(), executor, timer, null), served);
        for (ServiceDispatcher dispatcher : b.dispatchers) {
            engine.serve(dispatcher);
        }
        engine.verbs.lifecycle(b.lifecycle);
        List<ClientInterceptor> clientInterceptors = b.clientInterceptors();
        this.calls = clientInterceptors.isEmpty() ? engine.caller
                : ClientInterceptors.interceptForward(engine.caller, clientInterceptors);
    }

    public static Builder builder() {
        return new Builder();
    }

    private ThreadFactory threads(String role) {
        AtomicInteger number = new AtomicInteger();
        String prefix = "rapace-rpc-" + instance + "-" + role;
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private SessionConfig announcedConfig() {
        List<Integer> ids = new ArrayList<>(served.ids());
        return config.withMethods(ids, engine.verbs.servedFingerprints(new java.util.HashSet<>(ids)));
    }

    // =====================================================================================================
    // public surface

    /** The peer's identity from its Hello, e.g. a plugin id. */
    public String peerId() {
        Hello hello = session.peerHello();
        return hello == null ? "" : hello.peerId();
    }

    /** The peer's process id from its Hello. */
    public long peerPid() {
        Hello hello = session.peerHello();
        return hello == null ? -1 : hello.pid();
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    /** Completes with the session's close cause once it ended and every call failed or finished. */
    public CompletableFuture<CloseCause> closed() {
        return closed;
    }

    /** Why the session ended, in words (the peer's GoAway reason, the failure), or null while it is open. */
    public String closeDetail() {
        Session s = session;
        return s == null ? null : s.closeDetail();
    }

    /** The memory backend of the session's segment, for logs ({@code "jdk"} or {@code "chronicle"}). */
    public String backend() {
        return session.backend();
    }

    /**
     * Whether the session's frames carry CRC32C checksums, which each side verifies: both sides offered them
     * ({@link io.rapace.config.SessionConfig.Builder#frameChecksums}).
     */
    public boolean frameChecksums() {
        return session.frameChecksums();
    }

    /**
     * Also ends the session when {@code process} (the peer's, usually one this side started) exits, with
     * {@link CloseCause#PROCESS_EXIT}: sooner than the heartbeat timeout when the process dies before its socket
     * says so.
     */
    public void watch(ProcessHandle process) {
        session.watch(process);
    }

    /** Calls in flight right now, opened by this side and by the peer. */
    public int callsInFlight() {
        return engine.callsInFlight();
    }

    /**
     * Serves the methods of {@code dispatcher} from now on (usually given to the {@link Builder} instead, so the
     * Hello lists them).
     *
     * @throws IllegalArgumentException if one of its method ids is already served here, or appears twice in it
     */
    public void serve(ServiceDispatcher dispatcher) {
        engine.serve(dispatcher);
    }

    /**
     * Ends the session in order: GoAway (the peer opens no new call, and this side refuses new ones with
     * {@link ErrorCode#UNAVAILABLE}), then waits up to the drain timeout for the calls in flight, then closes the
     * session; what is still running then fails with {@link ErrorCode#SESSION_CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        close(drainTimeout);
    }

    /**
     * {@link #close()} with its own drain budget instead of the {@link Builder#drainTimeout configured} one;
     * {@link Duration#ZERO} ends the session at once (the session still says GoAway, briefly) and fails every call in
     * flight with {@link ErrorCode#SESSION_CLOSED}, as a host does with a plugin it has given up on. Idempotent.
     */
    public void close(Duration drain) {
        if (drain.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative: " + drain);
        }
        if (session == null) {
            shutdownThreads();
            return;
        }
        if (drain.isZero()) {
            engine.closeNow();
        } else {
            engine.close(drain.toNanos());
        }
        closed.join();
    }

    // =====================================================================================================
    // introspection (channel 0, verbs 7..10)

    /** The names of the services the peer serves, sorted. */
    public List<String> listServices(Duration timeout) {
        return engine.verbs.listServices(timeout);
    }

    /** The descriptor of one service the peer serves; {@link ErrorCode#NOT_FOUND} if it serves none of that name. */
    public ServiceDescriptor getService(String name, Duration timeout) {
        return engine.verbs.getService(name, timeout);
    }

    /** The descriptor of a method the peer serves, by id; {@link ErrorCode#NOT_FOUND} if none has that id. */
    public MethodDescriptor getMethod(int methodId, Duration timeout) {
        return engine.verbs.getMethod(methodId, timeout);
    }

    /** The schema of a named type the peer's services use; {@link ErrorCode#NOT_FOUND} if none defines it. */
    public TypeSchema getSchema(String typeName, Duration timeout) {
        return engine.verbs.getSchema(typeName, timeout);
    }

    /** The peer's whole registry, fetched service by service; {@link ServiceRegistry#describe()} prints it. */
    public ServiceRegistry fetchRegistry(Duration timeout) {
        return engine.verbs.fetchRegistry(timeout);
    }

    /**
     * Ends every call in flight, in either direction, with {@code code} and {@code message}, telling the peer of each
     * (CANCEL for a call of this side, ERROR for one of the peer's): for a side that hands its work to another session
     * and must not leave a stream open, such as a plugin host replacing a plugin. The session stays open.
     */
    public void failCalls(ErrorCode code, String message) {
        engine.failAll(Failure.of(code, message));
    }

    /** The schema fingerprints the peer announced in its Hello, by method id (empty before the handshake). */
    public java.util.Map<Integer, Long> peerFingerprints() {
        Hello hello = peerHello();
        return hello == null ? java.util.Map.of() : hello.fingerprints();
    }

    /**
     * The methods the peer serves whose schema differs from this side's registry entry of the same service, found
     * when the session started (and logged then, at WARNING): their calls fail with
     * {@link ErrorCode#FAILED_PRECONDITION}. Empty when the two sides agree, or the peer announced no fingerprints.
     */
    public List<SchemaMismatch> schemaMismatches() {
        return schema.mismatches();
    }

    // =====================================================================================================
    // lifecycle (channel 0, verbs 11 and 12)

    /**
     * Initialises the peer with {@code config} (verb 11 Initialize, answered by the peer's
     * {@link Builder#lifecycle} hooks) and returns once it acknowledged. A refusal is an {@link RpcException} with
     * the peer's code and message; no answer within {@code timeout} is {@link ErrorCode#DEADLINE_EXCEEDED}.
     */
    public void initializePeer(byte[] config, Duration timeout) {
        engine.verbs.initializePeer(config, timeout);
    }

    /**
     * Tells the peer the session is about to close in order (verb 12 Shutdown) and returns once it acknowledged;
     * failures as {@link #initializePeer}. The session stays open: {@link #close()} follows.
     */
    public void shutdownPeer(Duration timeout) {
        engine.verbs.shutdownPeer(timeout);
    }

    // =====================================================================================================
    // calling (CallChannel)

    @Override
    public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options) {
        return calls.unary(methodId, request, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return calls.unaryAsync(methodId, request, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return calls.serverStreaming(methodId, request, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return calls.clientStreaming(methodId, requests, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return calls.bidiStreaming(methodId, requests, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> R unary(RpcMethod<Q, R> method, Q request, CallOptions options) {
        checkSchema(method, options);
        return calls.unary(method, request, options);
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(RpcMethod<Q, R> method, Q request, CallOptions options) {
        RpcException refused = schema.refusal(method, peerHello(), options);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        return calls.unaryAsync(method, request, options);
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(RpcMethod<Q, R> method, Q request, CallOptions options) {
        checkSchema(method, options);
        return calls.serverStreaming(method, request, options);
    }

    @Override
    public <Q, R> R clientStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        checkSchema(method, options);
        return calls.clientStreaming(method, requests, options);
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        checkSchema(method, options);
        return calls.bidiStreaming(method, requests, options);
    }

    // =====================================================================================================
    // the session's events

    /**
     * Hands the session's events to the engine. {@code Session.connect} starts the reader before it returns, so the
     * first callback may come before {@link #bind}: each binds the session it is given.
     */
    private final class SessionFrames implements SessionListener {
        @Override
        public void onFrame(Session s, Frame frame) {
            bind(s);
            engine.onFrame(frame);
        }

        @Override
        public boolean waitingOnPeer(Session s) {
            return engine.callsInFlight() > 0;
        }

        @Override
        public boolean atMostOneCall(Session s) {
            return engine.callsInFlight() <= 1;
        }

        @Override
        public void onDropped(Session s, int channelId, InvalidFrameKind kind, int errorCode) {
            bind(s);
            engine.onDropped(channelId, kind, errorCode);
        }

        @Override
        public void onGoAway(Session s, GoAway goAway) {
            bind(s);
            engine.onGoAway(goAway);
        }

        @Override
        public void onClosed(Session s, CloseCause cause, String detail) {
            bind(s);
            engine.onClosed(cause, detail);
            shutdownThreads();
            closed.complete(cause);
        }
    }

    private void bind(Session s) {
        if (session == null) {
            session = s;
        }
        engine.bind(s);
    }

    private Hello peerHello() {
        Session s = session;
        return s == null ? null : s.peerHello();
    }

    /** Refuses a call whose schema differs from what the peer serves under its id ({@link SchemaCheck}). */
    private void checkSchema(RpcMethod<?, ?> method, CallOptions options) {
        RpcException refused = schema.refusal(method, peerHello(), options);
        if (refused != null) {
            throw refused;
        }
    }

    /** After the handshake: compares the peer's served methods with this side's registry entries. */
    private void analyseSchemas() {
        schema.analyse(peerHello(), Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : RpcSession.class.getClassLoader());
    }

    private void shutdownThreads() {
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "RpcSession[" + instance + ", " + session + "]";
    }

    // =====================================================================================================
    // building

    /** Configures an {@link RpcSession}: the session, what it serves, where handlers run, limits. */
    public static final class Builder {
        private SessionConfig config = SessionConfig.defaults();
        private final List<ServiceDispatcher> dispatchers = new ArrayList<>();
        private final MethodTable methods = new MethodTable();
        private Executor executor;
        private boolean direct;
        private int streamWindow = Limits.DEFAULT_STREAM_WINDOW;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Duration callerSpin = DEFAULT_CALLER_SPIN;
        private int maxCallsInFlight = Limits.DEFAULT_MAX_CALLS_IN_FLIGHT;
        private double maxCallsPerSecond;
        private CallObserver observer = CallObserver.NONE;
        private Lifecycle lifecycle = Lifecycle.NONE;
        private final List<ClientInterceptor> clientInterceptors = new ArrayList<>();
        private final List<ServerInterceptor> serverInterceptors = new ArrayList<>();

        private Builder() {
        }

        /** The session's configuration: geometry, wake mode, identity, timeouts, maximum message size. */
        public Builder config(SessionConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Serves the methods of {@code dispatcher}.
         *
         * @throws IllegalArgumentException if a method id is already served by an earlier dispatcher (naming both)
         */
        public Builder serve(ServiceDispatcher dispatcher) {
            methods.register(dispatcher); // the same check the session makes, now, where the mistake is
            dispatchers.add(dispatcher);
            return this;
        }

        /**
         * Answers the peer's Initialize and Shutdown verbs ({@link RpcSession#initializePeer},
         * {@link RpcSession#shutdownPeer}); without hooks both are acknowledged at once.
         */
        public Builder lifecycle(Lifecycle hooks) {
            this.lifecycle = Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        /** Where handlers run; by default a pool of daemon threads that grows with the calls in flight. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Direct mode: unary handlers run on the session's reader thread, for the lowest latency. Only for handlers
         * that never block: while one runs no other frame of the session is read, and a nested call from one fails
         * at once with {@link ErrorCode#FAILED_PRECONDITION}. Streaming methods still run on the executor.
         */
        public Builder directHandlers(boolean direct) {
            this.direct = direct;
            return this;
        }

        /** Bytes of one stream direction that may wait unread before the sender waits. */
        public Builder streamWindow(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("stream window must be positive: " + bytes);
            }
            this.streamWindow = bytes;
            return this;
        }

        /**
         * Outside spin mode: how long a caller waiting for a unary response polls the ring itself before it sleeps
         * until the reader hands the response over (50 us by default; zero: never). A response that comes within it
         * costs no thread wake-up on this side.
         */
        public Builder callerSpin(Duration spin) {
            if (spin.isNegative()) {
                throw new IllegalArgumentException("caller spin must not be negative: " + spin);
            }
            this.callerSpin = spin;
            return this;
        }

        /** How long {@link RpcSession#close()} lets calls in flight finish. */
        public Builder drainTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("drain timeout must not be negative: " + timeout);
            }
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * At most this many calls in flight in each direction ({@value Limits#DEFAULT_MAX_CALLS_IN_FLIGHT} unless
         * set); beyond it a call fails with {@link ErrorCode#RESOURCE_EXHAUSTED} (and the observer sees a rejected
         * call).
         */
        public Builder maxCallsInFlight(int calls) {
            if (calls <= 0) {
                throw new IllegalArgumentException("maximum calls in flight must be positive: " + calls);
            }
            this.maxCallsInFlight = calls;
            return this;
        }

        /** At most this many calls per second in each direction (0: no limit); beyond it RESOURCE_EXHAUSTED. */
        public Builder maxCallsPerSecond(double calls) {
            if (!(calls >= 0) || Double.isInfinite(calls)) {
                throw new IllegalArgumentException("maximum calls per second must be a finite number >= 0: "
                        + calls);
            }
            this.maxCallsPerSecond = calls;
            return this;
        }

        /**
         * Sees every call end, in either direction, for metrics: installed as the outermost client and server
         * interceptor ({@link CallObserver#clientInterceptor()}, {@link CallObserver#serverInterceptor()}), so it
         * sees calls as the caller made them and refusals of either side's limits. One observer per session: a
         * second call replaces the first.
         */
        public Builder observer(CallObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Runs every call this side makes through {@code interceptors}, the first given outermost (after any given
         * earlier): generated clients, the {@link CallChannel} methods of the session and nested calls made by its
         * handlers. Equivalent to wrapping the session with {@link ClientInterceptors#interceptForward}, for every
         * user of the session at once.
         */
        public Builder clientInterceptors(ClientInterceptor... interceptors) {
            for (ClientInterceptor interceptor : interceptors) {
                clientInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            }
            return this;
        }

        /**
         * Runs every call this side serves through {@code interceptors}, the first given outermost (after any given
         * earlier), whichever dispatcher serves it, and tells them through
         * {@link ServerInterceptor#refused} of each call refused before any dispatcher saw it.
         */
        public Builder serverInterceptors(ServerInterceptor... interceptors) {
            for (ServerInterceptor interceptor : interceptors) {
                serverInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            }
            return this;
        }

        /** The client interceptors, the observer's outermost. */
        private List<ClientInterceptor> clientInterceptors() {
            List<ClientInterceptor> all = new ArrayList<>();
            if (observer != CallObserver.NONE) {
                all.add(observer.clientInterceptor());
            }
            all.addAll(clientInterceptors);
            return List.copyOf(all);
        }

        /** The server interceptors, the observer's outermost. */
        private List<ServerInterceptor> serverInterceptors() {
            List<ServerInterceptor> all = new ArrayList<>();
            if (observer != CallObserver.NONE) {
                all.add(observer.serverInterceptor());
            }
            all.addAll(serverInterceptors);
            return List.copyOf(all);
        }

        /**
         * PeerA (the host): creates the segment and the socket. Hand {@link Listening#segmentPath()} and
         * {@link Listening#socketPath()} to the plugin, then {@link Listening#accept}.
         */
        public Listening listen() throws IOException {
            RpcSession rpc = new RpcSession(this);
            try {
                return new Listening(rpc, Session.listen(rpc.announcedConfig()));
            } catch (IOException | RuntimeException e) {
                rpc.shutdownThreads();
                throw e;
            }
        }

        /** PeerB (the plugin): maps the host's segment, connects and shakes hands. */
        public RpcSession connect(Path segmentPath, Path socketPath) throws IOException {
            RpcSession rpc = new RpcSession(this);
            try {
                Session s = Session.connect(segmentPath, socketPath, rpc.announcedConfig(), rpc.events);
                rpc.bind(s);
                rpc.analyseSchemas();
                return rpc;
            } catch (IOException | RuntimeException e) {
                rpc.shutdownThreads();
                throw e;
            }
        }
    }

    /** The host's half of an RPC session before the plugin connected. Closing it deletes both files. */
    public static final class Listening implements AutoCloseable {
        private final RpcSession rpc;
        private final Session.Listening listening;
        /** Set before {@link #accept} waits: from then on the accept, not {@link #close}, ends the threads. */
        private volatile boolean acceptStarted;

        private Listening(RpcSession rpc, Session.Listening listening) {
            this.rpc = rpc;
            this.listening = listening;
        }

        public Path segmentPath() {
            return listening.segmentPath();
        }

        public Path socketPath() {
            return listening.socketPath();
        }

        /**
         * Waits up to {@code timeout} for the plugin to connect and shake hands. {@link #close} from another thread
         * ends the wait at once.
         */
        public RpcSession accept(Duration timeout) throws IOException {
            acceptStarted = true;
            try {
                Session s = listening.accept(rpc.events, timeout);
                rpc.bind(s);
                rpc.analyseSchemas();
                return rpc;
            } catch (IOException | RuntimeException e) {
                rpc.shutdownThreads();
                throw e;
            }
        }

        /**
         * Abandons a listening that was not accepted: its files and threads go, and an {@link #accept} waiting in
         * another thread fails at once. After a successful accept it does nothing.
         */
        @Override
        public void close() throws IOException {
            listening.close();
            if (!acceptStarted) {
                rpc.shutdownThreads(); // an accept, once started, ends them itself if it fails
            }
        }
    }
}
