package io.rapace.rpc;

import io.rapace.codec.Codecs;
import io.rapace.codec.Unit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test service both sides of an {@link RpcSession} serve, written against the public call API the generated code
 * uses ({@link ServerMethod} factories, {@link CallChannel} calls with codecs): one method per behaviour a
 * cross-process test needs to provoke or observe.
 */
final class Probe implements ServiceDispatcher {
    static final int ECHO = 101;
    static final int SLEEP = 102;
    static final int FAIL = 103;
    static final int NEST = 104;
    static final int COUNT = 105;
    static final int SUM = 106;
    static final int DOUBLE = 107;
    static final int CALL_BACK = 108;
    static final int LAST_CANCELLATION = 109;
    static final int SENT = 110;
    static final int BLOCK = 111;
    static final int CALL_PEER_SLEEP = 112;
    static final int HAMMER = 113;
    static final int BLOCK_PEER = 114;
    static final int SLOW_CALL_BACK = 115;
    static final int CANCEL_PEER_SLEEP = 116;

    /** What the last SLEEP handler saw when it was cancelled: code and whether its thread was interrupted. */
    final AtomicReference<String> lastCancellation = new AtomicReference<>("none");
    /** Elements the last COUNT handler has sent so far. */
    final AtomicLong sent = new AtomicLong();
    /** BLOCK handlers wait on this. */
    final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when a BLOCK handler starts. */
    final CountDownLatch blocked = new CountDownLatch(1);

    @Override
    public String serviceName() {
        return "rapace.test.Probe";
    }

    @Override
    public List<ServerMethod<?, ?>> methods() {
        return List.of(
                ServerMethod.unary(ECHO, "echo", Codecs.STRING, Codecs.STRING, s -> s),
                ServerMethod.unary(SLEEP, "sleep", Codecs.U64, Codecs.STRING, this::sleep),
                ServerMethod.unary(FAIL, "fail", Codecs.STRING, Codecs.STRING, message -> {
                    throw new IllegalStateException(message);
                }),
                ServerMethod.unary(NEST, "nest", Codecs.U32, Codecs.U32, Probe::nest),
                ServerMethod.serverStreaming(COUNT, "count", Codecs.U32, Codecs.U64, this::count),
                ServerMethod.clientStreaming(SUM, "sum", Codecs.U64, Codecs.U64, requests -> {
                    long total = 0;
                    for (long v : requests) {
                        total += v;
                    }
                    return total;
                }),
                ServerMethod.bidiStreaming(DOUBLE, "double", Codecs.U64, Codecs.U64, requests -> RpcStream.generate(
                        out -> {
                            for (long v : requests) {
                                out.send(v * 2);
                            }
                            out.complete();
                        })),
                ServerMethod.unary(CALL_BACK, "callBack", Codecs.STRING, Codecs.STRING, Probe::callBack),
                ServerMethod.unary(LAST_CANCELLATION, "lastCancellation", Codecs.UNIT, Codecs.STRING,
                        u -> lastCancellation.get()),
                ServerMethod.unary(SENT, "sent", Codecs.UNIT, Codecs.U64, u -> sent.get()),
                ServerMethod.unary(BLOCK, "block", Codecs.UNIT, Codecs.UNIT, this::block),
                ServerMethod.unary(CALL_PEER_SLEEP, "callPeerSleep", Codecs.U64, Codecs.STRING, Probe::callPeerSleep),
                ServerMethod.unary(HAMMER, "hammer", Codecs.U32, Codecs.U32, Probe::hammer),
                ServerMethod.unary(SLOW_CALL_BACK, "slowCallBack", Codecs.U64, Codecs.STRING, millis -> {
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        throw new RpcException(ErrorCode.CANCELLED, "interrupted");
                    }
                    return "after " + millis + ": " + CallContext.current().peerChannel().unary(ECHO, "nested",
                            Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT);
                }),
                ServerMethod.unary(CANCEL_PEER_SLEEP, "cancelPeerSleep", Codecs.UNIT, Codecs.STRING, u -> {
                    java.util.concurrent.CompletableFuture<String> sleeping = CallContext.current().peerChannel()
                            .unaryAsync(SLEEP, 20_000L, Codecs.U64, Codecs.STRING, CallOptions.DEFAULT);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "cancelled " + sleeping.cancel(true);
                }),
                ServerMethod.unary(BLOCK_PEER, "blockPeer", Codecs.UNIT, Codecs.UNIT, u -> CallContext.current()
                        .peerChannel().unary(BLOCK, Unit.UNIT, Codecs.UNIT, Codecs.UNIT, CallOptions.DEFAULT)));
    }

    /** Sleeps up to {@code millis}; on cancellation records what it saw and rethrows. */
    private String sleep(long millis) {
        CallContext context = CallContext.current();
        try {
            Thread.sleep(millis);
            return "slept " + millis;
        } catch (InterruptedException e) {
            String seen = "interrupted";
            try {
                context.checkCancelled();
            } catch (RpcException cancelled) {
                seen = cancelled.code() + " interrupted";
            }
            lastCancellation.set(seen);
            throw new RpcException(ErrorCode.CANCELLED, "sleep interrupted");
        }
    }

    private Unit block(Unit unit) {
        blocked.countDown();
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            lastCancellation.set(CallContext.current().isCancelled() ? "cancelled while blocked" : "interrupted");
            Thread.currentThread().interrupt();
        }
        return Unit.UNIT;
    }

    /** Calls the peer's nest with n - 1 until n is 1; answers the depth reached. */
    private static int nest(int n) {
        CallContext context = CallContext.current();
        if (n <= 1) {
            return context.depth();
        }
        return context.peerChannel().unary(NEST, n - 1, Codecs.U32, Codecs.U32, CallOptions.DEFAULT);
    }

    private RpcStream<Long> count(int n) {
        sent.set(0);
        return RpcStream.generate(out -> {
            for (long i = 0; i < Integer.toUnsignedLong(n); i++) {
                out.send(i);
                sent.incrementAndGet();
            }
            out.complete();
        });
    }

    /** Calls every kind of the caller's Probe back (a nested call per kind) and reports what came back. */
    private static String callBack(String text) {
        CallChannel peer = CallContext.current().peerChannel();
        String echo = peer.unary(ECHO, text, Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT);
        long sum = peer.clientStreaming(SUM, RpcStream.of(1L, 2L, 3L), Codecs.U64, Codecs.U64, CallOptions.DEFAULT);
        List<Long> count = peer.serverStreaming(COUNT, 3, Codecs.U32, Codecs.U64, CallOptions.DEFAULT).toList();
        List<Long> doubled = peer.bidiStreaming(DOUBLE, RpcStream.of(5L, 6L), Codecs.U64, Codecs.U64,
                CallOptions.DEFAULT).toList();
        return echo + " sum=" + sum + " count=" + count + " double=" + doubled;
    }

    /** Calls the peer's sleep with a 200 ms deadline and reports the outcome's code. */
    private static String callPeerSleep(long millis) {
        try {
            return CallContext.current().peerChannel().unary(SLEEP, millis, Codecs.U64, Codecs.STRING,
                    CallOptions.DEFAULT.withTimeout(java.time.Duration.ofMillis(200)));
        } catch (RpcException e) {
            return e.code().toString();
        }
    }

    /** Calls the peer's echo n times and answers how many came back right. */
    private static int hammer(int n) {
        CallChannel peer = CallContext.current().peerChannel();
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (peer.unary(ECHO, "h" + i, Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT).equals("h" + i)) {
                ok++;
            }
        }
        return ok;
    }
}
