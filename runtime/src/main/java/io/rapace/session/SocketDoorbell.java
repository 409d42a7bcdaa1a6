package io.rapace.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A doorbell over two connected Unix-domain sockets, one per direction: this side blocks reading {@code in} (the
 * peer's wake-ups, and end-of-stream when the peer dies) and writes its wake-ups to {@code out} without blocking.
 * When {@code out}'s buffer is full the byte is dropped: the bytes already there still wake the peer, and a peer that
 * never reads its doorbell can never block a sender here.
 */
final class SocketDoorbell implements Doorbell {
    private final SocketChannel in;
    private final SocketChannel out;
    private final ByteBuffer outByte = ByteBuffer.allocateDirect(1);
    private final ByteBuffer inBytes = ByteBuffer.allocateDirect(64);

    SocketDoorbell(SocketChannel in, SocketChannel out) throws IOException {
        this.in = in;
        this.out = out;
        in.configureBlocking(true);
        out.configureBlocking(false);
    }

    @Override
    public void ring() {
        synchronized (outByte) {
            try {
                outByte.clear().put((byte) 1).flip();
                out.write(outByte); // 0 when the buffer is full: a wake-up is pending anyway
            } catch (IOException e) {
                // The peer is gone or the session closed; end-of-stream on the reading side reports it.
            }
        }
    }

    @Override
    public int await() throws IOException {
        inBytes.clear();
        return in.read(inBytes);
    }

    @Override
    public void close() {
        closeQuietly(in);
        closeQuietly(out);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
