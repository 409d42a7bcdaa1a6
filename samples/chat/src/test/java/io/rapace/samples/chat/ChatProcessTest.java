package io.rapace.samples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * The IDL chat service across two real JVMs, through the client and dispatcher the Maven plugin generated: this test
 * is the host (PeerA) and serves a {@link ProbingRoom}; a {@link ChatPeerMain} child is the plugin (PeerB) and serves
 * another, so either side's handlers can be made to call back, sleep, fail or block. Every wait is bounded by a
 * guard (against hangs, never a speed target); after each test the child is gone and /dev/shm holds nothing of either
 * process.
 */
class ChatProcessTest {
    private static final Duration GUARD = Duration.ofSeconds(30);

    private final ProbingRoom hostRoom = new ProbingRoom();
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
        hostRoom.release.countDown();
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

    /** Starts the child, accepts it and waits for its READY; the host serves {@link #hostRoom}. */
    private RpcSession connect() throws Exception {
        RpcSession.Listening listening = RpcSession.builder()
                .config(SessionConfig.builder().peerId("host").build())
                .serve(new ChatDispatcher(hostRoom))
                .listen();
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-Xshare:auto", ChildLogs.JVM_ARG,
                ChatPeerMain.class.getName(), listening.segmentPath().toString(), listening.socketPath().toString())
                .start();
        Process p = child;
        childLogs = ChildLogs.of("chat child", child);
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
        assertEquals(List.of(), hostRoom.messages(), "the host's own room was not called");
    }

    @Test
    void everyKindFromTheChildBackToTheHost() throws Exception {
        Chat chat = new ChatClient(connect());
        // the child's post handler calls post, upload, history and converse on this side's room and checks them
        assertEquals(4, chat.post(probe(ProbingRoom.CALL_BACK)));
        assertEquals(List.of(new ChatMessage("child", "one"), new ChatMessage("child", "two"),
                new ChatMessage("child", "three"), new ChatMessage("child", "four")), hostRoom.messages());
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
        // long enough for the first reply on a loaded machine
        Chat chat = new ChatClient(connect()).withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)));
        // the messages never end, so neither do the replies: the deadline ends the call
        RpcStream<ChatMessage> messages = RpcStream.generate(out -> {
            out.send(new ChatMessage("ada", "still there?"));
            new CountDownLatch(1).await();
        });
        Iterator<ChatMessage> replies = chat.converse(messages).iterator();
        assertEquals(new ChatMessage("room", "#1 from ada: still there?"), replies.next());
        RpcException e = assertThrows(RpcException.class, replies::hasNext);
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        assertEquals("deadline of 2000 ms exceeded", e.getMessage());
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

    /** A post from the host that the peer's {@link ProbingRoom} obeys. */
    private static ChatMessage probe(String text) {
        return new ChatMessage("host", text);
    }

    /** The child's notes, read with a history call. */
    private static List<String> notesOf(Chat chat) {
        return notes(chat.history(-1).toList());
    }

    private static List<String> notes(List<ChatMessage> messages) {
        return messages.stream().filter(m -> m.author().equals(ProbingRoom.NOTE_AUTHOR)).map(ChatMessage::text)
                .toList();
    }

    /** The first note starting with {@code prefix}, waiting for it as long as the guard. */
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

    /** Waits until a sleep handler of the peer {@code chat} calls runs. */
    private static void awaitSleeper(Chat chat) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (chat.post(probe(ProbingRoom.SLEEPERS)) == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }

    /** More messages than one stream window (64 KiB) holds, uploaded to the child. */
    private static List<ChatMessage> uploadMany(Chat chat) {
        List<ChatMessage> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(new ChatMessage("ada", "message " + i));
        }
        assertEquals(new UploadSummary(20_000, List.of("ada")), chat.upload(RpcStream.from(many)));
        return many;
    }

    @Test
    void cancellingFromTheHostReachesTheChildsHandler() throws Exception {
        Chat chat = new ChatClient(connect());
        List<ChatMessage> many = uploadMany(chat);
        // a server stream cancelled after its first message, while the child is still sending
        RpcStream<ChatMessage> history = chat.history(-1);
        Iterator<ChatMessage> messages = history.iterator();
        assertEquals(many.get(0), messages.next());
        history.cancel();
        RpcException cancelled = assertThrows(RpcException.class, () -> {
            while (messages.hasNext()) {
                messages.next();
            }
        });
        assertEquals(ErrorCode.CANCELLED, cancelled.code());
        assertEquals("history of 20000 cancelled: CANCELLED", awaitNote(() -> notesOf(chat), "history of 20000"));
        // a caller blocked in a unary call, interrupted once the child's handler sleeps
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                awaitSleeper(chat);
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        RpcException interrupted = assertThrows(RpcException.class, () -> chat.post(probe(ProbingRoom.SLEEP
                + 20_000)));
        assertTrue(Thread.interrupted(), "the interrupt flag stays set");
        interrupter.join();
        assertEquals(ErrorCode.CANCELLED, interrupted.code());
        assertEquals("cancelled: the calling thread was interrupted", interrupted.getMessage());
        assertEquals("sleep:20000 interrupted: CANCELLED", awaitNote(() -> notesOf(chat), "sleep:"));
    }

    @Test
    void cancellingFromTheChildReachesTheHostsHandler() throws Exception {
        Chat chat = new ChatClient(connect());
        // the child's handler posts sleep:20000 here without waiting, then cancels the future
        assertEquals(1, chat.post(probe(ProbingRoom.CANCEL_PEER)));
        assertEquals("sleep:20000 interrupted: CANCELLED", awaitNote(() -> notes(hostRoom.messages()), "sleep:"));
    }

    @Test
    void aDeadlineFromTheChildCancelsTheHostsHandler() throws Exception {
        Chat chat = new ChatClient(connect());
        // the child's handler posts sleep:20000 here with a 200 ms deadline
        assertEquals(0, chat.post(probe(ProbingRoom.DEADLINE_PEER)));
        // the child's timer or the one here, whichever fires first, ends the call; each words it its own way
        String outcome = awaitNote(() -> notesOf(chat), ProbingRoom.DEADLINE_PEER);
        assertTrue(outcome.equals("deadline peer: DEADLINE_EXCEEDED (deadline of 200 ms exceeded)")
                || outcome.matches("deadline peer: DEADLINE_EXCEEDED \\(deadline of [0-9]+ [mun]s exceeded while "
                        + "serving post\\)"), outcome);
        assertEquals("sleep:20000 interrupted: DEADLINE_EXCEEDED", awaitNote(() -> notes(hostRoom.messages()),
                "sleep:"));
    }

    @Test
    void aHandlerThatThrowsFailsItsCallWithInternalBothWays() throws Exception {
        Chat chat = new ChatClient(connect());
        RpcException e = assertThrows(RpcException.class, () -> chat.post(probe(ProbingRoom.FAIL + "boom")));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertEquals("post failed: java.lang.IllegalStateException: boom", e.getMessage());
        assertEquals(1, chat.post(new ChatMessage("ada", "after")), "the session goes on");
        // the child's handler posts fail:boom here, then a plain message, which this room counts as its first
        assertEquals(1, chat.post(probe(ProbingRoom.FAIL_PEER)));
        assertEquals("fail peer: INTERNAL (post failed: java.lang.IllegalStateException: boom)",
                awaitNote(() -> notesOf(chat), ProbingRoom.FAIL_PEER));
        assertEquals(List.of(new ChatMessage("child", "after the failure")), hostRoom.messages());
        // each serving side logged its handler's failure once, with the method and the call
        assertTrue(childLogs.expect("handler of post (").startsWith("LOG WARNING io.rapace.rpc.HandlerFailures: "
                + "handler of post (785516403) failed on EngineCall[channel=1,"));
        assertTrue(logs.expect(System.Logger.Level.WARNING, "handler of post (")
                .startsWith("handler of post (785516403) failed on EngineCall[channel=2,"));
    }

    @Test
    void nestedCallsToDepthSixteenAndAClearErrorAtSeventeen() throws Exception {
        ChatClient chat = new ChatClient(connect());
        // nest:n is served by posting nest:n-1 back to the caller: host -> child -> host -> ...
        assertEquals(16, chat.post(probe(ProbingRoom.NEST + 16)));
        RpcException e = assertThrows(RpcException.class, () -> chat.post(probe(ProbingRoom.NEST + 17)));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals("nested call at depth 17 exceeds the limit of 16 nested calls", e.getMessage());
        // several chains at once, each holding a handler thread per level on both sides
        List<CompletableFuture<Long>> chains = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chains.add(chat.postAsync(probe(ProbingRoom.NEST + 16)));
        }
        for (CompletableFuture<Long> chain : chains) {
            assertEquals(16, chain.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(1, chat.post(new ChatMessage("ada", "after")));
    }

    @Test
    void aSlowConsumerStallsOnlyItsOwnStream() throws Exception {
        Chat chat = new ChatClient(connect());
        List<ChatMessage> many = uploadMany(chat);
        // stalled: opened, read once, then left
        RpcStream<ChatMessage> stalled = chat.history(-1);
        Iterator<ChatMessage> unread = stalled.iterator();
        assertEquals(many.get(0), unread.next());
        // another stream on the same session runs to its end meanwhile, and calls still go
        assertEquals(many, chat.history(20_000).toList());
        assertEquals(20_001, chat.post(new ChatMessage("ada", "still there")));
        // the stalled one was held back by its credit, never finished: its handler sees the cancel
        stalled.cancel();
        assertEquals("history of 20000 cancelled: CANCELLED", awaitNote(() -> notesOf(chat), "history of"));
    }

    @Test
    void bothSidesCallEachOtherAtOnce() throws Exception {
        ChatClient chat = new ChatClient(connect());
        // the child's handler posts 2000 messages here while this thread posts 2000 there
        CompletableFuture<Long> fromChild = chat.postAsync(probe(ProbingRoom.HAMMER + 2000));
        for (int i = 0; i < 2000; i++) {
            assertEquals(i + 1, chat.post(new ChatMessage("host", "p" + i)));
        }
        assertEquals(2000, fromChild.get(GUARD.toSeconds(), TimeUnit.SECONDS), "counts that came back in order");
        assertEquals(2000, hostRoom.messages().size());
    }

    @Test
    void killingTheChildDuringAUnaryAndANestedCallFailsEveryCallerWithPeerDied() throws Exception {
        ChatClient chat = new ChatClient(connect());
        // a unary call whose handler sleeps
        CompletableFuture<Long> unary = chat.postAsync(probe(ProbingRoom.SLEEP + 60_000));
        // a caller blocked in a nested call: the child's handler posts block here, whose handler waits
        CompletableFuture<Long> nested = CompletableFuture.supplyAsync(() -> chat.post(probe(
                ProbingRoom.BLOCK_PEER)));
        assertTrue(hostRoom.blocked.await(GUARD.toSeconds(), TimeUnit.SECONDS));
        awaitSleeper(chat);
        child.destroyForcibly();
        killed = true;
        assertEquals(ErrorCode.PEER_DIED, failureOf(unary).code());
        assertEquals(ErrorCode.PEER_DIED, failureOf(nested).code());
        assertTrue(rpc.closed().get(GUARD.toSeconds(), TimeUnit.SECONDS).isPeerDeath());
        // the handler here that served the child's nested call was cancelled
        assertEquals("block interrupted: PEER_DIED", awaitNote(() -> notes(hostRoom.messages()), "block"));
        RpcException after = assertThrows(RpcException.class, () -> chat.post(new ChatMessage("ada", "anyone?")));
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
