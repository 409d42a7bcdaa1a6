package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.calculator.Calculator;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.calculator.Stats;
import io.rapace.codec.Codecs;
import io.rapace.codec.Unit;
import io.rapace.config.CloseCause;
import io.rapace.config.Limits;
import io.rapace.config.SegmentGeometry;
import io.rapace.config.SessionConfig;
import io.rapace.registry.ServiceRegistry;
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
 * Calls across two real JVMs over one {@link RpcSession}: this test is the host (PeerA) and serves {@link Probe} and
 * the calculator; an {@link RpcPeerMain} child is the plugin (PeerB) and serves the same. Every wait is bounded by
 * a guard (against hangs, never a speed target); after each test the child is gone and /dev/shm holds nothing of
 * either process.
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
                .serve(new CalculatorDispatcher(new LoopbackTest.Arithmetic()));
    }

    private static String echo(CallChannel channel, String text) {
        return channel.unary(Probe.ECHO, text, Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT);
    }

    @Test
    void everyKindFromTheHostWithTheGeneratedClient() throws Exception {
        Calculator calculator = new CalculatorClient(connect());
        assertEquals(5, calculator.add(2, 3));
        assertEquals(new Stats(4, 10), calculator.sum(RpcStream.of(1L, 2L, 3L, 4L)));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), calculator.countTo(5).toList());
        assertEquals(List.of(1L, 3L, 6L), calculator.runningTotal(RpcStream.of(1L, 2L, 3L)).toList());
    }

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

    @Test
    void cancellationFromThePluginReachesTheHostsHandler() throws Exception {
        RpcSession rpc = connect();
        assertEquals("cancelled true", rpc.unary(Probe.CANCEL_PEER_SLEEP, Unit.UNIT, Codecs.UNIT, Codecs.STRING,
                CallOptions.DEFAULT));
        assertEquals("CANCELLED interrupted", awaitLocal(hostProbe));
    }

    @Test
    void nestedCallsOfCallsInFlightStillGoWhileDraining() throws Exception {
        RpcSession rpc = connect();
        CompletableFuture<String> inFlight = rpc.unaryAsync(Probe.SLOW_CALL_BACK, 400L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        Thread.sleep(100);
        rpc.close(); // GoAway: the child's nested call back, made after it, must still be served
        assertEquals("after 400: nested", inFlight.get(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void everyKindFromThePluginBackToTheHost() throws Exception {
        RpcSession rpc = connect();
        String report = rpc.unary(Probe.CALL_BACK, "hi", Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT);
        assertEquals("hi sum=6 count=[0, 1, 2] double=[10, 12]", report);
    }

    @Test
    void largeMessagesAreSplitAcrossSlotsAndReassembled() throws Exception {
        RpcSession rpc = connect();
        String big = "x".repeat(200_000);
        assertEquals(big, echo(rpc, big));
        assertEquals("", echo(rpc, ""));
    }

    @Test
    void manyCallersAtOnce() throws Exception {
        RpcSession rpc = connect();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        String text = thread + ":" + i;
                        if (echo(rpc, text).equals(text)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(200, result.get(GUARD.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, rpc.callsInFlight());
    }

    @Test
    void bothSidesCallEachOtherAtOnce() throws Exception {
        RpcSession rpc = connect();
        CompletableFuture<Integer> fromChild = rpc.unaryAsync(Probe.HAMMER, 2000, Codecs.U32, Codecs.U32,
                CallOptions.DEFAULT);
        for (int i = 0; i < 2000; i++) {
            assertEquals("p" + i, echo(rpc, "p" + i));
        }
        assertEquals(2000, fromChild.get(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aSlowConsumerStallsOnlyItsOwnStream() throws Exception {
        RpcSession rpc = connect();
        // stalled: opened, never read
        RpcStream<Long> stalled = rpc.serverStreaming(Probe.COUNT, 1_000_000, Codecs.U32, Codecs.U64,
                CallOptions.DEFAULT);
        Iterator<Long> it = stalled.iterator();
        assertEquals(0L, it.next());
        // another stream on the same session runs to its end meanwhile
        long n = 0;
        for (long v : rpc.serverStreaming(COUNT_TO_CALCULATOR, 50_000L, Codecs.I64, Codecs.I64, CallOptions.DEFAULT)) {
            assertEquals(++n, v);
        }
        assertEquals(50_000, n);
        // the stalled producer got no further than its credit: 64 KiB of 1-byte..3-byte elements and one more
        long sent = rpc.unary(Probe.SENT, Unit.UNIT, Codecs.UNIT, Codecs.U64, CallOptions.DEFAULT);
        assertTrue(sent <= Limits.DEFAULT_STREAM_WINDOW + 1, "producer ran " + sent + " elements ahead");
        assertTrue(sent < 1_000_000, "the producer was not held back");
        stalled.cancel();
        assertEquals("still", echo(rpc, "still"));
    }

    /** The calculator's countTo, called by id with plain codecs. */
    private static final int COUNT_TO_CALCULATOR = io.rapace.calculator.CalculatorDescriptor.COUNT_TO_ID;

    @Test
    void deadlinesBothWays() throws Exception {
        RpcSession rpc = connect();
        long start = System.nanoTime();
        RpcException e = assertThrows(RpcException.class, () -> rpc.unary(Probe.SLEEP, 20_000L, Codecs.U64,
                Codecs.STRING, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200))));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        assertTrue(System.nanoTime() - start < GUARD.toNanos());
        assertEquals("DEADLINE_EXCEEDED interrupted", awaitCancellation(rpc));
        // the plugin calls the host's sleep with 200 ms: its handler here is cancelled too
        assertEquals("DEADLINE_EXCEEDED", rpc.unary(Probe.CALL_PEER_SLEEP, 20_000L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT));
        assertEquals("DEADLINE_EXCEEDED interrupted", awaitLocal(hostProbe));
    }

    @Test
    void cancellationReachesTheHandler() throws Exception {
        RpcSession rpc = connect();
        CompletableFuture<String> call = rpc.unaryAsync(Probe.SLEEP, 20_000L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        Thread.sleep(200);
        call.cancel(true);
        assertEquals("CANCELLED interrupted", awaitCancellation(rpc));
        // interrupting a blocked caller cancels its call too
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
        RpcException e = assertThrows(RpcException.class, () -> rpc.unary(Probe.SLEEP, 20_000L, Codecs.U64,
                Codecs.STRING, CallOptions.DEFAULT));
        assertTrue(Thread.interrupted(), "the interrupt flag stays set");
        assertEquals(ErrorCode.CANCELLED, e.code());
        interrupter.join();
    }

    private static String awaitCancellation(RpcSession rpc) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        String seen;
        do {
            seen = rpc.unary(Probe.LAST_CANCELLATION, Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT);
            if (!seen.equals("none")) {
                return seen;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < until);
        return seen;
    }

    private static String awaitLocal(Probe probe) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (probe.lastCancellation.get().equals("none") && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return probe.lastCancellation.get();
    }

    @Test
    void handlerFailuresAndUnknownMethodsAreErrorsAndTheSessionGoesOn() throws Exception {
        RpcSession rpc = connect();
        RpcException failed = assertThrows(RpcException.class, () -> rpc.unary(Probe.FAIL, "boom", Codecs.STRING,
                Codecs.STRING, CallOptions.DEFAULT));
        assertEquals(ErrorCode.INTERNAL, failed.code());
        assertTrue(failed.getMessage().contains("boom"), failed.getMessage());
        RpcException unknown = assertThrows(RpcException.class, () -> rpc.unary(999, "x", Codecs.STRING,
                Codecs.STRING, CallOptions.DEFAULT));
        assertEquals(ErrorCode.UNIMPLEMENTED, unknown.code());
        assertTrue(unknown.getMessage().contains("child serves no method with id 999 (called by host)"),
                unknown.getMessage());
        RpcException shape = assertThrows(RpcException.class, () -> rpc.serverStreaming(Probe.ECHO, "x",
                Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT).toList());
        assertEquals(ErrorCode.UNIMPLEMENTED, shape.code());
        assertEquals("after", echo(rpc, "after"));
    }

    @Test
    void nestedCallsToDepthSixteenAndAClearErrorBeyond() throws Exception {
        RpcSession rpc = connect();
        assertEquals(16, rpc.unary(Probe.NEST, 16, Codecs.U32, Codecs.U32, CallOptions.DEFAULT));
        RpcException e = assertThrows(RpcException.class, () -> rpc.unary(Probe.NEST, 17, Codecs.U32, Codecs.U32,
                CallOptions.DEFAULT));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertTrue(e.getMessage().contains("depth 17 exceeds the limit of 16"), e.getMessage());
        // and from both sides at once, several chains in flight
        List<CompletableFuture<Integer>> chains = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chains.add(rpc.unaryAsync(Probe.NEST, 16, Codecs.U32, Codecs.U32, CallOptions.DEFAULT));
        }
        for (CompletableFuture<Integer> chain : chains) {
            assertEquals(16, chain.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
    }

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

    @Test
    void aSharedMethodIdIsAnErrorAtRegistration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RpcSession.builder()
                .serve(new Probe()).serve(new Probe()));
        assertTrue(e.getMessage().contains("method id 101 (echo) is already served by rapace.test.Probe (echo)"),
                e.getMessage());
    }

    @Test
    void introspectionOnChannelZero() throws Exception {
        RpcSession rpc = connect();
        assertEquals(List.of("io.rapace.calculator.Calculator"), rpc.listServices(GUARD));
        ServiceRegistry registry = rpc.fetchRegistry(GUARD);
        assertEquals(ServiceRegistry.discover().describe(), registry.describe());
        assertEquals(new io.rapace.calculator.CalculatorDescriptor(), registry.services().get(0));
        assertEquals("add", rpc.getMethod(io.rapace.calculator.CalculatorDescriptor.ADD_ID, GUARD).name());
        assertEquals("io.rapace.calculator.Stats", rpc.getSchema("io.rapace.calculator.Stats", GUARD).name());
        RpcException missing = assertThrows(RpcException.class, () -> rpc.getService("no.Such", GUARD));
        assertEquals(ErrorCode.NOT_FOUND, missing.code());
    }

    @Test
    void killingThePluginFailsEveryPendingCallWithPeerDied() throws Exception {
        RpcSession rpc = connect();
        CompletableFuture<String> unary = rpc.unaryAsync(Probe.SLEEP, 60_000L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        RpcStream<Long> stream = rpc.serverStreaming(Probe.COUNT, 1_000_000, Codecs.U32, Codecs.U64,
                CallOptions.DEFAULT);
        Iterator<Long> it = stream.iterator();
        assertEquals(0L, it.next());
        // a nested call in progress: the child's nest handler calls our block(), which waits
        CompletableFuture<Unit> nested = CompletableFuture.supplyAsync(() -> rpc.unary(Probe.BLOCK_PEER,
                Unit.UNIT, Codecs.UNIT, Codecs.UNIT, CallOptions.DEFAULT));
        assertTrue(hostProbe.blocked.await(GUARD.toSeconds(), TimeUnit.SECONDS));
        child.destroyForcibly();
        long killed = System.nanoTime();
        ExecutionExceptionCheck.assertPeerDied(unary);
        ExecutionExceptionCheck.assertPeerDied(nested);
        RpcException streamFailure = assertThrows(RpcException.class, () -> {
            while (it.hasNext()) {
                it.next();
            }
        });
        assertEquals(ErrorCode.PEER_DIED, streamFailure.code());
        assertEquals(CloseCause.END_OF_STREAM, rpc.closed().get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - killed < GUARD.toNanos());
        // the host's handler of the nested call was cancelled
        assertEquals("cancelled while blocked", awaitLocal(hostProbe));
        RpcException after = assertThrows(RpcException.class, () -> echo(rpc, "x"));
        assertEquals(ErrorCode.PEER_DIED, after.code());
        assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void goAwayDrainsCallsInFlightAndRefusesNewOnes() throws Exception {
        RpcSession rpc = connect();
        CompletableFuture<String> inFlight = rpc.unaryAsync(Probe.SLEEP, 500L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT);
        Thread.sleep(100);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(rpc::close);
        long until = System.nanoTime() + GUARD.toNanos();
        RpcException refused = null;
        while (refused == null && System.nanoTime() < until) {
            try {
                echo(rpc, "late");
                Thread.sleep(5);
            } catch (RpcException e) {
                refused = e;
            }
        }
        assertEquals(ErrorCode.UNAVAILABLE, refused.code());
        assertEquals("slept 500", inFlight.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        closing.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        assertEquals(CloseCause.LOCAL_CLOSE, rpc.closed().get());
        assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, child.exitValue());
        assertTrue(childLines.contains("CLOSED PEER_GOAWAY"), childLines.toString());
    }

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
