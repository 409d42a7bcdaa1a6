package io.rapace.samples.chat;

import io.rapace.rpc.CallContext;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ChatRoom} that also obeys the texts {@link ChatProcessTest} posts to provoke or observe a behaviour across
 * two JVMs; the test (host) and {@link ChatPeerMain} (child) each serve one. Calls back to the peer go through the
 * generated {@link ChatClient} over {@link CallContext#peerChannel()}. What a handler observes it posts to its own
 * room as a message by {@value #NOTE_AUTHOR}, so the peer reads it with a later {@code history} call.
 */
final class ProbingRoom implements Chat {
    static final String NOTE_AUTHOR = "probe";
    /** Calls every method of the caller's room back, checks each answer, answers 4. */
    static final String CALL_BACK = "call back";
    /** {@code sleep:<ms>}: sleeps; if interrupted, notes {@code sleep:<ms> interrupted: <code>}. */
    static final String SLEEP = "sleep:";
    /** How many sleep handlers are running. */
    static final String SLEEPERS = "sleepers";
    /** {@code fail:<message>}: throws an IllegalStateException with the message. */
    static final String FAIL = "fail:";
    /** {@code nest:<n>}: posts {@code nest:<n - 1>} to the caller, until 1; answers the depth reached. */
    static final String NEST = "nest:";
    /** {@code hammer:<n>}: posts to the caller n times; answers how many counts came back in order. */
    static final String HAMMER = "hammer:";
    /** Waits on {@link #release}; if interrupted, notes {@code block interrupted: <code>}. */
    static final String BLOCK = "block";
    /** Posts {@value #BLOCK} to the caller. */
    static final String BLOCK_PEER = "block peer";
    /** Posts {@code sleep:20000} to the caller without waiting, cancels it once it sleeps; answers 1 if it did. */
    static final String CANCEL_PEER = "cancel peer";
    /** Posts {@code sleep:20000} to the caller with a 200 ms deadline; notes {@code deadline peer: <outcome>}. */
    static final String DEADLINE_PEER = "deadline peer";
    /** Posts {@code fail:boom} to the caller, notes {@code fail peer: <outcome>}, then answers a plain post's count. */
    static final String FAIL_PEER = "fail peer";

    private final ChatRoom room = new ChatRoom();
    private final AtomicInteger sleepers = new AtomicInteger();
    /** {@value #BLOCK} handlers wait on this. */
    final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when a {@value #BLOCK} handler starts. */
    final CountDownLatch blocked = new CountDownLatch(1);

    /** Every message of the room, notes included, read locally. */
    List<ChatMessage> messages() {
        return room.history(-1).toList();
    }

    @Override
    public long post(ChatMessage request) {
        String text = request.text();
        switch (text) {
            case CALL_BACK:
                return callBack();
            case SLEEPERS:
                return sleepers.get();
            case BLOCK:
                return block();
            case BLOCK_PEER:
                return peer().post(message(BLOCK));
            case CANCEL_PEER:
                return cancelPeer();
            case DEADLINE_PEER:
                return deadlinePeer();
            case FAIL_PEER:
                return failPeer();
            default:
                break;
        }
        if (text.startsWith(SLEEP)) {
            return sleep(Long.parseLong(text.substring(SLEEP.length())));
        }
        if (text.startsWith(FAIL)) {
            throw new IllegalStateException(text.substring(FAIL.length()));
        }
        if (text.startsWith(NEST)) {
            return nest(Integer.parseInt(text.substring(NEST.length())));
        }
        if (text.startsWith(HAMMER)) {
            return hammer(Integer.parseInt(text.substring(HAMMER.length())));
        }
        return room.post(request);
    }

    /** The caller's room, through the generated client, for a call nested in the one being served. */
    private static ChatClient peer() {
        return new ChatClient(CallContext.current().peerChannel());
    }

    private static ChatMessage message(String text) {
        return new ChatMessage(NOTE_AUTHOR, text);
    }

    private void note(String text) {
        room.post(message(text));
    }

    /** The code the call was cancelled with, or "not cancelled". */
    private static String cancellation(CallContext context) {
        try {
            context.checkCancelled();
            return "not cancelled";
        } catch (RpcException e) {
            return e.code().toString();
        }
    }

    private long sleep(long millis) {
        CallContext context = CallContext.current();
        sleepers.incrementAndGet();
        try {
            Thread.sleep(millis);
            return millis;
        } catch (InterruptedException e) {
            note(SLEEP + millis + " interrupted: " + cancellation(context));
            throw new RpcException(ErrorCode.CANCELLED, "sleep interrupted");
        } finally {
            sleepers.decrementAndGet();
        }
    }

    private long block() {
        CallContext context = CallContext.current();
        blocked.countDown();
        try {
            if (!release.await(60, TimeUnit.SECONDS)) {
                note("block timed out");
            }
            return 0;
        } catch (InterruptedException e) {
            note("block interrupted: " + cancellation(context));
            throw new RpcException(ErrorCode.CANCELLED, "block interrupted");
        }
    }

    private static long nest(int n) {
        if (n <= 1) {
            return CallContext.current().depth();
        }
        return peer().post(message(NEST + (n - 1)));
    }

    private static long hammer(int n) {
        Chat peer = peer();
        long inOrder = 0;
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long count = peer.post(new ChatMessage("hammer", "h" + i));
            if (count > previous) {
                inOrder++;
            }
            previous = count;
        }
        return inOrder;
    }

    private long cancelPeer() {
        ChatClient peer = peer();
        CompletableFuture<Long> sleeping = peer.postAsync(message(SLEEP + 20_000));
        try {
            // cancel it once its handler runs, so the handler is there to see the cancellation
            while (peer.post(message(SLEEPERS)) == 0) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            throw new RpcException(ErrorCode.CANCELLED, "interrupted while waiting for the peer to sleep");
        }
        return sleeping.cancel(true) ? 1 : 0;
    }

    private long deadlinePeer() {
        try {
            peer().withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200))).post(message(SLEEP + 20_000));
            note(DEADLINE_PEER + ": answered");
        } catch (RpcException e) {
            note(DEADLINE_PEER + ": " + e.code() + " (" + e.getMessage() + ")");
        }
        return 0;
    }

    private long failPeer() {
        Chat peer = peer();
        try {
            peer.post(message(FAIL + "boom"));
            note(FAIL_PEER + ": answered");
        } catch (RpcException e) {
            note(FAIL_PEER + ": " + e.code() + " (" + e.getMessage() + ")");
        }
        return peer.post(new ChatMessage("child", "after the failure"));
    }

    /** Calls post, upload, history and converse on the caller's room (which starts empty) and checks each answer. */
    private static long callBack() {
        Chat host = peer();
        ChatMessage one = new ChatMessage("child", "one");
        ChatMessage two = new ChatMessage("child", "two");
        ChatMessage three = new ChatMessage("child", "three");
        check("post", 1L, host.post(one));
        check("upload", new UploadSummary(2, List.of("child")), host.upload(RpcStream.of(two, three)));
        check("history", List.of(one, two), host.history(2).toList());
        check("converse", List.of(new ChatMessage("room", "#4 from child: four")),
                host.converse(RpcStream.of(new ChatMessage("child", "four"))).toList());
        return 4;
    }

    private static void check(String method, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new IllegalStateException("the host's " + method + " answered " + actual + ", expected " + expected);
        }
    }

    @Override
    public UploadSummary upload(RpcStream<ChatMessage> requests) {
        return room.upload(requests);
    }

    /** The room's history, sent as a stream that notes {@code history of <n> cancelled: <code>} if cancelled. */
    @Override
    public RpcStream<ChatMessage> history(int limit) {
        List<ChatMessage> snapshot = room.history(limit).toList();
        CallContext context = CallContext.current();
        context.onCancel(() -> note("history of " + snapshot.size() + " cancelled: " + cancellation(context)));
        return RpcStream.generate(out -> {
            for (ChatMessage message : snapshot) {
                out.send(message);
            }
        });
    }

    @Override
    public RpcStream<ChatMessage> converse(RpcStream<ChatMessage> requests) {
        return room.converse(requests);
    }
}
