package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.Calculator;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.calculator.Stats;
import io.rapace.codec.Codecs;
import io.rapace.config.CloseCause;
import io.rapace.config.Limits;
import io.rapace.config.SegmentGeometry;
import io.rapace.config.SessionConfig;
import io.rapace.config.WakeMode;
import io.rapace.shm.ShmFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to {@link RpcSession} across two real JVMs: spin mode, direct mode, learning of a death from the
 * socket, the session's end after GoAway, its builder's registration and limits, and a maximum set by the segment's
 * geometry. The call semantics every transport shares are {@link AbstractCallContractTest}'s, run across two JVMs by
 * {@code *SessionCallContractProcessTest}. This test is the host (PeerA) and serves {@link Probe} and the
 * calculator; an {@link RpcPeerMain} child is the plugin (PeerB) and serves the same. Every wait is bounded by a guard
 * (against hangs, never a speed target); after each test the child is gone and /dev/shm holds nothing of either
 * process.
 */
class RpcSessionProcessTest {
    private static final Duration GUARD = Duration.ofSeconds(60);

    private final List<Process> children = new ArrayList<>();
    private final List<RpcSession> sessions = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    private final Probe hostProbe = new Probe();
    private final LinkedBlockingQueue<String> childLines = new LinkedBlockingQueue<>();
    private Process child;

    @AfterEach
    void reclaim() throws Exception {
        for (RpcSession s : sessions) {
            s.close();
        }
        for (Process p : children) {
            p.destroyForcibly();
            assertTrue(p.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "child did not exit");
        }
        pids.add(ProcessHandle.current().pid());
        assertEquals(List.of(), ShmFiles.leftBy(pids.stream().mapToLong(Long::longValue).toArray()),
                "files of ours left in /dev/shm");
    }

    private RpcSession connect(RpcSession.Builder builder, String... childOptions) throws Exception {
        RpcSession.Listening listening = builder.listen();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-Xshare:auto",
                RpcPeerMain.class.getName(), listening.segmentPath().toString(), listening.socketPath().toString()));
        cmd.addAll(List.of(childOptions));
        child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(child);
        pids.add(child.pid());
        Process p = child;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    childLines.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        RpcSession rpc = listening.accept(GUARD);
        sessions.add(rpc);
        assertEquals("child", rpc.peerId());
        assertEquals(child.pid(), rpc.peerPid());
        return rpc;
    }

    private RpcSession connect() throws Exception {
        return connect(host());
    }

    private RpcSession.Builder host() {
        return RpcSession.builder()
                .config(SessionConfig.builder().peerId("host").build())
                .serve(hostProbe)
                .serve(new CalculatorDispatcher(new Arithmetic()));
    }

    private static String echo(CallChannel channel, String text) {
        return channel.unary(Probe.ECHO, text, Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT);
    }

    /** Verbs 11 and 12 reach the peer's lifecycle hooks; a refusal comes back with its code and message. */
    @Test
    void initializeAndShutdownVerbsReachThePeersHooks() throws Exception {
        RpcSession rpc = connect(host(), "lifecycle");
        assertTrue(childLines.poll(GUARD.toSeconds(), TimeUnit.SECONDS).startsWith("READY "));
        rpc.initializePeer("hello".getBytes(StandardCharsets.UTF_8), GUARD);
        assertEquals("INITIALIZE hello", childLines.poll(GUARD.toSeconds(), TimeUnit.SECONDS));
        RpcException refused = assertThrows(RpcException.class,
                () -> rpc.initializePeer("refuse".getBytes(StandardCharsets.UTF_8), GUARD));
        assertEquals(ErrorCode.FAILED_PRECONDITION, refused.code());
        assertEquals("refused: refuse", refused.getMessage());
        RpcException failed = assertThrows(RpcException.class,
                () -> rpc.initializePeer("boom".getBytes(StandardCharsets.UTF_8), GUARD));
        assertEquals(ErrorCode.INTERNAL, failed.code());
        assertEquals("initialize failed: java.lang.IllegalStateException: boom", failed.getMessage());
        rpc.shutdownPeer(GUARD);
        assertEquals("SHUTDOWN", childLines.poll(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals(5, echo(rpc, "hello").length(), "the session stays open after Shutdown");
    }

    /**
     * Generated clients carry their methods' schema fingerprints and the peer announces its own in its Hello: calls
     * whose fingerprints agree go through; a call whose fingerprint differs fails at once with FAILED_PRECONDITION,
     * unary or streaming, blocking or not, and the session goes on.
     */
    @Test
    void aCallWhoseSchemaDiffersFromThePeersFailsWithFailedPrecondition() throws Exception {
        RpcSession rpc = connect();
        assertEquals(List.of(), rpc.schemaMismatches(), "both sides have the same calculator");
        Calculator calculator = new CalculatorClient(rpc);
        assertEquals(5, calculator.add(2, 3));
        // (the request is never looked at: the check comes first)
        RpcException refused = assertThrows(RpcException.class,
                () -> rpc.unary(CalculatorClient.ADD.withFingerprint(0x1234), null, CallOptions.DEFAULT));
        assertEquals(ErrorCode.FAILED_PRECONDITION, refused.code());
        assertEquals("schema mismatch with child: method io.rapace.calculator.Calculator.add (423600472) has schema "
                + "fingerprint 0000000000001234 here and "
                + String.format("%016x", CalculatorClient.ADD.fingerprint()) + " on the peer", refused.getMessage());
        ExecutionException async = assertThrows(ExecutionException.class, () -> rpc.unaryAsync(
                CalculatorClient.ADD.withFingerprint(0x1234), null, CallOptions.DEFAULT).get());
        assertEquals(ErrorCode.FAILED_PRECONDITION, ((RpcException) async.getCause()).code());
        assertEquals(ErrorCode.FAILED_PRECONDITION, assertThrows(RpcException.class, () -> rpc.serverStreaming(
                CalculatorClient.COUNT_TO.withFingerprint(7), 3L, CallOptions.DEFAULT)).code());
        assertEquals(7, calculator.add(3, 4), "the session goes on");
    }

    /** A side without hooks acknowledges both verbs at once. */
    @Test
    void aPeerWithoutHooksAcknowledgesTheLifecycleVerbs() throws Exception {
        RpcSession rpc = connect();
        rpc.initializePeer(new byte[0], GUARD);
        rpc.shutdownPeer(GUARD);
        assertTrue(rpc.isOpen());
    }

    /** Spin mode is the session's wake mode: callers poll the ring themselves. */
    @Test
    void spinModeCallersPollForTheirOwnResponses() throws Exception {
        RpcSession rpc = connect(host().config(SessionConfig.builder().peerId("host")
                .wakeMode(io.rapace.config.WakeMode.SPIN).build()), "spin");
        Calculator calculator = new CalculatorClient(rpc);
        for (int i = 0; i < 2000; i++) {
            assertEquals(i + 1, calculator.add(i, 1));
        }
        assertEquals(new Stats(3, 6), calculator.sum(RpcStream.of(1L, 2L, 3L)));
        long n = 0;
        for (long v : calculator.countTo(20_000)) {
            assertEquals(++n, v);
        }
        assertEquals(20_000, n);
        assertEquals(List.of(1L, 3L, 6L), calculator.runningTotal(RpcStream.of(1L, 2L, 3L)).toList());
        // nested calls: the child's handlers call back while this thread polls for the answer
        assertEquals(16, rpc.unary(Probe.NEST, 16, Codecs.U32, Codecs.U32, CallOptions.DEFAULT));
        assertEquals("hi sum=6 count=[0, 1, 2] double=[10, 12]", rpc.unary(Probe.CALL_BACK, "hi", Codecs.STRING,
                Codecs.STRING, CallOptions.DEFAULT));
        // several callers polling at once take turns
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 500; i++) {
                        ok += echo(rpc, "s" + i).equals("s" + i) ? 1 : 0;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(500, result.get(GUARD.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        RpcException e = assertThrows(RpcException.class, () -> rpc.unary(Probe.SLEEP, 20_000L, Codecs.U64,
                Codecs.STRING, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100))));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        // a caller polling for its answer is still cancelled by an interrupt
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        RpcException interrupted = assertThrows(RpcException.class, () -> rpc.unary(Probe.SLEEP, 20_000L,
                Codecs.U64, Codecs.STRING, CallOptions.DEFAULT));
        assertTrue(Thread.interrupted());
        assertEquals(ErrorCode.CANCELLED, interrupted.code());
        interrupter.join();
    }

    /** How the session learns of a death (the socket's end-of-stream, not the heartbeat) is the transport's. */
    @Test
    void spinModeLearnsOfAKilledPeerFromTheSocketNotTheHeartbeat() throws Exception {
        RpcSession rpc = connect(host().config(SessionConfig.builder().peerId("host")
                .wakeMode(io.rapace.config.WakeMode.SPIN).build()), "spin");
        CompletableFuture<String> unary = CompletableFuture.supplyAsync(() -> rpc.unary(Probe.SLEEP, 60_000L,
                Codecs.U64, Codecs.STRING, CallOptions.DEFAULT));
        RpcStream<Long> stream = rpc.serverStreaming(Probe.COUNT, 1_000_000, Codecs.U32, Codecs.U64,
                CallOptions.DEFAULT);
        Iterator<Long> it = stream.iterator();
        assertEquals(0L, it.next());
        Thread.sleep(100);
        child.destroyForcibly();
        ExecutionExceptionCheck.assertPeerDied(unary);
        RpcException streamFailure = assertThrows(RpcException.class, () -> {
            while (it.hasNext()) {
                it.next();
            }
        });
        assertEquals(ErrorCode.PEER_DIED, streamFailure.code());
        // end-of-stream on the socket, not a heartbeat timeout a second later
        assertEquals(CloseCause.END_OF_STREAM, rpc.closed().get(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    /** Direct mode runs handlers on the session's reader thread, which only a session has. */
    @Test
    void directModeServesOnTheReaderThreadAndRefusesNestedCalls() throws Exception {
        RpcSession rpc = connect(host(), "direct");
        assertEquals("fast", echo(rpc, "fast"));
        RpcException e = assertThrows(RpcException.class, () -> rpc.unary(Probe.NEST, 2, Codecs.U32, Codecs.U32,
                CallOptions.DEFAULT));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("direct mode"), e.getMessage());
        // streaming methods still run on the executor, and nest from there
        assertEquals(List.of(0L, 1L), rpc.serverStreaming(Probe.COUNT, 2, Codecs.U32, Codecs.U64,
                CallOptions.DEFAULT).toList());
    }

    /** Registration is each facade's API. */
    @Test
    void aSharedMethodIdIsAnErrorAtRegistration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RpcSession.builder()
                .serve(new Probe()).serve(new Probe()));
        assertTrue(e.getMessage().contains("method id 101 (echo) is already served by rapace.test.Probe (echo)"),
                e.getMessage());
    }

    /**
     * How the session ends after GoAway: this side with LOCAL_CLOSE, the plugin with PEER_GOAWAY and a clean exit (the
     * contract checks the drain on every transport).
     */
    @Test
    void closeEndsThePluginsSessionWithPeerGoAwayAndItExitsCleanly() throws Exception {
        RpcSession rpc = connect();
        assertEquals("before", echo(rpc, "before"));
        rpc.close();
        assertEquals(CloseCause.LOCAL_CLOSE, rpc.closed().get());
        assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, child.exitValue());
        assertTrue(childLines.contains("CLOSED PEER_GOAWAY"), childLines.toString());
    }

    /** A maximum configured on the session, with a geometry of small slots. */
    @Test
    void closingWithoutADrainFailsCallsInFlightInsteadOfWaitingForThem() throws Exception {
        RpcSession rpc = connect(host().drainTimeout(GUARD));
        CompletableFuture<String> inFlight = rpc.unaryAsync(Probe.SLEEP, GUARD.toMillis() / 2, Codecs.U64,
                Codecs.STRING, CallOptions.DEFAULT);
        Thread.sleep(100);
        rpc.close(Duration.ZERO);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> inFlight.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals(ErrorCode.SESSION_CLOSED, ((RpcException) e.getCause()).code(), e.getCause().toString());
        assertEquals(CloseCause.LOCAL_CLOSE, rpc.closed().get());
        assertEquals("closed by this side", rpc.closeDetail());
        assertFalse(rpc.isOpen());
    }

    @Test
    void messagesOverTheMaximumAreResourceExhausted() throws Exception {
        RpcSession rpc = connect(host().config(SessionConfig.builder().peerId("host").maxMessageSize(64 * 1024)
                .geometry(new SegmentGeometry(64, 16, 4096)).build()));
        RpcException e = assertThrows(RpcException.class, () -> echo(rpc, "y".repeat(100_000)));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals("ok", echo(rpc, "ok"));
    }

    /** The builder's calls-in-flight limit and observer (the loopback does not configure them). */
    @Test
    void limitsRefuseCallsWithResourceExhausted() throws Exception {
        List<CallObserver.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        RpcSession rpc = connect(host().maxCallsInFlight(1).observer(events::add));
        CompletableFuture<String> first = rpc.unaryAsync(Probe.SLEEP, 300L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        RpcException e = assertThrows(RpcException.class, () -> echo(rpc, "second"));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertTrue(e.getMessage().contains("more than 1 calls in flight"), e.getMessage());
        assertEquals("slept 300", first.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertTrue(events.stream().anyMatch(CallObserver.Event::rejected), events.toString());
        assertTrue(events.stream().anyMatch(ev -> ev.ok() && ev.methodId() == Probe.SLEEP && ev.bytesSent() > 0
                && ev.bytesReceived() > 0), events.toString());
    }

    /**
     * The builder's server interceptors (the observer's among them) wrap every dispatcher served, and hear of calls
     * the session refused before any dispatcher saw them.
     */
    @Test
    void theSessionsServerInterceptorsWrapEveryDispatcherAndHearOfRefusedCalls() throws Exception {
        List<CallObserver.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServerInterceptor listening = new ServerInterceptor() {
            @Override
            public void intercept(RpcMethod<?, ?> method, CallContext context, ServerCall<?, ?> next)
                    throws Exception {
                seen.add("served " + method.name());
                next.proceed();
            }

            @Override
            public void refused(int methodId, RpcMethod<?, ?> method, RpcException refusal) {
                seen.add("refused " + Integer.toUnsignedString(methodId) + " " + (method == null ? "-"
                        : method.name()) + " " + refusal.code() + ": " + refusal.getMessage());
            }
        };
        // The child calls back echo, sum, count and double on the host: each served through both interceptors.
        RpcSession rpc = connect(host().observer(events::add).serverInterceptors(listening));
        assertEquals("hi sum=6 count=[0, 1, 2] double=[10, 12]", rpc.unary(Probe.CALL_BACK, "hi", Codecs.STRING,
                Codecs.STRING, CallOptions.DEFAULT));
        assertEquals(List.of("served count", "served double", "served echo", "served sum"),
                seen.stream().sorted().toList());
        List<Integer> inbound = events.stream().filter(e -> e.direction() == CallObserver.Direction.INBOUND
                && e.ok() && e.bytesReceived() > 0 && e.bytesSent() > 0).map(CallObserver.Event::methodId).sorted()
                .toList();
        assertEquals(List.of(Probe.ECHO, Probe.COUNT, Probe.SUM, Probe.DOUBLE), inbound, events.toString());
        assertTrue(events.stream().anyMatch(e -> e.direction() == CallObserver.Direction.OUTBOUND
                && e.methodId() == Probe.CALL_BACK && e.ok()), events.toString());

        // A host that serves only the calculator: the child's call back to echo is refused before any dispatcher.
        seen.clear();
        events.clear();
        RpcSession bare = connect(RpcSession.builder().config(SessionConfig.builder().peerId("host").build())
                .serve(new CalculatorDispatcher(new Arithmetic())).observer(events::add)
                .serverInterceptors(listening));
        assertThrows(RpcException.class, () -> bare.unary(Probe.CALL_BACK, "hi", Codecs.STRING, Codecs.STRING,
                CallOptions.DEFAULT));
        assertEquals(List.of("refused 101 - UNIMPLEMENTED: host serves no method with id 101 (called by child)"),
                seen);
        assertTrue(events.stream().anyMatch(e -> e.direction() == CallObserver.Direction.INBOUND
                && e.methodId() == Probe.ECHO && e.code() == ErrorCode.UNIMPLEMENTED && e.kind() == null
                && !e.rejected()), events.toString());
    }

    /**
     * A cancel that finds the peer's ring full (its reader busy in a direct-mode handler) is not lost: it is sent once
     * there is room, and the peer's handler is cancelled.
     */
    @Test
    void aCancelThatFindsThePeersRingFullArrivesOnceThereIsRoom() throws Exception {
        RpcSession rpc = connect(host().config(SessionConfig.builder().peerId("host")
                .geometry(new SegmentGeometry(8, 4, 1024)).sendTimeout(Duration.ofSeconds(30)).build()), "direct");
        RpcStream<Long> ticks = rpc.serverStreaming(Probe.TICK, 1, Codecs.U32, Codecs.U64, CallOptions.DEFAULT);
        Iterator<Long> tick = ticks.iterator();
        assertEquals(0L, tick.next()); // the tick handler runs, on the child's executor, until cancelled
        // The child's reader runs this sleep itself (direct mode) and reads nothing else for 1.5 s...
        CompletableFuture<String> sleep = rpc.unaryAsync(Probe.SLEEP, 1_500L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        // ...while calls fill the ring to the child (8 descriptors) and wait for room.
        ExecutorService fillers = Executors.newFixedThreadPool(12);
        try {
            List<Future<String>> echoes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String text = "e" + i;
                echoes.add(fillers.submit(() -> echo(rpc, text)));
            }
            Thread.sleep(300); // the ring is full now: the sleep has 1.2 s to go
            ticks.cancel(); // its CANCEL finds no room, waits 200 ms, and is sent later
            assertEquals("slept 1500", sleep.get(GUARD.toSeconds(), TimeUnit.SECONDS));
            for (int i = 0; i < echoes.size(); i++) {
                assertEquals("e" + i, echoes.get(i).get(GUARD.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            fillers.shutdownNow();
        }
        String seen = "none";
        long until = System.nanoTime() + GUARD.toNanos();
        while (seen.equals("none") && System.nanoTime() < until) {
            seen = rpc.unary(Probe.LAST_CANCELLATION, io.rapace.codec.Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT);
            Thread.sleep(10);
        }
        assertEquals("cancelled while ticking", seen);
    }

    /**
     * Leader/follower serving: with the default executor and blocking wake-ups, a handler runs on the reader thread
     * that delivered its call (which handed the reading on), and handlers that block stall neither the reading nor
     * the next calls.
     */
    @Test
    void theReaderThatDeliversACallServesItAndHandsTheReadingOn() throws Exception {
        RpcSession rpc = connect();
        String first = rpc.unary(Probe.THREAD_NAME, io.rapace.codec.Unit.UNIT, Codecs.UNIT, Codecs.STRING,
                CallOptions.DEFAULT);
        assertTrue(first.contains("-reader"), first);
        // three handlers blocked at once (each on the thread that delivered it), and the ring still read
        List<CompletableFuture<String>> sleeps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sleeps.add(rpc.unaryAsync(Probe.SLEEP, 500L, Codecs.U64, Codecs.STRING, CallOptions.DEFAULT));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("e" + i, echo(rpc, "e" + i));
        }
        for (CompletableFuture<String> sleep : sleeps) {
            assertEquals("slept 500", sleep.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
        String later = rpc.unary(Probe.THREAD_NAME, io.rapace.codec.Unit.UNIT, Codecs.UNIT, Codecs.STRING,
                CallOptions.DEFAULT);
        assertTrue(later.contains("-reader"), later);
    }

    /**
     * The hand-off watchdog follows whichever reader serves now: a handler that ends on a thread that lost the reading
     * meanwhile does not hide the handler the next reader serves, which then also gets the reading handed on.
     */
    @Test
    void aReaderServingALongCallAfterAnEarlierOneEndedStillHandsTheReadingOn() throws Exception {
        RpcSession rpc = connect();
        // served by the first reader, which loses the reading after 1 ms and blocks until released
        CompletableFuture<io.rapace.codec.Unit> blocked = rpc.unaryAsync(Probe.BLOCK, io.rapace.codec.Unit.UNIT,
                Codecs.UNIT, Codecs.UNIT, CallOptions.DEFAULT);
        Thread.sleep(100);
        // served by the next reader: it releases the first call (which ends at once, on the first reader) and sleeps
        CompletableFuture<String> sleeping = rpc.unaryAsync(Probe.RELEASE_AND_SLEEP, 1_500L, Codecs.U64,
                Codecs.STRING, CallOptions.DEFAULT);
        blocked.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        // the ring is read while the second call sleeps: this answer comes before it ends
        assertEquals("after", echo(rpc, "after"));
        assertFalse(sleeping.isDone(), "the echo waited for the sleep to end: nobody read the ring");
        assertEquals("slept 1500", sleeping.get(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    /** Unwraps a future's failure to the RpcException inside. */
    private static final class ExecutionExceptionCheck {
        static void assertPeerDied(CompletableFuture<?> future) throws Exception {
            try {
                future.get(GUARD.toSeconds(), TimeUnit.SECONDS);
                throw new AssertionError("the call did not fail");
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                while (!(cause instanceof RpcException) && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                assertTrue(cause instanceof RpcException, String.valueOf(e));
                assertEquals(ErrorCode.PEER_DIED, ((RpcException) cause).code(), cause.getMessage());
            }
        }
    }
}
