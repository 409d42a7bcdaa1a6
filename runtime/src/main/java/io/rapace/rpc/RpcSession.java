package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.session.CloseCause;
import io.rapace.session.GoAway;
import io.rapace.session.Hello;
import io.rapace.session.Session;
import io.rapace.session.SessionConfig;
import io.rapace.session.SessionListener;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.InvalidFrameKind;
import io.rapace.shm.PayloadEncoder;
import io.rapace.shm.SendTimeoutException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls between two processes over one shared-memory {@link Session}: the same {@link CallChannel} the generated
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
 * <p>On the wire (DESIGN section 6, details in {@code docs/wire-format.md}): a call opens its channel with a frame
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
 * the calls-in-flight limit, so nested calls to depth {@value #MAX_NESTING_DEPTH} in both directions cannot
 * deadlock), or, for unary methods in {@link Builder#directHandlers direct mode}, on the delivering thread itself,
 * whose response then waits for ring space up to the session's send timeout. A bidi call sends its requests from an
 * executor thread.
 *
 * <p>Ending: {@link #close()} sends GoAway (the peer opens no new call), lets the calls in flight finish within the
 * drain timeout, then closes the session. When the peer dies every call in progress fails at once with
 * {@link ErrorCode#PEER_DIED}; when the session ends otherwise, with {@link ErrorCode#SESSION_CLOSED}.
 */
public final class RpcSession implements CallChannel, AutoCloseable {
    /** How deep calls may nest: a handler's call back to its caller is depth 2, and so on up to this. */
    public static final int MAX_NESTING_DEPTH = 16;
    /** Bytes of one stream direction that may wait unread before the sender waits, 64 KiB unless configured. */
    public static final int DEFAULT_STREAM_WINDOW = 64 * 1024;
    /**
     * Calls in flight per direction unless configured: a peer cannot make this side start more handler threads than
     * this (the default executor grows with the calls), and nesting to depth 16 needs far fewer.
     */
    public static final int DEFAULT_MAX_CALLS_IN_FLIGHT = 1024;
    /** How long a caller polls for its unary response before sleeping, outside spin mode, unless configured. */
    public static final Duration DEFAULT_CALLER_SPIN = Duration.ofNanos(50_000);
    /** How long {@link #close()} lets calls in flight finish, unless configured. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** The reserved metadata key carrying the nesting depth of a nested call (one byte); handlers never see it. */
    static final String DEPTH_KEY = "rapace-depth";

    private static final System.Logger LOG = System.getLogger(RpcSession.class.getName());
    /**
     * True on a thread delivering the peer's frames (the reader, or a caller polling for its answer): a send from
     * there must not wait for long, or the peer, itself waiting for this side to read, would stall.
     */
    private static final ThreadLocal<Boolean> DELIVERING = ThreadLocal.withInitial(() -> false);
    /** How long a frame that may be lost waits for ring space on a delivering thread. */
    private static final Duration DELIVERING_SEND_TIMEOUT = Duration.ofMillis(2);
    /** How long a frame that may be lost waits for ring space elsewhere. */
    private static final Duration QUIET_SEND_TIMEOUT = Duration.ofMillis(200);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final int LIST_SERVICES = 7;
    private static final int GET_SERVICE = 8;
    private static final int GET_METHOD = 9;
    private static final int GET_SCHEMA = 10;

    private final int instance = INSTANCES.incrementAndGet();
    private final SessionConfig config;
    private final MethodTable served;
    private final Map<String, ServiceDescriptor> descriptors = new ConcurrentHashMap<>();
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final ScheduledThreadPoolExecutor timer;
    private final boolean direct;
    private final int streamWindow;
    private final Duration drainTimeout;
    private final CallObserver observer;
    private final Limiter outboundLimit;
    private final Limiter inboundLimit;
    private final Map<Integer, SessionCall> outbound = new ConcurrentHashMap<>();
    private final Map<Integer, SessionCall> inbound = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<byte[]>> introspection = new ConcurrentHashMap<>();
    private final AtomicLong nextIntrospection = new AtomicLong();
    private final CompletableFuture<CloseCause> closed = new CompletableFuture<>();
    private final Events events = new Events();
    private final long callerSpinNanos;
    private final boolean spinMode;
    private volatile Session session;
    private volatile boolean closing;
    private volatile String peerGoAway;

    private RpcSession(Builder b) {
        this.config = b.config;
        this.direct = b.direct;
        this.streamWindow = b.streamWindow;
        this.drainTimeout = b.drainTimeout;
        this.callerSpinNanos = b.callerSpin.toNanos();
        this.spinMode = b.config.wakeMode() == io.rapace.session.WakeMode.SPIN;
        this.observer = b.observer;
        this.outboundLimit = new Limiter(b.maxCallsInFlight, b.maxCallsPerSecond);
        this.inboundLimit = new Limiter(b.maxCallsInFlight, b.maxCallsPerSecond);
        this.served = b.methods.copy();
        for (ServiceDispatcher dispatcher : b.dispatchers) {
            discoverDescriptor(dispatcher);
        }
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownExecutor = null;
        } else {
            this.ownExecutor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), threads("handler-"));
            this.executor = ownExecutor;
        }
        this.timer = new ScheduledThreadPoolExecutor(1, threads("timer-"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
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
        return config.withMethods(new ArrayList<>(served.ids()));
    }

    // =====================================================================================================
    // public surface

    /** The session underneath (its role, the peer's Hello, invalid-frame counts, ping). */
    public Session session() {
        return session;
    }

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

    /** Calls in flight right now, opened by this side and by the peer. */
    public int callsInFlight() {
        return outbound.size() + inbound.size();
    }

    /**
     * Serves the methods of {@code dispatcher} from now on (usually given to the {@link Builder} instead, so the
     * Hello lists them).
     *
     * @throws IllegalArgumentException if one of its method ids is already served here, or appears twice in it
     */
    public void serve(ServiceDispatcher dispatcher) {
        register(dispatcher);
    }

    private void register(ServiceDispatcher dispatcher) {
        served.register(dispatcher);
        discoverDescriptor(dispatcher);
    }

    /** The registry entry of the dispatcher's service, if its class loader has one, for introspection. */
    private void discoverDescriptor(ServiceDispatcher dispatcher) {
        String service = dispatcher.serviceName();
        ServiceRegistry.discover(dispatcher.getClass().getClassLoader()).service(service)
                .ifPresent(d -> descriptors.put(service, d));
    }

    /**
     * Ends the session in order: GoAway (the peer opens no new call, and this side refuses new ones with
     * {@link ErrorCode#UNAVAILABLE}), then waits up to the drain timeout for the calls in flight, then closes the
     * session; what is still running then fails with {@link ErrorCode#SESSION_CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        Session s = session;
        if (s == null) {
            shutdownThreads();
            return;
        }
        if (!closing) {
            closing = true;
            try {
                s.goAway("closing");
            } catch (SendTimeoutException | IllegalStateException e) {
                // the peer does not read, or the session already ended: close without draining
            }
            long until = System.nanoTime() + drainTimeout.toNanos();
            while (s.isOpen() && callsInFlight() > 0 && System.nanoTime() - until < 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        s.close();
        closed.join();
    }

    // =====================================================================================================
    // introspection (channel 0, verbs 7..10)

    /** The names of the services the peer serves, sorted. */
    public List<String> listServices(Duration timeout) {
        byte[] body = askPeer(LIST_SERVICES, w -> { }, timeout);
        return decodeAnswer(body, in -> {
            int n = in.readLength(1);
            List<String> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(in.readString());
            }
            return List.copyOf(names);
        });
    }

    /** The descriptor of one service the peer serves; {@link ErrorCode#NOT_FOUND} if it serves none of that name. */
    public ServiceDescriptor getService(String name, Duration timeout) {
        Objects.requireNonNull(name, "name");
        byte[] body = askPeer(GET_SERVICE, w -> w.writeString(name), timeout);
        return decodeAnswer(body, ServiceDescriptor.CODEC::decode);
    }

    /** The descriptor of a method the peer serves, by id; {@link ErrorCode#NOT_FOUND} if none has that id. */
    public io.rapace.registry.MethodDescriptor getMethod(int methodId, Duration timeout) {
        byte[] body = askPeer(GET_METHOD, w -> w.writeU32(methodId), timeout);
        return decodeAnswer(body, io.rapace.registry.MethodDescriptor.CODEC::decode);
    }

    /** The schema of a named type the peer's services use; {@link ErrorCode#NOT_FOUND} if none defines it. */
    public io.rapace.registry.TypeSchema getSchema(String typeName, Duration timeout) {
        Objects.requireNonNull(typeName, "typeName");
        byte[] body = askPeer(GET_SCHEMA, w -> w.writeString(typeName), timeout);
        return decodeAnswer(body, io.rapace.registry.TypeSchema.CODEC::decode);
    }

    /** The peer's whole registry, fetched service by service; {@link ServiceRegistry#describe()} prints it. */
    public ServiceRegistry fetchRegistry(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        List<ServiceDescriptor> services = new ArrayList<>();
        for (String name : listServices(timeout)) {
            services.add(getService(name, Duration.ofNanos(Math.max(1, until - System.nanoTime()))));
        }
        return ServiceRegistry.of(services);
    }

    private interface AnswerDecoder<T> {
        T decode(PostcardReader in) throws DecodeException;
    }

    private static <T> T decodeAnswer(byte[] body, AnswerDecoder<T> decoder) {
        try {
            PostcardReader in = PostcardReader.of(body);
            T value = decoder.decode(in);
            in.expectEnd();
            return value;
        } catch (DecodeException e) {
            throw new RpcException(ErrorCode.INTERNAL, "the peer's introspection answer does not decode: "
                    + e.getMessage(), e);
        }
    }

    private byte[] askPeer(int verb, PayloadEncoder args, Duration timeout) {
        Session s = requireSession();
        long id = nextIntrospection.incrementAndGet();
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        introspection.put(id, answer);
        try {
            if (!s.isOpen()) {
                throw sessionEnded().toException();
            }
            s.sendVerb(verb, 0, w -> {
                w.writeU64(id);
                args.encode(w);
            }, timeout);
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RpcException(ErrorCode.DEADLINE_EXCEEDED, "no introspection answer from the peer within "
                    + timeout.toMillis() + " ms");
        } catch (IllegalStateException e) {
            throw sessionEnded().toException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(ErrorCode.CANCELLED, "interrupted while waiting for the peer's answer");
        } catch (ExecutionException e) {
            throw Failure.of(e.getCause()).toException();
        } finally {
            introspection.remove(id);
        }
    }

    private void answerIntrospection(Frame frame) {
        ByteBuffer payload = frame.payload();
        int verb = frame.methodId();
        if (frame.hasFlag(FrameFlags.EOS) || frame.hasFlag(FrameFlags.ERROR)) {
            takeIntrospectionAnswer(frame);
            return;
        }
        long id;
        Object arg;
        try {
            PostcardReader in = PostcardReader.of(payload);
            id = in.readU64();
            arg = switch (verb) {
                case GET_SERVICE, GET_SCHEMA -> in.readString();
                case GET_METHOD -> in.readU32();
                default -> null;
            };
            in.expectEnd();
        } catch (DecodeException e) {
            LOG.log(Level.DEBUG, "introspection request does not decode: " + e.getMessage());
            return;
        }
        {
            PayloadEncoder answer;
            try {
                answer = introspectionAnswer(verb, arg);
            } catch (RpcException e) {
                sendVerbQuietly(verb, FrameFlags.ERROR, w -> {
                    w.writeU64(id);
                    w.writeU32(e.rawCode());
                    w.writeString(e.getMessage());
                });
                return;
            }
            sendVerbQuietly(verb, FrameFlags.EOS, w -> {
                w.writeU64(id);
                answer.encode(w);
            });
        }
    }

    private PayloadEncoder introspectionAnswer(int verb, Object arg) {
        List<ServiceDescriptor> services = new ArrayList<>(descriptors.values());
        services.sort((a, b) -> a.name().compareTo(b.name()));
        switch (verb) {
            case LIST_SERVICES:
                return w -> {
                    w.writeLength(services.size());
                    for (ServiceDescriptor service : services) {
                        w.writeString(service.name());
                    }
                };
            case GET_SERVICE: {
                ServiceDescriptor found = descriptors.get((String) arg);
                if (found == null) {
                    throw new RpcException(ErrorCode.NOT_FOUND, "no service named " + arg + " is served here");
                }
                return w -> ServiceDescriptor.CODEC.encode(w, found);
            }
            case GET_METHOD: {
                int id = (Integer) arg;
                for (ServiceDescriptor service : services) {
                    var method = service.method(id);
                    if (method.isPresent()) {
                        return w -> io.rapace.registry.MethodDescriptor.CODEC.encode(w, method.get());
                    }
                }
                throw new RpcException(ErrorCode.NOT_FOUND, "no method with id " + Integer.toUnsignedString(id)
                        + " is served here");
            }
            default: {
                for (ServiceDescriptor service : services) {
                    var type = service.type((String) arg);
                    if (type.isPresent()) {
                        return w -> io.rapace.registry.TypeSchema.CODEC.encode(w, type.get());
                    }
                }
                throw new RpcException(ErrorCode.NOT_FOUND, "no type named " + arg + " is used by a service here");
            }
        }
    }

    private void takeIntrospectionAnswer(Frame frame) {
        try {
            PostcardReader in = PostcardReader.of(frame.payload());
            long id = in.readU64();
            CompletableFuture<byte[]> waiting = introspection.get(id);
            if (waiting == null) {
                return;
            }
            if (frame.hasFlag(FrameFlags.ERROR)) {
                int code = in.readU32();
                String message = in.readString();
                in.expectEnd();
                waiting.completeExceptionally(new Failure.Signal(new Failure(code, message)));
            } else {
                ByteBuffer payload = frame.payload();
                byte[] rest = new byte[payload.remaining() - in.position()];
                payload.get(payload.position() + in.position(), rest);
                waiting.complete(rest);
            }
        } catch (DecodeException e) {
            LOG.log(Level.DEBUG, "introspection answer does not decode: " + e.getMessage());
        }
    }

    private void sendVerbQuietly(int verb, int flags, PayloadEncoder body) {
        try {
            session.sendVerb(verb, flags, body, DELIVERING_SEND_TIMEOUT); // on the delivering thread
        } catch (SendTimeoutException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not answer introspection verb " + verb + ": " + e);
        }
    }

    // =====================================================================================================
    // calling (CallChannel)

    @Override
    public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options) {
        SessionCall call = open(methodId, MethodKind.UNARY, responseCodec, options);
        sendOpening(call, options, requestCodec, request, 0);
        return awaitSingle(call);
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        CompletableFuture<R> result = new CompletableFuture<>();
        SessionCall call;
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
                cancelOutbound(call, Failure.of(ErrorCode.CANCELLED, "cancelled by the caller"));
            }
        });
        return result;
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        SessionCall call = open(methodId, MethodKind.SERVER_STREAMING, null, options);
        sendOpening(call, options, requestCodec, request, streamWindow);
        return incomingStream(call, responseCodec, "response stream element", ErrorCode.INTERNAL);
    }

    @Override
    public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        Objects.requireNonNull(requests, "requests");
        SessionCall call = open(methodId, MethodKind.CLIENT_STREAMING, responseCodec, options);
        sendOpening(call, options, null, null, 0);
        sendRequests(call, requests, requestCodec);
        return awaitSingle(call);
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        Objects.requireNonNull(requests, "requests");
        SessionCall call = open(methodId, MethodKind.BIDI_STREAMING, null, options);
        sendOpening(call, options, null, null, streamWindow);
        try {
            executor.execute(() -> {
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
            cancelOutbound(call, Failure.of(ErrorCode.RESOURCE_EXHAUSTED, "no thread to send the requests on"));
        }
        return incomingStream(call, responseCodec, "response stream element", ErrorCode.INTERNAL);
    }

    /** Starts an outbound call: checks, a channel, the deadline, the link to the handler that makes it. */
    private SessionCall open(int methodId, MethodKind kind, Codec<?> singleCodec, CallOptions options) {
        Objects.requireNonNull(options, "options");
        Session s = requireSession();
        if (!s.isOpen()) {
            throw sessionEnded().toException();
        }
        CallContext parent = CallContext.currentOrNull();
        // While draining, a nested call (made by a handler of a call in flight) still goes: the call it serves
        // must be able to finish.
        if (closing && parent == null) {
            throw new RpcException(ErrorCode.UNAVAILABLE, "this session is closing (GoAway sent): no new calls");
        }
        String goAway = peerGoAway;
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
            if (depth > MAX_NESTING_DEPTH) {
                throw new RpcException(ErrorCode.RESOURCE_EXHAUSTED, "nested call at depth " + depth
                        + " exceeds the limit of " + MAX_NESTING_DEPTH + " nested calls");
            }
        }
        boolean hasDeadline = options.timeout().isPresent();
        long budget = hasDeadline ? saturatedNanos(options.timeout().get()) : -1;
        if (parent != null && parent.hasDeadline()) {
            long inherited = parent.remainingNanos();
            budget = hasDeadline ? Math.min(budget, inherited) : inherited;
            hasDeadline = true;
        }
        if (hasDeadline && budget <= 0) {
            throw new RpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline exceeded before the call started");
        }
        String refusal = outboundLimit.admit();
        if (refusal != null) {
            observe(new CallObserver.Event(CallObserver.Direction.OUTBOUND, methodId, kind, 0,
                    ErrorCode.RESOURCE_EXHAUSTED.value(), 0, 0, true));
            throw new RpcException(ErrorCode.RESOURCE_EXHAUSTED, "call refused: " + refusal);
        }
        int channel;
        try {
            channel = s.openChannel();
        } catch (IllegalStateException e) {
            outboundLimit.release();
            throw new RpcException(ErrorCode.UNAVAILABLE, e.getMessage(), e);
        }
        SessionCall call = new SessionCall(this, channel, methodId, kind, true, hasDeadline ? budget : -1,
                singleCodec, streamWindow);
        call.depth = depth;
        outbound.put(channel, call);
        if (!s.isOpen()) {
            call.end(sessionEnded(), false);
            throw sessionEnded().toException();
        }
        if (hasDeadline) {
            long b = budget;
            call.deadlineMessage = "deadline of " + describeNanos(b) + " exceeded";
            try {
                call.deadlineTimer(timer.schedule(() -> cancelOutbound(call, Failure.of(ErrorCode.DEADLINE_EXCEEDED,
                        call.deadlineMessage)), b, TimeUnit.NANOSECONDS));
            } catch (RejectedExecutionException e) {
                call.end(sessionEnded(), false);
                throw sessionEnded().toException();
            }
        }
        if (parent != null) {
            call.linkTo(parent);
        }
        return call;
    }

    /** The opening frame: call header, then the request (or nothing when the requests are streamed). */
    private <Q> void sendOpening(SessionCall call, CallOptions options, Codec<Q> codec, Q request, int window) {
        long remaining = call.hasDeadline ? Math.max(0, call.remainingNanos()) : -1;
        List<MetadataEntry> metadata = options.metadata();
        if (call.depth > 1) {
            metadata = new ArrayList<>(metadata);
            metadata.add(new MetadataEntry(DEPTH_KEY, new byte[] {(byte) call.depth}));
        }
        CallHeader header = new CallHeader(remaining, metadata);
        int flags = FrameFlags.CALL_HEADER | (codec == null ? FrameFlags.METADATA_ONLY : FrameFlags.DATA | FrameFlags.EOS);
        if (window > 0) {
            call.granted(window);
        }
        send(call, flags, window, w -> {
            CallHeader.encode(w, header);
            if (codec != null) {
                encodeValue(w, codec, request);
            }
        }, "request", ErrorCode.INVALID_ARGUMENT);
    }

    private <Q> void sendRequests(SessionCall call, RpcStream<Q> requests, Codec<Q> codec) {
        StreamOut<Q> out = new StreamOut<>(call, codec, "request stream element", ErrorCode.INVALID_ARGUMENT);
        session.working(1);
        try {
            requests.drainTo(out);
        } catch (RpcException e) {
            if (!call.isEnded()) {
                cancelOutbound(call, Failure.of(e));
            }
            if (call.single == null || !call.single.isDone() || call.single.isCompletedExceptionally()) {
                throw call.failure() != null ? call.failure().toException() : e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Failure f = Failure.of(ErrorCode.CANCELLED, LoopbackCall.INTERRUPTED);
            cancelOutbound(call, f);
            throw f.toException();
        } catch (Exception e) {
            Failure f = Failure.fromThrowable(e, ErrorCode.CANCELLED, "the request stream failed: ");
            cancelOutbound(call, f);
            throw f.toException();
        } finally {
            session.working(-1);
        }
    }

    @SuppressWarnings("unchecked")
    private <R> R awaitSingle(SessionCall call) {
        if (!call.single.isDone()) {
            // poll for the response on this thread rather than be woken by the reader: for the whole call in spin
            // mode, for the caller spin otherwise
            session.pollUntil(call.single::isDone, spinMode ? call.remainingNanos()
                    : Math.min(callerSpinNanos, call.remainingNanos()));
        }
        try {
            return (R) call.single.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Failure f = Failure.of(ErrorCode.CANCELLED, LoopbackCall.INTERRUPTED);
            cancelOutbound(call, f);
            throw f.toException();
        } catch (ExecutionException e) {
            throw Failure.of(e.getCause()).toException();
        }
    }

    /** The receiving half of a stream on this side: decode as taken, grant credit back as taken. */
    private <T> RpcStream<T> incomingStream(SessionCall call, Codec<T> codec, String what, ErrorCode invalid) {
        if (spinMode) {
            call.incoming.pump(ready -> session.pollUntil(ready, call.remainingNanos()));
        }
        return new PipeStream<byte[], T>(call.incoming, bytes -> {
            long grant = call.taken(bytes.length);
            if (grant > 0) {
                try {
                    // not quietly: a grant lost would stall the producer for good
                    send(call, FrameFlags.CREDITS, (int) grant, w -> { }, "credit grant", ErrorCode.INTERNAL);
                } catch (RpcException e) {
                    if (!call.isEnded() || call.failure() != null) {
                        throw e;
                    }
                    // the call already ended well: the grant was not needed
                }
            }
            try {
                return Messages.decode(codec, bytes, what, invalid);
            } catch (RpcException e) {
                fail(call, Failure.of(e));
                throw e;
            }
        }, f -> fail(call, f), call.outbound ? "cancelled by the caller" : "cancelled by the handler");
    }

    /** Fails a call from this side and tells the peer: CANCEL from the caller, ERROR from the handler. */
    private void fail(SessionCall call, Failure failure) {
        if (call.outbound) {
            cancelOutbound(call, failure);
        } else {
            failInbound(call, failure);
        }
    }

    /** The caller abandons its call (cancel, deadline, interrupt, a failed request stream): CANCEL to the peer. */
    void cancelOutbound(SessionCall call, Failure failure) {
        if (call.end(failure, false)) {
            sendQuietly(call, FrameFlags.CANCEL, 0, errorBody(failure));
        } else if (call.incoming != null) {
            call.incoming.fail(failure);
        }
    }

    /**
     * The handler's side fails the call (its exception, its deadline, a bad request): ERROR to the caller. False when
     * the call had already ended (cancelled, say).
     */
    private boolean failInbound(SessionCall call, Failure failure) {
        if (call.end(failure, false)) {
            sendQuietly(call, FrameFlags.ERROR, 0, errorBody(failure));
            return true;
        }
        return false;
    }

    private static PayloadEncoder errorBody(Failure failure) {
        return w -> {
            w.writeU32(failure.rawCode());
            w.writeString(failure.message());
        };
    }

    // =====================================================================================================
    // sending

    /** Thrown through the transport by a codec that rejects a value, to tell it from a message that is too large. */
    private static final class EncodeFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EncodeFailure(RuntimeException cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    private static <T> void encodeValue(PostcardWriter w, Codec<T> codec, T value) {
        try {
            codec.encode(w, value);
        } catch (java.nio.BufferOverflowException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EncodeFailure(e);
        }
    }

    /**
     * Sends one frame of {@code call} within its deadline (and the session's send timeout); on failure ends the call
     * (telling the peer) and throws the failure. Returns the payload bytes sent.
     */
    private int send(SessionCall call, int flags, int creditGrant, PayloadEncoder body, String what,
            ErrorCode invalid) {
        Session s = session;
        long timeout = Math.min(config.sendTimeout().toNanos(), Math.max(0, call.remainingNanos()));
        int[] size = new int[1];
        Failure failure;
        try {
            s.send(call.channel, call.methodId, flags, creditGrant, w -> {
                int start = w.size();
                body.encode(w);
                size[0] = w.size() - start;
            }, Duration.ofNanos(timeout));
            call.bytesSent.addAndGet(size[0]);
            return size[0];
        } catch (EncodeFailure e) {
            failure = Failure.of(invalid, what + " does not encode: " + e.getMessage());
        } catch (SendTimeoutException e) {
            failure = call.hasDeadline && call.remainingNanos() <= 0
                    ? Failure.of(ErrorCode.DEADLINE_EXCEEDED, "deadline exceeded while sending the " + what)
                    : Failure.of(ErrorCode.UNAVAILABLE, "the peer did not take the " + what + " within "
                            + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            failure = Failure.of(ErrorCode.RESOURCE_EXHAUSTED, what + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            failure = sessionEnded();
        }
        fail(call, failure);
        Failure actual = call.failure();
        throw (actual != null ? actual : failure).toException();
    }

    /** Sends a frame that may be lost without harm (a cancel, an error for a call the peer may have ended). */
    private void sendQuietly(SessionCall call, int flags, int creditGrant, PayloadEncoder body) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        try {
            s.send(call.channel, call.methodId, flags, creditGrant, body, DELIVERING.get() ? DELIVERING_SEND_TIMEOUT
                    : QUIET_SEND_TIMEOUT);
        } catch (SendTimeoutException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not send flags 0x" + Integer.toHexString(flags) + " for " + call + ": " + e);
        }
    }

    /** Sends stream elements of {@code call} as credit allows, then half-closes with an empty EOS frame. */
    private final class StreamOut<T> implements StreamSender<T> {
        private final SessionCall call;
        private final Codec<T> codec;
        private final String what;
        private final ErrorCode invalid;
        private boolean completed;

        StreamOut(SessionCall call, Codec<T> codec, String what, ErrorCode invalid) {
            this.call = call;
            this.codec = codec;
            this.what = what;
            this.invalid = invalid;
        }

        @Override
        public void send(T value) {
            Objects.requireNonNull(value, "stream element");
            if (completed) {
                throw new IllegalStateException("the stream was already completed");
            }
            call.checkLive();
            try {
                while (!call.credit.await(TimeUnit.SECONDS.toNanos(1))) {
                    call.checkLive();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Failure f = Failure.of(ErrorCode.CANCELLED, PipeSender.INTERRUPTED);
                fail(call, f);
                throw f.toException();
            }
            call.credit.spend(RpcSession.this.send(call, FrameFlags.DATA, 0, w -> encodeValue(w, codec, value), what,
                    invalid));
        }

        @Override
        public void complete() {
            if (completed) {
                return;
            }
            completed = true;
            call.checkLive();
            if (!call.outbound) {
                retire(call);
            }
            RpcSession.this.send(call, FrameFlags.EOS, 0, w -> { }, "end of stream", invalid);
        }

        @Override
        public void cancel() {
            fail(call, Failure.of(ErrorCode.CANCELLED, "cancelled by the sender"));
        }
    }

    // =====================================================================================================
    // serving

    /** A frame opening a call from the peer (reader thread): route, check, start the handler. */
    private void accept(Session s, Frame frame) {
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
                    + e.getMessage(), false);
            return;
        }
        int depth = 1;
        List<MetadataEntry> metadata = header.metadata();
        for (MetadataEntry entry : metadata) {
            if (entry.key().equals(DEPTH_KEY)) {
                depth = entry.bytes().length == 1 ? entry.bytes()[0] & 0xFF : Integer.MAX_VALUE;
                metadata = new ArrayList<>(metadata);
                metadata.removeIf(e -> e.key().equals(DEPTH_KEY));
                break;
            }
        }
        MethodTable.Served target = served.get(methodId);
        String id = Integer.toUnsignedString(methodId);
        if (target == null) {
            String self = config.peerId().isEmpty() ? "this side" : config.peerId();
            refuse(channel, methodId, null, ErrorCode.UNIMPLEMENTED, self + " serves no method with id " + id
                    + " (called by " + peerLabel() + ")", false);
            return;
        }
        ServerMethod<?, ?> method = target.method();
        boolean streamedRequests = SessionCall.streamsRequests(method.kind());
        // The caller's shape: a request stream opens with METADATA_ONLY, a response stream with initial credit.
        MethodKind calledAs = frame.hasFlag(FrameFlags.METADATA_ONLY)
                ? (frame.creditGrant() != 0 ? MethodKind.BIDI_STREAMING : MethodKind.CLIENT_STREAMING)
                : (frame.creditGrant() != 0 ? MethodKind.SERVER_STREAMING : MethodKind.UNARY);
        if (calledAs != method.kind()) {
            refuse(channel, methodId, method.kind(), ErrorCode.UNIMPLEMENTED, "method " + id + " (" + method.name()
                    + ") is " + method.kind() + " but was called as " + calledAs, false);
            return;
        }
        if (depth > MAX_NESTING_DEPTH) {
            refuse(channel, methodId, method.kind(), ErrorCode.RESOURCE_EXHAUSTED, "nested call at depth " + depth
                    + " exceeds the limit of " + MAX_NESTING_DEPTH + " nested calls", false);
            return;
        }
        if (closing && depth == 1) {
            // a nested call (depth > 1) serves a call still in flight and is let through the drain
            refuse(channel, methodId, method.kind(), ErrorCode.UNAVAILABLE, "the session is closing (GoAway sent): "
                    + "no new calls", false);
            return;
        }
        String refusal = inboundLimit.admit();
        if (refusal != null) {
            refuse(channel, methodId, method.kind(), ErrorCode.RESOURCE_EXHAUSTED, "call of " + method.name()
                    + " refused: " + refusal, true);
            return;
        }
        if (inbound.containsKey(channel)) {
            inboundLimit.release();
            failInbound(inbound.get(channel), Failure.of(ErrorCode.VALIDATION_FAILED, "channel " + Integer
                    .toUnsignedString(channel) + " was opened again while its call was in flight"));
            return;
        }
        SessionCall call = new SessionCall(this, channel, methodId, method.kind(), false,
                header.deadlineRemainingNanos(), null, streamWindow);
        call.depth = depth;
        call.bytesReceived.addAndGet(payload.remaining());
        if (SessionCall.streamsResponses(method.kind())) {
            call.credit.grant(Integer.toUnsignedLong(frame.creditGrant()));
        }
        boolean inline = direct && method.kind() == MethodKind.UNARY;
        CallContext context = new CallContext(methodId, header.deadlineRemainingNanos(), metadata, peerLabel(), this,
                depth, inline);
        call.setContext(context);
        inbound.put(channel, call);
        if (call.hasDeadline) {
            long budget = header.deadlineRemainingNanos();
            try {
                call.deadlineTimer(timer.schedule(() -> failInbound(call, Failure.of(ErrorCode.DEADLINE_EXCEEDED,
                        "deadline of " + describeNanos(budget) + " exceeded while serving " + method.name())),
                        budget, TimeUnit.NANOSECONDS));
            } catch (RejectedExecutionException e) {
                call.end(sessionEnded(), false);
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
        try {
            executor.execute(() -> {
                // the reader steps aside in spin mode while the handler runs, and is woken when it is done
                session.working(1);
                try {
                    runHandler(call, method, context, null);
                } finally {
                    session.working(-1);
                }
            });
        } catch (RejectedExecutionException e) {
            failInbound(call, Failure.of(ErrorCode.RESOURCE_EXHAUSTED, "no handler thread for " + method.name()
                    + ": " + e.getMessage()));
        }
    }

    private String peerLabel() {
        Session s = session;
        Hello hello = s == null ? null : s.peerHello();
        return hello == null || hello.peerId().isEmpty() ? "peer" : hello.peerId();
    }

    /** Answers a call that will not run with an ERROR frame, off the reader thread. */
    private void refuse(int channel, int methodId, MethodKind kind, ErrorCode code, String message,
            boolean rejected) {
        observe(new CallObserver.Event(CallObserver.Direction.INBOUND, methodId, kind, 0, code.value(), 0,
                0, rejected));
        Failure failure = Failure.of(code, message);
        // Here, on the delivering thread, waiting at most a moment: a peer that floods refusable calls without
        // reading gets its refusals dropped (and its calls time out), never a thread of this side per call.
        try {
            session.send(channel, methodId, FrameFlags.ERROR, 0, errorBody(failure), DELIVERING_SEND_TIMEOUT);
        } catch (SendTimeoutException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not refuse the call on channel " + channel + ": " + e);
        }
    }

    /** Runs the handler of one inbound call, on an executor thread (or the reader thread in direct mode). */
    private <Q, R> void runHandler(SessionCall call, ServerMethod<Q, R> method, CallContext context,
            ByteBuffer inlineBody) {
        if (!call.attach(Thread.currentThread())) {
            return;
        }
        CallContext previous = CallContext.enter(context);
        try {
            if (SessionCall.streamsRequests(method.kind())) {
                call.granted(streamWindow);
                send(call, FrameFlags.CREDITS, streamWindow, w -> { }, "credit grant", ErrorCode.INTERNAL);
            }
            method.invoke(new Exchange<>(call, method, inlineBody));
            call.end(null, false);
        } catch (Exception | Error e) {
            if (failInbound(call, HandlerFailures.of(method, e))) {
                HandlerFailures.log(method, call, e);
            }
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            CallContext.restore(previous);
            call.detach();
        }
    }

    /** The handler's side of one call: decode the request in place, encode responses into slots. */
    private final class Exchange<Q, R> implements ServerExchange<Q, R> {
        private final SessionCall call;
        private final ServerMethod<Q, R> method;
        private final ByteBuffer inlineBody;

        Exchange(SessionCall call, ServerMethod<Q, R> method, ByteBuffer inlineBody) {
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
                return io.rapace.codec.Postcard.decode(method.requestCodec(), call.request);
            } catch (DecodeException e) {
                throw new RpcException(ErrorCode.INVALID_ARGUMENT, "request does not decode: " + e.getMessage(), e);
            }
        }

        @Override
        public RpcStream<Q> requests() {
            return incomingStream(call, method.requestCodec(), "request stream element", ErrorCode.INVALID_ARGUMENT);
        }

        @Override
        public void respond(R response) {
            call.checkLive();
            retire(call);
            send(call, FrameFlags.DATA | FrameFlags.EOS, 0, w -> encodeValue(w, method.responseCodec(), response),
                    "response", ErrorCode.INTERNAL);
        }

        @Override
        public void respondStream(RpcStream<R> responses) throws Exception {
            Objects.requireNonNull(responses, "the handler returned null instead of a stream");
            session.working(1);
            try {
                responses.drainTo(new StreamOut<>(call, method.responseCodec(), "response stream element",
                        ErrorCode.INTERNAL));
            } finally {
                session.working(-1);
            }
        }
    }

    // =====================================================================================================
    // frames from the peer (reader thread)

    private void onFrame(Session s, Frame frame) {
        int channel = frame.channelId();
        if (channel == 0) {
            answerIntrospection(frame);
            return;
        }
        boolean peerOpened = (channel & 1) == (s.role() == io.rapace.shm.PeerRole.PEER_A ? 0 : 1);
        if (peerOpened) {
            SessionCall call = inbound.get(channel);
            if (call == null) {
                if (frame.hasFlag(FrameFlags.CALL_HEADER)) {
                    accept(s, frame);
                }
                // else: a late frame of a call that ended here; nothing waits for it
                return;
            }
            if (frame.hasFlag(FrameFlags.CALL_HEADER)) {
                failInbound(call, Failure.of(ErrorCode.VALIDATION_FAILED, "channel " + Integer.toUnsignedString(
                        channel) + " was opened again while its call was in flight"));
                return;
            }
            fromCaller(call, frame);
        } else {
            SessionCall call = outbound.get(channel);
            if (call != null) {
                fromHandler(call, frame);
            }
        }
    }

    /** A frame from the caller of an inbound call. */
    private void fromCaller(SessionCall call, Frame frame) {
        if (frame.hasFlag(FrameFlags.CANCEL) || frame.hasFlag(FrameFlags.ERROR)) {
            call.end(peerFailure(frame, ErrorCode.CANCELLED, "cancelled by the caller"), true);
            return;
        }
        if (frame.hasFlag(FrameFlags.CREDITS) && call.credit != null) {
            call.credit.grant(Integer.toUnsignedLong(frame.creditGrant()));
        }
        streamed(call, frame, true);
    }

    /** A frame from the handler of an outbound call. */
    private void fromHandler(SessionCall call, Frame frame) {
        if (frame.hasFlag(FrameFlags.ERROR) || frame.hasFlag(FrameFlags.CANCEL)) {
            Failure failure = peerFailure(frame, ErrorCode.CANCELLED, "cancelled by the peer");
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
                call.bytesReceived.addAndGet(frame.payload().remaining());
                Object value;
                try {
                    PostcardReader in = PostcardReader.of(frame.payload());
                    value = call.singleCodec.decode(in);
                    in.expectEnd();
                } catch (DecodeException | RuntimeException e) {
                    cancelOutbound(call, Failure.of(ErrorCode.INTERNAL, "response does not decode: "
                            + e.getMessage()));
                    return;
                }
                // ended first, so a caller that returns finds its call gone from the counts and the limits
                call.end(null, false);
                call.single.complete(value);
            }
            return;
        }
        streamed(call, frame, false);
        if (frame.hasFlag(FrameFlags.EOS)) {
            call.end(null, false); // completes the stream after what it holds
        }
    }

    /** DATA and EOS of a stream arriving on {@code call}. */
    private void streamed(SessionCall call, Frame frame, boolean completeOnEos) {
        if (call.incoming == null) {
            return;
        }
        if (frame.hasFlag(FrameFlags.DATA)) {
            byte[] bytes = frame.payloadBytes();
            call.bytesReceived.addAndGet(bytes.length);
            if (!call.arrived(bytes.length)) {
                fail(call, Failure.of(ErrorCode.VALIDATION_FAILED, "the peer sent more than the stream credit it "
                        + "was given"));
                return;
            }
            try {
                call.incoming.put(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RpcException | IllegalStateException e) {
                return;
            }
        }
        if (completeOnEos && frame.hasFlag(FrameFlags.EOS)) {
            call.incoming.complete();
        }
    }

    private static Failure peerFailure(Frame frame, ErrorCode otherwise, String message) {
        ByteBuffer payload = frame.payload();
        if (payload.remaining() == 0) {
            return Failure.of(otherwise, message);
        }
        try {
            PostcardReader in = PostcardReader.of(payload);
            int code = in.readU32();
            String text = in.readString();
            in.expectEnd();
            return new Failure(code, text);
        } catch (DecodeException e) {
            return Failure.of(ErrorCode.INTERNAL, "the peer's error does not decode: " + e.getMessage());
        }
    }

    /**
     * An inbound call about to send its last frame leaves the counts and the limits now: the caller may open its next
     * call as soon as that frame arrives, before this side's handler thread has finished.
     */
    private void retire(SessionCall call) {
        if (inbound.remove(call.channel, call)) {
            inboundLimit.release();
        }
    }

    private void observe(CallObserver.Event event) {
        try {
            observer.callEnded(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "call observer failed", e);
        }
    }

    /** Called once per call by {@link SessionCall#end}. */
    void ended(SessionCall call, Failure failure) {
        Map<Integer, SessionCall> calls = call.outbound ? outbound : inbound;
        if (calls.remove(call.channel, call)) {
            (call.outbound ? outboundLimit : inboundLimit).release();
        }
        if (observer == CallObserver.NONE) {
            return;
        }
        try {
            observer.callEnded(new CallObserver.Event(call.outbound ? CallObserver.Direction.OUTBOUND
                    : CallObserver.Direction.INBOUND, call.methodId, call.kind, System.nanoTime() - call.startNanos,
                    failure == null ? 0 : failure.rawCode(), call.bytesSent.get(), call.bytesReceived.get(), false));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "call observer failed", e);
        }
    }

    // =====================================================================================================
    // the session's events

    private final class Events implements SessionListener {
        @Override
        public void onFrame(Session s, Frame frame) {
            bind(s);
            boolean outer = !DELIVERING.get();
            DELIVERING.set(true);
            try {
                RpcSession.this.onFrame(s, frame);
            } finally {
                if (outer) {
                    DELIVERING.set(false);
                }
            }
        }

        @Override
        public void onDropped(Session s, int channelId, InvalidFrameKind kind, int errorCode) {
            bind(s);
            if (channelId == 0) {
                return;
            }
            SessionCall call = outbound.get(channelId);
            if (call == null) {
                call = inbound.get(channelId);
            }
            if (call != null) {
                // the session already told the peer with an ERROR frame of the same code
                call.end(new Failure(errorCode, "a frame of this call from the peer was dropped: " + kind), false);
            }
        }

        @Override
        public void onGoAway(Session s, GoAway goAway) {
            bind(s);
            peerGoAway = goAway.reason().isEmpty() ? "code " + goAway.code() : goAway.reason();
        }

        @Override
        public void onClosed(Session s, CloseCause cause, String detail) {
            bind(s);
            Failure failure = cause.isPeerDeath()
                    ? Failure.of(ErrorCode.PEER_DIED, "the peer died: " + detail)
                    : Failure.of(ErrorCode.SESSION_CLOSED, "the session ended (" + cause + "): " + detail);
            for (SessionCall call : new ArrayList<>(outbound.values())) {
                call.end(failure, false);
            }
            for (SessionCall call : new ArrayList<>(inbound.values())) {
                call.end(failure, false);
            }
            for (CompletableFuture<byte[]> waiting : introspection.values()) {
                waiting.completeExceptionally(new Failure.Signal(failure));
            }
            shutdownThreads();
            closed.complete(cause);
        }
    }

    private void bind(Session s) {
        if (session == null) {
            session = s;
        }
    }

    private void shutdownThreads() {
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
        timer.shutdownNow();
    }

    private Session requireSession() {
        Session s = session;
        if (s == null) {
            throw new IllegalStateException("the session is not connected yet");
        }
        return s;
    }

    /** Why calls fail once the session ended: PEER_DIED when the peer died, else SESSION_CLOSED. */
    private Failure sessionEnded() {
        Session s = session;
        CloseCause cause = s == null ? null : s.closeCause();
        if (cause != null && cause.isPeerDeath()) {
            return Failure.of(ErrorCode.PEER_DIED, "the peer died: " + s.closeDetail());
        }
        return Failure.of(ErrorCode.SESSION_CLOSED, "the session ended" + (cause == null ? ""
                : " (" + cause + "): " + s.closeDetail()));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static String describeNanos(long nanos) {
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + " ms";
        }
        if (nanos >= 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + " us";
        }
        return nanos + " ns";
    }

    @Override
    public String toString() {
        return "RpcSession[" + instance + ", " + session + "]";
    }

    /** Calls in flight and calls per second of one direction; {@link #admit} says why a call is refused. */
    private static final class Limiter {
        private final int maxInFlight;
        private final double perSecond;
        private final AtomicInteger inFlight = new AtomicInteger();
        private double tokens;
        private long refilled = System.nanoTime();

        Limiter(int maxInFlight, double perSecond) {
            this.maxInFlight = maxInFlight;
            this.perSecond = perSecond;
            this.tokens = Math.max(1, perSecond);
        }

        /** Null when the call may go, else the reason it may not. */
        String admit() {
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                return "more than " + maxInFlight + " calls in flight (the session's limit)";
            }
            if (perSecond > 0) {
                synchronized (this) {
                    long now = System.nanoTime();
                    tokens = Math.min(Math.max(1, perSecond), tokens + (now - refilled) * perSecond / 1e9);
                    refilled = now;
                    if (tokens < 1) {
                        inFlight.decrementAndGet();
                        return "more than " + perSecond + " calls per second (the session's limit)";
                    }
                    tokens -= 1;
                }
            }
            return null;
        }

        void release() {
            inFlight.decrementAndGet();
        }
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
        private int streamWindow = DEFAULT_STREAM_WINDOW;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Duration callerSpin = DEFAULT_CALLER_SPIN;
        private int maxCallsInFlight = DEFAULT_MAX_CALLS_IN_FLIGHT;
        private double maxCallsPerSecond;
        private CallObserver observer = CallObserver.NONE;

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
         * At most this many calls in flight in each direction ({@value #DEFAULT_MAX_CALLS_IN_FLIGHT} unless set); beyond
         * it a call fails with
         * {@link ErrorCode#RESOURCE_EXHAUSTED} (and the observer sees a rejected call).
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

        /** Sees every call end, for metrics. */
        public Builder observer(CallObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
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

        /** Waits up to {@code timeout} for the plugin to connect and shake hands. */
        public RpcSession accept(Duration timeout) throws IOException {
            try {
                Session s = listening.accept(rpc.events, timeout);
                rpc.bind(s);
                return rpc;
            } catch (IOException | RuntimeException e) {
                rpc.shutdownThreads();
                throw e;
            }
        }

        /** Abandons a listening that was never accepted. */
        @Override
        public void close() throws IOException {
            listening.close();
        }
    }
}
