package io.rapace.shm;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.MappedByteBuffer;

/**
 * Chooses the memory backend once per JVM from the system property {@value #PROPERTY}: {@code jdk} (the default)
 * or {@code chronicle}. The chronicle backend is used only when chronicle-core is on the class path and
 * initialises (on JDK 17 it needs {@code --add-opens java.base/java.lang.reflect=ALL-UNNAMED
 * --add-exports java.base/sun.nio.ch=ALL-UNNAMED}); otherwise a warning names the reason once and the JDK backend
 * is used. Before chronicle's first class loads, {@code chronicle.analytics.disable=true},
 * {@code chronicle.announcer.disable=true} and {@code slf4j.internal.verbosity=ERROR} are set unless the user set
 * them, so the library neither prints a banner or notice nor touches the network.
 */
final class MemoryBackends {
    static final String PROPERTY = "rapace.memory";
    static final String JDK = "jdk";
    static final String CHRONICLE = "chronicle";

    private static final System.Logger LOG = System.getLogger(MemoryBackends.class.getName());
    private static volatile MethodHandle chronicleOpen;
    private static volatile String chronicleFailure;

    private MemoryBackends() {
    }

    /** The backend the property asks for, as the name of the one that will be used. */
    static String selected() {
        String wanted = System.getProperty(PROPERTY, JDK).trim();
        if (wanted.equals(CHRONICLE)) {
            return chronicle() != null ? CHRONICLE : JDK;
        }
        if (!wanted.equals(JDK) && !wanted.isEmpty()) {
            warnOnce("-D" + PROPERTY + "=" + wanted + " is not a known backend (jdk, chronicle); using jdk");
        }
        return JDK;
    }

    static SegmentMemory open(MappedByteBuffer mapping) {
        if (selected().equals(CHRONICLE)) {
            try {
                return (SegmentMemory) chronicle().invokeExact(mapping);
            } catch (Throwable t) {
                warnOnce("the chronicle memory backend failed on a segment (" + t + "); using jdk for it");
            }
        }
        return new JdkMemory(mapping);
    }

    private static MethodHandle chronicle() {
        MethodHandle open = chronicleOpen;
        if (open != null || chronicleFailure != null) {
            return open;
        }
        synchronized (MemoryBackends.class) {
            if (chronicleOpen != null || chronicleFailure != null) {
                return chronicleOpen;
            }
            try {
                if (System.getProperty("chronicle.analytics.disable") == null) {
                    System.setProperty("chronicle.analytics.disable", "true");
                }
                if (System.getProperty("chronicle.announcer.disable") == null) {
                    System.setProperty("chronicle.announcer.disable", "true");
                }
                // chronicle-core logs through slf4j, whose API prints a three-line notice when the application has
                // no slf4j provider; keep it quiet unless the user chose a verbosity.
                if (System.getProperty("slf4j.internal.verbosity") == null) {
                    System.setProperty("slf4j.internal.verbosity", "ERROR");
                }
                Class<?> type = Class.forName("io.rapace.shm.ChronicleMemory", true,
                        MemoryBackends.class.getClassLoader());
                MethodHandle handle = MethodHandles.lookup().findStatic(type, "open",
                        MethodType.methodType(SegmentMemory.class, MappedByteBuffer.class));
                probe(handle);
                chronicleOpen = handle;
            } catch (Throwable t) {
                chronicleFailure = t.toString();
                warnOnce("-D" + PROPERTY + "=chronicle asked for the chronicle-core backend but it did not initialise ("
                        + t + "); using jdk. It needs chronicle-core on the class path (on the module path, with "
                        + "--add-modules chronicle.core) and, on JDK 17, "
                        + "--add-opens java.base/java.lang.reflect=ALL-UNNAMED "
                        + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED");
            }
            return chronicleOpen;
        }
    }

    /** Exercises the backend on a small direct buffer, so a missing flag shows here and not mid-session. */
    private static void probe(MethodHandle open) throws Throwable {
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(64);
        if (!(direct instanceof MappedByteBuffer)) {
            throw new IllegalStateException("direct buffers are not MappedByteBuffers on this JVM");
        }
        SegmentMemory m = (SegmentMemory) open.invokeExact((MappedByteBuffer) direct);
        m.putLongRelease(8, 0x0102030405060708L);
        if (m.getLongAcquire(8) != 0x0102030405060708L || direct.get(8) != 0x08) {
            throw new IllegalStateException("the chronicle backend read back a different value");
        }
    }

    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static void warnOnce(String message) {
        if (WARNED.add(message)) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }
}
