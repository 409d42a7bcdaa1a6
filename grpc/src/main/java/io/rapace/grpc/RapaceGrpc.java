package io.rapace.grpc;

import io.grpc.Channel;
import io.grpc.ServerBuilder;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.rapace.codec.Codecs;
import io.rapace.codec.Unit;
import io.rapace.config.Limits;
import io.rapace.registry.SchemaFingerprint;
import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ClientInterceptor;
import io.rapace.rpc.ClientInterceptors;
import io.rapace.rpc.RpcMethod;
import io.rapace.rpc.ServerInterceptor;
import io.rapace.rpc.ServerInterceptors;
import io.rapace.rpc.ServerMethod;
import io.rapace.rpc.ServiceDispatcher;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The same generated clients and dispatchers over gRPC-java ({@code docs/grpc.md}):
 *
 * <pre>{@code
 * Server server = RapaceGrpc.configure(NettyServerBuilder.forPort(8443))
 *         .addService(RapaceGrpc.service(new CalculatorDispatcher(new Arithmetic())))
 *         .build().start();
 * Calculator calculator = new CalculatorClient(RapaceGrpc.channel(managedChannel));
 * }</pre>
 *
 * <p>A rapace method is the gRPC method {@code <service name>/<method name>} of the same call shape, its bodies exactly
 * the postcard bytes; deadlines, cancellation and flow control are gRPC's; metadata travels as {@code -bin} headers;
 * error codes map by name (the table in {@code docs/grpc.md}). Both sides accept messages up to rapace's maximum
 * message size ({@value Limits#DEFAULT_MAX_MESSAGE_SIZE} bytes), where gRPC's own default is 4 MiB.
 */
public final class RapaceGrpc {
    /** The registry's gRPC service: {@code rapace.Registry/Fetch}. */
    public static final String REGISTRY_SERVICE = "rapace.Registry";
    /** The largest message either side accepts: rapace's default maximum message size. */
    public static final int MAX_MESSAGE_SIZE = Limits.DEFAULT_MAX_MESSAGE_SIZE;

    private static final RpcMethod<Unit, List<io.rapace.registry.ServiceDescriptor>> FETCH = RpcMethod.unary(
            REGISTRY_SERVICE, "Fetch", 1, Codecs.UNIT, Codecs.list(io.rapace.registry.ServiceDescriptor.CODEC));

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Where streaming handlers run unless a service is given its own executor: daemon threads, one per call. */
    private static final ExecutorService HANDLERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "rapace-grpc-handler-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private RapaceGrpc() {
    }

    /** The {@link CallChannel} generated clients take, over {@code channel}: {@code new FooClient(channel(c))}. */
    public static CallChannel channel(Channel channel) {
        return new GrpcCallChannel(Objects.requireNonNull(channel, "channel"), MAX_MESSAGE_SIZE);
    }

    /** As {@link #channel(Channel)}, every call through {@code interceptors}, the first given outermost. */
    public static CallChannel channel(Channel channel, ClientInterceptor... interceptors) {
        return ClientInterceptors.interceptForward(channel(channel), List.of(interceptors));
    }

    /**
     * The gRPC service of {@code dispatcher}'s methods, for any gRPC server. A unary handler runs where gRPC runs its
     * own, on the server's executor ({@code ServerBuilder.executor}; with {@code directExecutor()}, on the transport's
     * thread, so it must not block); a streaming handler, which blocks while it reads requests or waits for flow
     * control, runs on a shared pool of daemon threads.
     */
    public static ServerServiceDefinition service(ServiceDispatcher dispatcher) {
        return service(dispatcher, (Executor) null);
    }

    /** As {@link #service(ServiceDispatcher)}, every call through {@code interceptors}, the first given outermost. */
    public static ServerServiceDefinition service(ServiceDispatcher dispatcher, ServerInterceptor... interceptors) {
        return service(ServerInterceptors.interceptForward(dispatcher, List.of(interceptors)), (Executor) null);
    }

    /**
     * As {@link #service(ServiceDispatcher)}, every handler, unary or streaming, on {@code executor} (null: as
     * {@link #service(ServiceDispatcher)} places them).
     */
    public static ServerServiceDefinition service(ServiceDispatcher dispatcher, Executor executor) {
        Objects.requireNonNull(dispatcher, "dispatcher");
        String name = dispatcher.serviceName();
        // the schema fingerprints a caller's header is compared with (docs/compatibility.md, "The schema check")
        Optional<io.rapace.registry.ServiceDescriptor> entry = io.rapace.registry.ServiceRegistry.entry(name,
                ServerInterceptors.innermost(dispatcher).getClass());
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(name);
        for (ServerMethod<?, ?> method : dispatcher.methods()) {
            long fingerprint = entry.filter(e -> e.method(method.id()).isPresent())
                    .map(e -> e.fingerprint(method.id())).orElse(0L);
            builder.addMethod(Bytes.method(name, method.name(), method.kind()),
                    handler(name, method, fingerprint, executor));
        }
        return builder.build();
    }

    private static <Q, R> ServerCallHandler<byte[], byte[]> handler(String service, ServerMethod<Q, R> method,
            long fingerprint, Executor executor) {
        return (call, headers) -> {
            long theirs = Headers.fingerprint(headers);
            if (fingerprint != 0 && theirs != 0 && theirs != fingerprint) {
                call.close(io.grpc.Status.FAILED_PRECONDITION.withDescription("schema mismatch: method " + service
                        + "." + method.name() + " (" + Integer.toUnsignedString(method.id()) + ") has schema "
                        + "fingerprint " + SchemaFingerprint.hex(theirs) + " on the caller and "
                        + SchemaFingerprint.hex(fingerprint) + " here"), refusal(fingerprint));
                return new io.grpc.ServerCall.Listener<>() {
                };
            }
            return ServedCall.start(method, call, headers, executor, HANDLERS, NoPeerChannel.INSTANCE,
                    MAX_MESSAGE_SIZE);
        };
    }

    /** The trailers of a schema refusal: this side's fingerprint, by which the caller knows one (SchemaRefusals). */
    private static io.grpc.Metadata refusal(long fingerprint) {
        io.grpc.Metadata trailers = new io.grpc.Metadata();
        trailers.put(Headers.FINGERPRINT_KEY, SchemaFingerprint.hex(fingerprint));
        return trailers;
    }

    /**
     * The unary method {@code rapace.Registry/Fetch}: an empty request, and {@code registry}'s services, postcard
     * encoded as a list of service descriptors, as the answer ({@link #fetchRegistry}).
     */
    public static ServerServiceDefinition registry(ServiceRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        List<io.rapace.registry.ServiceDescriptor> services = registry.services();
        return service(new ServiceDispatcher() {
            @Override
            public String serviceName() {
                return REGISTRY_SERVICE;
            }

            @Override
            public List<ServerMethod<?, ?>> methods() {
                return List.of(ServerMethod.unary(FETCH.id(), FETCH.name(), FETCH.requestCodec(),
                        FETCH.responseCodec(), request -> services));
            }
        });
    }

    /** The registry a server serves as {@code rapace.Registry/Fetch}; {@code describe()} prints it. */
    public static ServiceRegistry fetchRegistry(Channel channel, Duration timeout) {
        return ServiceRegistry.of(channel(channel).unary(FETCH, Unit.UNIT,
                CallOptions.DEFAULT.withTimeout(timeout)));
    }

    /**
     * {@code builder} set to accept messages up to {@link #MAX_MESSAGE_SIZE} (gRPC's own default is 4 MiB); its other
     * settings are left as they are.
     */
    public static <T extends ServerBuilder<T>> T configure(T builder) {
        return builder.maxInboundMessageSize(MAX_MESSAGE_SIZE);
    }

    /** The gRPC method descriptors of {@code dispatcher}, for tools and plain gRPC clients. */
    public static ServiceDescriptor describe(ServiceDispatcher dispatcher) {
        return service(dispatcher).getServiceDescriptor();
    }
}
