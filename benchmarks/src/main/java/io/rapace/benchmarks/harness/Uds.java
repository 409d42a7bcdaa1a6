package io.rapace.benchmarks.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Blocking whole-buffer reads and writes on a Unix-domain {@link SocketChannel}. */
public final class Uds {
    private Uds() {
    }

    /** Reads until {@code b} is full; false on end-of-stream. */
    public static boolean readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes every remaining byte of {@code buffers}, in order, gathering. */
    public static void writeFully(SocketChannel ch, ByteBuffer... buffers) throws IOException {
        ByteBuffer last = buffers[buffers.length - 1];
        do {
            ch.write(buffers);
        } while (last.hasRemaining());
    }
}
