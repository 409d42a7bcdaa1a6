package io.rapace.shm;

/**
 * The transport's cases on the chronicle-core backend; surefire passes the JVM flags it needs
 * ({@code rapace.chronicle.flags} in the runtime pom), and {@code runsOnTheBackendItNames} fails if it fell back.
 */
class ChronicleShmTransportTest extends AbstractShmTransportTest {
    @Override
    public String backend() {
        return MemoryBackends.CHRONICLE;
    }
}
