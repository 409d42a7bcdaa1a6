package io.rapace.rpc;

import static io.rapace.rpc.InterceptorFixture.DENY;
import static io.rapace.rpc.InterceptorFixture.OBSERVE;
import static io.rapace.rpc.InterceptorFixture.TRACE;
import static io.rapace.rpc.InterceptorFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.calculator.Calculator;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What interceptors do, the same on every transport: client interceptors at the call API the generated client uses,
 * server interceptors ({@link InterceptorFixture#serverSide}) in front of the calculator's dispatcher on the other
 * side. A subclass supplies a channel to a peer serving the intercepted calculator and the events of its server-side
 * recorder. Every wait is bounded by a guard against hangs, never a speed target.
 */
abstract class InterceptorContract {
    static final Duration GUARD = Duration.ofSeconds(60);

    /** Client-side events: {@code <method name> <OK|CODE> requests=<sent> responses=<received>}, at each close. */
    final BlockingQueue<String> clientEvents = new LinkedBlockingQueue<>();
    final AtomicInteger clientCalls = new AtomicInteger();
    final LongAdder clientNanos = new LongAdder();

    /** A channel to a peer that serves the calculator behind {@link InterceptorFixture#serverSide}. */
    abstract CallChannel channel() throws Exception;

    /** The next event of the peer's server-side recorder, waiting for it up to the guard. */
    abstract String nextServerEvent() throws InterruptedException;

    /** Adds the trace metadata and a deadline to every call. */
    static final ClientInterceptor TRACED = (method, options, next) ->
            next.proceed(options.withMetadata(TRACE, utf8("t-42")).withTimeout(GUARD));

    /** Counts and times every call, reporting each to {@link #clientEvents} when it closes. */
    final ClientInterceptor counted = (method, options, next) -> {
        clientCalls.incrementAndGet();
        long start = System.nanoTime();
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger responses = new AtomicInteger();
        next.onRequest(request -> requests.incrementAndGet());
        next.onResponse(response -> responses.incrementAndGet());
        next.onClose(failure -> {
            clientNanos.add(System.nanoTime() - start);
            clientEvents.add(method.name() + " " + (failure == null ? "OK" : failure.code()) + " requests="
                    + requests + " responses=" + responses);
        });
        next.proceed(options);
    };

    List<String> serverEvents(int count) throws InterruptedException {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String event = nextServerEvent();
            assertNotNull(event, "server event " + (i + 1) + " of " + count + " within " + GUARD + "; had " + events);
            events.add(event);
        }
        events.sort(null);
        return events;
    }

    List<String> clientEvents(int count) throws InterruptedException {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String event = clientEvents.poll(GUARD.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(event, "client event " + (i + 1) + " of " + count + "; had " + events);
            events.add(event);
        }
        events.sort(null);
        return events;
    }

    static List<String> sorted(String... events) {
        List<String> list = new ArrayList<>(List.of(events));
        list.sort(null);
        return list;
    }

    @Test
    void everyKindCarriesTheClientsMetadataToTheServerAndIsCountedAndTimedOnBothSides() throws Exception {
        Calculator calculator = new CalculatorClient(ClientInterceptors.interceptForward(channel(), counted, TRACED));
        assertEquals(5, calculator.add(2, 3));
        assertEquals(9, ((CalculatorClient) calculator).addAsync(4, 5).get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals(new Stats(3, 6), calculator.sum(RpcStream.of(1L, 2L, 3L)));
        assertEquals(List.of(1L, 2L, 3L, 4L), calculator.countTo(4).toList());
        assertEquals(List.of(1L, 3L, 6L), calculator.runningTotal(RpcStream.of(1L, 2L, 3L)).toList());

        assertEquals(sorted(
                "add OK requests=1 responses=1",
                "add OK requests=1 responses=1",
                "sum OK requests=3 responses=1",
                "count_to OK requests=1 responses=4",
                "running_total OK requests=3 responses=3"), clientEvents(5));
        assertEquals(5, clientCalls.get());
        assertTrue(clientNanos.sum() > 0, "calls were timed");

        assertEquals(sorted(
                "start add UNARY trace=t-42 deadline=yes",
                "end add OK requests=1 responses=1",
                "start add UNARY trace=t-42 deadline=yes",
                "end add OK requests=1 responses=1",
                "start sum CLIENT_STREAMING trace=t-42 deadline=yes",
                "end sum OK requests=3 responses=1",
                "start count_to SERVER_STREAMING trace=t-42 deadline=yes",
                "end count_to OK requests=1 responses=4",
                "start running_total BIDI_STREAMING trace=t-42 deadline=yes",
                "end running_total OK requests=3 responses=3"), serverEvents(10));
    }

    @Test
    void aClientInterceptorShortCircuitsEveryKindBeforeAnythingIsSent() throws Exception {
        ClientInterceptor open = (method, options, next) -> {
            throw new RpcException(ErrorCode.UNAVAILABLE, "circuit open for " + method);
        };
        CalculatorClient calculator = new CalculatorClient(ClientInterceptors.interceptForward(channel(), counted,
                open));
        String service = "io.rapace.calculator.Calculator";
        assertFails(ErrorCode.UNAVAILABLE, "circuit open for " + service + "/add (423600472)",
                () -> calculator.add(1, 2));
        assertFails(ErrorCode.UNAVAILABLE, "circuit open for " + service + "/add (423600472)",
                () -> join(calculator.addAsync(1, 2)));
        assertFails(ErrorCode.UNAVAILABLE, "circuit open for " + service + "/sum (1704335971)",
                () -> calculator.sum(RpcStream.of(1L)));
        assertFails(ErrorCode.UNAVAILABLE, "circuit open for " + service + "/count_to (749004473)",
                () -> calculator.countTo(3));
        assertFails(ErrorCode.UNAVAILABLE, "circuit open for " + service + "/running_total (2261846859)",
                () -> calculator.runningTotal(RpcStream.of(1L)));
        assertEquals(sorted(
                "add UNAVAILABLE requests=0 responses=0",
                "add UNAVAILABLE requests=0 responses=0",
                "sum UNAVAILABLE requests=0 responses=0",
                "count_to UNAVAILABLE requests=0 responses=0",
                "running_total UNAVAILABLE requests=0 responses=0"), clientEvents(5));

        // Nothing reached the server: the first call it sees is this one, made without interceptors.
        assertEquals(7, new CalculatorClient(channel()).add(3, 4));
        assertEquals(sorted("start add UNARY trace=- deadline=no", "end add OK requests=1 responses=1"),
                serverEvents(2));
    }

    @Test
    void aServerInterceptorShortCircuitsEveryKindAndTheCallerGetsItsCode() throws Exception {
        CalculatorClient calculator = new CalculatorClient(ClientInterceptors.interceptForward(channel(), counted),
                CallOptions.DEFAULT.withMetadata(DENY, new byte[0]));
        String denied = "denied by the server's interceptor: io.rapace.calculator.Calculator/";
        assertFails(ErrorCode.PERMISSION_DENIED, denied + "add (423600472)", () -> calculator.add(1, 2));
        assertFails(ErrorCode.PERMISSION_DENIED, denied + "add (423600472)", () -> join(calculator.addAsync(1, 2)));
        assertFails(ErrorCode.PERMISSION_DENIED, denied + "sum (1704335971)",
                () -> calculator.sum(RpcStream.of(1L, 2L)));
        assertFails(ErrorCode.PERMISSION_DENIED, denied + "count_to (749004473)",
                () -> calculator.countTo(3).toList());
        assertFails(ErrorCode.PERMISSION_DENIED, denied + "running_total (2261846859)",
                () -> calculator.runningTotal(RpcStream.of(1L)).toList());
        List<String> client = clientEvents(5);
        for (String event : client) {
            assertTrue(event.contains(" PERMISSION_DENIED "), event);
        }
        assertEquals(sorted(
                "start add UNARY trace=- deadline=no",
                "end add PERMISSION_DENIED requests=0 responses=0",
                "start add UNARY trace=- deadline=no",
                "end add PERMISSION_DENIED requests=0 responses=0",
                "start sum CLIENT_STREAMING trace=- deadline=no",
                "end sum PERMISSION_DENIED requests=0 responses=0",
                "start count_to SERVER_STREAMING trace=- deadline=no",
                "end count_to PERMISSION_DENIED requests=0 responses=0",
                "start running_total BIDI_STREAMING trace=- deadline=no",
                "end running_total PERMISSION_DENIED requests=0 responses=0"), serverEvents(10));
    }

    @Test
    void theCallObserverIsAPairOfInterceptorsThatSeeTheTransportsBytesAlikeOnBothSides() throws Exception {
        List<CallObserver.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CallObserver observer = events::add;
        CalculatorClient calculator = new CalculatorClient(ClientInterceptors.interceptForward(channel(),
                observer.clientInterceptor()), CallOptions.DEFAULT.withMetadata(OBSERVE, new byte[0]));
        assertEquals(5, calculator.add(2, 3));
        assertEquals(List.of(1L, 2L, 3L), calculator.countTo(3).toList());
        assertEquals(2, events.size(), events.toString());
        List<String> server = serverEvents(6).stream().filter(e -> e.startsWith("observed ")).toList();
        for (CallObserver.Event event : events) {
            assertEquals(CallObserver.Direction.OUTBOUND, event.direction());
            assertTrue(event.ok() && !event.rejected(), event.toString());
            assertTrue(event.bytesSent() > 0 && event.bytesReceived() > 0, event.toString());
            // what one side sent, the other received: the same bytes over every transport
            assertTrue(server.contains("observed " + Integer.toUnsignedString(event.methodId()) + " OK in="
                    + event.bytesSent() + " out=" + event.bytesReceived()), event + " against " + server);
        }
        assertTrue(events.get(1).bytesReceived() > events.get(0).bytesReceived(),
                "three streamed responses are more than one: " + events);
        assertEquals(List.of("add", "count_to"), events.stream().map(CallObserver.Event::methodName).toList(),
                "generated clients name their methods");

        events.clear();
        CalculatorClient denied = new CalculatorClient(ClientInterceptors.interceptForward(channel(),
                observer.clientInterceptor()), CallOptions.DEFAULT.withMetadata(DENY, new byte[0]));
        assertFails(ErrorCode.PERMISSION_DENIED, "denied by the server's interceptor: "
                + "io.rapace.calculator.Calculator/add (423600472)", () -> denied.add(1, 2));
        assertEquals(1, events.size(), events.toString());
        CallObserver.Event refused = events.get(0);
        assertEquals(ErrorCode.PERMISSION_DENIED, refused.code());
        assertTrue(refused.bytesSent() > 0 && refused.bytesReceived() > 0 && !refused.rejected(), refused.toString());
    }

    static void assertFails(ErrorCode code, String message, Executable call) {
        RpcException e = assertThrows(RpcException.class, call);
        assertEquals(code, e.code(), e.toString());
        assertEquals(message, e.getMessage());
    }

    /** The future's value, or its failure as thrown by a blocking call. */
    static <T> T join(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw assertInstanceOf(RpcException.class, e.getCause());
        }
    }
}
