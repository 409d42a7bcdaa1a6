package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.rapace.annotation.MethodKind;
import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.codec.Codec;
import io.rapace.codec.Codecs;
import io.rapace.codec.Unit;
import io.rapace.grpc.RapaceGrpc;
import io.rapace.registry.MethodDescriptor;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.registry.TypeSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The call contract of {@link AbstractCallContractTest} over gRPC: this side calls through
 * {@link RapaceGrpc#channel}, the peer serves the Probe, the calculator and its registry through
 * {@link RapaceGrpc#service} and {@link RapaceGrpc#registry}. Subclasses: in-process, and a second JVM over Netty on
 * loopback.
 *
 * <p>The contract calls the Probe by method id; gRPC names its methods, so {@link ByName} gives each id its
 * {@code <service>/<method>} name, as a generated client's {@link RpcMethod} does. Each case that cannot hold over gRPC
 * is excluded here by name, with its reason in {@code @Disabled}; a case that holds with gRPC's words or bounds keeps
 * its steps and states gRPC's. The exclusions:
 *
 * <ul>
 *   <li>{@value #NO_CALL_BACK} ({@link RapaceGrpc}'s handlers get a peer channel that refuses, shown by
 *       {@link #everyKindFromThePeerBackToThisSide} here);</li>
 *   <li>{@value #NO_SHAPE}.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractGrpcCallContractTest extends AbstractCallContractTest {
    static final String NO_CALL_BACK = "a handler's calls back to its caller: nested calls on the caller's own "
            + "connection are not a gRPC concept";
    static final String NO_SHAPE = "a call made with another shape than the method's: gRPC sends no call shape, "
            + "only the method's name (generated clients always call a method in its own shape)";
    /** The Probe's and the calculator's methods: what the peer serves, by id. */
    static final List<ServiceDispatcher> SERVED = List.of(new Probe(), new CalculatorDispatcher(
            new Arithmetic()));
    /** How many messages the adapter lets gRPC deliver ahead of a reader, on either side ({@code Inbox}). */
    static final int PREFETCH = 32;
    /** The bytes a stream's sender may queue in gRPC before it waits ({@code GrpcCall.ON_READY_THRESHOLD}). */
    static final int ON_READY_THRESHOLD = 1024 * 1024;
    /** gRPC-java's HTTP/2 flow-control window per stream over Netty (its default), in bytes. */
    static final int HTTP2_WINDOW = 1024 * 1024;

    private final List<GrpcConnection> perCase = new ArrayList<>();
    private GrpcConnection shared;

    /** A new peer serving the Probe and the calculator, and this side's channel to it. */
    abstract GrpcConnection connect() throws Exception;

    @Override
    HandlerExecutors executors() {
        return HandlerExecutors.DEFAULT;
    }

    @Override
    Connection shared() throws Exception {
        if (shared == null) {
            shared = connect();
        }
        return shared;
    }

    @Override
    Connection fresh() throws Exception {
        GrpcConnection connection = connect();
        perCase.add(connection);
        return connection;
    }

    @AfterEach
    void reclaimThisCasesPeers() throws Exception {
        for (GrpcConnection connection : perCase) {
            connection.end();
        }
        perCase.clear();
    }

    @AfterAll
    void reclaimTheSharedPeer() throws Exception {
        if (shared != null) {
            shared.end();
        }
    }

    /** This side's channel to a gRPC peer; {@code end} stops both. */
    abstract static class GrpcConnection implements Connection {
        final ManagedChannel managed;
        final CallChannel channel;
        /** Served by nobody: over gRPC the peer cannot call back (the cases that need it are excluded). */
        final Probe local = new Probe();

        GrpcConnection(ManagedChannel managed) {
            this.managed = managed;
            this.channel = new ByName(RapaceGrpc.channel(managed));
        }

        @Override
        public CallChannel channel() {
            return channel;
        }

        @Override
        public Probe local() {
            return local;
        }

        /** Over gRPC, introspection is the registry the peer serves as {@code rapace.Registry/Fetch}. */
        @Override
        public PeerIntrospection introspection() {
            return new RegistryIntrospection(managed);
        }

        /** This side shuts its channel down in order: calls in flight finish, new ones are refused. */
        @Override
        public void close() {
            managed.shutdown();
            try {
                assertTrue(managed.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS), "the channel did not end");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Ends the channel and the peer, whatever state they are in. */
        abstract void end() throws Exception;
    }

    /** The Probe's and the calculator's methods called by id, each sent under its gRPC name. */
    static final class ByName implements CallChannel {
        private final CallChannel grpc;
        private final Map<Integer, String[]> names = new HashMap<>();

        ByName(CallChannel grpc) {
            this.grpc = grpc;
            for (ServiceDispatcher dispatcher : SERVED) {
                for (ServerMethod<?, ?> method : dispatcher.methods()) {
                    names.put(method.id(), new String[] {dispatcher.serviceName(), method.name()});
                }
            }
        }

        /** The method {@code id} names; an id nobody serves is sent as the Probe's method of that number. */
        private <Q, R> RpcMethod<Q, R> method(MethodKind kind, int id, Codec<Q> requestCodec,
                Codec<R> responseCodec) {
            String[] name = names.getOrDefault(id, new String[] {"rapace.test.Probe", Integer.toUnsignedString(id)});
            return RpcMethod.of(kind, name[0], name[1], id, requestCodec, responseCodec);
        }

        @Override
        public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
                CallOptions options) {
            return grpc.unary(method(MethodKind.UNARY, methodId, requestCodec, responseCodec), request, options);
        }

        @Override
        public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return grpc.unaryAsync(method(MethodKind.UNARY, methodId, requestCodec, responseCodec), request,
                    options);
        }

        @Override
        public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return grpc.serverStreaming(method(MethodKind.SERVER_STREAMING, methodId, requestCodec, responseCodec),
                    request, options);
        }

        @Override
        public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return grpc.clientStreaming(method(MethodKind.CLIENT_STREAMING, methodId, requestCodec, responseCodec),
                    requests, options);
        }

        @Override
        public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return grpc.bidiStreaming(method(MethodKind.BIDI_STREAMING, methodId, requestCodec, responseCodec),
                    requests, options);
        }

        // the generated clients' calls carry their names (and fingerprints) already

        @Override
        public <Q, R> R unary(RpcMethod<Q, R> method, Q request, CallOptions options) {
            return grpc.unary(method, request, options);
        }

        @Override
        public <Q, R> CompletableFuture<R> unaryAsync(RpcMethod<Q, R> method, Q request, CallOptions options) {
            return grpc.unaryAsync(method, request, options);
        }

        @Override
        public <Q, R> RpcStream<R> serverStreaming(RpcMethod<Q, R> method, Q request, CallOptions options) {
            return grpc.serverStreaming(method, request, options);
        }

        @Override
        public <Q, R> R clientStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
            return grpc.clientStreaming(method, requests, options);
        }

        @Override
        public <Q, R> RpcStream<R> bidiStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
            return grpc.bidiStreaming(method, requests, options);
        }
    }

    /** The peer's registry, fetched over gRPC for each question; what it lacks is NOT_FOUND. */
    record RegistryIntrospection(ManagedChannel channel) implements PeerIntrospection {
        @Override
        public List<String> listServices(Duration timeout) {
            return fetchRegistry(timeout).services().stream().map(ServiceDescriptor::name).toList();
        }

        @Override
        public ServiceDescriptor getService(String name, Duration timeout) {
            return fetchRegistry(timeout).service(name).orElseThrow(() -> notFound("service " + name));
        }

        @Override
        public MethodDescriptor getMethod(int methodId, Duration timeout) {
            return fetchRegistry(timeout).services().stream().flatMap(s -> s.method(methodId).stream()).findFirst()
                    .orElseThrow(() -> notFound("method " + Integer.toUnsignedString(methodId)));
        }

        @Override
        public TypeSchema getSchema(String typeName, Duration timeout) {
            return fetchRegistry(timeout).services().stream().flatMap(s -> s.type(typeName).stream()).findFirst()
                    .orElseThrow(() -> notFound("type " + typeName));
        }

        @Override
        public ServiceRegistry fetchRegistry(Duration timeout) {
            return RapaceGrpc.fetchRegistry(channel, timeout);
        }

        private static RpcException notFound(String what) {
            return new RpcException(ErrorCode.NOT_FOUND, "the peer's registry has no " + what);
        }
    }

    /** What the peer serves as its registry: the calculator (the Probe is written by hand and has no entry). */
    static ServiceRegistry servedRegistry() {
        return ServiceRegistry.of(List.of(new CalculatorDescriptor()));
    }

    // ------------------------------------------------------------------------------ gRPC's bounds

    /**
     * gRPC's flow control is HTTP/2's: a producer may run one stream window ahead (of 1..3-byte elements, each with
     * gRPC's 5-byte message prefix), the adapter's readiness threshold beyond it (the bytes a sender may queue in
     * gRPC, also 1 MiB), and the messages the reader's side takes in ahead of its reader.
     */
    @Override
    long mostSentAheadOfAStalledReader() {
        return (HTTP2_WINDOW + ON_READY_THRESHOLD) / 6 + PREFETCH + 1;
    }

    /**
     * gRPC holds a request stream back when the handler's side stops asking for messages, at a count that depends on
     * HTTP/2's window and gRPC's buffers: the sender waits and sends nothing more for a while, below that bound.
     */
    @Override
    void awaitRequestsHeldBack(AtomicReference<Thread> sender, LongSupplier sent) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        long bound = mostSentAheadOfAStalledReader();
        while (System.nanoTime() < until) {
            Thread thread = sender.get();
            long before = sent.getAsLong();
            assertTrue(before <= bound, "the sender went past gRPC's window: " + before + " elements");
            boolean parked = thread != null && (thread.getState() == Thread.State.WAITING
                    || thread.getState() == Thread.State.TIMED_WAITING);
            if (parked && before > 0) {
                Thread.sleep(100);
                if (sent.getAsLong() == before) {
                    return;
                }
            } else {
                Thread.sleep(5);
            }
        }
        throw new AssertionError("the sender was not held back within " + GUARD + "; sent " + sent.getAsLong());
    }

    /** gRPC checks the message alone: the body is all a request counts. */
    @Override
    int requestHeaderBytes() {
        return 0;
    }

    // ------------------------------------------------------------------------------ cases in gRPC's words

    /** The peer's handler calls back and gets FAILED_PRECONDITION, which reaches this side as its answer. */
    @Override
    @Test
    void everyKindFromThePeerBackToThisSide() throws Exception {
        RpcException e = assertThrows(RpcException.class, () -> shared().channel().unary(Probe.CALL_BACK, "hi",
                Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.FAILED_PRECONDITION, "a handler serving a gRPC call cannot call back its "
                + "caller: nested calls on the caller's connection are not a gRPC concept", e);
    }

    /** The handler sees gRPC's remote address as the caller's identity; the rest is as on every transport. */
    @Override
    @Test
    void handlerSeesTheCallersIdentityMetadataAndDeadline() throws Exception {
        CallChannel channel = shared().channel();
        String seen = channel.unary(Probe.CONTEXT, Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT
                .withTimeout(Duration.ofSeconds(30))
                .withMetadata("trace", new byte[] {7}).withMetadata("trace", new byte[] {8}));
        assertMatches("peer=grpc \\S+ depth=1 metadata=trace=\\[7\\],trace=\\[8\\] deadline=set cancelled=false", seen);
        assertMatches("peer=grpc \\S+ depth=1 metadata= deadline=none cancelled=false", channel.unary(Probe.CONTEXT,
                Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT));
    }

    /** Only the serving side has handlers over gRPC; the peer's call back to ask this side's is refused. */
    @Override
    @Test
    void handlersRunOnTheConfiguredExecutorOnBothSides() throws Exception {
        CallChannel channel = shared().channel();
        assertEquals("platform", channel.unary(Probe.HANDLER_THREAD, Unit.UNIT, Codecs.UNIT, Codecs.STRING,
                CallOptions.DEFAULT));
        assertEquals(ErrorCode.FAILED_PRECONDITION, assertThrows(RpcException.class, () -> channel.unary(
                Probe.PEER_HANDLER_THREAD, Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT)).code());
    }

    /** gRPC's server answers a method it does not have, by name. */
    @Override
    @Test
    void unknownMethodIdIsUnimplemented() throws Exception {
        CallChannel channel = shared().channel();
        RpcException e = assertThrows(RpcException.class,
                () -> channel.unary(424242, Unit.UNIT, Codecs.UNIT, Codecs.UNIT, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.UNIMPLEMENTED, "Method not found: rapace.test.Probe/424242", e);
        assertEquals("after", echo(channel, "after"));
    }

    /**
     * Over gRPC, this side's GoAway is its channel's {@code shutdown()}: a call in flight finishes, new calls fail
     * UNAVAILABLE at once, on this side, and so do calls after the channel ended.
     */
    @Override
    @Test
    void goAwayDrainsCallsInFlightWithTheirNestedCallsAndRefusesNewOnes() throws Exception {
        Connection connection = fresh();
        CallChannel channel = connection.channel();
        CompletableFuture<String> inFlight = channel.unaryAsync(Probe.SLEEP, 300L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        Probe.awaitSleeping(channel);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(connection::close);
        RpcException refused = awaitRefusal(channel);
        assertEquals(ErrorCode.UNAVAILABLE, refused.code(), refused.toString());
        assertEquals("slept 300", inFlight.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        closing.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        assertEquals(ErrorCode.UNAVAILABLE, assertThrows(RpcException.class, () -> echo(channel, "x")).code());
    }

    /** A peer gone without a word fails every call and stream with UNAVAILABLE, PEER_DIED's gRPC name. */
    @Override
    @Test
    void peerDeathFailsEveryPendingCallAndStreamWithPeerDied() throws Exception {
        Connection connection = fresh();
        CallChannel channel = connection.channel();
        CompletableFuture<String> unary = channel.unaryAsync(Probe.SLEEP, 60_000L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        Iterator<Long> stream = channel.serverStreaming(Probe.COUNT, 1_000_000, Codecs.U32, Codecs.U64,
                CallOptions.DEFAULT).iterator();
        assertEquals(0L, stream.next());
        Probe.awaitSleeping(channel);

        connection.killPeer();
        assertEquals(ErrorCode.UNAVAILABLE, failureOf(unary).code());
        RpcException streamFailure = assertThrows(RpcException.class, () -> {
            while (stream.hasNext()) {
                stream.next();
            }
        });
        assertEquals(ErrorCode.UNAVAILABLE, streamFailure.code(), streamFailure.toString());
        assertEquals(ErrorCode.UNAVAILABLE, assertThrows(RpcException.class, () -> echo(channel, "x")).code());
    }

    // ------------------------------------------------------------------------------ excluded, by name

    @Override
    @Test
    @Disabled(NO_CALL_BACK)
    void bothSidesCallEachOtherAtOnce() {
    }

    @Override
    @Test
    @Disabled(NO_CALL_BACK)
    void aNestedCallInheritsTheDeadlineAndSeesItsCallerAsThePeer() {
    }

    @Override
    @Test
    @Disabled(NO_CALL_BACK)
    void deadlineOfThePeersCallCancelsThisSidesHandler() {
    }

    @Override
    @Test
    @Disabled(NO_CALL_BACK)
    void cancellationByThePeerReachesThisSidesHandler() {
    }

    @Override
    @Test
    @Disabled(NO_CALL_BACK)
    void aNestedCallIsCancelledWithTheCallItWasMadeFor() {
    }

    @Override
    @Test
    @Disabled(NO_CALL_BACK)
    void nestedCallsGoSixteenDeepAndTheSeventeenthFails() {
    }

    @Override
    @Test
    @Disabled(NO_CALL_BACK)
    void aPeerThatDoesNotReadHoldsBackThisSidesProducer() {
    }

    @Override
    @Test
    @Disabled(NO_SHAPE)
    void callWithAnotherShapeThanServedIsUnimplemented() {
    }

    static void assertMatches(String regex, String actual) {
        assertTrue(Pattern.matches(regex, actual), "\"" + actual + "\" does not match " + regex);
    }
}
