package io.rapace.shm;

import java.nio.ByteBuffer;

/**
 * The memory seam: the few operations the transport performs on the control words of a mapped segment (ring
 * positions, descriptors, slot metadata, free lists, liveness words), in the JDK's words for their ordering.
 * Payload bytes are read and written through {@link #buffer()}, a {@code ByteBuffer} over the same mapping, so the
 * postcard codec encodes and decodes in place on either backend.
 *
 * <p>Offsets are from the start of the segment; every access is bounds-checked against {@link #size()}, so no
 * offset, even one computed from peer data by mistake, can reach outside the mapping. After {@link #close()} every
 * access throws {@link IllegalStateException}; nothing is unmapped explicitly (the mapping goes away when the
 * buffer is unreachable), so a late access is an exception, never a fault.
 */
interface SegmentMemory {

    /** The backend's name as {@code rapace.memory} spells it: {@code jdk} or {@code chronicle}. */
    String backend();

    /** Bytes mapped. */
    int size();

    /** A little-endian view of the whole mapping, position 0, limit {@link #size()}: a new duplicate per call. */
    ByteBuffer buffer();

    int getInt(int offset);

    long getLong(int offset);

    void putInt(int offset, int value);

    void putLong(int offset, long value);

    int getIntAcquire(int offset);

    long getLongAcquire(int offset);

    void putIntRelease(int offset, int value);

    void putLongRelease(int offset, long value);

    boolean compareAndSetInt(int offset, int expected, int value);

    /** A full two-way fence (store-load included): the Dekker step of the doorbell protocol. */
    void fullFence();

    /** Makes every later access fail with {@link IllegalStateException}; idempotent. */
    void close();

    boolean isClosed();
}
