package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.calculator.Calculator;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.calculator.Stats;
import io.rapace.codec.Codecs;
import io.rapace.codec.Unit;
import io.rapace.testing.ExpectedLogs;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
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
 * The loopback, driven through the hand-written {@code Calculator} exactly as generated code will drive any
 * transport. Waits are for conditions, never for time; the class timeout only guards against hangs.
 */
@Timeout(60)
class LoopbackTest {
    /** Handler failures are logged on the serving side; the tests that provoke them expect the line. */
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    private Loopback loopback;

    /** Adds, totals, counts and keeps running totals; tests override a method to change one behaviour. */
    static class Arithmetic implements Calculator {
        @Override
        public long add(long a, long b) {
            return a + b;
        }

        @Override
        public Stats sum(RpcStream<Long> requests) {
            int count = 0;
            long sum = 0;
            for (long n : requests) {
                count++;
                sum += n;
            }
            return new Stats(count, sum);
        }

        @Override
        public RpcStream<Long> countTo(long limit) {
            return RpcStream.generate(out -> {
                for (long i = 1; i <= limit; i++) {
                    out.send(i);
                }
            });
        }

        @Override
        public RpcStream<Long> runningTotal(RpcStream<Long> requests) {
            return RpcStream.generate(out -> {
                long total = 0;
                for (long n : requests) {
                    total += n;
                    out.send(total);
                }
            });
        }
    }

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

    // ---------------------------------------------------------------- the four call shapes

    @Test
    void unaryCallReturnsTheResponse() {
        CalculatorClient calculator = serve(new Arithmetic());
        assertEquals(42, calculator.add(40, 2));
        assertEquals(Long.MIN_VALUE, calculator.add(Long.MAX_VALUE, 1));
    }

    @Test
    void asyncUnaryCallCompletesTheFuture() {
        CalculatorClient calculator = serve(new Arithmetic());
        assertEquals(42L, calculator.addAsync(40, 2).join());
    }

    @Test
    void clientStreamingCallTotalsEveryRequest() {
        CalculatorClient calculator = serve(new Arithmetic());
        assertEquals(new Stats(3, 6), calculator.sum(RpcStream.of(1L, 2L, 3L)));
        assertEquals(new Stats(0, 0), calculator.sum(RpcStream.of()));
    }

    @Test
    void serverStreamingCallDeliversEveryResponseInOrder() {
        CalculatorClient calculator = serve(new Arithmetic());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), calculator.countTo(5).toList());
        assertEquals(List.of(), calculator.countTo(0).toList());
    }

    @Test
    void bidiStreamingCallAnswersEveryRequest() {
        CalculatorClient calculator = serve(new Arithmetic());
        assertEquals(List.of(1L, 3L, 6L, 10L), calculator.runningTotal(RpcStream.of(1L, 2L, 3L, 4L)).toList());
    }

    @Test
    void bidiStreamingRequestsAndResponsesInterleave() throws Exception {
        CalculatorClient calculator = serve(new Arithmetic());
        BlockingQueue<Long> toSend = new LinkedBlockingQueue<>();
        RpcStream<Long> requests = RpcStream.generate(out -> {
            for (long n = toSend.take(); n != 0; n = toSend.take()) {
                out.send(n);
            }
        });
        Iterator<Long> totals = calculator.runningTotal(requests).iterator();
        toSend.add(5L);
        assertEquals(5L, totals.next());
        toSend.add(10L);
        assertEquals(15L, totals.next());
        toSend.add(0L);
        assertFalse(totals.hasNext());
    }

    @Test
    void manyCallsAtOnceEachGetTheirOwnAnswer() throws Exception {
        CalculatorClient calculator = serve(new Arithmetic());
        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(calculator.addAsync(i, 1000));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(i + 1000L, answers.get(i).get());
        }
    }

    // ---------------------------------------------------------------- what crosses, and where handlers run

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

    @Test
    void handlerSeesTheCallersMetadataIdentityAndDeadline() {
        AtomicReference<CallContext> seen = new AtomicReference<>();
        CalculatorClient calculator = serve(Loopback.builder().clientId("host").serverId("plugin-7").build(),
                new Arithmetic() {
                    @Override
                    public long add(long a, long b) {
                        seen.set(CallContext.current());
                        return a + b;
                    }
                });
        calculator.withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30))
                .withMetadata("trace", new byte[] {7}).withMetadata("trace", new byte[] {8}))
                .add(1, 2);
        CallContext context = seen.get();
        assertEquals(CalculatorDescriptor.ADD_ID, context.methodId());
        assertEquals("host", context.peerId());
        assertEquals(List.of(new MetadataEntry("trace", new byte[] {7}), new MetadataEntry("trace", new byte[] {8})),
                context.metadata());
        Duration remaining = context.remaining().orElseThrow();
        assertTrue(remaining.compareTo(Duration.ofSeconds(30)) <= 0, remaining.toString());
        assertFalse(context.isCancelled());
        assertEquals(loopback.server(), context.peerChannel());
        assertThrows(IllegalStateException.class, CallContext::current);
    }

    @Test
    void callWithoutDeadlineHasNoneOnTheHandlerSide() {
        AtomicReference<CallContext> seen = new AtomicReference<>();
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public long add(long a, long b) {
                seen.set(CallContext.current());
                return a + b;
            }
        });
        calculator.add(1, 2);
        assertEquals(Optional.empty(), seen.get().remaining());
        assertEquals(List.of(), seen.get().metadata());
    }

    // ---------------------------------------------------------------- deadlines and cancellation

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

    @Test
    void deadlineExceededFailsTheCallAndCancelsTheHandler() throws Exception {
        BlocksUntilCancelled handler = new BlocksUntilCancelled();
        CalculatorClient calculator = serve(handler)
                .withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(50)));
        RpcException e = assertThrows(RpcException.class, () -> calculator.add(1, 2));
        assertRpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline of 50 ms exceeded", e);
        assertEquals("io.rapace.rpc.RpcException: DEADLINE_EXCEEDED (2): deadline of 50 ms exceeded", e.toString());
        await(handler.finished);
        assertTrue(handler.interrupted.get());
        assertTrue(handler.cancelledSeen.get());
        assertTrue(handler.callbackRan.get());
        assertEquals(List.of(1L, 2L), calculator.withOptions(CallOptions.DEFAULT).countTo(2).toList());
    }

    @Test
    void deadlineBoundsTheWholeStream() {
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public RpcStream<Long> countTo(long limit) {
                return RpcStream.generate(out -> {
                    out.send(1L);
                    out.send(2L);
                    new CountDownLatch(1).await();
                });
            }
        }).withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)));
        Iterator<Long> counted = calculator.countTo(10).iterator();
        assertEquals(1L, counted.next());
        assertEquals(2L, counted.next());
        RpcException e = assertThrows(RpcException.class, counted::hasNext);
        assertRpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline of 1000 ms exceeded", e);
    }

    @Test
    void expiredDeadlineFailsBeforeAnythingIsSent() {
        AtomicInteger calls = new AtomicInteger();
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public long add(long a, long b) {
                calls.incrementAndGet();
                return a + b;
            }
        }).withOptions(CallOptions.DEFAULT.withTimeout(Duration.ZERO));
        RpcException e = assertThrows(RpcException.class, () -> calculator.add(1, 2));
        assertRpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline exceeded before the call started", e);
        assertEquals(0, calls.get());
    }

    @Test
    void cancellingAResponseStreamReachesTheHandler() throws Exception {
        CountDownLatch producerStopped = new CountDownLatch(1);
        AtomicReference<RpcException> producerSaw = new AtomicReference<>();
        AtomicBoolean contextCancelled = new AtomicBoolean();
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public RpcStream<Long> countTo(long limit) {
                CallContext context = CallContext.current();
                return RpcStream.generate(out -> {
                    try {
                        for (long i = 1; ; i++) {
                            out.send(i);
                        }
                    } catch (RpcException e) {
                        producerSaw.set(e);
                        contextCancelled.set(context.isCancelled());
                        throw e;
                    } finally {
                        producerStopped.countDown();
                    }
                });
            }
        });
        RpcStream<Long> counted = calculator.countTo(Long.MAX_VALUE);
        Iterator<Long> it = counted.iterator();
        assertEquals(List.of(1L, 2L, 3L), List.of(it.next(), it.next(), it.next()));
        counted.cancel();
        await(producerStopped);
        assertRpcException(ErrorCode.CANCELLED, "cancelled by the caller", producerSaw.get());
        assertTrue(contextCancelled.get());
        RpcException e = assertThrows(RpcException.class, it::hasNext);
        assertRpcException(ErrorCode.CANCELLED, "cancelled by the caller", e);
    }

    @Test
    void cancellingTheFutureOfAnAsyncCallCancelsTheHandler() throws Exception {
        BlocksUntilCancelled handler = new BlocksUntilCancelled();
        CalculatorClient calculator = serve(handler);
        CompletableFuture<Long> answer = calculator.addAsync(1, 2);
        await(handler.started);
        assertTrue(answer.cancel(true));
        await(handler.finished);
        assertTrue(handler.interrupted.get());
        assertTrue(handler.cancelledSeen.get());
        assertThrows(CancellationException.class, answer::join);
    }

    @Test
    void interruptingABlockedCallerCancelsTheCall() throws Exception {
        BlocksUntilCancelled handler = new BlocksUntilCancelled();
        CalculatorClient calculator = serve(handler);
        AtomicReference<RpcException> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                calculator.add(1, 2);
            } catch (RpcException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        }, "interrupted-caller");
        caller.start();
        await(handler.started);
        caller.interrupt();
        caller.join();
        await(handler.finished);
        assertRpcException(ErrorCode.CANCELLED, "cancelled: the calling thread was interrupted", thrown.get());
        assertTrue(stillInterrupted.get());
        assertTrue(handler.cancelledSeen.get());
    }

    @Test
    void handlerCancellingItsRequestStreamCancelsTheCall() {
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public Stats sum(RpcStream<Long> requests) {
                requests.cancel();
                return new Stats(0, 0);
            }
        });
        RpcException e = assertThrows(RpcException.class,
                () -> calculator.sum(RpcStream.generate(out -> {
                    for (long i = 0; ; i++) {
                        out.send(i);
                    }
                })));
        assertRpcException(ErrorCode.CANCELLED, "cancelled by the handler", e);
    }

    @Test
    void handlerAnsweringBeforeReadingEveryRequestEndsTheCall() {
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public Stats sum(RpcStream<Long> requests) {
                Iterator<Long> it = requests.iterator();
                return new Stats(1, it.next());
            }
        });
        assertEquals(new Stats(1, 7), calculator.sum(RpcStream.generate(out -> {
            for (long i = 7; ; i++) {
                out.send(i);
            }
        })));
    }

    // ---------------------------------------------------------------- errors

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
     * purpose is an answer, not a fault, and is not logged.
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

    @Test
    void rpcExceptionFromAHandlerKeepsItsCode() {
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public long add(long a, long b) {
                throw new RpcException(ErrorCode.NOT_FOUND, "no such number: " + a);
            }
        });
        RpcException e = assertThrows(RpcException.class, () -> calculator.add(5, 1));
        assertRpcException(ErrorCode.NOT_FOUND, "no such number: 5", e);
    }

    @Test
    void producerFailingMidStreamFailsTheStreamAfterWhatItSent() {
        CalculatorClient calculator = serve(new Arithmetic() {
            @Override
            public RpcStream<Long> countTo(long limit) {
                return RpcStream.generate(out -> {
                    out.send(1L);
                    throw new ArithmeticException("overflow");
                });
            }
        });
        Iterator<Long> counted = calculator.countTo(3).iterator();
        assertEquals(1L, counted.next());
        RpcException e = assertThrows(RpcException.class, counted::hasNext);
        assertRpcException(ErrorCode.INTERNAL, "count_to failed: java.lang.ArithmeticException: overflow", e);
        logs.expect(Level.WARNING, "handler of count_to (");
    }

    @Test
    void unknownMethodIdIsUnimplemented() {
        serve(new Arithmetic());
        RpcException e = assertThrows(RpcException.class,
                () -> loopback.client().unary(424242, Unit.UNIT, Codecs.UNIT, Codecs.UNIT, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.UNIMPLEMENTED, "server serves no method with id 424242 (called by client)", e);
    }

    @Test
    void callWithAnotherShapeThanServedIsUnimplemented() {
        serve(new Arithmetic());
        RpcException e = assertThrows(RpcException.class, () -> loopback.client().unary(
                CalculatorDescriptor.COUNT_TO_ID, 3L, Codecs.I64, Codecs.I64, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.UNIMPLEMENTED,
                "method 749004473 (count_to) is SERVER_STREAMING but was called as UNARY", e);
    }

    @Test
    void requestThatDoesNotDecodeIsInvalidArgument() {
        serve(new Arithmetic());
        RpcException e = assertThrows(RpcException.class, () -> loopback.client().unary(
                CalculatorDescriptor.ADD_ID, 1L, Codecs.I64, Codecs.I64, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.INVALID_ARGUMENT,
                "request does not decode: truncated at offset 1: input ends inside i64", e);
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

    @Test
    void defaultMaximumMessageSizeIs16MiB() {
        loopback = Loopback.create();
        loopback.server().serve(dispatcher("Size",
                ServerMethod.unary(9, "length", Codecs.BYTES, Codecs.I32, bytes -> bytes.length)));
        Loopback.Endpoint client = loopback.client();
        // the opening frame: a 2-byte call header, a 4-byte length prefix and 16 MiB - 6 bytes: exactly 16 MiB
        assertEquals(16 * 1024 * 1024 - 6, client.unary(9, new byte[16 * 1024 * 1024 - 6], Codecs.BYTES, Codecs.I32,
                CallOptions.DEFAULT));
        RpcException e = assertThrows(RpcException.class, () -> client.unary(9, new byte[16 * 1024 * 1024 - 3],
                Codecs.BYTES, Codecs.I32, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.RESOURCE_EXHAUSTED,
                "request of 16777219 bytes exceeds the maximum message size of 16777216 bytes", e);
    }

    // ---------------------------------------------------------------- credits

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

    // ---------------------------------------------------------------- registration, nesting, closing

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

    @Test
    void handlerCallsBackIntoTheCallersServicesWithTheInheritedDeadline() {
        AtomicReference<CallContext> inner = new AtomicReference<>();
        loopback = Loopback.builder().clientId("host").serverId("plugin").build();
        loopback.client().serve(dispatcher("host.Storage",
                ServerMethod.unary(1001, "Storage.get", Codecs.STRING, Codecs.STRING, key -> {
                    inner.set(CallContext.current());
                    return "value of " + key;
                })));
        loopback.server().serve(dispatcher("plugin.Plugin",
                ServerMethod.unary(2001, "process", Codecs.STRING, Codecs.STRING, key ->
                        "processed " + CallContext.current().peerChannel().unary(1001, key, Codecs.STRING,
                                Codecs.STRING, CallOptions.DEFAULT))));
        String answer = loopback.client().unary(2001, "cache_key", Codecs.STRING, Codecs.STRING,
                CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
        assertEquals("processed value of cache_key", answer);
        assertEquals("plugin", inner.get().peerId());
        assertTrue(inner.get().remaining().orElseThrow().compareTo(Duration.ofSeconds(30)) < 0);
    }

    @Test
    void nestedCallsGoSixteenDeepAndNoFurther() {
        try (Loopback pair = Loopback.create()) {
            pair.server().serve(new Probe());
            pair.client().serve(new Probe());
            assertEquals(16, pair.client().unary(Probe.NEST, 16, Codecs.U32, Codecs.U32, CallOptions.DEFAULT));
            RpcException e = assertThrows(RpcException.class, () -> pair.client().unary(Probe.NEST, 17, Codecs.U32,
                    Codecs.U32, CallOptions.DEFAULT));
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
            assertTrue(e.getMessage().contains("depth 17 exceeds the limit of 16"), e.getMessage());
        }
    }

    @Test
    void nestedCallIsCancelledWithTheCallItWasMadeFor() throws Exception {
        BlocksUntilCancelled host = new BlocksUntilCancelled();
        loopback = Loopback.create();
        loopback.client().serve(new CalculatorDispatcher(host));
        loopback.server().serve(dispatcher("plugin.Plugin",
                ServerMethod.unary(2001, "process", Codecs.UNIT, Codecs.I64, unit ->
                        new CalculatorClient(CallContext.current().peerChannel()).add(1, 2))));
        CompletableFuture<Long> outer = loopback.client().unaryAsync(2001, Unit.UNIT, Codecs.UNIT, Codecs.I64,
                CallOptions.DEFAULT);
        await(host.started);
        outer.cancel(true);
        await(host.finished);
        assertTrue(host.cancelledSeen.get());
    }

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
