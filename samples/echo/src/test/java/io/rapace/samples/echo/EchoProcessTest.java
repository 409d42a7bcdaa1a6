package io.rapace.samples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import io.rapace.rpc.RpcStream;
import io.rapace.session.SessionConfig;
import io.rapace.shm.Segment;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The annotated echo service across two real JVMs, through the clients and dispatchers the processor (and, for
 * {@link EchoStatus}, the Maven plugin) generated: this test is the host (PeerA) and serves {@link EchoService}; an
 * {@link EchoPeerMain} child is the plugin (PeerB) and serves the same. Every wait is bounded by a guard (against
 * hangs, never a speed target); after each test the child is gone and /dev/shm holds nothing of either process.
 */
class EchoProcessTest {
    private static final Duration GUARD = Duration.ofSeconds(30);

    private final LinkedBlockingQueue<String> childLines = new LinkedBlockingQueue<>();
    private RpcSession rpc;
    private Process child;
    private Thread childOutput;
    private boolean killed;

    @AfterEach
    void reclaim() throws Exception {
        if (child == null) {
            return;
        }
        try {
            if (rpc != null) {
                rpc.close();
            }
            assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "the child did not exit");
            childOutput.join(GUARD.toMillis());
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

    /** Starts the child, accepts it and waits for its READY; the host serves the echo service too. */
    private RpcSession connect() throws Exception {
        RpcSession.Listening listening = RpcSession.builder()
                .config(SessionConfig.builder().peerId("host").build())
                .serve(new EchoDispatcher(new EchoService()))
                .listen();
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-Xshare:auto",
                EchoPeerMain.class.getName(), listening.segmentPath().toString(), listening.socketPath().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process p = child;
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
        assertEquals("echo=hi repeat=[ho, ho] count=3 shout=[X, Y]", echo.echo(EchoPeerMain.CALL_BACK));
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
        Echo echo = new EchoClient(connect(), CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
        // the requests never end, so neither do the answers: the deadline ends the call
        RpcStream<String> requests = RpcStream.generate(out -> {
            out.send("first");
            new CountDownLatch(1).await();
        });
        Iterator<String> answers = echo.shout(requests).iterator();
        assertEquals("FIRST", answers.next());
        RpcException e = assertThrows(RpcException.class, answers::hasNext);
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        assertEquals("deadline of 300 ms exceeded", e.getMessage());
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
}
