package io.rapace.samples.echo;

import io.rapace.rpc.CallContext;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link EchoService}, which also obeys the texts {@link EchoProcessTest} echoes to provoke or observe a behaviour
 * across two JVMs; the test (host) and {@link EchoPeerMain} (child) each serve one. Calls back to the peer go
 * through the generated {@link EchoClient} over {@link CallContext#peerChannel()}. What a handler observes it keeps
 * as a note; echoing {@value #NOTES} answers them.
 */
final class ProbingEcho implements Echo {
    /** The notes so far, joined with {@code " | "}. */
    static final String NOTES = "notes";
    /** Calls every method of the caller's echo back and answers with what came back. */
    static final String CALL_BACK = "call back";
    /** {@code sleep:<ms>}: sleeps; if interrupted, notes {@code sleep:<ms> interrupted: <code>}. */
    static final String SLEEP = "sleep:";
    /** How many sleep handlers are running. */
    static final String SLEEPERS = "sleepers";
    /** {@code fail:<message>}: throws an IllegalStateException with the message. */
    static final String FAIL = "fail:";
    /** {@code nest:<n>}: echoes {@code nest:<n - 1>} to the caller, until 1; answers the depth reached. */
    static final String NEST = "nest:";
    /** {@code hammer:<n>}: echoes n texts to the caller; answers how many came back right. */
    static final String HAMMER = "hammer:";
    /** {@code sent:<text>}: how many copies the last repeat of the text has sent. */
    static final String SENT = "sent:";
    /** Waits on {@link #release}; if interrupted, notes {@code block interrupted: <code>}. */
    static final String BLOCK = "block";
    /** Echoes {@value #BLOCK} to the caller. */
    static final String BLOCK_PEER = "block peer";
    /** Reads one copy of the caller's {@code repeat("cancel me", 1000000)}, then cancels the stream. */
    static final String CANCEL_PEER = "cancel peer";
    /** Echoes {@code sleep:20000} to the caller with a 200 ms deadline; answers the outcome. */
    static final String DEADLINE_PEER = "deadline peer";
    /** Echoes {@code fail:boom} to the caller, then {@code after}; answers both outcomes. */
    static final String FAIL_PEER = "fail peer";

    private final EchoService service = new EchoService();
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicInteger sleepers = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final List<String> notes = new ArrayList<>();
    /** {@value #BLOCK} handlers wait on this. */
    final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when a {@value #BLOCK} handler starts. */
    final CountDownLatch blocked = new CountDownLatch(1);

    /** How many echoes this served, special texts included. */
    long echoes() {
        return echoes.get();
    }

    /** The notes so far. */
    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    private synchronized void note(String text) {
        notes.add(text);
    }

    @Override
    public String echo(String text) {
        echoes.incrementAndGet();
        switch (text) {
            case NOTES:
                return String.join(" | ", notes());
            case CALL_BACK:
                return callBack();
            case SLEEPERS:
                return Integer.toString(sleepers.get());
            case BLOCK:
                return block();
            case BLOCK_PEER:
                return peer().echo(BLOCK);
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
        if (text.startsWith(SENT)) {
            AtomicLong copies = sent.get(text.substring(SENT.length()));
            return copies == null ? "none" : Long.toString(copies.get());
        }
        return service.echo(text);
    }

    /** The caller's echo, through the generated client, for a call nested in the one being served. */
    private static EchoClient peer() {
        return new EchoClient(CallContext.current().peerChannel());
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

    private String sleep(long millis) {
        CallContext context = CallContext.current();
        sleepers.incrementAndGet();
        try {
            Thread.sleep(millis);
            return "slept " + millis;
        } catch (InterruptedException e) {
            note(SLEEP + millis + " interrupted: " + cancellation(context));
            throw new RpcException(ErrorCode.CANCELLED, "sleep interrupted");
        } finally {
            sleepers.decrementAndGet();
        }
    }

    private String block() {
        CallContext context = CallContext.current();
        blocked.countDown();
        try {
            return release.await(60, TimeUnit.SECONDS) ? "released" : "timed out";
        } catch (InterruptedException e) {
            note("block interrupted: " + cancellation(context));
            throw new RpcException(ErrorCode.CANCELLED, "block interrupted");
        }
    }

    private static String nest(int n) {
        if (n <= 1) {
            return Integer.toString(CallContext.current().depth());
        }
        return peer().echo(NEST + (n - 1));
    }

    private static String hammer(int n) {
        Echo peer = peer();
        int right = 0;
        for (int i = 0; i < n; i++) {
            if (peer.echo("h" + i).equals("h" + i)) {
                right++;
            }
        }
        return right + " of " + n;
    }

    private static String cancelPeer() {
        RpcStream<String> copies = peer().repeat("cancel me", 1_000_000);
        Iterator<String> it = copies.iterator();
        String first = it.next();
        copies.cancel();
        try {
            while (it.hasNext()) {
                it.next();
            }
            return "read " + first + ", then the stream ended";
        } catch (RpcException e) {
            return "read " + first + ", then " + e.code();
        }
    }

    private static String deadlinePeer() {
        try {
            return peer().withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200))).echo(SLEEP + 20_000);
        } catch (RpcException e) {
            return e.code() + " (" + e.getMessage() + ")";
        }
    }

    private static String failPeer() {
        Echo peer = peer();
        String failed;
        try {
            failed = "answered " + peer.echo(FAIL + "boom");
        } catch (RpcException e) {
            failed = e.code() + " (" + e.getMessage() + ")";
        }
        return failed + ", then " + peer.echo("after");
    }

    /** Calls every method of the caller's echo and reports what came back. */
    private static String callBack() {
        Echo host = peer();
        return "echo=" + host.echo("hi")
                + " repeat=" + host.repeat("ho", 2).toList()
                + " count=" + host.count(RpcStream.of("a", "b", "c"))
                + " shout=" + host.shout(RpcStream.of("x", "y")).toList();
    }

    /**
     * The text {@code times} times, produced as the stream is read (counted for {@value #SENT}); if cancelled, notes
     * {@code repeat of <times> cancelled: <code>}.
     */
    @Override
    public RpcStream<String> repeat(String text, int times) {
        CallContext context = CallContext.current();
        AtomicLong copies = new AtomicLong();
        sent.put(text, copies);
        context.onCancel(() -> note("repeat of " + Integer.toUnsignedString(times) + " cancelled: "
                + cancellation(context)));
        return RpcStream.generate(out -> {
            for (long i = 0; i < Integer.toUnsignedLong(times); i++) {
                out.send(text);
                copies.incrementAndGet();
            }
        });
    }

    @Override
    public long count(RpcStream<String> texts) {
        return service.count(texts);
    }

    @Override
    public RpcStream<String> shout(RpcStream<String> texts) {
        return service.shout(texts);
    }
}
