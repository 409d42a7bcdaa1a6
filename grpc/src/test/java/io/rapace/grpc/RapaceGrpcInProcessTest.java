package io.rapace.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.Calculator;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.calculator.Stats;
import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.CallContext;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.codec.Codecs;
import io.rapace.codec.Unit;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcMethod;
import io.rapace.rpc.ServerMethod;
import io.rapace.rpc.ServiceDispatcher;
import io.rapace.rpc.RpcStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated calculator client and dispatcher over gRPC's in-process transport: each call shape, deadlines,
 * cancellation, metadata, error codes both ways, nested calls refused, large messages, the registry.
 */
class RapaceGrpcInProcessTest {
    private static final Duration GUARD = Duration.ofSeconds(30);

    /** The calculator, with behaviour for the tests keyed on its arguments. */
    static final class KeyedArithmetic extends Arithmetic {
        final AtomicReference<CallContext> lastContext = new AtomicReference<>();
        final CountDownLatch cancelled = new CountDownLatch(1);
        /** Where {@code add(-6, b)} makes its nested call {@code add(-4, b)}: another gRPC server. */
        volatile Calculator downstream;

        @Override
        public long add(long a, long b) {
            CallContext context = CallContext.current();
            lastContext.set(context);
            if (a == -1) {
                throw new RpcException(ErrorCode.NOT_FOUND, "no such number: " + b);
            }
            if (a == -2) {
                throw new IllegalStateException("broken");
            }
            if (a == -3) { // PEER_DIED has no gRPC name: it travels as UNAVAILABLE with its number
                throw new RpcException(ErrorCode.PEER_DIED, "the plugin died");
            }
            if (a == -4) { // wait for the caller to go away
                context.onCancel(cancelled::countDown);
                try {
                    Thread.sleep(GUARD.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
            if (a == -6) { // a call onwards, to another server: it inherits this call's deadline
                return downstream.add(-4, b);
            }
            if (a == -5) { // a nested call back to the caller
                return context.peerChannel().unary(CalculatorClient.ADD.id(), null, null, null, CallOptions.DEFAULT);
            }
            return a + b;
        }

        @Override
        public RpcStream<Long> runningTotal(RpcStream<Long> requests) {
            return RpcStream.generate(out -> {
                CallContext.current(); // the producer runs on the handler's thread, in its call's context
                long total = 0;
                for (long value : requests) {
                    total += value;
                    out.send(total);
                }
            });
        }
    }

    private final KeyedArithmetic arithmetic = new KeyedArithmetic();
    private Server server;
    private ManagedChannel channel;
    private Calculator calculator;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = RapaceGrpc.configure(InProcessServerBuilder.forName(name))
                .addService(RapaceGrpc.service(new CalculatorDispatcher(arithmetic)))
                .addService(RapaceGrpc.registry(ServiceRegistry.of(List.of(new CalculatorDescriptor()))))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        calculator = new CalculatorClient(RapaceGrpc.channel(channel));
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow();
        assertTrue(channel.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(server.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    void everyCallShapeWorks() {
        assertEquals(5, calculator.add(2, 3));
        assertEquals(new Stats(3, 6), calculator.sum(RpcStream.of(1L, 2L, 3L)));
        assertEquals(List.of(1L, 2L, 3L, 4L), calculator.countTo(4).toList());
        assertEquals(List.of(1L, 3L, 6L), calculator.runningTotal(RpcStream.of(1L, 2L, 3L)).toList());
    }

    @Test
    void asyncUnaryCompletesItsFuture() throws Exception {
        CalculatorClient client = new CalculatorClient(RapaceGrpc.channel(channel));
        assertEquals(9, client.addAsync(4, 5).get(30, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.addAsync(-1, 7).get(30,
                TimeUnit.SECONDS));
        assertEquals(ErrorCode.NOT_FOUND, ((RpcException) e.getCause()).code());
    }

    @Test
    void aLongStreamIsFlowControlledAndComplete() {
        long count = 0;
        long last = 0;
        for (long value : calculator.countTo(100_000)) {
            count++;
            last = value;
        }
        assertEquals(100_000, count);
        assertEquals(100_000, last);
    }

    @Test
    void errorCodesTravelByNameAndRapaceOnlyCodesKeepTheirNumber() {
        RpcException notFound = assertThrows(RpcException.class, () -> calculator.add(-1, 7));
        assertEquals(ErrorCode.NOT_FOUND, notFound.code());
        assertEquals("no such number: 7", notFound.getMessage());
        RpcException internal = assertThrows(RpcException.class, () -> calculator.add(-2, 0));
        assertEquals(ErrorCode.INTERNAL, internal.code());
        assertEquals("add failed: java.lang.IllegalStateException: broken", internal.getMessage());
        RpcException died = assertThrows(RpcException.class, () -> calculator.add(-3, 0));
        assertEquals(ErrorCode.PEER_DIED, died.code(), "round-trips through the rapace-code trailer");
        assertEquals("the plugin died", died.getMessage());
    }

    @Test
    void theDeadlineReachesTheHandlerAndEndsTheCall() throws Exception {
        CalculatorClient timed = new CalculatorClient(RapaceGrpc.channel(channel),
                CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)));
        assertEquals(3, timed.add(1, 2));
        Duration remaining = arithmetic.lastContext.get().remaining().orElseThrow();
        assertTrue(remaining.compareTo(Duration.ZERO) > 0 && remaining.compareTo(Duration.ofSeconds(20)) <= 0,
                remaining.toString());
        CalculatorClient hasty = new CalculatorClient(RapaceGrpc.channel(channel),
                CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)));
        RpcException late = assertThrows(RpcException.class, () -> hasty.add(-4, 0));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, late.code());
        assertTrue(arithmetic.cancelled.await(30, TimeUnit.SECONDS), "the handler's context was cancelled");
        CallContext cancelledContext = arithmetic.lastContext.get();
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, assertThrows(RpcException.class,
                cancelledContext::checkCancelled).code(), "cancelled because the deadline passed");
    }

    @Test
    void metadataTravelsAsBinaryHeaders() {
        CalculatorClient tagged = new CalculatorClient(RapaceGrpc.channel(channel), CallOptions.DEFAULT
                .withMetadata("tenant", "acme".getBytes(StandardCharsets.UTF_8))
                .withMetadata("trace", new byte[] {0, 1, (byte) 0xFF}));
        assertEquals(3, tagged.add(1, 2));
        var metadata = arithmetic.lastContext.get().metadata();
        assertEquals(List.of("tenant", "trace"), metadata.stream().map(m -> m.key()).toList());
        assertArrayEquals("acme".getBytes(StandardCharsets.UTF_8), metadata.get(0).value());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xFF}, metadata.get(1).value());
        CalculatorClient bad = new CalculatorClient(RapaceGrpc.channel(channel),
                CallOptions.DEFAULT.withMetadata("Not A Header", new byte[0]));
        RpcException refused = assertThrows(RpcException.class, () -> bad.add(1, 2));
        assertEquals(ErrorCode.INVALID_ARGUMENT, refused.code());
        assertTrue(refused.getMessage().startsWith("metadata key \"Not A Header\" is not a valid gRPC header name"),
                refused.getMessage());
    }

    @Test
    void aNestedCallBackToTheCallerFailsWithFailedPrecondition() {
        RpcException refused = assertThrows(RpcException.class, () -> calculator.add(-5, 0));
        assertEquals(ErrorCode.FAILED_PRECONDITION, refused.code());
        assertEquals("a handler serving a gRPC call cannot call back its caller: nested calls on the caller's "
                + "connection are not a gRPC concept", refused.getMessage());
    }

    @Test
    void theRegistryIsServedAndDescribesTheService() {
        ServiceRegistry remote = RapaceGrpc.fetchRegistry(channel, GUARD);
        assertEquals(ServiceRegistry.of(List.of(new CalculatorDescriptor())).describe(), remote.describe());
    }

    @Test
    void aCallByIdAloneIsRefusedWithAReason() {
        RpcException refused = assertThrows(RpcException.class, () -> RapaceGrpc.channel(channel).unary(
                CalculatorDescriptor.ADD_ID, null, null, null, CallOptions.DEFAULT));
        assertEquals(ErrorCode.UNIMPLEMENTED, refused.code());
    }

    /** A handler's call onwards inherits its deadline: the downstream handler is cancelled when it passes. */
    @Test
    void aCallOnwardsFromAHandlerInheritsItsDeadline() throws Exception {
        KeyedArithmetic downstream = new KeyedArithmetic();
        String name = InProcessServerBuilder.generateName();
        Server second = InProcessServerBuilder.forName(name)
                .addService(RapaceGrpc.service(new CalculatorDispatcher(downstream))).build().start();
        ManagedChannel toSecond = InProcessChannelBuilder.forName(name).build();
        try {
            arithmetic.downstream = new CalculatorClient(RapaceGrpc.channel(toSecond)); // no deadline of its own
            CalculatorClient hasty = new CalculatorClient(RapaceGrpc.channel(channel),
                    CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
            RpcException late = assertThrows(RpcException.class, () -> hasty.add(-6, 0));
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, late.code());
            assertTrue(downstream.cancelled.await(30, TimeUnit.SECONDS), "the downstream handler was cancelled");
            Duration inherited = downstream.lastContext.get().remaining().orElseThrow(
                    () -> new AssertionError("the call onwards had no deadline"));
            assertTrue(inherited.compareTo(Duration.ofMillis(300)) <= 0, inherited.toString());
        } finally {
            toSecond.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
            second.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** rapace's own interceptors run over gRPC: a client one adds metadata, a server one sees the call and answers. */
    @Test
    void rapaceInterceptorsRunOverGrpc() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        String name = InProcessServerBuilder.generateName();
        Server intercepted = InProcessServerBuilder.forName(name)
                .addService(RapaceGrpc.service(new CalculatorDispatcher(arithmetic), (method, context, next) -> {
                    seen.add("server " + method.name() + " " + new String(context.metadata().get(0).value(),
                            StandardCharsets.UTF_8));
                    if (context.metadata().stream().anyMatch(m -> m.key().equals("deny"))) {
                        throw new RpcException(ErrorCode.PERMISSION_DENIED, "denied by the server's interceptor");
                    }
                    next.proceed();
                }))
                .build().start();
        ManagedChannel toIntercepted = InProcessChannelBuilder.forName(name).build();
        try {
            Calculator client = new CalculatorClient(RapaceGrpc.channel(toIntercepted, (method, options, next) -> {
                seen.add("client " + method.name());
                next.proceed(options.withMetadata("who", "interceptor".getBytes(StandardCharsets.UTF_8)));
            }));
            assertEquals(5, client.add(2, 3));
            assertEquals(List.of("client add", "server add interceptor"), seen);
            Calculator denied = new CalculatorClient(RapaceGrpc.channel(toIntercepted, (method, options, next) ->
                    next.proceed(options.withMetadata("who", new byte[] {'x'}).withMetadata("deny", new byte[0]))));
            RpcException refused = assertThrows(RpcException.class, () -> denied.add(1, 1));
            assertEquals(ErrorCode.PERMISSION_DENIED, refused.code());
        } finally {
            toIntercepted.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
            intercepted.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void cancellingAServerStreamEndsIt() {
        RpcStream<Long> values = calculator.countTo(1_000_000);
        var it = values.iterator();
        assertEquals(1L, it.next());
        values.cancel();
        RpcException ended = assertThrows(RpcException.class, () -> {
            while (it.hasNext()) {
                it.next();
            }
        });
        assertEquals(ErrorCode.CANCELLED, ended.code());
    }

    /** A served call of one method, for the cases below: {@code service.test/<name>}. */
    private static ServiceDispatcher serving(ServerMethod<?, ?> method) {
        return new ServiceDispatcher() {
            @Override
            public String serviceName() {
                return "service.test";
            }

            @Override
            public List<ServerMethod<?, ?>> methods() {
                return List.of(method);
            }
        };
    }

    /** A handler that gave up its request stream cannot read or send any more: it fails at once instead of hanging. */
    @Test
    void aHandlerThatCancelledItsRequestStreamFailsAtOnceIfItReadsOrSendsAgain() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        ServerMethod<Long, Long> refuse = ServerMethod.bidiStreaming(1, "refuse", Codecs.U64, Codecs.U64,
                requests -> RpcStream.generate(out -> {
                    try {
                        requests.cancel();
                        try {
                            requests.iterator().hasNext();
                        } catch (RpcException e) {
                            seen.add("read: " + e.code() + " " + e.getMessage());
                        }
                        try {
                            out.send(1L);
                        } catch (RpcException e) {
                            seen.add("send: " + e.code() + " " + e.getMessage());
                        }
                    } finally {
                        done.countDown();
                    }
                }));
        String name = InProcessServerBuilder.generateName();
        Server refusing = InProcessServerBuilder.forName(name).addService(RapaceGrpc.service(serving(refuse)))
                .build().start();
        ManagedChannel toRefusing = InProcessChannelBuilder.forName(name).build();
        try {
            RpcException ended = assertThrows(RpcException.class, () -> RapaceGrpc.channel(toRefusing).bidiStreaming(
                    RpcMethod.bidiStreaming("service.test", "refuse", 1, Codecs.U64, Codecs.U64),
                    RpcStream.of(1L, 2L), CallOptions.DEFAULT).toList());
            assertEquals(ErrorCode.CANCELLED, ended.code());
            assertEquals("cancelled by the handler", ended.getMessage());
            assertTrue(done.await(30, TimeUnit.SECONDS), "the handler ended");
            assertEquals(List.of("read: CANCELLED cancelled by the handler", "send: CANCELLED cancelled by the handler"),
                    seen);
        } finally {
            toRefusing.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
            refusing.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** A call a handler makes after its own call was cancelled fails CANCELLED, as a failed future. */
    @Test
    void aCallOnwardsFromACancelledHandlerFailsCancelled() throws Exception {
        String downstreamName = InProcessServerBuilder.generateName();
        Server downstream = InProcessServerBuilder.forName(downstreamName)
                .addService(RapaceGrpc.service(new CalculatorDispatcher(new Arithmetic()))).build().start();
        ManagedChannel toDownstream = InProcessChannelBuilder.forName(downstreamName).build();
        CountDownLatch waiting = new CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Throwable> onwards = new java.util.concurrent.CompletableFuture<>();
        ServerMethod<Unit, Unit> late = ServerMethod.unary(1, "late", Codecs.UNIT, Codecs.UNIT, request -> {
            CallContext context = CallContext.current();
            waiting.countDown();
            while (!context.isCancelled()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    // the cancel interrupts: go on to the call onwards
                }
            }
            try {
                new CalculatorClient(RapaceGrpc.channel(toDownstream)).addAsync(1, 2)
                        .whenComplete((value, failure) -> onwards.complete(failure));
            } catch (RuntimeException e) {
                onwards.complete(new AssertionError("the call onwards threw instead of failing its future", e));
            }
            return request;
        });
        String name = InProcessServerBuilder.generateName();
        Server upstream = InProcessServerBuilder.forName(name).addService(RapaceGrpc.service(serving(late)))
                .build().start();
        ManagedChannel toUpstream = InProcessChannelBuilder.forName(name).build();
        try {
            java.util.concurrent.CompletableFuture<Unit> call = RapaceGrpc.channel(toUpstream).unaryAsync(
                    RpcMethod.unary("service.test", "late", 1, Codecs.UNIT, Codecs.UNIT), Unit.UNIT,
                    CallOptions.DEFAULT);
            assertTrue(waiting.await(30, TimeUnit.SECONDS));
            call.cancel(true);
            Throwable failure = onwards.get(30, TimeUnit.SECONDS);
            RpcException cancelled = assertInstanceOf(RpcException.class, failure instanceof
                    java.util.concurrent.CompletionException ? failure.getCause() : failure);
            assertEquals(ErrorCode.CANCELLED, cancelled.code());
        } finally {
            toUpstream.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
            upstream.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
            toDownstream.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
            downstream.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
