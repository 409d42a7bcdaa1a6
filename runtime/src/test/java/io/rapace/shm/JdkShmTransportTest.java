package io.rapace.shm;

/** The transport's cases on the default backend (VarHandles over a MappedByteBuffer). */
class JdkShmTransportTest extends AbstractShmTransportTest {
    @Override
    public String backend() {
        return MemoryBackends.JDK;
    }
}
