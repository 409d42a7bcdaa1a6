package io.rapace.samples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.Limits;
import io.rapace.config.SessionConfig;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import io.rapace.rpc.RpcStream;
import io.rapace.shm.Segment;
import io.rapace.testing.ChildLogs;
import io.rapace.testing.ExpectedLogs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The annotated echo service across two real JVMs, through the clients and dispatchers the processor (and, for
 * {@link EchoStatus}, the Maven plugin) generated: this test is the host (PeerA) and serves a {@link ProbingEcho}; an
 * {@link EchoPeerMain} child is the plugin (PeerB) and serves another, so either side's handlers can be made to call
 * back, sleep, fail or block. Every wait is bounded by a guard (against hangs, never a speed target); after each test
 * the child is gone and /dev/shm holds nothing of either process.
 */
class EchoProcessTest {
    private static final Duration GUARD = Duration.ofSeconds(30);

    private final ProbingEcho hostEcho = new ProbingEcho();
    private final LinkedBlockingQueue<String> childLines = new LinkedBlockingQueue<>();
    private RpcSession rpc;
    private Process child;
    private Thread childOutput;
    private ChildLogs childLogs;
    private boolean killed;

    /** The faults tests provoke here on purpose are logged; those tests expect the lines. */
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();

    @AfterEach
    void reclaim() throws Exception {
        if (child == null) {
            return;
        }
        hostEcho.release.countDown();
        try {
            if (rpc != null) {
                rpc.close();
            }
            assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "the child did not exit");
            childOutput.join(GUARD.toMillis());
            childLogs.close();
            if (!killed) {
                assertEquals(0, child.exitValue(), "the child's exit code");
                assertTrue(childLines.contains("CLOSED PEER_GOAWAY"), childLines.toString());
            }
        } finally {
            child.destroyForcibly().waitFor(GUARD.toSeconds(), TimeUnit.SECONDS);
        }
        assertEquals(List.of(), filesInDevShm(ProcessHandle.current().pid(), child.pid()),
                "files of ours left in /dev/shm");
    }

    /** Starts the child, accepts it and waits for its READY; the host serves {@link #hostEcho}. */
    private RpcSession connect() throws Exception {
        RpcSession.Listening listening = RpcSession.builder()
                .config(SessionConfig.builder().peerId("host").build())
                .serve(new EchoDispatcher(hostEcho))
                .listen();
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-Xshare:auto", ChildLogs.JVM_ARG,
                EchoPeerMain.class.getName(), listening.segmentPath().toString(), listening.socketPath().toString())
                .start();
        Process p = child;
        childLogs = ChildLogs.of("echo child", child);
        childOutput = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    childLines.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        childOutput.setDaemon(true);
        childOutput.start();
        rpc = listening.accept(GUARD);
        assertEquals("READY " + child.pid(), childLines.poll(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals("echo-child", rpc.peerId());
        return rpc;
    }

    private static List<String> filesInDevShm(long... pids) throws IOException {
        try (Stream<Path> files = Files.list(Segment.DEFAULT_DIRECTORY)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> LongStream.of(pids).anyMatch(pid -> name.startsWith(Segment.FILE_PREFIX + pid
                            + "-")))
                    .sorted().toList();
        }
    }

    @Test
    void everyKindFromTheHostToTheChild() throws Exception {
        RpcSession session = connect();
        Echo echo = new EchoClient(session);
        assertEquals("héllo", echo.echo("héllo"));
        assertEquals(List.of("hi", "hi", "hi"), echo.repeat("hi", 3).toList());
        assertEquals(3, echo.count(RpcStream.of("a", "b", "c")));
        assertEquals(List.of("A", "B"), echo.shout(RpcStream.of("a", "b")).toList());
        // the IDL service the child serves beside it, on the same session
        assertEquals(1, new EchoStatusClient(session).served());
    }

    @Test
    void everyKindFromTheChildBackToTheHost() throws Exception {
        Echo echo = new EchoClient(connect());
        assertEquals("echo=hi repeat=[ho, ho] count=3 shout=[X, Y]", echo.echo(ProbingEcho.CALL_BACK));
    }

    @Test
    void thirtyTwoCallersShareOneClient() throws Exception {
        Echo echo = new EchoClient(connect());
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                String caller = "caller" + t;
                results.add(pool.submit(() -> {
                    int rounds = 0;
                    for (int i = 0; i < 20; i++) {
                        String text = caller + ":" + i;
                        assertEquals(text, echo.echo(text));
                        assertEquals(List.of(text, text), echo.repeat(text, 2).toList());
                        assertEquals(i, echo.count(RpcStream.from(Collections.nCopies(i, text))));
                        assertEquals(List.of(text.toUpperCase(Locale.ROOT), "SAME"),
                                echo.shout(RpcStream.of(text, "same")).toList());
                        rounds++;
                    }
                    return rounds;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(20, result.get(GUARD.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, callsInFlightOnceSettled(), "calls left in flight");
    }

    /** The calls in flight once none ends any more: a call leaves the session just after its answer is handed over. */
    private int callsInFlightOnceSettled() throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (rpc.callsInFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        return rpc.callsInFlight();
    }

    @Test
    void aDeadlineThatPassesFailsTheCallWithDeadlineExceeded() throws Exception {
        // long enough for the first answer on a loaded machine
        Echo echo = new EchoClient(connect(), CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)));
        // the requests never end, so neither do the answers: the deadline ends the call
        RpcStream<String> requests = RpcStream.generate(out -> {
            out.send("first");
            new CountDownLatch(1).await();
        });
        Iterator<String> answers = echo.shout(requests).iterator();
        assertEquals("FIRST", answers.next());
        RpcException e = assertThrows(RpcException.class, answers::hasNext);
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        assertEquals("deadline of 2000 ms exceeded", e.getMessage());
        // the session goes on
        assertEquals("after", new EchoClient(rpc).echo("after"));
    }

    @Test
    void killingTheChildDuringAServerStreamFailsTheReaderWithPeerDied() throws Exception {
        Echo echo = new EchoClient(connect());
        Iterator<String> copies = echo.repeat("copy", 1_000_000).iterator();
        assertEquals("copy", copies.next());
        child.destroyForcibly();
        killed = true;
        RpcException e = assertThrows(RpcException.class, () -> {
            while (copies.hasNext()) {
                copies.next();
            }
        });
        assertEquals(ErrorCode.PEER_DIED, e.code());
        assertTrue(rpc.closed().get(GUARD.toSeconds(), TimeUnit.SECONDS).isPeerDeath());
        RpcException after = assertThrows(RpcException.class, () -> echo.echo("anyone?"));
        assertEquals(ErrorCode.PEER_DIED, after.code());
    }

    /** The first of {@code notes} starting with {@code prefix}, waiting for it as long as the guard. */
    private static String awaitNote(Supplier<List<String>> notes, String prefix) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        do {
            Optional<String> note = notes.get().stream().filter(n -> n.startsWith(prefix)).findFirst();
            if (note.isPresent()) {
                return note.get();
            }
            Thread.sleep(10);
        } while (System.nanoTime() < until);
        return "no note starting with " + prefix + " in " + notes.get();
    }

    /** The child's notes, read with an echo call. */
    private static List<String> notesOf(Echo echo) {
        String notes = echo.echo(ProbingEcho.NOTES);
        return notes.isEmpty() ? List.of() : List.of(notes.split(" \\| "));
    }

    /** Waits until a sleep handler of the peer {@code echo} calls runs. */
    private static void awaitSleeper(Echo echo) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (echo.echo(ProbingEcho.SLEEPERS).equals("0") && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }

    @Test
    void cancellingFromTheHostReachesTheChildsHandler() throws Exception {
        EchoClient echo = new EchoClient(connect());
        // a server stream cancelled after its first copy, while the child is still sending
        RpcStream<String> copies = echo.repeat("copy", 1_000_000);
        Iterator<String> it = copies.iterator();
        assertEquals("copy", it.next());
        copies.cancel();
        RpcException cancelled = assertThrows(RpcException.class, () -> {
            while (it.hasNext()) {
                it.next();
            }
        });
        assertEquals(ErrorCode.CANCELLED, cancelled.code());
        assertEquals("repeat of 1000000 cancelled: CANCELLED", awaitNote(() -> notesOf(echo), "repeat of"));
        // a unary call cancelled through its future once the child's handler sleeps
        CompletableFuture<String> sleeping = echo.echoAsync(ProbingEcho.SLEEP + 20_000);
        awaitSleeper(echo);
        assertTrue(sleeping.cancel(true));
        assertEquals("sleep:20000 interrupted: CANCELLED", awaitNote(() -> notesOf(echo), "sleep:"));
        // the handler saw it while the session goes on
        assertEquals("0", echo.echo(ProbingEcho.SLEEPERS));
    }

    @Test
    void cancellingFromTheChildReachesTheHostsHandler() throws Exception {
        Echo echo = new EchoClient(connect());
        // the child's handler reads one copy of this side's repeat("cancel me", 1000000), then cancels the stream
        assertEquals("read cancel me, then CANCELLED", echo.echo(ProbingEcho.CANCEL_PEER));
        assertEquals("repeat of 1000000 cancelled: CANCELLED", awaitNote(hostEcho::notes, "repeat of"));
    }

    @Test
    void aDeadlineFromTheChildCancelsTheHostsHandler() throws Exception {
        Echo echo = new EchoClient(connect());
        // the child's handler echoes sleep:20000 here with a 200 ms deadline; the child's timer or the one here,
        // whichever fires first, ends the call, and each words it its own way
        String outcome = echo.echo(ProbingEcho.DEADLINE_PEER);
        assertTrue(outcome.equals("DEADLINE_EXCEEDED (deadline of 200 ms exceeded)")
                || outcome.matches("DEADLINE_EXCEEDED \\(deadline of [0-9]+ [mun]s exceeded while serving echo\\)"),
                outcome);
        assertEquals("sleep:20000 interrupted: DEADLINE_EXCEEDED", awaitNote(hostEcho::notes, "sleep:"));
    }

    @Test
    void aHandlerThatThrowsFailsItsCallWithInternalBothWays() throws Exception {
        Echo echo = new EchoClient(connect());
        RpcException e = assertThrows(RpcException.class, () -> echo.echo(ProbingEcho.FAIL + "boom"));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertEquals("echo failed: java.lang.IllegalStateException: boom", e.getMessage());
        assertEquals("after", echo.echo("after"), "the session goes on");
        // the child's handler echoes fail:boom here, then after
        assertEquals("INTERNAL (echo failed: java.lang.IllegalStateException: boom), then after",
                echo.echo(ProbingEcho.FAIL_PEER));
        // each serving side logged its handler's failure once, with the method and the call
        assertTrue(childLogs.expect("handler of echo (").startsWith("LOG WARNING io.rapace.rpc.HandlerFailures: "
                + "handler of echo (1049189456) failed on EngineCall[channel=1,"));
        assertTrue(logs.expect(System.Logger.Level.WARNING, "handler of echo (")
                .startsWith("handler of echo (1049189456) failed on EngineCall[channel=2,"));
    }

    @Test
    void nestedCallsToDepthSixteenAndAClearErrorAtSeventeen() throws Exception {
        EchoClient echo = new EchoClient(connect());
        // nest:n is served by echoing nest:n-1 back to the caller: host -> child -> host -> ...
        assertEquals("16", echo.echo(ProbingEcho.NEST + 16));
        RpcException e = assertThrows(RpcException.class, () -> echo.echo(ProbingEcho.NEST + 17));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals("nested call at depth 17 exceeds the limit of 16 nested calls", e.getMessage());
        // several chains at once, each holding a handler thread per level on both sides
        List<CompletableFuture<String>> chains = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chains.add(echo.echoAsync(ProbingEcho.NEST + 16));
        }
        for (CompletableFuture<String> chain : chains) {
            assertEquals("16", chain.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals("after", echo.echo("after"));
    }

    @Test
    void aSlowConsumerStallsOnlyItsOwnStream() throws Exception {
        Echo echo = new EchoClient(connect());
        // stalled: opened, read once, then left
        RpcStream<String> stalled = echo.repeat("stalled", 1_000_000);
        Iterator<String> unread = stalled.iterator();
        assertEquals("stalled", unread.next());
        // another stream on the same session runs to its end meanwhile, and calls still go
        long n = 0;
        for (String copy : echo.repeat("free", 50_000)) {
            assertEquals("free", copy);
            n++;
        }
        assertEquals(50_000, n);
        assertEquals("still", echo.echo("still"));
        // the stalled producer got no further than its credit: 64 KiB of 8-byte copies, and one more
        long sent = Long.parseLong(echo.echo(ProbingEcho.SENT + "stalled"));
        assertTrue(sent <= Limits.DEFAULT_STREAM_WINDOW / 8 + 1, "the producer ran " + sent + " copies ahead");
        stalled.cancel();
        assertEquals("repeat of 1000000 cancelled: CANCELLED", awaitNote(() -> notesOf(echo), "repeat of"));
    }

    @Test
    void bothSidesCallEachOtherAtOnce() throws Exception {
        EchoClient echo = new EchoClient(connect());
        // the child's handler echoes 2000 texts here while this thread echoes 2000 there
        CompletableFuture<String> fromChild = echo.echoAsync(ProbingEcho.HAMMER + 2000);
        for (int i = 0; i < 2000; i++) {
            assertEquals("p" + i, echo.echo("p" + i));
        }
        assertEquals("2000 of 2000", fromChild.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals(2000, hostEcho.echoes());
    }

    @Test
    void killingTheChildDuringAUnaryAndANestedCallFailsEveryCallerWithPeerDied() throws Exception {
        EchoClient echo = new EchoClient(connect());
        // a unary call whose handler sleeps
        CompletableFuture<String> unary = echo.echoAsync(ProbingEcho.SLEEP + 60_000);
        // a caller blocked in a nested call: the child's handler echoes block here, whose handler waits
        CompletableFuture<String> nested = CompletableFuture.supplyAsync(() -> echo.echo(ProbingEcho.BLOCK_PEER));
        assertTrue(hostEcho.blocked.await(GUARD.toSeconds(), TimeUnit.SECONDS));
        awaitSleeper(echo);
        child.destroyForcibly();
        killed = true;
        assertEquals(ErrorCode.PEER_DIED, failureOf(unary).code());
        assertEquals(ErrorCode.PEER_DIED, failureOf(nested).code());
        assertTrue(rpc.closed().get(GUARD.toSeconds(), TimeUnit.SECONDS).isPeerDeath());
        // the handler here that served the child's nested call was cancelled
        assertEquals("block interrupted: PEER_DIED", awaitNote(hostEcho::notes, "block"));
        RpcException after = assertThrows(RpcException.class, () -> echo.echo("anyone?"));
        assertEquals(ErrorCode.PEER_DIED, after.code());
    }

    /** The RpcException a call's future failed with. */
    private static RpcException failureOf(CompletableFuture<?> call) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(GUARD.toSeconds(),
                TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RpcException, String.valueOf(e.getCause()));
        return (RpcException) e.getCause();
    }
}
