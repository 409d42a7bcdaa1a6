package io.rapace.rpc;

import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.registry.MethodDescriptor;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;

import io.rapace.registry.TypeSchema;
import io.rapace.session.FrameTransport;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.MessageTooLargeException;
import io.rapace.shm.PayloadEncoder;
import io.rapace.shm.SendTimeoutException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The channel-0 verbs the RPC layer asks of the peer and answers for it: introspection, 7..10 (ListServices,
 * GetService, GetMethod, GetSchema), answered from the registry entries of the services served here; and the
 * lifecycle, 11 Initialize and 12 Shutdown, answered by the {@link Lifecycle} hooks. Every verb is one request
 * {@code {id: u64, args}} and one answer on the same verb: EOS {@code {id, result}} or ERROR
 * {@code {id, code: u32, message: string}}. The one place in this package that uses {@code io.rapace.registry}.
 */
final class ControlVerbs {
    private static final System.Logger LOG = System.getLogger(RpcSession.class.getName());
    private static final int LIST_SERVICES = 7;
    private static final int GET_SERVICE = 8;
    private static final int GET_METHOD = 9;
    private static final int GET_SCHEMA = 10;
    private static final int INITIALIZE = 11;
    private static final int SHUTDOWN = 12;
    private static final String[] VERB_NAMES = {"ListServices", "GetService", "GetMethod", "GetSchema", "Initialize",
        "Shutdown"};

    private final CallEngine engine;
    private final Map<String, ServiceDescriptor> descriptors = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile Lifecycle lifecycle = Lifecycle.NONE;
    /** An Initialize, and a Shutdown, being answered now: at most one of each runs at a time. */
    private final java.util.concurrent.atomic.AtomicBoolean initializing = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean shuttingDown = new java.util.concurrent.atomic.AtomicBoolean();

    ControlVerbs(CallEngine engine) {
        this.engine = engine;
    }

    /**
     * The registry entry of the dispatcher's service, if its class loader lists one, for introspection: the one in the
     * dispatcher's own package when several share the service's name (generated descriptors sit beside their
     * dispatchers). What else is on the class path never fails serving: a broken or duplicated registration elsewhere
     * only means the peer's questions about this service go unanswered.
     */
    void discover(ServiceDispatcher served) {
        ServiceDispatcher dispatcher = ServerInterceptors.innermost(served);
        ServiceRegistry.entry(dispatcher.serviceName(), dispatcher.getClass())
                .ifPresent(found -> descriptors.put(found.name(), found));
    }

    /**
     * The schema fingerprints of the methods served here ({@code served}) that have a registry entry, by id (for the
     * Hello).
     */
    Map<Integer, Long> servedFingerprints(java.util.Collection<Integer> served) {
        Map<Integer, Long> fingerprints = new java.util.HashMap<>();
        for (ServiceDescriptor service : descriptors.values()) {
            for (MethodDescriptor method : service.methods()) {
                if (served.contains(method.id())) {
                    fingerprints.put(method.id(), service.fingerprint(method.id()));
                }
            }
        }
        return fingerprints;
    }

    /** The hooks that answer the peer's Initialize and Shutdown. */
    void lifecycle(Lifecycle hooks) {
        this.lifecycle = Objects.requireNonNull(hooks, "hooks");
    }

    /** Verb 11: initialises the peer with {@code config}; returns once it acknowledged. */
    void initializePeer(byte[] config, Duration timeout) {
        Objects.requireNonNull(config, "config");
        decodeAnswer(askPeer(INITIALIZE, w -> w.writeBytes(config), timeout), in -> null);
    }

    /** Verb 12: tells the peer the session is about to close in order; returns once it acknowledged. */
    void shutdownPeer(Duration timeout) {
        decodeAnswer(askPeer(SHUTDOWN, w -> { }, timeout), in -> null);
    }

    List<String> listServices(Duration timeout) {
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

    ServiceDescriptor getService(String name, Duration timeout) {
        Objects.requireNonNull(name, "name");
        byte[] body = askPeer(GET_SERVICE, w -> w.writeString(name), timeout);
        return decodeAnswer(body, ServiceDescriptor.CODEC::decode);
    }

    MethodDescriptor getMethod(int methodId, Duration timeout) {
        byte[] body = askPeer(GET_METHOD, w -> w.writeU32(methodId), timeout);
        return decodeAnswer(body, MethodDescriptor.CODEC::decode);
    }

    TypeSchema getSchema(String typeName, Duration timeout) {
        Objects.requireNonNull(typeName, "typeName");
        byte[] body = askPeer(GET_SCHEMA, w -> w.writeString(typeName), timeout);
        return decodeAnswer(body, TypeSchema.CODEC::decode);
    }

    ServiceRegistry fetchRegistry(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        List<ServiceDescriptor> services = new ArrayList<>();
        for (String name : listServices(timeout)) {
            services.add(getService(name, Duration.ofNanos(Math.max(1, until - System.nanoTime()))));
        }
        return ServiceRegistry.of(services);
    }

    /** The transport ended: every question still waiting fails with {@code failure}. */
    void failWaiting(Failure failure) {
        for (CompletableFuture<byte[]> answer : waiting.values()) {
            answer.completeExceptionally(new Failure.Signal(failure));
        }
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
            throw new RpcException(ErrorCode.INTERNAL, "the peer's answer to a channel-0 verb does not decode: "
                    + e.getMessage(), e);
        }
    }

    private byte[] askPeer(int verb, PayloadEncoder args, Duration timeout) {
        FrameTransport t = engine.transport();
        long id = nextId.incrementAndGet();
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        try {
            if (!t.isOpen()) {
                throw engine.sessionEnded().toException();
            }
            t.sendVerb(verb, 0, w -> {
                w.writeU64(id);
                args.encode(w);
            }, timeout.toNanos());
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (MessageTooLargeException e) { // before IllegalArgumentException's subclasses below
            throw CallFrames.tooLarge(VERB_NAMES[verb - LIST_SERVICES], e).toException();
        } catch (TimeoutException e) {
            throw new RpcException(ErrorCode.DEADLINE_EXCEEDED, "no answer to " + VERB_NAMES[verb - LIST_SERVICES]
                    + " from the peer within " + timeout.toMillis() + " ms");
        } catch (IllegalStateException e) {
            throw engine.sessionEnded().toException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(ErrorCode.CANCELLED, "interrupted while waiting for the peer's answer");
        } catch (ExecutionException e) {
            throw Failure.of(e.getCause()).toException();
        } finally {
            waiting.remove(id);
        }
    }

    /** A verb on channel 0 (delivering thread): a question to answer, or the answer to one of ours. */
    void onVerb(Frame frame) {
        ByteBuffer payload = frame.payload();
        int verb = frame.methodId();
        if (verb < LIST_SERVICES || verb > SHUTDOWN) {
            LOG.log(Level.DEBUG, "dropping channel-0 verb " + verb + ", which this side does not know");
            return;
        }
        if (frame.hasFlag(FrameFlags.EOS) || frame.hasFlag(FrameFlags.ERROR)) {
            takeAnswer(frame);
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
                case INITIALIZE -> in.readBytes();
                default -> null;
            };
            in.expectEnd();
        } catch (DecodeException e) {
            LOG.log(Level.DEBUG, "channel-0 request (verb " + verb + ") does not decode: " + e.getMessage());
            return;
        }
        if (verb == INITIALIZE || verb == SHUTDOWN) {
            runHook(verb, id, (byte[]) arg);
            return;
        }
        PayloadEncoder answer;
        try {
            answer = answer(verb, arg);
        } catch (RpcException e) {
            sendVerbQuietly(verb, FrameFlags.ERROR, w -> {
                w.writeU64(id);
                w.writeU32(e.rawCode());
                w.writeString(String.valueOf(e.getMessage()));
            });
            return;
        }
        sendVerbQuietly(verb, FrameFlags.EOS, w -> {
            w.writeU64(id);
            answer.encode(w);
        });
    }

    /**
     * Runs a lifecycle hook on a thread of its own (it may take as long as the plugin's initialisation does, and may
     * call the peer) and answers the verb when it returns.
     */
    private void runHook(int verb, long id, byte[] config) {
        Lifecycle hooks = lifecycle;
        if (hooks == Lifecycle.NONE) {
            sendVerbQuietly(verb, FrameFlags.EOS, w -> w.writeU64(id)); // nothing to run: acknowledged at once
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean running = verb == INITIALIZE ? initializing : shuttingDown;
        if (!running.compareAndSet(false, true)) {
            sendVerbQuietly(verb, FrameFlags.ERROR, w -> {
                w.writeU64(id);
                w.writeU32(ErrorCode.FAILED_PRECONDITION.value());
                w.writeString("an " + (verb == INITIALIZE ? "Initialize" : "Shutdown") + " is already being answered");
            });
            return;
        }
        Thread t = new Thread(() -> {
            PayloadEncoder answer;
            int flags;
            try {
                if (verb == INITIALIZE) {
                    hooks.initialize(config);
                } else {
                    hooks.shutdown();
                }
                flags = FrameFlags.EOS;
                answer = w -> w.writeU64(id);
            } catch (Exception | Error e) {
                RpcException failure = e instanceof RpcException r ? r : new RpcException(ErrorCode.INTERNAL,
                        (verb == INITIALIZE ? "initialize" : "shutdown") + " failed: " + e);
                if (!(e instanceof RpcException)) {
                    LOG.log(Level.WARNING, "the " + (verb == INITIALIZE ? "initialize" : "shutdown")
                            + " hook failed", e);
                }
                flags = FrameFlags.ERROR;
                answer = w -> {
                    w.writeU64(id);
                    w.writeU32(failure.rawCode());
                    w.writeString(String.valueOf(failure.getMessage()));
                };
            } finally {
                running.set(false); // before the answer: the peer may ask again as soon as it has it
            }
            sendVerbQuietly(verb, flags, answer, engine.config.sendTimeoutNanos());
        }, "rapace-lifecycle-" + (verb == INITIALIZE ? "initialize" : "shutdown"));
        t.setDaemon(true);
        t.start();
    }

    private PayloadEncoder answer(int verb, Object arg) {
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
                        return w -> MethodDescriptor.CODEC.encode(w, method.get());
                    }
                }
                throw new RpcException(ErrorCode.NOT_FOUND, "no method with id " + Integer.toUnsignedString(id)
                        + " is served here");
            }
            default: {
                for (ServiceDescriptor service : services) {
                    var type = service.type((String) arg);
                    if (type.isPresent()) {
                        return w -> TypeSchema.CODEC.encode(w, type.get());
                    }
                }
                throw new RpcException(ErrorCode.NOT_FOUND, "no type named " + arg + " is used by a service here");
            }
        }
    }

    private void takeAnswer(Frame frame) {
        try {
            PostcardReader in = PostcardReader.of(frame.payload());
            long id = in.readU64();
            CompletableFuture<byte[]> answer = waiting.get(id);
            if (answer == null) {
                return;
            }
            if (frame.hasFlag(FrameFlags.ERROR)) {
                int code = in.readU32();
                String message = in.readString();
                in.expectEnd();
                answer.completeExceptionally(new Failure.Signal(new Failure(code, message)));
            } else {
                ByteBuffer payload = frame.payload();
                byte[] rest = new byte[payload.remaining() - in.position()];
                payload.get(payload.position() + in.position(), rest);
                answer.complete(rest);
            }
        } catch (DecodeException e) {
            LOG.log(Level.DEBUG, "introspection answer does not decode: " + e.getMessage());
        }
    }

    /** Answers on the delivering thread, which must not wait long for room. */
    private void sendVerbQuietly(int verb, int flags, PayloadEncoder body) {
        sendVerbQuietly(verb, flags, body, CallFrames.DELIVERING_SEND_TIMEOUT_NANOS);
    }

    private void sendVerbQuietly(int verb, int flags, PayloadEncoder body, long timeoutNanos) {
        try {
            engine.transport().sendVerb(verb, flags, body, timeoutNanos);
        } catch (SendTimeoutException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not answer channel-0 verb " + verb + ": " + e);
        }
    }
}
