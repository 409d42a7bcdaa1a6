package io.rapace.grpc;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * The messages gRPC delivered to one side of a call and its reader has not taken yet, on either side
 * ({@link GrpcCall}, {@link ServedCall}). gRPC's thread adds without a lock; the reader takes without one while there
 * are messages, and waits on the call's lock only when there are none (the lock the call's other state changes
 * notify). gRPC delivers at most {@link #PREFETCH} messages ahead of the reader, asked for again in batches as they
 * are taken: a slow reader holds up only its own call, and asking costs a task for gRPC's thread once per batch, not
 * once per message.
 */
final class Inbox {
    /** How many messages gRPC may deliver ahead of the reader. */
    static final int PREFETCH = 32;

    private final ConcurrentLinkedQueue<byte[]> messages = new ConcurrentLinkedQueue<>();
    private final Object lock;
    /** Asks gRPC for more messages ({@code ClientCall.request}, {@code ServerCall.request}). */
    private final IntConsumer more;
    /** The reader waits on the lock: a message added must wake it. */
    private volatile boolean readerWaiting;
    /** Messages taken since gRPC was last asked for more (the reader's thread only). */
    private int taken;

    Inbox(Object lock, IntConsumer more) {
        this.lock = lock;
        this.more = more;
    }

    /** gRPC's thread: a message arrived. */
    void add(byte[] message) {
        messages.add(message);
        if (readerWaiting) { // read after the add; the reader sets it before it looks (so one of us sees the other)
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /** The next message, or null when none is in. */
    byte[] poll() {
        return messages.poll();
    }

    /**
     * With the call's lock held: waits, one {@code waitOnce} at a time, until a message is in or {@code open} says
     * the call will bring none.
     */
    void await(BooleanSupplier open, Runnable waitOnce) {
        readerWaiting = true;
        try {
            while (messages.isEmpty() && open.getAsBoolean()) {
                waitOnce.run();
            }
        } finally {
            readerWaiting = false;
        }
    }

    /** The reader took a message: gRPC is asked for more once half of {@link #PREFETCH} were taken. */
    void took() {
        if (++taken == PREFETCH / 2) {
            more.accept(taken);
            taken = 0;
        }
    }
}
