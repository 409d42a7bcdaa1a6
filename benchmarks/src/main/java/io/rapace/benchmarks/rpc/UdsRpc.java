package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.Children;
import io.rapace.benchmarks.harness.Uds;
import io.rapace.shm.Segment;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * The floor for a blocking wake-up: a Unix-domain {@code SocketChannel} pair, blocking reads on both sides. A
 * message is an 8-byte header (operation, length) and its body; the operations are those of {@link AgronaRpc}. A
 * client stream is a flood of uploads and an end, answered with the 8-byte count of the bytes uploaded; a bidi
 * stream is a flood of echoes written by a second thread of the caller (one thread writing and reading blocking
 * would deadlock once both socket buffers are full) while the calling thread reads the echoes. Received elements
 * are read into a reused buffer, as the server stream's are.
 */
final class UdsRpc implements RpcSystem {
    private SocketChannel ch;
    private Process child;
    private final ByteBuffer header = ByteBuffer.allocateDirect(8);
    private final ByteBuffer inHeader = ByteBuffer.allocateDirect(8);
    private final ByteBuffer streamRequest = ByteBuffer.allocateDirect(8);
    private final ByteBuffer item = ByteBuffer.allocateDirect(1 << 16);
    private final ByteBuffer upload = ByteBuffer.allocateDirect(1 << 16);

    @Override
    public String name() {
        return "uds (blocking)";
    }

    @Override
    public String note() {
        return "JDK SocketChannel over a Unix-domain socket, blocking reads, 8-byte header";
    }

    @Override
    public void start(Children children) throws Exception {
        Path path = Segment.DEFAULT_DIRECTORY.resolve(Segment.newFileName(".sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            child = children.spawn(RpcPeer.class, RpcBenchmark.PEER_FLAGS, "uds", path.toString());
            server.configureBlocking(false);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Children.GUARD_SECONDS);
            while ((ch = server.accept()) == null) { // accepted in blocking mode, whatever the server's
                if (!child.isAlive() || System.nanoTime() > until) {
                    throw new IOException("the uds peer did not connect");
                }
                Thread.sleep(1);
            }
        } finally {
            Files.deleteIfExists(path);
        }
        children.expect(child, "READY");
    }

    @Override
    public byte[] unary(byte[] payload) throws IOException {
        write(ch, header, AgronaRpc.ECHO, ByteBuffer.wrap(payload));
        readHeader();
        byte[] response = new byte[inHeader.getInt(4)];
        Uds.readFully(ch, ByteBuffer.wrap(response));
        return response;
    }

    @Override
    public long serverStream(int count, int size) throws IOException {
        streamRequest.clear().putInt(0, count).putInt(4, size);
        write(ch, header, AgronaRpc.STREAM, streamRequest);
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            readHeader();
            int length = inHeader.getInt(4);
            item.clear().limit(length);
            Uds.readFully(ch, item);
            bytes += length;
        }
        return bytes;
    }

    @Override
    public long clientStream(int count, int size) throws IOException {
        for (int i = 0; i < count; i++) {
            write(ch, header, AgronaRpc.UPLOAD, upload.clear().limit(size));
        }
        write(ch, header, AgronaRpc.END, upload.clear().limit(0));
        readHeader();
        ByteBuffer ack = item.clear().limit(8);
        Uds.readFully(ch, ack);
        return ack.getLong(0);
    }

    @Override
    public long bidiStream(int count, int size) throws Exception {
        FutureTask<Void> sender = new FutureTask<>(() -> {
            for (int i = 0; i < count; i++) {
                write(ch, header, AgronaRpc.ECHO, upload.clear().limit(size));
            }
            return null;
        });
        Thread writer = new Thread(sender, "uds-bidi-writer");
        writer.setDaemon(true);
        writer.start();
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            readHeader();
            int length = inHeader.getInt(4);
            item.clear().limit(length);
            Uds.readFully(ch, item);
            bytes += length;
        }
        sender.get(); // a failure of the writer
        return bytes;
    }

    private void readHeader() throws IOException {
        inHeader.clear();
        if (!Uds.readFully(ch, inHeader)) {
            throw new IOException("the uds peer closed the connection");
        }
    }

    static void write(SocketChannel ch, ByteBuffer header, int op, ByteBuffer body) throws IOException {
        header.clear().putInt(0, op).putInt(4, body.remaining());
        Uds.writeFully(ch, header, body);
    }

    @Override
    public void close() throws IOException {
        try {
            if (ch != null) {
                ch.close();
            }
        } finally {
            if (child != null) {
                Children.stop(child);
            }
        }
    }

    /** The peer: one thread, blocking reads. */
    static void serve(List<String> args) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args.get(0))))) {
            RpcPeer.say("READY uds");
            ByteBuffer header = ByteBuffer.allocateDirect(8);
            ByteBuffer outHeader = ByteBuffer.allocateDirect(8);
            ByteBuffer body = ByteBuffer.allocateDirect(1 << 20);
            ByteBuffer item = ByteBuffer.allocateDirect(1 << 16);
            ByteBuffer ack = ByteBuffer.allocateDirect(8);
            long uploaded = 0;
            while (true) {
                header.clear();
                if (!Uds.readFully(ch, header)) {
                    return;
                }
                int op = header.getInt(0);
                body.clear().limit(header.getInt(4));
                if (!Uds.readFully(ch, body)) {
                    return;
                }
                body.flip();
                if (op == AgronaRpc.ECHO) {
                    write(ch, outHeader, AgronaRpc.ECHO, body);
                } else if (op == AgronaRpc.STREAM) {
                    int count = body.getInt(0);
                    int size = body.getInt(4);
                    for (int i = 0; i < count; i++) {
                        write(ch, outHeader, AgronaRpc.ITEM, item.clear().limit(size));
                    }
                } else if (op == AgronaRpc.UPLOAD) {
                    uploaded += body.remaining();
                } else if (op == AgronaRpc.END) {
                    write(ch, outHeader, AgronaRpc.END, ack.clear().putLong(0, uploaded));
                    uploaded = 0;
                }
            }
        }
    }
}
