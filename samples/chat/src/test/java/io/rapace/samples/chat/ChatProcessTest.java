package io.rapace.samples.chat;

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
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * The IDL chat service across two real JVMs, through the client and dispatcher the Maven plugin generated: this test
 * is the host (PeerA) and serves a {@link ChatRoom}; a {@link ChatPeerMain} child is the plugin (PeerB) and serves
 * another. Every wait is bounded by a guard (against hangs, never a speed target); after each test the child is gone
 * and /dev/shm holds nothing of either process.
 */
class ChatProcessTest {
    private static final Duration GUARD = Duration.ofSeconds(30);

    private final ChatRoom hostRoom = new ChatRoom();
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

    /** Starts the child, accepts it and waits for its READY; the host serves {@link #hostRoom}. */
    private RpcSession connect() throws Exception {
        RpcSession.Listening listening = RpcSession.builder()
                .config(SessionConfig.builder().peerId("host").build())
                .serve(new ChatDispatcher(hostRoom))
                .listen();
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-Xshare:auto",
                ChatPeerMain.class.getName(), listening.segmentPath().toString(), listening.socketPath().toString())
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
        assertEquals("chat-child", rpc.peerId());
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
        Chat chat = new ChatClient(connect());
        ChatMessage hello = new ChatMessage("ada", "hello");
        assertEquals(1, chat.post(hello));
        assertEquals(new UploadSummary(3, List.of("grace", "ada")), chat.upload(RpcStream.of(
                new ChatMessage("grace", "a"), new ChatMessage("ada", "b"), new ChatMessage("grace", "c"))));
        assertEquals(List.of(hello, new ChatMessage("grace", "a")), chat.history(2).toList());
        assertEquals(List.of(new ChatMessage("room", "#5 from linus: hi"), new ChatMessage("room", "#6 from ada: yo")),
                chat.converse(RpcStream.of(new ChatMessage("linus", "hi"), new ChatMessage("ada", "yo"))).toList());
        assertEquals(List.of(), hostRoom.history(-1).toList(), "the host's own room was not called");
    }

    @Test
    void everyKindFromTheChildBackToTheHost() throws Exception {
        Chat chat = new ChatClient(connect());
        // the child's post handler calls post, upload, history and converse on this side's room and checks them
        assertEquals(4, chat.post(new ChatMessage("host", ChatPeerMain.CALL_BACK)));
        assertEquals(List.of(new ChatMessage("child", "one"), new ChatMessage("child", "two"),
                new ChatMessage("child", "three"), new ChatMessage("child", "four")), hostRoom.history(-1).toList());
    }

    @Test
    void thirtyTwoCallersShareOneClient() throws Exception {
        Chat chat = new ChatClient(connect());
        ChatMessage first = new ChatMessage("host", "first");
        assertEquals(1, chat.post(first));
        Set<Long> counts = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                String author = "caller" + t;
                results.add(pool.submit(() -> {
                    int rounds = 0;
                    for (int i = 0; i < 20; i++) {
                        assertTrue(counts.add(chat.post(new ChatMessage(author, "post " + i))));
                        assertEquals(new UploadSummary(2, List.of(author)), chat.upload(RpcStream.of(
                                new ChatMessage(author, "upload " + i), new ChatMessage(author, "more " + i))));
                        assertEquals(List.of(first), chat.history(1).toList());
                        List<ChatMessage> replies = chat.converse(RpcStream.of(new ChatMessage(author, "say " + i)))
                                .toList();
                        assertEquals(1, replies.size());
                        assertTrue(replies.get(0).text().endsWith(" from " + author + ": say " + i), replies.toString());
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
        assertEquals(1 + 32 * 20 * 4, chat.history(-1).toList().size());
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
        Chat chat = new ChatClient(connect()).withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
        // the messages never end, so neither do the replies: the deadline ends the call
        RpcStream<ChatMessage> messages = RpcStream.generate(out -> {
            out.send(new ChatMessage("ada", "still there?"));
            new CountDownLatch(1).await();
        });
        Iterator<ChatMessage> replies = chat.converse(messages).iterator();
        assertEquals(new ChatMessage("room", "#1 from ada: still there?"), replies.next());
        RpcException e = assertThrows(RpcException.class, replies::hasNext);
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        assertEquals("deadline of 300 ms exceeded", e.getMessage());
        // the session goes on
        assertEquals(2, new ChatClient(rpc).post(new ChatMessage("ada", "after")));
    }

    @Test
    void killingTheChildDuringAServerStreamFailsTheReaderWithPeerDied() throws Exception {
        Chat chat = new ChatClient(connect());
        // more history than one stream window (64 KiB) holds, so the child is still sending when it dies
        List<ChatMessage> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(new ChatMessage("ada", "message " + i));
        }
        assertEquals(new UploadSummary(20_000, List.of("ada")), chat.upload(RpcStream.from(many)));
        Iterator<ChatMessage> history = chat.history(-1).iterator();
        assertEquals(many.get(0), history.next());
        child.destroyForcibly();
        killed = true;
        RpcException e = assertThrows(RpcException.class, () -> {
            while (history.hasNext()) {
                history.next();
            }
        });
        assertEquals(ErrorCode.PEER_DIED, e.code());
        assertTrue(rpc.closed().get(GUARD.toSeconds(), TimeUnit.SECONDS).isPeerDeath());
        RpcException after = assertThrows(RpcException.class, () -> chat.post(new ChatMessage("ada", "anyone?")));
        assertEquals(ErrorCode.PEER_DIED, after.code());
    }
}
