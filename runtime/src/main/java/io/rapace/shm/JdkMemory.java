package io.rapace.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

/**
 * The default backend: VarHandles over a {@link MappedByteBuffer}. Needs no JVM flag. The VarHandle checks every
 * index against the buffer, and the mapping lives as long as this object, so nothing here can fault.
 */
final class JdkMemory implements SegmentMemory {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final MappedByteBuffer mapping;
    private final int size;
    private volatile boolean closed;

    JdkMemory(MappedByteBuffer mapping) {
        this.mapping = mapping;
        this.size = mapping.capacity();
    }

    @Override
    public String backend() {
        return "jdk";
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public ByteBuffer buffer() {
        checkOpen();
        return mapping.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public int getInt(int offset) {
        checkOpen();
        return (int) INT.get(mapping, offset);
    }

    @Override
    public long getLong(int offset) {
        checkOpen();
        return (long) LONG.get(mapping, offset);
    }

    @Override
    public void putInt(int offset, int value) {
        checkOpen();
        INT.set(mapping, offset, value);
    }

    @Override
    public void putLong(int offset, long value) {
        checkOpen();
        LONG.set(mapping, offset, value);
    }

    @Override
    public int getIntAcquire(int offset) {
        checkOpen();
        return (int) INT.getAcquire(mapping, offset);
    }

    @Override
    public long getLongAcquire(int offset) {
        checkOpen();
        return (long) LONG.getAcquire(mapping, offset);
    }

    @Override
    public void putIntRelease(int offset, int value) {
        checkOpen();
        INT.setRelease(mapping, offset, value);
    }

    @Override
    public void putLongRelease(int offset, long value) {
        checkOpen();
        LONG.setRelease(mapping, offset, value);
    }

    @Override
    public boolean compareAndSetInt(int offset, int expected, int value) {
        checkOpen();
        return INT.compareAndSet(mapping, offset, expected, value);
    }

    @Override
    public void fullFence() {
        VarHandle.fullFence();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("segment memory is closed");
        }
    }
}
