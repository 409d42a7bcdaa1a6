package io.rapace.rpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * One direction of a stream, in one process: the sender spends credit on every element it puts, the receiver grants
 * it back as it takes them. With encoded messages the credit is counted in bytes, the way the session's
 * {@code credit_grant} counts them; for local streams of values it is counted in elements.
 *
 * <p>The credit rule: an element may be put when the receiver holds nothing unread, or when it fits in what is left
 * of the window. So at most {@code max(window, one element)} waits unread, a sender facing a receiver that does not
 * read blocks, and an element larger than the window still gets through once the receiver has caught up.
 *
 * <p>The stream ends in one of three ways. The sender completes it ({@link #complete()}): the receiver takes what is
 * buffered, then sees the end. The sender's side fails it ({@link #failAfterBuffered}): the receiver takes what is
 * buffered, then gets the failure, as frames sent before an error frame arrive before it. Or it is aborted
 * ({@link #fail}, for a cancellation, a deadline, a closing transport): what is buffered is dropped and both sides
 * get the failure at once. Failures reach either side as an {@link RpcException}.
 *
 * <p>One thread takes at a time (a stream is iterated once); senders are serialized by the pipe's lock. The receiver
 * takes without locking while elements are queued, so a receiver busy with the last element never holds up the
 * sender (measured: a 16 B server stream spent a third of its receiving thread in lock hand-offs); it locks only to
 * wait, and a sender signals only a receiver that waits. Without a window ({@code Long.MAX_VALUE}: a call's incoming
 * stream, bounded by the session's byte credit instead) nothing is counted at all.
 */
final class Pipe<E> {
    private final long window;
    private final boolean bounded;
    private final ToIntFunction<E> weight;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Queue<E> queue = new Queue<>();
    /** What waits unread, by weight; only counted when {@link #bounded}. */
    private final AtomicLong unread = new AtomicLong();
    private volatile boolean completed;
    private volatile Failure endFailure;
    private volatile boolean ended;
    private volatile Failure failure;
    /** Senders waiting for credit; written under the lock. */
    private volatile int blockedSenders;
    /** The receiver waits on {@link #changed}; written under the lock. */
    private boolean receiverWaits;
    private Pump pump;

    /** Makes the receiving thread bring elements in itself while it would wait (a spin-mode session's poll). */
    interface Pump {
        void pumpUntil(java.util.function.BooleanSupplier ready);
    }

    /** Sets the pump {@link #take} runs before it waits. */
    void pump(Pump pump) {
        this.pump = pump;
    }

    Pipe(long window, ToIntFunction<E> weight) {
        if (window <= 0) {
            throw new IllegalArgumentException("stream window must be positive: " + window);
        }
        this.window = window;
        this.bounded = window != Long.MAX_VALUE;
        this.weight = weight;
    }

    /**
     * Puts {@code element}, waiting for credit.
     *
     * @throws RpcException          if the stream failed, before or while waiting
     * @throws IllegalStateException if the sender already completed the stream
     * @throws InterruptedException  if interrupted while waiting for credit
     */
    void put(E element) throws InterruptedException {
        int w = bounded ? weight.applyAsInt(element) : 0;
        lock.lock();
        try {
            if (bounded) {
                // counted as blocked before looking at the credit (Dekker with take: it returns credit, then looks
                // for blocked senders), so a take between the look and the wait cannot go unsignalled
                while (failure == null && !completed) {
                    blockedSenders++;
                    if (!mustWait(w)) {
                        blockedSenders--;
                        break;
                    }
                    try {
                        changed.await();
                    } finally {
                        blockedSenders--;
                    }
                }
            }
            checkSendable();
            if (bounded) {
                unread.addAndGet(w);
            }
            queue.offer(element);
            if (receiverWaits) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean mustWait(int w) {
        long u = unread.get();
        return u > 0 && u + w > window;
    }

    /** True when {@link #take} would not wait: something is queued, or the stream ended. */
    private boolean readable() {
        return !queue.isEmpty() || completed || failure != null;
    }

    /**
     * Takes the next element, waiting for one, and grants its credit back to the sender.
     *
     * @return the element, or null once the stream completed and everything before was taken
     * @throws RpcException         if the stream failed
     * @throws InterruptedException if interrupted while waiting
     */
    E take() throws InterruptedException {
        E element = queue.poll();
        if (element == null) {
            Pump p = pump;
            if (p != null && !readable()) {
                p.pumpUntil(this::readable);
            }
            element = awaitElement();
            if (element == null) {
                return null;
            }
        } else if (failure != null) {
            throw dropBuffered(failure);
        }
        if (bounded) {
            unread.addAndGet(-weight.applyAsInt(element));
            if (blockedSenders > 0) {
                lock.lock();
                try {
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
        return element;
    }

    /** The slow path of {@link #take}: under the lock, waits for an element or the end. */
    private E awaitElement() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (failure != null) {
                    throw dropBuffered(failure);
                }
                E element = queue.poll();
                if (element != null) {
                    return element;
                }
                if (completed) {
                    Failure end = endFailure;
                    if (end != null) {
                        failure = end;
                        throw end.toException();
                    }
                    ended = true;
                    return null;
                }
                receiverWaits = true;
                try {
                    changed.await();
                } finally {
                    receiverWaits = false;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The receiver's side of {@link #fail}: drops what is buffered (only the receiver may poll the queue) and returns
     * the failure to throw.
     */
    private RpcException dropBuffered(Failure f) {
        while (queue.poll() != null) {
            // dropped
        }
        return f.toException();
    }

    /** The sender's half-close: the receiver sees the end after the elements already put. Idempotent. */
    void complete() {
        lock.lock();
        try {
            if (failure == null) {
                completed = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The sender's side fails the stream: the receiver gets {@code reason} after the elements already put. Does
     * nothing once the stream completed or failed.
     */
    void failAfterBuffered(Failure reason) {
        lock.lock();
        try {
            if (failure == null && !completed) {
                endFailure = reason;
                completed = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Aborts the stream with {@code reason}: the receiver takes nothing more, and drops what is buffered when it next
     * takes (the queue is the receiver's alone). Does nothing once it failed, or once the receiver has taken the end.
     */
    void fail(Failure reason) {
        lock.lock();
        try {
            if (failure == null && !ended) {
                failure = reason;
                if (bounded) {
                    unread.set(0);
                }
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails fast before a sender encodes an element that could not be put.
     *
     * @throws RpcException          if the stream failed
     * @throws IllegalStateException if the sender already completed it
     */
    void checkSendable() {
        Failure f = failure;
        if (f != null) {
            throw f.toException();
        }
        // completed first: failAfterBuffered writes endFailure before completed, so a completed stream read here
        // shows its failure below (when it has one) even without the lock
        boolean done = completed;
        f = endFailure;
        if (f != null) {
            throw f.toException();
        }
        if (done) {
            throw new IllegalStateException("the stream was already completed");
        }
    }

    /** Senders waiting for credit right now (for tests that check the credit bound). */
    int blockedSenders() {
        lock.lock(); // not the transient count of a sender that is only looking at its credit
        try {
            return blockedSenders;
        } finally {
            lock.unlock();
        }
    }

    /**
     * An unbounded single-producer, single-consumer queue in linked chunks: the producer (the pipe's senders, one at a
     * time under its lock) publishes each element with a release store, the consumer takes it with an acquire load and
     * never locks. A chunk is dropped once read through.
     */
    private static final class Queue<E> {
        private static final int CHUNK = 128;
        private static final VarHandle ITEMS = MethodHandles.arrayElementVarHandle(Object[].class);

        private static final class Chunk {
            final Object[] items = new Object[CHUNK];
            volatile Chunk next;
        }

        // producer side
        private Chunk tail = new Chunk();
        private int tailIndex;
        // consumer side
        private Chunk head = tail;
        private int headIndex;

        void offer(E element) {
            if (tailIndex == CHUNK) {
                Chunk next = new Chunk();
                tail.next = next;
                tail = next;
                tailIndex = 0;
            }
            ITEMS.setRelease(tail.items, tailIndex++, element);
        }

        E poll() {
            if (headIndex == CHUNK) {
                Chunk next = head.next;
                if (next == null) {
                    return null;
                }
                head = next;
                headIndex = 0;
            }
            @SuppressWarnings("unchecked")
            E element = (E) ITEMS.getAcquire(head.items, headIndex);
            if (element != null) {
                head.items[headIndex++] = null;
            }
            return element;
        }

        boolean isEmpty() {
            if (headIndex == CHUNK) {
                Chunk next = head.next;
                return next == null || ITEMS.getAcquire(next.items, 0) == null;
            }
            return ITEMS.getAcquire(head.items, headIndex) == null;
        }
    }
}
