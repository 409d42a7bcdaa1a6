package io.rapace.shm;

import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.util.Objects;
import net.openhft.chronicle.core.Jvm;
import net.openhft.chronicle.core.UnsafeMemory;

/**
 * The opt-in backend ({@code -Drapace.memory=chronicle}): chronicle-core's {@link UnsafeMemory} on the address of
 * the same {@link MappedByteBuffer} the JDK backend would use. Loaded only through {@link MemoryBackends}, by
 * name, so the default path never loads a chronicle class.
 *
 * <p>The buffer is kept, not unmapped: it owns the mapping, so the address stays valid as long as this object is
 * reachable ({@link Reference#reachabilityFence} after each access), and a late access after {@link #close()} is
 * an {@link IllegalStateException} from the closed flag, never a fault. (chronicle's {@code OS.map} would need an
 * explicit unmap, which a concurrent late access could turn into a SIGSEGV; the payload path needs a
 * {@code ByteBuffer} over the segment anyway.) Unsafe does not check bounds, so every offset is checked here
 * against the mapping's size before it is added to the address.
 */
final class ChronicleMemory implements SegmentMemory {
    private static final UnsafeMemory MEMORY = UnsafeMemory.MEMORY;

    private final MappedByteBuffer mapping;
    private final long address;
    private final int size;
    private volatile boolean closed;

    private ChronicleMemory(MappedByteBuffer mapping) {
        this.mapping = mapping;
        this.address = Jvm.address(mapping);
        this.size = mapping.capacity();
    }

    /** Called reflectively by {@link MemoryBackends}. */
    static SegmentMemory open(MappedByteBuffer mapping) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("the chronicle backend needs a little-endian machine");
        }
        return new ChronicleMemory(mapping);
    }

    @Override
    public String backend() {
        return "chronicle";
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
        long a = at(offset, 4);
        int v = MEMORY.readInt(a);
        Reference.reachabilityFence(this);
        return v;
    }

    @Override
    public long getLong(int offset) {
        long a = at(offset, 8);
        long v = MEMORY.readLong(a);
        Reference.reachabilityFence(this);
        return v;
    }

    @Override
    public void putInt(int offset, int value) {
        MEMORY.writeInt(at(offset, 4), value);
        Reference.reachabilityFence(this);
    }

    @Override
    public void putLong(int offset, long value) {
        MEMORY.writeLong(at(offset, 8), value);
        Reference.reachabilityFence(this);
    }

    @Override
    public int getIntAcquire(int offset) {
        long a = at(offset, 4);
        int v = MEMORY.readVolatileInt(a);
        Reference.reachabilityFence(this);
        return v;
    }

    @Override
    public long getLongAcquire(int offset) {
        long a = at(offset, 8);
        long v = MEMORY.readVolatileLong(a);
        Reference.reachabilityFence(this);
        return v;
    }

    @Override
    public void putIntRelease(int offset, int value) {
        MEMORY.writeOrderedInt(at(offset, 4), value);
        Reference.reachabilityFence(this);
    }

    @Override
    public void putLongRelease(int offset, long value) {
        MEMORY.writeOrderedLong(at(offset, 8), value);
        Reference.reachabilityFence(this);
    }

    @Override
    public boolean compareAndSetInt(int offset, int expected, int value) {
        boolean done = MEMORY.compareAndSwapInt(at(offset, 4), expected, value);
        Reference.reachabilityFence(this);
        return done;
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

    private long at(int offset, int length) {
        if (closed) {
            throw new IllegalStateException("segment memory is closed");
        }
        return address + Objects.checkFromIndexSize(offset, length, size);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("segment memory is closed");
        }
    }
}
