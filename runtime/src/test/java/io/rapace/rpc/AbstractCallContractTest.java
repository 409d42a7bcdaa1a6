package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.calculator.Stats;
import io.rapace.codec.Codecs;
import io.rapace.codec.Unit;
import io.rapace.config.Limits;
import io.rapace.registry.MethodDescriptor;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.registry.TypeSchema;
import io.rapace.testing.ExpectedLogs;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The call semantics every transport keeps, stated once at the {@link CallChannel} level: every call shape both ways,
 * the handler's context, deadlines and cancellation both ways, handler errors, unknown methods and wrong shapes,
 * nesting to 16 and the error at 17, GoAway's drain, the peer's death, credit against a slow consumer in each
 * direction, large messages and introspection. A subclass connects this side ({@code host}) to a peer
 * ({@code child}); each side serves a {@link Probe} and the calculator, with handlers on the executor kind the
 * subclass names. Subclasses: the in-memory transport ({@link LoopbackCallContractTest}) and two JVMs over shared
 * memory on each memory backend ({@code *SessionCallContractProcessTest}), each also with virtual-thread handlers
 * on JDK 21+; and gRPC, in-process and across two JVMs over Netty ({@code *GrpcCallContract*Test} in rapace-grpc),
 * which excludes by name, each with its reason, the cases that cannot hold over gRPC.
 *
 * <p>What a case observes on the peer it asks the peer's Probe by a call, so no case assumes the two sides share a
 * process. Every wait is for a condition, bounded by {@link #GUARD} against hangs, never a speed target.
 */
@Timeout(120)
abstract class AbstractCallContractTest {
    static final Duration GUARD = Duration.ofSeconds(60);
    /** The stream window both sides use (the transports' default). */
    static final int WINDOW = Limits.DEFAULT_STREAM_WINDOW;
    static final int MAX_MESSAGE = 16 * 1024 * 1024;

    /** Handler failures are logged on the serving side, which may be this JVM; the cases take those lines. */
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    /** This side ({@code host}) connected to the peer ({@code child}); each serves a Probe and the calculator. */
    interface Connection {
        /** This side's channel to the peer. */
        CallChannel channel();

        /** The Probe this side serves: the peer's calls back reach it. */
        Probe local();

        /** The peer's introspection, as this side asks for it. */
        PeerIntrospection introspection();

        /** The peer dies without a word (SIGKILL, a dropped connection); returns once it is gone. */
        void killPeer() throws Exception;

        /** This side closes in order (GoAway, drain, close) and returns once closed. */
        void close();
    }

    /** Introspection of the peer's services, as each transport offers it. */
    interface PeerIntrospection {
        List<String> listServices(Duration timeout);

        ServiceDescriptor getService(String name, Duration timeout);

        MethodDescriptor getMethod(int methodId, Duration timeout);

        TypeSchema getSchema(String typeName, Duration timeout);

        ServiceRegistry fetchRegistry(Duration timeout);
    }

    /** Where handlers run on both sides in this run. */
    abstract HandlerExecutors executors();

    /**
     * A connection the cases that leave it usable share; the subclass may reuse one across cases, and closes it.
     */
    abstract Connection shared() throws Exception;

    /** A connection for this case alone (it kills or closes it); the subclass reclaims it after the case. */
    abstract Connection fresh() throws Exception;

    /**
     * Waits for the warning the peer of the shared connection logged that contains {@code text} (a handler that threw
     * there, say), takes it out of what the build prints and returns it: the peer may be this JVM or a child.
     */
    abstract String peerWarning(String text) throws Exception;

    /**
     * The most elements a COUNT producer may send ahead of a caller that stopped reading: one window of 1..3-byte
     * elements and one more, on a rapace session; a transport with its own flow control (gRPC's HTTP/2 window) says
     * its own bound.
     */
    long mostSentAheadOfAStalledReader() {
        return WINDOW + 1;
    }

    /**
     * Waits until a caller's request stream to a handler that stopped reading is held back (after the handler took
     * the first request): at exactly one window of credit on a rapace session.
     */
    void awaitRequestsHeldBack(AtomicReference<Thread> sender, LongSupplier sent) throws InterruptedException {
        awaitHeldBackAt(elementsInOneWindow(1), sender, sent);
    }

    /** What a request's size counts besides its body when it is checked against the maximum: the call header. */
    int requestHeaderBytes() {
        return 2;
    }

    private CallChannel channel() throws Exception {
        return shared().channel();
    }

    static String echo(CallChannel channel, String text) {
        return channel.unary(Probe.ECHO, text, Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT);
    }

    static void assertRpcException(ErrorCode code, String message, RpcException e) {
        assertEquals(code, e.code(), e.toString());
        assertEquals(code.value(), e.rawCode());
        assertEquals(message, e.getMessage());
    }

    /** The RpcException a failed future holds. */
    static RpcException failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("the call did not fail");
        } catch (ExecutionException e) {
            return assertInstanceOf(RpcException.class, e.getCause());
        }
    }

    /** Calls echo until a call is refused (the channel is closing): the refusal, waited for within {@link #GUARD}. */
    static RpcException awaitRefusal(CallChannel channel) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (System.nanoTime() < until) {
            try {
                echo(channel, "late");
                Thread.sleep(1);
            } catch (RpcException e) {
                return e;
            }
        }
        throw new AssertionError("no call was refused within " + GUARD);
    }

    /** What the peer's Probe saw at its last cancellation, waiting until it saw one. */
    static String awaitPeerCancellation(CallChannel channel) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        String seen;
        do {
            seen = channel.unary(Probe.LAST_CANCELLATION, Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT);
            if (!seen.equals("none")) {
                return seen;
            }
            Thread.sleep(2);
        } while (System.nanoTime() < until);
        return seen;
    }

    /** What this side's Probe saw at its last cancellation, waiting until it saw one. */
    static String awaitLocalCancellation(Probe probe) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (probe.lastCancellation.get().equals("none") && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        return probe.lastCancellation.getAndSet("none");
    }

    /**
     * How many of the u64 elements {@code first}, {@code first + 1}, ... a sender granted one {@link #WINDOW} sends
     * before it waits: it may send while it has sent fewer bytes than granted (docs/rpc.md), and each element is its
     * varint.
     */
    static long elementsInOneWindow(long first) {
        long bytes = 0;
        long n = 0;
        for (long v = first; bytes < WINDOW; v++, n++) {
            bytes += v < 1L << 7 ? 1 : v < 1L << 14 ? 2 : 3;
        }
        return n;
    }

    /**
     * Waits until {@code sent} reaches {@code bound} with {@code sender} waiting (for credit); then checks, a little
     * later, that it went no further. A sender waiting for room in the transport (a full ring) never counts: only the
     * count that credit allows does.
     */
    static void awaitHeldBackAt(long bound, AtomicReference<Thread> sender, LongSupplier sent)
            throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (System.nanoTime() < until) {
            Thread thread = sender.get();
            boolean parked = thread != null && (thread.getState() == Thread.State.WAITING
                    || thread.getState() == Thread.State.TIMED_WAITING);
            long now = sent.getAsLong();
            assertTrue(now <= bound, "the sender went past its credit: " + now + " elements, " + bound + " allowed");
            if (parked && now == bound) {
                Thread.sleep(50);
                assertEquals(bound, sent.getAsLong(), "the sender went past its credit");
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the sender did not reach its credit of " + bound + " elements within " + GUARD
                + "; sent " + sent.getAsLong());
    }

    // ---------------------------------------------------------------- every call shape, both ways

    @Test
    void everyKindFromThisSideWithTheGeneratedClient() throws Exception {
        CalculatorClient calculator = new CalculatorClient(channel());
        assertEquals(42, calculator.add(40, 2));
        assertEquals(Long.MIN_VALUE, calculator.add(Long.MAX_VALUE, 1));
        assertEquals(42L, calculator.addAsync(40, 2).get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals(new Stats(3, 6), calculator.sum(RpcStream.of(1L, 2L, 3L)));
        assertEquals(new Stats(0, 0), calculator.sum(RpcStream.of()));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), calculator.countTo(5).toList());
        assertEquals(List.of(), calculator.countTo(0).toList());
        assertEquals(List.of(1L, 3L, 6L, 10L), calculator.runningTotal(RpcStream.of(1L, 2L, 3L, 4L)).toList());
        assertEquals(List.of(), calculator.runningTotal(RpcStream.of()).toList());
    }

    @Test
    void everyKindFromThePeerBackToThisSide() throws Exception {
        assertEquals("hi sum=6 count=[0, 1, 2] double=[10, 12]", channel().unary(Probe.CALL_BACK, "hi",
                Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT));
    }

    @Test
    void bidiRequestsAndResponsesInterleave() throws Exception {
        CalculatorClient calculator = new CalculatorClient(channel());
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
        CallChannel channel = channel();
        CalculatorClient calculator = new CalculatorClient(channel);
        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(calculator.addAsync(i, 1000));
        }
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(callers.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 100; i++) {
                        String text = thread + ":" + i;
                        ok += echo(channel, text).equals(text) ? 1 : 0;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(100, result.get(GUARD.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(i + 1000L, answers.get(i).get(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void bothSidesCallEachOtherAtOnce() throws Exception {
        CallChannel channel = channel();
        CompletableFuture<Integer> fromPeer = channel.unaryAsync(Probe.HAMMER, 500, Codecs.U32, Codecs.U32,
                CallOptions.DEFAULT);
        for (int i = 0; i < 500; i++) {
            assertEquals("p" + i, echo(channel, "p" + i));
        }
        assertEquals(500, fromPeer.get(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- the handler's context and thread

    @Test
    void handlerSeesTheCallersIdentityMetadataAndDeadline() throws Exception {
        CallChannel channel = channel();
        assertEquals("peer=host depth=1 metadata=trace=[7],trace=[8] deadline=set cancelled=false",
                channel.unary(Probe.CONTEXT, Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT
                        .withTimeout(Duration.ofSeconds(30))
                        .withMetadata("trace", new byte[] {7}).withMetadata("trace", new byte[] {8})));
        assertEquals("peer=host depth=1 metadata= deadline=none cancelled=false",
                channel.unary(Probe.CONTEXT, Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT));
    }

    @Test
    void aNestedCallInheritsTheDeadlineAndSeesItsCallerAsThePeer() throws Exception {
        CallChannel channel = channel();
        assertEquals("peer=child depth=2 metadata= deadline=set cancelled=false",
                channel.unary(Probe.PEER_CONTEXT, Unit.UNIT, Codecs.UNIT, Codecs.STRING,
                        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)).withMetadata("trace", new byte[1])));
        assertEquals("peer=child depth=2 metadata= deadline=none cancelled=false",
                channel.unary(Probe.PEER_CONTEXT, Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT));
    }

    @Test
    void handlersRunOnTheConfiguredExecutorOnBothSides() throws Exception {
        String expected = executors() == HandlerExecutors.VIRTUAL_THREADS ? "virtual" : "platform";
        CallChannel channel = channel();
        assertEquals(expected, channel.unary(Probe.HANDLER_THREAD, Unit.UNIT, Codecs.UNIT, Codecs.STRING,
                CallOptions.DEFAULT));
        assertEquals(expected, channel.unary(Probe.PEER_HANDLER_THREAD, Unit.UNIT, Codecs.UNIT, Codecs.STRING,
                CallOptions.DEFAULT));
    }

    // ---------------------------------------------------------------- deadlines, both ways

    @Test
    void deadlineExceededFailsTheCallAndCancelsThePeersHandler() throws Exception {
        CallChannel channel = channel();
        RpcException e = assertThrows(RpcException.class, () -> channel.unary(Probe.SLEEP, 20_000L, Codecs.U64,
                Codecs.STRING, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200))));
        assertRpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline of 200 ms exceeded", e);
        assertEquals("DEADLINE_EXCEEDED interrupted, onCancel ran", awaitPeerCancellation(channel));
        assertEquals("after", echo(channel, "after"));
    }

    @Test
    void deadlineOfThePeersCallCancelsThisSidesHandler() throws Exception {
        Connection connection = shared();
        assertEquals("DEADLINE_EXCEEDED", connection.channel().unary(Probe.CALL_PEER_SLEEP, 20_000L, Codecs.U64,
                Codecs.STRING, CallOptions.DEFAULT));
        assertEquals("DEADLINE_EXCEEDED interrupted, onCancel ran", awaitLocalCancellation(connection.local()));
    }

    @Test
    void deadlineBoundsTheWholeStream() throws Exception {
        CallChannel channel = channel();
        Iterator<Long> ticks = channel.serverStreaming(Probe.TICK, 2, Codecs.U32, Codecs.U64,
                CallOptions.DEFAULT.withTimeout(Duration.ofMillis(500))).iterator();
        assertEquals(0L, ticks.next());
        assertEquals(1L, ticks.next());
        RpcException e = assertThrows(RpcException.class, ticks::hasNext);
        assertRpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline of 500 ms exceeded", e);
        assertEquals("cancelled while ticking", awaitPeerCancellation(channel));
    }

    @Test
    void expiredDeadlineFailsBeforeAnythingIsSent() throws Exception {
        CallChannel channel = channel();
        RpcException e = assertThrows(RpcException.class, () -> channel.unary(Probe.SLEEP, 20_000L, Codecs.U64,
                Codecs.STRING, CallOptions.DEFAULT.withTimeout(Duration.ZERO)));
        assertRpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline exceeded before the call started", e);
    }

    // ---------------------------------------------------------------- cancellation, both ways

    @Test
    void cancellingTheFutureOfAnAsyncCallCancelsThePeersHandler() throws Exception {
        CallChannel channel = channel();
        CompletableFuture<String> call = channel.unaryAsync(Probe.SLEEP, 20_000L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        Probe.awaitSleeping(channel);
        assertTrue(call.cancel(true));
        assertThrows(CancellationException.class, call::join);
        assertEquals("CANCELLED interrupted, onCancel ran", awaitPeerCancellation(channel));
    }

    @Test
    void interruptingABlockedCallerCancelsTheCall() throws Exception {
        CallChannel channel = channel();
        AtomicReference<RpcException> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                channel.unary(Probe.SLEEP, 20_000L, Codecs.U64, Codecs.STRING, CallOptions.DEFAULT);
            } catch (RpcException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        }, "interrupted-caller");
        caller.start();
        Probe.awaitSleeping(channel);
        caller.interrupt();
        caller.join(GUARD.toMillis());
        assertNotNull(thrown.get(), "the interrupted call did not fail");
        assertRpcException(ErrorCode.CANCELLED, "cancelled: the calling thread was interrupted", thrown.get());
        assertTrue(stillInterrupted.get(), "the interrupt flag stays set");
        assertEquals("CANCELLED interrupted, onCancel ran", awaitPeerCancellation(channel));
    }

    @Test
    void cancellingAResponseStreamReachesTheProducer() throws Exception {
        CallChannel channel = channel();
        RpcStream<Long> counted = channel.serverStreaming(Probe.COUNT, 1_000_000, Codecs.U32, Codecs.U64,
                CallOptions.DEFAULT);
        Iterator<Long> it = counted.iterator();
        assertEquals(List.of(0L, 1L, 2L), List.of(it.next(), it.next(), it.next()));
        counted.cancel();
        assertRpcException(ErrorCode.CANCELLED, "cancelled by the caller", assertThrows(RpcException.class,
                it::hasNext));
        assertEquals("CANCELLED while counting, cancelled=true", awaitPeerCancellation(channel));
    }

    @Test
    void cancellationByThePeerReachesThisSidesHandler() throws Exception {
        Connection connection = shared();
        assertEquals("cancelled true", connection.channel().unary(Probe.CANCEL_PEER_SLEEP, Unit.UNIT, Codecs.UNIT,
                Codecs.STRING, CallOptions.DEFAULT));
        assertEquals("CANCELLED interrupted, onCancel ran", awaitLocalCancellation(connection.local()));
    }

    @Test
    void handlerCancellingItsRequestStreamCancelsTheCall() throws Exception {
        CallChannel channel = channel();
        RpcException e = assertThrows(RpcException.class, () -> channel.clientStreaming(Probe.REFUSE,
                RpcStream.generate(out -> {
                    for (long i = 0; ; i++) {
                        out.send(i);
                    }
                }), Codecs.U64, Codecs.U64, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.CANCELLED, "cancelled by the handler", e);
    }

    /** A producer may hand its sender to other threads: each element still goes exactly once (distinct values). */
    @Test
    void aStreamSenderSharedByTwoThreadsSendsEveryElementOnce() throws Exception {
        int n = 3_000;
        long sum = channel().clientStreaming(Probe.SUM, RpcStream.generate(out -> {
            Thread other = new Thread(() -> {
                for (long i = 1; i <= n; i++) {
                    out.send(i);
                }
            });
            other.start();
            for (long i = 1; i <= n; i++) {
                out.send(1_000_000L * i);
            }
            other.join();
        }), Codecs.U64, Codecs.U64, CallOptions.DEFAULT);
        long each = (long) n * (n + 1) / 2;
        assertEquals(each + 1_000_000L * each, sum);
    }

    @Test
    void handlerAnsweringBeforeReadingEveryRequestEndsTheCall() throws Exception {
        assertEquals(7L, channel().clientStreaming(Probe.FIRST, RpcStream.generate(out -> {
            for (long i = 7; ; i++) {
                out.send(i);
            }
        }), Codecs.U64, Codecs.U64, CallOptions.DEFAULT));
    }

    @Test
    void aNestedCallIsCancelledWithTheCallItWasMadeFor() throws Exception {
        Connection connection = shared();
        CompletableFuture<Unit> outer = connection.channel().unaryAsync(Probe.BLOCK_PEER, Unit.UNIT, Codecs.UNIT,
                Codecs.UNIT, CallOptions.DEFAULT);
        assertTrue(connection.local().blocked.tryAcquire(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertTrue(outer.cancel(true));
        assertEquals("cancelled while blocked", awaitLocalCancellation(connection.local()));
    }

    // ---------------------------------------------------------------- errors

    @Test
    void handlerExceptionIsInternalAndTheConnectionGoesOn() throws Exception {
        CallChannel channel = channel();
        RpcException e = assertThrows(RpcException.class, () -> channel.unary(Probe.FAIL, "boom", Codecs.STRING,
                Codecs.STRING, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.INTERNAL, "fail failed: java.lang.IllegalStateException: boom", e);
        assertTrue(peerWarning("handler of fail (").contains("the caller gets INTERNAL")); // where the handler ran
        assertEquals("after", echo(channel, "after"));
    }

    @Test
    void rpcExceptionFromAHandlerKeepsItsCode() throws Exception {
        RpcException e = assertThrows(RpcException.class, () -> channel().unary(Probe.NOT_FOUND, "x", Codecs.STRING,
                Codecs.STRING, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.NOT_FOUND, "no such thing: x", e);
    }

    @Test
    void producerFailingMidStreamFailsTheStreamAfterWhatItSent() throws Exception {
        Iterator<Long> it = channel().serverStreaming(Probe.BREAK, 3, Codecs.U32, Codecs.U64, CallOptions.DEFAULT)
                .iterator();
        assertEquals(1L, it.next());
        RpcException e = assertThrows(RpcException.class, it::hasNext);
        assertRpcException(ErrorCode.INTERNAL, "break failed: java.lang.ArithmeticException: overflow", e);
        assertTrue(peerWarning("handler of break (").contains("the caller gets INTERNAL"));
    }

    @Test
    void unknownMethodIdIsUnimplemented() throws Exception {
        CallChannel channel = channel();
        RpcException e = assertThrows(RpcException.class,
                () -> channel.unary(424242, Unit.UNIT, Codecs.UNIT, Codecs.UNIT, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.UNIMPLEMENTED, "child serves no method with id 424242 (called by host)", e);
        assertEquals("after", echo(channel, "after"));
    }

    @Test
    void callWithAnotherShapeThanServedIsUnimplemented() throws Exception {
        CallChannel channel = channel();
        RpcException e = assertThrows(RpcException.class, () -> channel.serverStreaming(Probe.ECHO, "x",
                Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT).toList());
        assertRpcException(ErrorCode.UNIMPLEMENTED, "method 101 (echo) is UNARY but was called as SERVER_STREAMING",
                e);
        RpcException unary = assertThrows(RpcException.class, () -> channel.unary(CalculatorDescriptor.COUNT_TO_ID,
                3L, Codecs.I64, Codecs.I64, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.UNIMPLEMENTED,
                "method 749004473 (count_to) is SERVER_STREAMING but was called as UNARY", unary);
        assertEquals("after", echo(channel, "after"));
    }

    @Test
    void requestThatDoesNotDecodeIsInvalidArgument() throws Exception {
        RpcException e = assertThrows(RpcException.class, () -> channel().unary(CalculatorDescriptor.ADD_ID, 1L,
                Codecs.I64, Codecs.I64, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.INVALID_ARGUMENT,
                "request does not decode: truncated at offset 1: input ends inside i64", e);
    }

    // ---------------------------------------------------------------- nesting

    @Test
    void nestedCallsGoSixteenDeepAndTheSeventeenthFails() throws Exception {
        CallChannel channel = channel();
        assertEquals(16, channel.unary(Probe.NEST, 16, Codecs.U32, Codecs.U32, CallOptions.DEFAULT));
        RpcException e = assertThrows(RpcException.class, () -> channel.unary(Probe.NEST, 17, Codecs.U32,
                Codecs.U32, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.RESOURCE_EXHAUSTED,
                "nested call at depth 17 exceeds the limit of 16 nested calls", e);
        // several chains at once, each side's handlers waiting on the other's
        List<CompletableFuture<Integer>> chains = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chains.add(channel.unaryAsync(Probe.NEST, 16, Codecs.U32, Codecs.U32, CallOptions.DEFAULT));
        }
        for (CompletableFuture<Integer> chain : chains) {
            assertEquals(16, chain.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
    }

    // ---------------------------------------------------------------- GoAway and the peer's death

    @Test
    void goAwayDrainsCallsInFlightWithTheirNestedCallsAndRefusesNewOnes() throws Exception {
        Connection connection = fresh();
        CallChannel channel = connection.channel();
        // in flight before the GoAway: its handler sleeps, then calls back into this side while it drains
        CompletableFuture<String> inFlight = channel.unaryAsync(Probe.SLOW_CALL_BACK, 300L, Codecs.U64,
                Codecs.STRING, CallOptions.DEFAULT);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(connection::close);
        RpcException refused = awaitRefusal(channel);
        assertRpcException(ErrorCode.UNAVAILABLE, "this session is closing (GoAway sent): no new calls", refused);
        assertEquals("after 300: nested", inFlight.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        closing.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        assertEquals(ErrorCode.SESSION_CLOSED, assertThrows(RpcException.class, () -> echo(channel, "x")).code());
    }

    @Test
    void peerDeathFailsEveryPendingCallAndStreamWithPeerDied() throws Exception {
        Connection connection = fresh();
        CallChannel channel = connection.channel();
        CompletableFuture<String> unary = channel.unaryAsync(Probe.SLEEP, 60_000L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        Iterator<Long> stream = channel.serverStreaming(Probe.COUNT, 1_000_000, Codecs.U32, Codecs.U64,
                CallOptions.DEFAULT).iterator();
        assertEquals(0L, stream.next());
        // a nested call in progress: the peer's handler calls this side's block(), which waits
        CompletableFuture<Unit> nested = channel.unaryAsync(Probe.BLOCK_PEER, Unit.UNIT, Codecs.UNIT, Codecs.UNIT,
                CallOptions.DEFAULT);
        assertTrue(connection.local().blocked.tryAcquire(GUARD.toSeconds(), TimeUnit.SECONDS));
        Probe.awaitSleeping(channel);

        connection.killPeer();
        assertEquals(ErrorCode.PEER_DIED, failureOf(unary).code());
        assertEquals(ErrorCode.PEER_DIED, failureOf(nested).code());
        RpcException streamFailure = assertThrows(RpcException.class, () -> {
            while (stream.hasNext()) {
                stream.next();
            }
        });
        assertEquals(ErrorCode.PEER_DIED, streamFailure.code());
        assertEquals("cancelled while blocked", awaitLocalCancellation(connection.local()));
        assertEquals(ErrorCode.PEER_DIED, assertThrows(RpcException.class, () -> echo(channel, "x")).code());
    }

    // ---------------------------------------------------------------- credit against a slow consumer

    @Test
    void aCallerThatDoesNotReadHoldsBackOnlyItsOwnResponseStream() throws Exception {
        CallChannel channel = channel();
        RpcStream<Long> stalled = channel.serverStreaming(Probe.COUNT, 1_000_000, Codecs.U32, Codecs.U64,
                CallOptions.DEFAULT);
        assertEquals(0L, stalled.iterator().next());
        // another stream on the same connection runs to its end meanwhile
        long n = 0;
        for (long v : channel.serverStreaming(CalculatorDescriptor.COUNT_TO_ID, 20_000L, Codecs.I64, Codecs.I64,
                CallOptions.DEFAULT)) {
            assertEquals(++n, v);
        }
        assertEquals(20_000, n);
        // the stalled producer got no further than its credit: one window of 1..3-byte elements, and one more
        long sent = channel.unary(Probe.SENT, Unit.UNIT, Codecs.UNIT, Codecs.U64, CallOptions.DEFAULT);
        assertTrue(sent <= mostSentAheadOfAStalledReader(), "the producer ran " + sent + " elements ahead");
        stalled.cancel();
        assertEquals("CANCELLED while counting, cancelled=true", awaitPeerCancellation(channel));
        assertEquals("still", echo(channel, "still"));
    }

    @Test
    void aHandlerThatDoesNotReadHoldsBackOnlyTheCallersRequestStream() throws Exception {
        CallChannel channel = channel();
        AtomicLong sent = new AtomicLong();
        AtomicReference<Thread> sender = new AtomicReference<>();
        AtomicReference<RpcException> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            sender.set(Thread.currentThread());
            try {
                channel.clientStreaming(Probe.HOLD, RpcStream.generate(out -> {
                    for (long i = 1; i <= 1_000_000; i++) {
                        out.send(i);
                        sent.incrementAndGet();
                    }
                }), Codecs.U64, Codecs.U64, CallOptions.DEFAULT);
            } catch (RpcException e) {
                thrown.set(e);
            }
        }, "request-stream-caller");
        caller.start();
        // the handler took the first request but grants no more credit until it has taken a quarter window
        awaitRequestsHeldBack(sender, sent::get);
        assertEquals("meanwhile", echo(channel, "meanwhile"));
        caller.interrupt();
        caller.join(GUARD.toMillis());
        assertNotNull(thrown.get(), "the held call did not fail");
        assertEquals(ErrorCode.CANCELLED, thrown.get().code(), thrown.get().toString());
        assertEquals("cancelled while holding", awaitPeerCancellation(channel));
    }

    @Test
    void aPeerThatDoesNotReadHoldsBackThisSidesProducer() throws Exception {
        Connection connection = shared();
        Probe local = connection.local();
        local.producer.set(null);
        local.sent.set(0);
        CompletableFuture<String> stalling = connection.channel().unaryAsync(Probe.STALL_PEER_COUNT, Unit.UNIT,
                Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT);
        // the peer's handler read one element and grants no more credit until it has taken a quarter window
        awaitHeldBackAt(elementsInOneWindow(0), local.producer, local.sent::get);
        assertTrue(stalling.cancel(true));
        assertEquals("CANCELLED while counting, cancelled=true", awaitLocalCancellation(local));
    }

    // ---------------------------------------------------------------- large messages

    @Test
    void largeMessagesCrossWholeUpToTheMaximumAndNoFurther() throws Exception {
        CallChannel channel = channel();
        String big = "x".repeat(200_000);
        assertEquals(big, echo(channel, big));
        assertEquals("", echo(channel, ""));
        // the opening frame: a 2-byte call header, a 4-byte length prefix and 16 MiB - 6 bytes: exactly 16 MiB
        assertEquals(MAX_MESSAGE - 6, channel.unary(Probe.LENGTH, new byte[MAX_MESSAGE - 6], Codecs.BYTES,
                Codecs.U32, CallOptions.DEFAULT));
        RpcException request = assertThrows(RpcException.class, () -> channel.unary(Probe.LENGTH,
                new byte[MAX_MESSAGE - 3], Codecs.BYTES, Codecs.U32, CallOptions.DEFAULT));
        // its body: 16 MiB - 3 bytes and a 4-byte length prefix
        assertRpcException(ErrorCode.RESOURCE_EXHAUSTED, "request of " + (MAX_MESSAGE + 1 + requestHeaderBytes())
                + " bytes exceeds the maximum message size of 16777216 bytes", request);
        assertEquals(MAX_MESSAGE - 4, channel.unary(Probe.GROW, MAX_MESSAGE - 4, Codecs.U32, Codecs.BYTES,
                CallOptions.DEFAULT).length);
        RpcException response = assertThrows(RpcException.class, () -> channel.unary(Probe.GROW, MAX_MESSAGE,
                Codecs.U32, Codecs.BYTES, CallOptions.DEFAULT));
        assertRpcException(ErrorCode.RESOURCE_EXHAUSTED,
                "response of 16777220 bytes exceeds the maximum message size of 16777216 bytes", response);
        assertEquals("after", echo(channel, "after"));
    }

    // ---------------------------------------------------------------- introspection

    @Test
    void introspectionAnswersWithThePeersServices() throws Exception {
        PeerIntrospection peer = shared().introspection();
        assertEquals(List.of("io.rapace.calculator.Calculator"), peer.listServices(GUARD));
        ServiceRegistry registry = peer.fetchRegistry(GUARD);
        assertEquals(ServiceRegistry.discover().describe(), registry.describe());
        assertEquals(new CalculatorDescriptor(), peer.getService("io.rapace.calculator.Calculator", GUARD));
        assertEquals("add", peer.getMethod(CalculatorDescriptor.ADD_ID, GUARD).name());
        assertEquals("io.rapace.calculator.Stats", peer.getSchema("io.rapace.calculator.Stats", GUARD).name());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(RpcException.class,
                () -> peer.getService("no.Such", GUARD)).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(RpcException.class,
                () -> peer.getMethod(Probe.ECHO, GUARD)).code());
    }
}
