package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.AgronaRings;
import io.rapace.benchmarks.harness.Children;
import io.rapace.shm.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The raw floor: two Agrona {@code OneToOneRingBuffer}s over a mapped file in {@code /dev/shm}, one per direction,
 * both sides busy-spinning while they wait. A request is one ring message whose type is the operation: {@link #ECHO}
 * (the peer writes the same bytes back), {@link #STREAM} (8 bytes: count and size; the peer writes {@code count}
 * messages of type {@link #ITEM}), {@link #UPLOAD} (one element of a client stream, which the peer counts) or
 * {@link #END} (the end of a client stream: the peer answers with the 8-byte count of the bytes uploaded). A client
 * stream is a one-way flood and a final acknowledgement; a bidi stream is a flood of {@link #ECHO}s, each echoed,
 * with the caller's one thread writing while the ring has room and reading the echoes in between.
 *
 * <p>Two variants: zero-copy (received stream elements are counted where they lie in the ring: the floor) and
 * copy-out (each received stream element, on either side, is copied out into a new {@code byte[]}, as rapace's
 * decode does: the like-for-like peer of a typed stream). A unary response is copied out in both.
 */
final class AgronaRpc implements RpcSystem {
    static final int ECHO = 1;
    static final int STREAM = 2;
    static final int ITEM = 3;
    static final int UPLOAD = 4;
    static final int END = 5;
    static final int RING_BYTES = 1 << 21;

    private final boolean copyOut;
    private OneToOneRingBuffer toPeer;
    private OneToOneRingBuffer fromPeer;
    private Process child;
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer streamRequest = new UnsafeBuffer(new byte[8]);
    private final UnsafeBuffer element = new UnsafeBuffer(new byte[1 << 16]);
    private byte[] response;
    private long acknowledged;
    private int streamMessages;
    private long streamBytes;
    /** The last copied-out element: kept, as a consumer would, so the copy cannot be optimised away. */
    private byte[] lastItem;
    private final MessageHandler onResponse = (type, buffer, index, length) -> {
        response = new byte[length];
        buffer.getBytes(index, response);
    };
    private final MessageHandler onItem = (type, buffer, index, length) -> received(buffer, index, length);
    private final MessageHandler onAck = (type, buffer, index, length) -> acknowledged = buffer.getLong(index);

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
                ? "; each received stream element copied out into a new byte[]; its unary path is "
                + "agrona ring (spin)'s, not measured again" : "");
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
                    Integer.toString(RING_BYTES), Boolean.toString(copyOut));
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
        while (streamMessages < count) {
            if (fromPeer.read(onItem) == 0) {
                Thread.onSpinWait();
            }
        }
        return streamBytes;
    }

    @Override
    public long clientStream(int count, int size) {
        for (int i = 0; i < count; i++) {
            write(toPeer, UPLOAD, element, size);
        }
        acknowledged = -1;
        write(toPeer, END, element, 0);
        while (fromPeer.read(onAck, 1) == 0) {
            Thread.onSpinWait();
        }
        return acknowledged;
    }

    @Override
    public long bidiStream(int count, int size) {
        streamMessages = 0;
        streamBytes = 0;
        int sent = 0;
        while (streamMessages < count) {
            boolean wrote = sent < count && toPeer.write(ECHO, element, 0, size);
            if (wrote) {
                sent++;
            }
            if (fromPeer.read(onItem) == 0 && !wrote) {
                Thread.onSpinWait();
            }
        }
        return streamBytes;
    }

    /** Counts one received stream element; in the copy-out variant, copies it out into a new array first. */
    private void received(DirectBuffer buffer, int index, int length) {
        if (copyOut) {
            lastItem = new byte[length];
            buffer.getBytes(index, lastItem);
        }
        streamMessages++;
        streamBytes += length;
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

    /** The peer: echoes, streams and counts uploads from one busy-spinning thread. */
    static void serve(List<String> args) throws IOException {
        OneToOneRingBuffer[] rings = AgronaRings.map(Path.of(args.get(0)), Integer.parseInt(args.get(1)));
        OneToOneRingBuffer in = rings[0];
        Server server = new Server(rings[1], Boolean.parseBoolean(args.get(2)));
        RpcPeer.say("READY agrona");
        while (true) {
            if (in.read(server, 16) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /** The peer's handler of every request; in the copy-out variant it copies out what it receives, as the host. */
    private static final class Server implements MessageHandler {
        private final OneToOneRingBuffer out;
        private final boolean copyOut;
        private final UnsafeBuffer item = new UnsafeBuffer(new byte[1 << 16]);
        private final UnsafeBuffer copied = new UnsafeBuffer(new byte[0]);
        private final UnsafeBuffer ack = new UnsafeBuffer(new byte[8]);
        private long uploaded;
        /** The last copied-out upload: kept, as a consumer would, so the copy cannot be optimised away. */
        private byte[] lastUpload;

        Server(OneToOneRingBuffer out, boolean copyOut) {
            this.out = out;
            this.copyOut = copyOut;
        }

        @Override
        public void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
            switch (type) {
                case ECHO -> {
                    if (copyOut) {
                        copied.wrap(copy(buffer, index, length));
                        write(out, ECHO, copied, length);
                    } else {
                        while (!out.write(ECHO, buffer, index, length)) {
                            Thread.onSpinWait();
                        }
                    }
                }
                case STREAM -> {
                    int count = buffer.getInt(index);
                    int size = buffer.getInt(index + 4);
                    for (int i = 0; i < count; i++) {
                        write(out, ITEM, item, size);
                    }
                }
                case UPLOAD -> {
                    if (copyOut) {
                        lastUpload = copy(buffer, index, length);
                    }
                    uploaded += length;
                }
                case END -> {
                    ack.putLong(0, uploaded);
                    uploaded = 0;
                    write(out, END, ack, 8);
                }
                default -> throw new IllegalStateException("unknown operation " + type);
            }
        }

        private static byte[] copy(DirectBuffer buffer, int index, int length) {
            byte[] copy = new byte[length];
            buffer.getBytes(index, copy);
            return copy;
        }
    }
}
