package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.Calculator;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.calculator.Stats;
import io.rapace.codec.Codecs;
import io.rapace.testing.ExpectedLogs;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What is particular to the {@link Loopback} facade, driven through the hand-written {@code Calculator} exactly as
 * generated code drives it: its builder options (ids, window, maximum message size), its threads, its immediate
 * {@code close()}, its in-process hooks ({@code blockedSenders}), and what can only be seen inside one JVM (copies,
 * the serving side's log). The call semantics every transport shares (every call shape, deadlines, cancellation,
 * errors, nesting, GoAway, peer death, credit, large messages, introspection) are {@link AbstractCallContractTest}'s,
 * run over the loopback's in-memory pair by {@link LoopbackCallContractTest}. Waits are for conditions, never for
 * time; the class timeout only guards against hangs.
 */
@Timeout(60)
class LoopbackTest {
    /** Handler failures are logged on the serving side; the tests that provoke them expect the line. */
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    private Loopback loopback;

    private CalculatorClient serve(Loopback loop, Calculator implementation) {
        this.loopback = loop;
        loop.server().serve(new CalculatorDispatcher(implementation));
        return new CalculatorClient(loop.client());
    }

    private CalculatorClient serve(Calculator implementation) {
        return serve(Loopback.create(), implementation);
    }

    @AfterEach
    void closeAndCheckThatNoThreadIsLeft() {
        if (loopback != null) {
            loopback.close();
            assertEquals(List.of(), liveThreads(loopback.threadPrefix()));
        }
    }

    private static List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .map(Thread::getName)
                .sorted()
                .collect(Collectors.toList());
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        latch.await();
    }

    /** Waits, without a time limit of its own, until {@code condition} holds. */
    private static void awaitCondition(IntSupplier value, int expected) throws InterruptedException {
        while (value.getAsInt() != expected) {
            Thread.sleep(1);
        }
    }

    private static void assertRpcException(ErrorCode code, String message, RpcException e) {
        assertEquals(code, e.code());
        assertEquals(code.value(), e.rawCode());
        assertEquals(message, e.getMessage());
    }

    // ---------------------------------------------------------------- what crosses, and where handlers run

    /** Only in one JVM can a test see that the bytes were copied rather than the objects handed over. */
    @Test
    void requestsAndResponsesCrossAsEncodedBytes() {
        AtomicReference<byte[]> received = new AtomicReference<>();
        loopback = Loopback.create();
        loopback.server().serve(dispatcher("Bytes", ServerMethod.unary(9, "echo", Codecs.BYTES, Codecs.BYTES, bytes -> {
            received.set(bytes);
            return bytes;
        })));
        byte[] request = {1, 2, 3};
        byte[] response = loopback.client().unary(9, request, Codecs.BYTES, Codecs.BYTES, CallOptions.DEFAULT);
        assertArrayEquals(new byte[] {1, 2, 3}, received.get());
        assertNotSame(request, received.get());
        assertArrayEquals(new byte[] {1, 2, 3}, response);
        assertNotSame(received.get(), response);
    }

    /** The loopback's own thread names (the contract checks the executor kind on every transport). */
    @Test
    void handlersRunOnLoopbackThreadsNeverTheCallers() {
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public long add(long a, long b) {
                handlerThread.set(Thread.currentThread());
                return a + b;
            }
        });
        calculator.add(1, 2);
        assertNotSame(Thread.currentThread(), handlerThread.get());
        assertTrue(handlerThread.get().getName().startsWith(loopback.threadPrefix() + "worker-"),
                handlerThread.get().getName());
    }

    /**
     * The builder's ids and the endpoint a handler calls back through are the facade's (the contract checks the
     * metadata, deadline and identity a handler sees on every transport).
     */
    @Test
    void handlerReachesItsCallerThroughTheServingEndpoint() {
        AtomicReference<CallContext> seen = new AtomicReference<>();
        CalculatorClient calculator = serve(Loopback.builder().clientId("host").serverId("plugin-7").build(),
                new Arithmetic() {
                    @Override
                    public long add(long a, long b) {
                        seen.set(CallContext.current());
                        return a + b;
                    }
                });
        calculator.add(1, 2);
        CallContext context = seen.get();
        assertEquals(CalculatorDescriptor.ADD_ID, context.methodId());
        assertEquals("host", context.peerId());
        assertEquals(loopback.server(), context.peerChannel());
        assertThrows(IllegalStateException.class, CallContext::current);
    }

    /** A handler that blocks until it is cancelled, then records what it saw. */
    static final class BlocksUntilCancelled extends Arithmetic {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        final AtomicBoolean cancelledSeen = new AtomicBoolean();
        final AtomicBoolean callbackRan = new AtomicBoolean();

        @Override
        public long add(long a, long b) {
            CallContext context = CallContext.current();
            context.onCancel(() -> callbackRan.set(true));
            started.countDown();
            try {
                new CountDownLatch(1).await();
                return 0;
            } catch (InterruptedException e) {
                interrupted.set(true);
                cancelledSeen.set(context.isCancelled());
                throw new RpcException(ErrorCode.ABORTED, "the handler gave up");
            } finally {
                finished.countDown();
            }
        }
    }

    // ---------------------------------------------------------------- errors

    /** The log line names the loopback's endpoint, as only the loopback's engine is configured to. */
    @Test
    void handlerExceptionBecomesInternalAndTheLoopbackGoesOn() {
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public long add(long a, long b) {
                if (a == 13) {
                    throw new IllegalStateException("13 is unlucky");
                }
                return a + b;
            }
        });
        RpcException e = assertThrows(RpcException.class, () -> calculator.add(13, 1));
        assertRpcException(ErrorCode.INTERNAL, "add failed: java.lang.IllegalStateException: 13 is unlucky", e);
        String logged = logs.expect(Level.WARNING, "handler of add (");
        assertTrue(logged.contains("failed on Loopback.Endpoint["), logged);
        assertEquals(3, calculator.add(1, 2));
    }

    /**
     * A flood of handler failures is not a flood of stack traces: at most {@value HandlerFailures#LOGS_PER_SECOND} a
     * second are logged, and the next one logged says how many were left out. An RpcException a handler throws on
     * purpose is an answer, not a fault, and is not logged. Here because the log is the serving side's, which only a
     * test in one JVM reads.
     */
    @Test
    void aFloodOfHandlerFailuresIsLoggedAtABoundedRateAndSaysWhatItLeftOut() throws Exception {
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public long add(long a, long b) {
                if (a < 0) {
                    throw new RpcException(ErrorCode.NOT_FOUND, "chosen");
                }
                throw new IllegalStateException("flood " + a);
            }
        });
        int failures = 100;
        for (int i = 0; i < failures; i++) {
            long a = i;
            assertEquals(ErrorCode.INTERNAL, assertThrows(RpcException.class, () -> calculator.add(a, 0)).code());
        }
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(RpcException.class, () -> calculator.add(-1, 0)).code());
        logs.expect(Level.WARNING, "handler of add (");
        int logged = 1 + logs.takeAll(Level.WARNING, "handler of add (");
        assertTrue(logged < failures, logged + " of " + failures + " failures logged");
        // the next window's first failure says how many of this one's went unlogged
        Thread.sleep(1_100);
        assertThrows(RpcException.class, () -> calculator.add(failures, 0));
        String next = logs.expect(Level.WARNING, "handler of add (");
        assertTrue(next.matches(".*the caller gets INTERNAL \\([0-9]+ more handler failures were not logged\\)"),
                next);
        assertEquals(List.of(), logs.remaining(), "the chosen NOT_FOUND was not logged");
    }

    // ---------------------------------------------------------------- maximum message size

    private static ServiceDispatcher dispatcher(String name, ServerMethod<?, ?>... methods) {
        return new ServiceDispatcher() {
            @Override
            public String serviceName() {
                return name;
            }

            @Override
            public List<ServerMethod<?, ?>> methods() {
                return List.of(methods);
            }
        };
    }

    /**
     * The builder's maximum, small enough to reach a stream element's limit too (the contract checks the default
     * 16 MiB on every transport).
     */
    @Test
    void messagesOverTheMaximumSizeAreResourceExhaustedInEitherDirection() {
        AtomicInteger handled = new AtomicInteger();
        loopback = Loopback.builder().maxMessageSize(64).build();
        loopback.server().serve(dispatcher("Text",
                ServerMethod.unary(7, "repeat", Codecs.STRING, Codecs.STRING, text -> {
                    handled.incrementAndGet();
                    return text.repeat(100);
                }),
                ServerMethod.serverStreaming(8, "grow", Codecs.I32, Codecs.STRING,
                        n -> RpcStream.generate(out -> {
                            for (int i = 1; i <= n; i++) {
                                out.send("x".repeat(i * 20));
                            }
                        }))));
        Loopback.Endpoint client = loopback.client();

        RpcException request = assertThrows(RpcException.class,
                () -> client.unary(7, "x".repeat(100), Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.RESOURCE_EXHAUSTED,
                "request of 103 bytes exceeds the maximum message size of 64 bytes", request);
        assertEquals(0, handled.get());

        RpcException response = assertThrows(RpcException.class,
                () -> client.unary(7, "abc", Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.RESOURCE_EXHAUSTED,
                "response of 302 bytes exceeds the maximum message size of 64 bytes", response);

        Iterator<String> grown = client.serverStreaming(8, 5, Codecs.I32, Codecs.STRING, CallOptions.DEFAULT)
                .iterator();
        assertEquals(20, grown.next().length());
        assertEquals(40, grown.next().length());
        assertEquals(60, grown.next().length());
        RpcException element = assertThrows(RpcException.class, grown::hasNext);
        assertRpcException(ErrorCode.RESOURCE_EXHAUSTED,
                "response stream element of 81 bytes exceeds the maximum message size of 64 bytes", element);

        assertEquals("", client.unary(7, "", Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT));
    }

    // ---------------------------------------------------------------- credits

    /**
     * The exact credit arithmetic under a 16-byte window, seen through the loopback's {@code blockedSenders} hook (the
     * contract checks the bound against a slow consumer on every transport).
     */
    @Test
    void creditsBoundAFastProducerAndAStalledStreamBlocksNoOtherCall() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        CalculatorClient calculator = serve(Loopback.builder().streamWindow(16).build(), new Arithmetic() {
            @Override
            public RpcStream<Long> countTo(long limit) {
                return RpcStream.generate(out -> {
                    for (long i = 1; i <= limit; i++) {
                        out.send(i);
                        sent.incrementAndGet();
                    }
                });
            }
        });
        Iterator<Long> counted = calculator.countTo(1000).iterator();
        awaitCondition(loopback::blockedSenders, 1);
        // 1..16 take one byte each: the window holds exactly 16 of them, and the 17th waits for credit
        assertEquals(16, sent.get());
        assertEquals(3, calculator.add(1, 2));
        assertEquals(List.of(1L, 3L, 6L), calculator.runningTotal(RpcStream.of(1L, 2L, 3L)).toList());
        assertEquals(16, sent.get());

        assertEquals(1L, counted.next());
        List<Long> rest = new ArrayList<>();
        counted.forEachRemaining(rest::add);
        assertEquals(LongStream.rangeClosed(2, 1000).boxed().collect(Collectors.toList()), rest);
        assertEquals(1000, sent.get());
    }

    /** As above, for a caller's request stream. */
    @Test
    void creditsBoundAFastCallerSendingRequests() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger sent = new AtomicInteger();
        CalculatorClient calculator = serve(Loopback.builder().streamWindow(16).build(), new Arithmetic() {
            @Override
            public RpcStream<Long> runningTotal(RpcStream<Long> requests) {
                return RpcStream.generate(out -> {
                    release.await();
                    long total = 0;
                    for (long n : requests) {
                        total += n;
                    }
                    out.send(total);
                });
            }
        });
        RpcStream<Long> totals = calculator.runningTotal(RpcStream.generate(out -> {
            for (long i = 1; i <= 100; i++) {
                out.send(i);
                sent.incrementAndGet();
            }
        }));
        // the request window is granted when the handler starts, so the sender may first wait with nothing sent
        awaitCondition(sent::get, 16);
        awaitCondition(loopback::blockedSenders, 1);
        assertEquals(16, sent.get());
        release.countDown();
        assertEquals(List.of(5050L), totals.toList());
        assertEquals(100, sent.get());
    }

    // ---------------------------------------------------------------- registration, closing

    /** Registration is each facade's API. */
    @Test
    void twoDispatchersSharingAMethodIdAreRefusedAtRegistration() {
        serve(new Arithmetic());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loopback.server().serve(dispatcher("other.Plus",
                        ServerMethod.unary(CalculatorDescriptor.ADD_ID, "plus", Codecs.I64, Codecs.I64, n -> n))));
        assertEquals("cannot serve other.Plus: method id 423600472 (plus) is already served by "
                + "io.rapace.calculator.Calculator (add)", e.getMessage());
        IllegalArgumentException twins = assertThrows(IllegalArgumentException.class,
                () -> loopback.server().serve(dispatcher("other.Twins",
                        ServerMethod.unary(5, "one", Codecs.I64, Codecs.I64, n -> n),
                        ServerMethod.unary(5, "two", Codecs.I64, Codecs.I64, n -> n))));
        assertEquals("cannot serve other.Twins: methods one and two share the id 5", twins.getMessage());
        assertEquals(3, new CalculatorClient(loopback.client()).add(1, 2));
    }

    /** The loopback's close ends every call at once and stops its threads; a session drains (the contract's GoAway). */
    @Test
    void closeEndsEveryCallWithSessionClosedAndStopsEveryThread() throws Exception {
        BlocksUntilCancelled handler = new BlocksUntilCancelled();
        CalculatorClient calculator = serve(handler);
        AtomicReference<RpcException> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                calculator.add(1, 2);
            } catch (RpcException e) {
                thrown.set(e);
            }
        }, "caller-during-close");
        caller.start();
        await(handler.started);
        Iterator<Long> totals = calculator.runningTotal(RpcStream.generate(out -> new CountDownLatch(1).await()))
                .iterator();

        loopback.close();
        caller.join();
        assertRpcException(ErrorCode.SESSION_CLOSED, "the session ended (LOCAL_CLOSE): the loopback was closed",
                thrown.get());
        assertTrue(handler.cancelledSeen.get());
        assertRpcException(ErrorCode.SESSION_CLOSED, "the session ended (LOCAL_CLOSE): the loopback was closed",
                assertThrows(RpcException.class, totals::hasNext));
        assertEquals(List.of(), liveThreads(loopback.threadPrefix()));
        assertRpcException(ErrorCode.SESSION_CLOSED, "the session ended (LOCAL_CLOSE): the loopback was closed",
                assertThrows(RpcException.class, () -> calculator.add(1, 2)));
    }
}
