package io.rapace.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A doorbell over a connected Unix-domain {@link SocketChannel} (blocking). */
final class SocketDoorbell implements Doorbell {
    private final SocketChannel channel;
    private final ByteBuffer out = ByteBuffer.allocateDirect(1);
    private final ByteBuffer in = ByteBuffer.allocateDirect(64);

    SocketDoorbell(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public void ring() {
        synchronized (out) {
            try {
                out.clear().put((byte) 1).flip();
                while (out.hasRemaining()) {
                    if (channel.write(out) < 0) {
                        return;
                    }
                }
            } catch (IOException e) {
                // The peer is gone or the session closed; end-of-stream on the reading side reports it.
            }
        }
    }

    @Override
    public int await() throws IOException {
        in.clear();
        return channel.read(in);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
