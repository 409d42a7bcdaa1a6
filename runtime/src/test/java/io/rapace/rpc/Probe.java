package io.rapace.rpc;

import io.rapace.codec.Codecs;
import io.rapace.codec.Unit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    static final int CONTEXT = 117;
    static final int PEER_CONTEXT = 118;
    static final int HANDLER_THREAD = 119;
    static final int PEER_HANDLER_THREAD = 120;
    static final int TICK = 121;
    static final int REFUSE = 122;
    static final int FIRST = 123;
    static final int NOT_FOUND = 124;
    static final int BREAK = 125;
    static final int LENGTH = 126;
    static final int GROW = 127;
    static final int HOLD = 128;
    static final int STALL_PEER_COUNT = 129;
    static final int SLEEPING = 130;
    static final int THREAD_NAME = 131;
    static final int RELEASE_AND_SLEEP = 132;

    /**
     * What the last SLEEP, BLOCK, TICK, HOLD or COUNT handler saw when it was cancelled; LAST_CANCELLATION answers it
     * and sets it back to {@code none}.
     */
    final AtomicReference<String> lastCancellation = new AtomicReference<>("none");
    /** SLEEP handlers running now. */
    final AtomicInteger sleeping = new AtomicInteger();
    /** Elements the last COUNT handler has sent so far. */
    final AtomicLong sent = new AtomicLong();
    /** BLOCK handlers wait on this. */
    final CountDownLatch release = new CountDownLatch(1);
    /** Released once each time a BLOCK handler starts. */
    final Semaphore blocked = new Semaphore(0);
    /** The thread of the last COUNT producer, to see it wait for credit. */
    final AtomicReference<Thread> producer = new AtomicReference<>();

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
                        u -> lastCancellation.getAndSet("none")),
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
                    CallChannel peer = CallContext.current().peerChannel();
                    java.util.concurrent.CompletableFuture<String> sleep = peer.unaryAsync(SLEEP, 20_000L,
                            Codecs.U64, Codecs.STRING, CallOptions.DEFAULT);
                    try {
                        awaitSleeping(peer);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "cancelled " + sleep.cancel(true);
                }),
                ServerMethod.unary(SLEEPING, "sleeping", Codecs.UNIT, Codecs.U32, u -> sleeping.get()),
                ServerMethod.unary(THREAD_NAME, "threadName", Codecs.UNIT, Codecs.STRING,
                        u -> Thread.currentThread().getName()),
                ServerMethod.unary(RELEASE_AND_SLEEP, "releaseAndSleep", Codecs.U64, Codecs.STRING, millis -> {
                    release.countDown(); // a blocked BLOCK handler returns now
                    return sleep(millis);
                }),
                ServerMethod.unary(BLOCK_PEER, "blockPeer", Codecs.UNIT, Codecs.UNIT, u -> CallContext.current()
                        .peerChannel().unary(BLOCK, Unit.UNIT, Codecs.UNIT, Codecs.UNIT, CallOptions.DEFAULT)),
                ServerMethod.unary(CONTEXT, "context", Codecs.UNIT, Codecs.STRING, u -> context()),
                ServerMethod.unary(PEER_CONTEXT, "peerContext", Codecs.UNIT, Codecs.STRING, u -> CallContext.current()
                        .peerChannel().unary(CONTEXT, Unit.UNIT, Codecs.UNIT, Codecs.STRING, CallOptions.DEFAULT)),
                ServerMethod.unary(HANDLER_THREAD, "handlerThread", Codecs.UNIT, Codecs.STRING,
                        u -> HandlerExecutors.kindOf(Thread.currentThread())),
                ServerMethod.unary(PEER_HANDLER_THREAD, "peerHandlerThread", Codecs.UNIT, Codecs.STRING,
                        u -> CallContext.current().peerChannel().unary(HANDLER_THREAD, Unit.UNIT, Codecs.UNIT,
                                Codecs.STRING, CallOptions.DEFAULT)),
                ServerMethod.serverStreaming(TICK, "tick", Codecs.U32, Codecs.U64, this::tick),
                ServerMethod.clientStreaming(REFUSE, "refuse", Codecs.U64, Codecs.U64, requests -> {
                    requests.cancel();
                    return 0L;
                }),
                ServerMethod.clientStreaming(FIRST, "first", Codecs.U64, Codecs.U64,
                        requests -> requests.iterator().next()),
                ServerMethod.unary(NOT_FOUND, "notFound", Codecs.STRING, Codecs.STRING, s -> {
                    throw new RpcException(ErrorCode.NOT_FOUND, "no such thing: " + s);
                }),
                ServerMethod.serverStreaming(BREAK, "break", Codecs.U32, Codecs.U64, n -> RpcStream.generate(out -> {
                    out.send(1L);
                    throw new ArithmeticException("overflow");
                })),
                ServerMethod.unary(LENGTH, "length", Codecs.BYTES, Codecs.U32, bytes -> bytes.length),
                ServerMethod.unary(GROW, "grow", Codecs.U32, Codecs.BYTES, n -> new byte[n]),
                ServerMethod.clientStreaming(HOLD, "hold", Codecs.U64, Codecs.U64, this::hold),
                ServerMethod.unary(STALL_PEER_COUNT, "stallPeerCount", Codecs.UNIT, Codecs.STRING,
                        this::stallPeerCount));
    }

    /** The handler's view of its call: {@code peer=<id> depth=<n> metadata=<k=v,...> deadline=<set|none>}. */
    private static String context() {
        CallContext context = CallContext.current();
        StringBuilder metadata = new StringBuilder();
        for (MetadataEntry entry : context.metadata()) {
            metadata.append(metadata.length() == 0 ? "" : ",").append(entry.key()).append('=')
                    .append(java.util.Arrays.toString(entry.value()));
        }
        return "peer=" + context.peerId() + " depth=" + context.depth() + " metadata=" + metadata + " deadline="
                + (context.remaining().isPresent() ? "set" : "none") + " cancelled=" + context.isCancelled();
    }

    /** Sends 0 .. n-1, then waits until cancelled, recording how. */
    private RpcStream<Long> tick(int n) {
        CallContext context = CallContext.current();
        return RpcStream.generate(out -> {
            for (long i = 0; i < n; i++) {
                out.send(i);
            }
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                lastCancellation.set(context.isCancelled() ? "cancelled while ticking" : "interrupted");
                throw e;
            }
        });
    }

    /** Takes one request, then waits (without reading more) until cancelled; answers the first request. */
    private long hold(RpcStream<Long> requests) {
        long first = requests.iterator().next();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            lastCancellation.set(CallContext.current().isCancelled() ? "cancelled while holding" : "interrupted");
            Thread.currentThread().interrupt();
        }
        return first;
    }

    /** Opens the peer's COUNT of a million, reads one element, and reads no more until cancelled. */
    private String stallPeerCount(Unit unit) {
        RpcStream<Long> counted = CallContext.current().peerChannel().serverStreaming(COUNT, 1_000_000, Codecs.U32,
                Codecs.U64, CallOptions.DEFAULT);
        long first = counted.iterator().next();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "read " + first;
    }

    /**
     * Sleeps up to {@code millis}; on cancellation records what it saw ({@code <code> interrupted, onCancel ran}) and
     * rethrows.
     */
    private String sleep(long millis) {
        CallContext context = CallContext.current();
        java.util.concurrent.atomic.AtomicBoolean listened = new java.util.concurrent.atomic.AtomicBoolean();
        context.onCancel(() -> listened.set(true));
        sleeping.incrementAndGet();
        try {
            Thread.sleep(millis);
            return "slept " + millis;
        } catch (InterruptedException e) {
            String seen = "interrupted";
            try {
                context.checkCancelled();
            } catch (RpcException cancelled) {
                seen = cancelled.code() + " interrupted" + (listened.get() ? ", onCancel ran" : "");
            }
            lastCancellation.set(seen);
            throw new RpcException(ErrorCode.CANCELLED, "sleep interrupted");
        } finally {
            sleeping.decrementAndGet();
        }
    }

    /** Waits, up to a minute (a guard against hangs), until a SLEEP handler runs on the other side of {@code peer}. */
    static void awaitSleeping(CallChannel peer) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (peer.unary(SLEEPING, Unit.UNIT, Codecs.UNIT, Codecs.U32, CallOptions.DEFAULT) == 0
                && System.nanoTime() < until) {
            Thread.sleep(2);
        }
    }

    private Unit block(Unit unit) {
        blocked.release();
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
        CallContext context = CallContext.current();
        return RpcStream.generate(out -> {
            producer.set(Thread.currentThread());
            try {
                for (long i = 0; i < Integer.toUnsignedLong(n); i++) {
                    out.send(i);
                    sent.incrementAndGet();
                }
            } catch (RpcException e) {
                lastCancellation.set(e.code() + " while counting, cancelled=" + context.isCancelled());
                throw e;
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
