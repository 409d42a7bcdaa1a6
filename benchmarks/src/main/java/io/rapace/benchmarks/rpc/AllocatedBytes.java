package io.rapace.benchmarks.rpc;

import com.sun.management.ThreadMXBean;
import io.rapace.benchmarks.harness.Children;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Heap bytes allocated so far by every live thread of a JVM, from {@link ThreadMXBean}: of this
 * JVM directly, of an {@link RpcPeer} child by asking it over its stdin ({@value #REQUEST}) and reading its answer
 * from its stdout ({@code ALLOCATED BYTES}). A thread that ends between two readings takes its count with it, so a
 * difference can only under-count.
 */
final class AllocatedBytes {
    /** The line a peer answers with {@code ALLOCATED BYTES}. */
    static final String REQUEST = "ALLOCATED";

    private AllocatedBytes() {
    }

    /** The sum of {@code getThreadAllocatedBytes} over this JVM's live threads. */
    static long ofThisJvm() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (bytes > 0) { // -1 for a thread that ended meanwhile
                sum += bytes;
            }
        }
        return sum;
    }

    /** {@link #ofThisJvm()} of {@code peer}, an {@link RpcPeer} child of {@code children}. */
    static long ofPeer(Children children, Process peer) throws IOException, InterruptedException {
        OutputStream stdin = peer.getOutputStream();
        stdin.write((REQUEST + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        return Long.parseLong(children.expect(peer, REQUEST + " ").substring(REQUEST.length() + 1));
    }
}
