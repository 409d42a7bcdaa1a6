package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.Children;
import io.rapace.benchmarks.rpc.api.Bench;
import io.rapace.benchmarks.rpc.api.BenchClient;
import io.rapace.benchmarks.rpc.api.BenchDispatcher;
import io.rapace.benchmarks.rpc.api.StreamRequest;
import io.rapace.config.SegmentGeometry;
import io.rapace.config.SessionConfig;
import io.rapace.config.WakeMode;
import io.rapace.rpc.RpcSession;
import io.rapace.rpc.RpcStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * rapace typed RPC: the generated {@code BenchClient} over an {@link RpcSession}, the generated {@code BenchDispatcher}
 * in the child, one method per call shape (see {@code benchmarks/src/main/rapace/bench.rapace}). One instance per
 * wake mode and handler mode (direct: unary handlers on the child's reader thread; executor: the default handler
 * pool). In spin mode each process has one spinning thread, the session's reader.
 */
final class RapaceRpc implements RpcSystem {
    /** No size is split: a 64 KiB element plus its length prefix fits one slot. */
    static final SegmentGeometry GEOMETRY = new SegmentGeometry(256, 64, 65536 + 64);
    /** As large as the Agrona floor's ring, so a stream of 64 KiB elements is not held to one element in flight. */
    static final int STREAM_WINDOW = 1 << 21;

    private final WakeMode mode;
    private final boolean direct;
    /** Both sides offer frame checksums (docs/segment-format.md): every frame carries a CRC32C its reader verifies. */
    private final boolean checksums;
    private RpcSession rpc;
    private Bench bench;
    private Process child;

    RapaceRpc(WakeMode mode, boolean direct) {
        this(mode, direct, false);
    }

    RapaceRpc(WakeMode mode, boolean direct, boolean checksums) {
        this.mode = mode;
        this.direct = direct;
        this.checksums = checksums;
    }

    @Override
    public String name() {
        return "rapace " + (mode == WakeMode.SPIN ? "spin" : "default") + (direct ? " direct" : " executor")
                + (checksums ? " checksums" : "");
    }

    @Override
    public String note() {
        return "generated BenchClient/BenchDispatcher over RpcSession, " + (mode == WakeMode.SPIN
                ? "spin wake mode" : "default (blocking) wake mode") + ", handlers " + (direct
                ? "on the reader thread (direct mode)" : "on the default executor") + ", 2 MiB stream window"
                + (checksums ? ", frame checksums on both sides" : "");
    }

    static SessionConfig config(String id, WakeMode mode) {
        return SessionConfig.builder().peerId(id).wakeMode(mode).geometry(GEOMETRY).build();
    }

    @Override
    public RpcSystem sibling() {
        return new RapaceRpc(mode, direct, checksums);
    }

    @Override
    public boolean concurrentUnary() {
        return true;
    }

    @Override
    public void start(Children children) throws Exception {
        SessionConfig config = SessionConfig.builder().peerId("bench-host").wakeMode(mode).geometry(GEOMETRY)
                .frameChecksums(checksums).build();
        RpcSession.Listening listening = RpcSession.builder().config(config).streamWindow(STREAM_WINDOW).listen();
        List<String> flags = new java.util.ArrayList<>(RpcBenchmark.PEER_FLAGS);
        if (checksums) {
            flags.add("-D" + SessionConfig.FRAME_CHECKSUMS_PROPERTY + "=true"); // the peer offers them too
        }
        try {
            child = children.spawn(RpcPeer.class, flags, "rapace",
                    listening.segmentPath().toString(), listening.socketPath().toString(), mode.name(),
                    Boolean.toString(direct));
            rpc = listening.accept(Duration.ofSeconds(Children.GUARD_SECONDS));
        } catch (IOException | RuntimeException e) {
            listening.close();
            throw e;
        }
        children.expect(child, "READY");
        if (rpc.frameChecksums() != checksums) {
            throw new IllegalStateException(name() + ": frame checksums are " + (rpc.frameChecksums() ? "on" : "off"));
        }
        bench = new BenchClient(rpc);
    }

    @Override
    public byte[] unary(byte[] request) {
        return bench.echo(request);
    }

    @Override
    public long serverStream(int count, int size) {
        return bytes(bench.stream(new StreamRequest(count, size)));
    }

    /** The request stream is produced on the calling thread (the transport drains it there). */
    @Override
    public long clientStream(int count, int size) {
        return bench.upload(elements(count, size));
    }

    /** The request stream is produced on a thread of the default executor, the echoes read on the calling thread. */
    @Override
    public long bidiStream(int count, int size) {
        return bytes(bench.echoes(elements(count, size)));
    }

    /** {@code count} times the same array of {@code size} bytes, as a stream to send. */
    static RpcStream<byte[]> elements(int count, int size) {
        byte[] element = new byte[size];
        return RpcStream.generate(out -> {
            for (int i = 0; i < count; i++) {
                out.send(element);
            }
        });
    }

    static long bytes(RpcStream<byte[]> received) {
        long bytes = 0;
        for (byte[] element : received) {
            bytes += element.length;
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        try {
            if (rpc != null) {
                rpc.close();
            }
        } finally {
            if (child != null) {
                Children.stop(child);
            }
        }
    }

    /** The peer: serves the benchmark service until the session ends. */
    static void serve(List<String> args) throws Exception {
        RpcSession rpc = peer(WakeMode.valueOf(args.get(2)), Boolean.parseBoolean(args.get(3)))
                .connect(Path.of(args.get(0)), Path.of(args.get(1)));
        RpcPeer.say("READY rapace");
        rpc.closed().join();
    }

    /**
     * The idle baseline's JVM: makes the peer's session builder (the runtime's and the generated classes loaded)
     * but connects no session; waits for the end of its stdin.
     */
    static void idle() throws InterruptedException {
        peer(WakeMode.BLOCKING, false);
        RpcPeer.say("READY idle");
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * The host of the idle baseline's quiet session, in a JVM of its own: listens (printing
     * {@code LISTENING SEGMENT SOCKET}), accepts the plugin the harness starts, makes 1,000 warm-up calls, prints
     * {@code READY idle-host} and waits, its session open, for the end of its stdin.
     */
    static void idleHost() throws Exception {
        RpcSession.Listening listening = RpcSession.builder().config(config("bench-host", WakeMode.BLOCKING))
                .streamWindow(STREAM_WINDOW).listen();
        RpcPeer.say("LISTENING " + listening.segmentPath() + " " + listening.socketPath());
        RpcSession rpc = listening.accept(Duration.ofSeconds(Children.GUARD_SECONDS));
        Bench bench = new BenchClient(rpc);
        byte[] request = new byte[16];
        for (int i = 0; i < 1000; i++) {
            bench.echo(request);
        }
        RpcPeer.say("READY idle-host");
        rpc.closed().join();
    }

    /** The peer's session, not yet connected: the benchmark service's dispatcher in {@code mode}. */
    private static RpcSession.Builder peer(WakeMode mode, boolean direct) {
        return RpcSession.builder().config(config("bench-peer", mode)).streamWindow(STREAM_WINDOW)
                .directHandlers(direct).serve(new BenchDispatcher(new Echoes()));
    }

    /** The server side of the benchmark service (also served over gRPC by {@link RapaceGrpcRpc}). */
    static final class Echoes implements Bench {
        @Override
        public byte[] echo(byte[] request) {
            return request;
        }

        @Override
        public RpcStream<byte[]> stream(StreamRequest request) {
            return elements(request.count(), request.size());
        }

        @Override
        public long upload(RpcStream<byte[]> requests) {
            return bytes(requests);
        }

        @Override
        public RpcStream<byte[]> echoes(RpcStream<byte[]> requests) {
            return RpcStream.generate(out -> {
                for (byte[] element : requests) {
                    out.send(element);
                }
            });
        }
    }
}
