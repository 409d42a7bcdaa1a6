package io.rapace.rpc;

import io.rapace.session.FrameTransport;

/**
 * The sending half of one stream direction's byte credit on a session: the receiver grants bytes ({@code credit_grant}
 * on a frame with the {@code CREDITS} flag), first its whole window, then back what its reader has taken. The sender
 * may send while it has sent less than it was granted; the message it then sends may overshoot by at most its own
 * size, so what waits unread at the receiver never exceeds its window plus one message. Whoever waits here holds up
 * its own stream only.
 */
final class Credit {
    private long granted;
    private long sent;
    private Failure failure;
    private int waiting;

    /** Adds {@code bytes} of credit from the receiver (an unsigned u32 on the wire). */
    synchronized void grant(long bytes) {
        granted += bytes;
        if (waiting > 0) {
            notifyAll();
        }
    }

    /**
     * Waits until there is credit (telling {@code transport} first, once, if it must wait), then accounts for a message of {@code bytes} once it was sent; returns false if the
     * wait timed out.
     *
     * @throws RpcException         if the stream failed before or while waiting
     * @throws InterruptedException if interrupted while waiting
     */
    synchronized boolean await(long timeoutNanos, FrameTransport transport) throws InterruptedException {
        long until = System.nanoTime() + timeoutNanos;
        if (failure == null && sent >= granted) {
            transport.aboutToBlock(); // the credit comes in a frame: if this thread reads the ring, another must
        }
        while (failure == null && sent >= granted) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            waiting++;
            try {
                wait(Math.max(1, left / 1_000_000), (int) (left % 1_000_000));
            } finally {
                waiting--;
            }
        }
        if (failure != null) {
            throw failure.toException();
        }
        return true;
    }

    /** Records a message of {@code bytes} sent after {@link #await} allowed it. */
    synchronized void spend(long bytes) {
        sent += bytes;
    }

    /** Fails every present and future wait with {@code reason}. Does nothing once failed. */
    synchronized void fail(Failure reason) {
        if (failure == null) {
            failure = reason;
            notifyAll();
        }
    }

    /** Senders waiting for credit right now (for tests of the credit bound). */
    synchronized int waiting() {
        return waiting;
    }
}
