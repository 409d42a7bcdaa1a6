package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.AgronaRings;
import io.rapace.benchmarks.harness.Children;
import io.rapace.shm.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The raw floor: two Agrona {@code OneToOneRingBuffer}s over a mapped file in {@code /dev/shm}, one per direction,
 * both sides busy-spinning while they wait. A request is one ring message whose type is the operation: {@link #ECHO}
 * (the peer writes the same bytes back) or {@link #STREAM} (8 bytes: count and size; the peer writes {@code count}
 * messages of type {@link #ITEM}). Two variants: zero-copy (stream elements are counted where they lie in the ring,
 * the floor) and copy-out (each stream element is copied out into a new {@code byte[]}, as rapace's decode does,
 * the like-for-like peer of a typed stream); a unary response is copied out in both.
 */
final class AgronaRpc implements RpcSystem {
    static final int ECHO = 1;
    static final int STREAM = 2;
    static final int ITEM = 3;
    static final int RING_BYTES = 1 << 21;

    private final boolean copyOut;
    private OneToOneRingBuffer toPeer;
    private OneToOneRingBuffer fromPeer;
    private Process child;
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer streamRequest = new UnsafeBuffer(new byte[8]);
    private byte[] response;
    private int streamMessages;
    private long streamBytes;
    /** The last copied-out element: kept, as a consumer would, so the copy cannot be optimised away. */
    private byte[] lastItem;
    private final MessageHandler onResponse = (type, buffer, index, length) -> {
        response = new byte[length];
        buffer.getBytes(index, response);
    };
    private final MessageHandler onItem = (type, buffer, index, length) -> {
        streamMessages++;
        streamBytes += length;
    };
    private final MessageHandler onItemCopied = (type, buffer, index, length) -> {
        lastItem = new byte[length];
        buffer.getBytes(index, lastItem);
        streamMessages++;
        streamBytes += lastItem.length;
    };

    /** {@code copyOut}: each received stream element is copied out into a new {@code byte[]}. */
    AgronaRpc(boolean copyOut) {
        this.copyOut = copyOut;
    }

    @Override
    public String name() {
        return copyOut ? "agrona ring copy-out (spin)" : "agrona ring (spin)";
    }

    @Override
    public String note() {
        return "two OneToOneRingBuffers of 2 MiB over a mapped file, both sides spinning" + (copyOut
                ? "; each stream element copied out into a new byte[]; unary not measured (as agrona ring (spin))"
                : "");
    }

    @Override
    public boolean measuresUnary() {
        return !copyOut;
    }

    @Override
    public void start(Children children) throws Exception {
        Path file = Segment.DEFAULT_DIRECTORY.resolve(Segment.newFileName(".agrona"));
        try {
            AgronaRings.create(file, RING_BYTES);
            OneToOneRingBuffer[] rings = AgronaRings.map(file, RING_BYTES);
            toPeer = rings[0];
            fromPeer = rings[1];
            child = children.spawn(RpcPeer.class, RpcBenchmark.PEER_FLAGS, "agrona", file.toString(),
                    Integer.toString(RING_BYTES));
            children.expect(child, "READY");
        } finally {
            Files.deleteIfExists(file); // both sides have it mapped now (or the start failed)
        }
    }

    @Override
    public byte[] unary(byte[] payload) {
        request.wrap(payload);
        write(toPeer, ECHO, request, payload.length);
        response = null;
        while (fromPeer.read(onResponse, 1) == 0) {
            Thread.onSpinWait();
        }
        return response;
    }

    @Override
    public long serverStream(int count, int size) {
        streamRequest.putInt(0, count);
        streamRequest.putInt(4, size);
        streamMessages = 0;
        streamBytes = 0;
        write(toPeer, STREAM, streamRequest, 8);
        MessageHandler handler = copyOut ? onItemCopied : onItem;
        while (streamMessages < count) {
            if (fromPeer.read(handler) == 0) {
                Thread.onSpinWait();
            }
        }
        return streamBytes;
    }

    @Override
    public void close() {
        if (child != null) {
            Children.stop(child);
        }
    }

    static void write(OneToOneRingBuffer ring, int type, DirectBuffer src, int length) {
        while (!ring.write(type, src, 0, length)) {
            Thread.onSpinWait();
        }
    }

    /** The peer: echoes and streams from one busy-spinning thread. */
    static void serve(List<String> args) throws IOException {
        OneToOneRingBuffer[] rings = AgronaRings.map(Path.of(args.get(0)), Integer.parseInt(args.get(1)));
        OneToOneRingBuffer in = rings[0];
        OneToOneRingBuffer out = rings[1];
        UnsafeBuffer item = new UnsafeBuffer(new byte[1 << 16]);
        MessageHandler handler = (type, buffer, index, length) -> {
            if (type == ECHO) {
                while (!out.write(ECHO, buffer, index, length)) {
                    Thread.onSpinWait();
                }
            } else if (type == STREAM) {
                int count = buffer.getInt(index);
                int size = buffer.getInt(index + 4);
                for (int i = 0; i < count; i++) {
                    write(out, ITEM, item, size);
                }
            }
        };
        RpcPeer.say("READY agrona");
        while (true) {
            if (in.read(handler, 16) == 0) {
                Thread.onSpinWait();
            }
        }
    }
}
