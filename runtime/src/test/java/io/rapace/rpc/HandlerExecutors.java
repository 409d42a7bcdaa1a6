package io.rapace.rpc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where the contract suite runs handlers: the transport's default executor, or one virtual thread per task. The code
 * compiles with {@code --release 17}, so the JDK 21 methods are looked up at run time; the virtual-thread variants
 * only run on JDK 21 and later.
 */
enum HandlerExecutors {
    /** The transport's own executor: a pool of daemon platform threads that grows with the calls. */
    DEFAULT,
    /** {@code Executors.newVirtualThreadPerTaskExecutor()} on both sides. */
    VIRTUAL_THREADS;

    /** The option {@link RpcPeerMain} takes for this kind, or null for the default. */
    String childOption() {
        return this == VIRTUAL_THREADS ? "virtual" : null;
    }

    /** A virtual thread per task; JDK 21+ only. */
    static ExecutorService newVirtualThreadPerTaskExecutor() {
        try {
            MethodHandle factory = MethodHandles.publicLookup().findStatic(Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
            return (ExecutorService) factory.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("virtual threads need JDK 21 or later; this is "
                    + Runtime.version(), t);
        }
    }

    /** {@code virtual} or {@code platform}: what kind of thread {@code thread} is. */
    static String kindOf(Thread thread) {
        if (Runtime.version().feature() < 21) {
            return "platform";
        }
        try {
            MethodHandle isVirtual = MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
            return (boolean) isVirtual.invokeExact(thread) ? "virtual" : "platform";
        } catch (Throwable t) {
            throw new IllegalStateException("Thread.isVirtual() failed on " + Runtime.version(), t);
        }
    }
}
