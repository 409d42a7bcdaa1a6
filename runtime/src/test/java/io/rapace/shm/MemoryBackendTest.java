package io.rapace.shm;

/**
 * Names the memory backend a test subclass runs on, and makes the JVM use it: {@link #useBackend} sets
 * {@code rapace.memory} for the segments this test creates or attaches.
 */
public interface MemoryBackendTest {

    /** {@code jdk} or {@code chronicle}. */
    String backend();

    default void useBackend() {
        System.setProperty(MemoryBackends.PROPERTY, backend());
    }

    static void restoreDefault() {
        System.clearProperty(MemoryBackends.PROPERTY);
    }
}
