package io.rapace.rpc;

import java.util.ArrayDeque;
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
 */
final class Pipe<E> {
    private final long window;
    private final ToIntFunction<E> weight;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<E> queue = new ArrayDeque<>();
    private long unread;
    private boolean completed;
    private Failure endFailure;
    private boolean ended;
    private Failure failure;
    private int blockedSenders;
    /** True when {@link #take} would not wait: something is queued, or the stream ended. */
    private volatile boolean readable;
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
        int w = weight.applyAsInt(element);
        lock.lock();
        try {
            while (failure == null && !completed && unread > 0 && unread + w > window) {
                blockedSenders++;
                try {
                    changed.await();
                } finally {
                    blockedSenders--;
                }
            }
            checkSendableLocked();
            queue.add(element);
            unread += w;
            readable = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next element, waiting for one, and grants its credit back to the sender.
     *
     * @return the element, or null once the stream completed and everything before was taken
     * @throws RpcException         if the stream failed
     * @throws InterruptedException if interrupted while waiting
     */
    E take() throws InterruptedException {
        Pump p = pump;
        if (p != null && !readable) {
            p.pumpUntil(() -> readable);
        }
        lock.lock();
        try {
            while (failure == null && queue.isEmpty() && !completed) {
                changed.await();
            }
            if (failure != null) {
                throw failure.toException();
            }
            E element = queue.poll();
            readable = !queue.isEmpty() || completed;
            if (element == null) {
                if (endFailure != null) {
                    failure = endFailure;
                    throw failure.toException();
                }
                ended = true;
                return null;
            }
            unread -= weight.applyAsInt(element);
            changed.signalAll();
            return element;
        } finally {
            lock.unlock();
        }
    }

    /** The sender's half-close: the receiver sees the end after the elements already put. Idempotent. */
    void complete() {
        lock.lock();
        try {
            if (failure == null) {
                completed = true;
                readable = true;
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
                completed = true;
                endFailure = reason;
                readable = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Aborts the stream with {@code reason} and drops what is buffered. Does nothing once it failed, or once the
     * receiver has taken the end.
     */
    void fail(Failure reason) {
        lock.lock();
        try {
            if (failure == null && !ended) {
                failure = reason;
                queue.clear();
                unread = 0;
                readable = true;
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
        lock.lock();
        try {
            checkSendableLocked();
        } finally {
            lock.unlock();
        }
    }

    private void checkSendableLocked() {
        if (failure != null) {
            throw failure.toException();
        }
        if (endFailure != null) {
            throw endFailure.toException();
        }
        if (completed) {
            throw new IllegalStateException("the stream was already completed");
        }
    }

    /** Senders waiting for credit right now (for tests that check the credit bound). */
    int blockedSenders() {
        lock.lock();
        try {
            return blockedSenders;
        } finally {
            lock.unlock();
        }
    }
}
