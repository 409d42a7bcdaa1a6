package io.rapace.benchmarks.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The floor of every shared-memory comparison: two Agrona {@code OneToOneRingBuffer}s, one per direction, laid one
 * after the other in a mapped file (each {@code ringBytes} of data plus Agrona's trailer). The host creates the
 * file; ring 0 carries host to peer, ring 1 peer to host.
 */
public final class AgronaRings {
    private AgronaRings() {
    }

    /** Creates {@code file} zero-filled, large enough for both rings; fails if it exists. */
    public static void create(Path file, int ringBytes) throws IOException {
        long size = 2L * (ringBytes + RingBufferDescriptor.TRAILER_LENGTH);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
            for (long pos = 0; pos < size; pos += zeros.capacity()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - pos));
                ch.write(zeros, pos);
            }
        }
    }

    /** Maps both rings of {@code file}: {@code [0]} host to peer, {@code [1]} peer to host. */
    public static OneToOneRingBuffer[] map(Path file, int ringBytes) throws IOException {
        int total = ringBytes + RingBufferDescriptor.TRAILER_LENGTH;
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2L * total);
        }
        return new OneToOneRingBuffer[] {
            new OneToOneRingBuffer(new UnsafeBuffer(map, 0, total)),
            new OneToOneRingBuffer(new UnsafeBuffer(map, total, total))
        };
    }
}
