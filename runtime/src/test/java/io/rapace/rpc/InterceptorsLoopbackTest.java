package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.annotation.MethodKind;
import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.codec.Codecs;
import io.rapace.testing.ExpectedLogs;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The interceptor contract over the {@link Loopback}, plus what does not depend on the transport: the order of the
 * interceptors, loose-argument calls, retries, and interceptors that forget to pass a call on.
 */
@Timeout(60)
class InterceptorsLoopbackTest extends InterceptorContract {
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Loopback loopback = Loopback.create();

    InterceptorsLoopbackTest() {
        loopback.server().serve(InterceptorFixture.serverSide(
                new CalculatorDispatcher(new Arithmetic()), events::add));
    }

    @AfterEach
    void close() {
        loopback.close();
    }

    @Override
    CallChannel channel() {
        return loopback.client();
    }

    @Override
    String nextServerEvent() throws InterruptedException {
        return events.poll(GUARD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ClientInterceptor named(String name, List<String> seen) {
        return (method, options, next) -> {
            seen.add(name);
            next.proceed(options);
        };
    }

    private static ServerInterceptor namedOnServer(String name, List<String> seen) {
        return (method, context, next) -> {
            seen.add(name);
            next.proceed();
        };
    }

    @Test
    void interceptRunsTheLastInterceptorFirstAndInterceptForwardTheFirst() {
        List<String> seen = new ArrayList<>();
        ClientInterceptor a = named("a", seen);
        ClientInterceptor b = named("b", seen);
        ClientInterceptor c = named("c", seen);
        new CalculatorClient(ClientInterceptors.intercept(channel(), a, b, c)).add(1, 2);
        assertEquals(List.of("c", "b", "a"), seen);
        seen.clear();
        new CalculatorClient(ClientInterceptors.interceptForward(channel(), a, b, c)).add(1, 2);
        assertEquals(List.of("a", "b", "c"), seen);
        seen.clear();
        // Intercepting again puts the new ones outside.
        new CalculatorClient(ClientInterceptors.interceptForward(ClientInterceptors.interceptForward(channel(), a),
                b)).add(1, 2);
        assertEquals(List.of("b", "a"), seen);
    }

    @Test
    void serverInterceptorsRunInTheSameOrders() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ServerInterceptor a = namedOnServer("a", seen);
        ServerInterceptor b = namedOnServer("b", seen);
        ServerInterceptor c = namedOnServer("c", seen);
        try (Loopback other = Loopback.create()) {
            other.server().serve(ServerInterceptors.intercept(ServerInterceptors.interceptForward(
                    new CalculatorDispatcher(new Arithmetic()), a, b), c));
            assertEquals(3, new CalculatorClient(other.client()).add(1, 2));
            assertEquals(List.of("c", "a", "b"), seen);
        }
    }

    @Test
    void anInterceptedDispatcherServesTheSameMethods() {
        ServiceDispatcher plain = new CalculatorDispatcher(new Arithmetic());
        ServiceDispatcher intercepted = InterceptorFixture.serverSide(plain, event -> { });
        assertEquals(plain.serviceName(), intercepted.serviceName());
        assertEquals(plain.methods().toString(), intercepted.methods().toString());
    }

    @Test
    void aLooseArgumentCallReachesInterceptorsWithAnUnnamedMethod() {
        List<RpcMethod<?, ?>> seen = new ArrayList<>();
        CallChannel channel = ClientInterceptors.intercept(channel(), (method, options, next) -> {
            seen.add(method);
            next.proceed(options);
        });
        assertEquals(List.of(1L, 2L), channel.serverStreaming(CalculatorDescriptor.COUNT_TO_ID, 2L, Codecs.I64,
                Codecs.I64, CallOptions.DEFAULT).toList());
        RpcMethod<?, ?> method = seen.get(0);
        assertEquals(List.of("", "", CalculatorDescriptor.COUNT_TO_ID, MethodKind.SERVER_STREAMING),
                List.of(method.serviceName(), method.name(), method.id(), method.kind()));
        assertEquals("method 749004473", method.toString());
        // The generated client passes its constant through.
        new CalculatorClient(channel).countTo(1).toList();
        assertEquals(CalculatorClient.COUNT_TO, seen.get(1));
    }

    @Test
    void anInterceptorMayRetryAUnaryCall() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        ClientInterceptor flaky = (method, options, next) -> {
            if (tries.incrementAndGet() == 1) {
                throw new RpcException(ErrorCode.UNAVAILABLE, "try again");
            }
            next.proceed(options);
        };
        ClientInterceptor retry = (method, options, next) -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    next.proceed(options);
                    return;
                } catch (RpcException e) {
                    if (e.code() != ErrorCode.UNAVAILABLE || attempt == 3) {
                        throw e;
                    }
                }
            }
        };
        CalculatorClient calculator = new CalculatorClient(ClientInterceptors.interceptForward(channel(), counted,
                retry, flaky));
        assertEquals(3, calculator.add(1, 2));
        assertEquals(2, tries.get());
        assertEquals(List.of("add OK requests=1 responses=1"), clientEvents(1));
        serverEvents(2);
    }

    @Test
    void anInterceptorThatNeitherProceedsNorThrowsIsABug() {
        ClientInterceptor forgetful = (method, options, next) -> { };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CalculatorClient(ClientInterceptors.intercept(channel(), forgetful)).add(1, 2));
        assertEquals("client interceptor " + forgetful + " returned without passing on or refusing the call of"
                + " io.rapace.calculator.Calculator/add (423600472)", e.getMessage());

        ServerInterceptor lazy = (method, context, next) -> { };
        try (Loopback other = Loopback.create()) {
            other.server().serve(ServerInterceptors.intercept(new CalculatorDispatcher(new Arithmetic()),
                    lazy));
            assertFails(ErrorCode.INTERNAL, "add failed: java.lang.IllegalStateException: server interceptor " + lazy
                    + " returned without running or refusing the call of io.rapace.calculator.Calculator/add"
                    + " (423600472)", () -> new CalculatorClient(other.client()).add(1, 2));
            logs.expect(Level.WARNING, "handler of add (");
        }
    }

    @Test
    void aMethodOfAnotherShapeIsRefusedByTheInterceptedChannelToo() {
        CallChannel channel = ClientInterceptors.intercept(channel(), counted);
        assertThrows(IllegalArgumentException.class,
                () -> channel.unary(CalculatorClient.COUNT_TO, 1L, CallOptions.DEFAULT));
        assertEquals(0, clientCalls.get());
    }
}
