package io.rapace.rpc;

import io.rapace.codec.PostcardWriter;
import io.rapace.config.CloseCause;
import io.rapace.session.FrameListener;
import io.rapace.session.FrameTransport;
import io.rapace.session.GoAway;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.MessageTooLargeException;
import io.rapace.shm.PayloadEncoder;
import io.rapace.shm.PeerRole;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One end of a pair of {@link FrameTransport}s in one JVM, so that two {@link CallEngine}s talk as two processes do:
 * the same frames, flags and bodies a session carries, delivered in order on a reader thread of the receiving end.
 *
 * <p>Sending encodes the body into a heap writer reused by the sending thread, checks the size against this end's and
 * the peer's maximum message size ({@link MessageTooLargeException}, with the session's text), copies the bytes once
 * and queues the frame for the peer; it never waits. Each end has at most one reader thread at a time (made by the
 * pair's thread factory when frames wait and none runs; it ends after {@value #READER_IDLE_SECONDS} s with nothing to
 * deliver, so a pair nobody closes leaves no thread behind for long) that delivers its queue to its
 * {@link FrameListener}, one frame at a time in the order sent.
 * The sender never delivers: the engine sends from inside its callbacks and under its locks, and a synchronous
 * delivery would recurse into the other engine. Channel 0 carries the introspection verbs (with {@code CONTROL}) and
 * GoAway.
 *
 * <p>Modelled as on a session: channel parity (end A is PeerA: odd ids; end B is PeerB: even ids), u32 channel
 * exhaustion, the maximum message size of both ends (for every frame but ERROR and CANCEL, whose failure texts must
 * get through even under a tiny test maximum), no send after the end, GoAway, and an end reported once to each
 * listener. Not modelled: back-pressure of a ring or a slot pool (a send never times out; memory is bounded by the
 * engine's stream credit and calls-in-flight limit), liveness, slot generations, and invalid frames.
 */
final class InMemoryTransport implements FrameTransport {
    private static final System.Logger LOG = System.getLogger(InMemoryTransport.class.getName());
    /** A writer that grew past this for one message is dropped afterwards rather than kept for the thread. */
    private static final int KEPT_WRITER_SIZE = 64 * 1024;
    private static final ThreadLocal<PostcardWriter> WRITERS =
            ThreadLocal.withInitial(() -> PostcardWriter.growable(256));
    /** How long a reader waits for a frame before it ends; the next frame starts another. */
    static final int READER_IDLE_SECONDS = 30;
    /** Queued last by the end of a transport: its reader stops. */
    private static final Object STOP = new Object();

    private final String id;
    private final PeerRole role;
    private final int maxMessageSize;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final AtomicLong nextChannel;
    private final AtomicLong nextMsgId = new AtomicLong();
    private final AtomicBoolean goAwaySent = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ThreadFactory threads;
    /** True while a reader thread runs or is about to: at most one delivers at a time, so frames stay in order. */
    private final AtomicBoolean readerRunning = new AtomicBoolean();
    private volatile Thread reader;
    private InMemoryTransport peer;
    private volatile FrameListener listener;
    private volatile CloseCause cause;
    private volatile String closeDetail;

    private InMemoryTransport(String id, PeerRole role, int maxMessageSize, ThreadFactory threads) {
        this.id = id;
        this.role = role;
        this.maxMessageSize = maxMessageSize;
        this.nextChannel = new AtomicLong(role == PeerRole.PEER_A ? 1 : 2);
        this.threads = threads;
    }

    /**
     * Two connected ends: {@code [0]} is PeerA with id {@code idA} (odd channel ids), {@code [1]} PeerB with
     * {@code idB}. Each end's id is what the other's {@link #peerId()} returns. Nothing flows before
     * {@link #start}.
     */
    static InMemoryTransport[] pair(String idA, String idB, int maxMessageSize, ThreadFactory threads) {
        return pair(idA, idB, maxMessageSize, maxMessageSize, threads);
    }

    /** As {@link #pair(String, String, int, ThreadFactory)}, each end with its own maximum message size. */
    static InMemoryTransport[] pair(String idA, String idB, int maxA, int maxB, ThreadFactory threads) {
        if (maxA <= 0 || maxB <= 0) {
            throw new IllegalArgumentException("maximum message size must be positive: " + Math.min(maxA, maxB));
        }
        InMemoryTransport a = new InMemoryTransport(idA, PeerRole.PEER_A, maxA, threads);
        InMemoryTransport b = new InMemoryTransport(idB, PeerRole.PEER_B, maxB, threads);
        a.peer = b;
        b.peer = a;
        return new InMemoryTransport[] {a, b};
    }

    /** Delivers this end's frames to {@code frameListener} from now on, on this end's reader thread. Once. */
    void start(FrameListener frameListener) {
        this.listener = frameListener;
        wakeReader();
    }

    /** Queues {@code frame} (a Frame or a GoAway) for this end's listener. */
    private void deliver(Object frame) {
        inbox.add(frame);
        wakeReader();
    }

    /** Starts a reader if frames wait, none runs, and the listener is known. */
    private void wakeReader() {
        if (listener != null && !inbox.isEmpty() && !ended.get() && readerRunning.compareAndSet(false, true)) {
            Thread thread = threads.newThread(this::readLoop);
            reader = thread;
            thread.start();
        }
    }

    @Override
    public PeerRole role() {
        return role;
    }

    /** The other end's id. */
    @Override
    public String peerId() {
        return peer.id;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public int openChannel() {
        long next = nextChannel.getAndAdd(2);
        if (next > 0xFFFF_FFFFL) {
            close();
            throw new IllegalStateException("channel ids are exhausted (u32); the session is closing with GoAway");
        }
        return (int) next;
    }

    /** For tests of exhaustion: the next channel id this end opens. */
    void nextChannel(long next) {
        nextChannel.set(next);
    }

    @Override
    public int sendFrame(int channelId, int methodId, int flags, int creditGrant, PayloadEncoder body,
            long timeoutNanos) {
        if (channelId == 0) {
            throw new IllegalArgumentException("channel 0 carries session verbs only");
        }
        return send(channelId, methodId, flags, creditGrant, body);
    }

    @Override
    public void sendVerb(int verb, int flags, PayloadEncoder body, long timeoutNanos) {
        if (verb < 7 || verb > 12) {
            throw new IllegalArgumentException("not a verb of the RPC layer (7..12): " + verb);
        }
        send(0, verb, flags | FrameFlags.CONTROL, 0, body);
    }

    private int send(int channelId, int methodId, int flags, int creditGrant, PayloadEncoder body) {
        checkOpen();
        PostcardWriter out = WRITERS.get();
        out.reset();
        int size = 0;
        try {
            body.encode(out);
            size = out.size();
            // A failure's {code, text} is not a message and is never refused for its size: under a loopback's tiny
            // test maximum, a failure about size could otherwise never be told. (A session does refuse it, but only
            // under a maximum smaller than the text.)
            boolean message = (flags & (FrameFlags.ERROR | FrameFlags.CANCEL)) == 0;
            if (message && size > maxMessageSize) {
                throw new MessageTooLargeException(size, maxMessageSize, false);
            }
            if (message && size > peer.maxMessageSize) {
                throw new MessageTooLargeException(size, peer.maxMessageSize, true);
            }
            ByteBuffer payload = ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            checkOpen();
            peer.deliver(Frame.of(nextMsgId.incrementAndGet(), channelId, methodId, flags, creditGrant, payload));
            return size;
        } finally {
            out.reset();
            if (size > KEPT_WRITER_SIZE) {
                WRITERS.remove();
            }
        }
    }

    private void checkOpen() {
        if (ended.get()) {
            throw new IllegalStateException("session closed (" + cause + "): " + closeDetail);
        }
    }

    @Override
    public void goAway(String reason) {
        if (goAwaySent.compareAndSet(false, true)) {
            checkOpen();
            peer.deliver(new GoAway(0, reason));
        }
    }

    @Override
    public boolean isOpen() {
        return !ended.get();
    }

    @Override
    public CloseCause closeCause() {
        return cause;
    }

    @Override
    public String closeDetail() {
        return closeDetail;
    }

    /** Ends this end ({@code LOCAL_CLOSE}) and, as a session's peer sees a GoAway then the end, the other one. */
    @Override
    public void close() {
        endBoth(CloseCause.LOCAL_CLOSE, "closed by this side", CloseCause.PEER_GOAWAY, "the peer closed");
    }

    /** Ends both ends with {@code LOCAL_CLOSE} and {@code detail}, as if each side had closed. */
    void closePair(String detail) {
        endBoth(CloseCause.LOCAL_CLOSE, detail, CloseCause.LOCAL_CLOSE, detail);
    }

    /** For tests: this end dies without a word; the other end sees {@code END_OF_STREAM}, as a process's death. */
    void kill() {
        endBoth(CloseCause.LOCAL_CLOSE, "killed", CloseCause.END_OF_STREAM, "the peer's end was killed");
    }

    /**
     * Ends the ends not ended yet: no more sends, queued frames dropped, readers stopped and joined (never the
     * current thread), then each listener told once, on this thread.
     */
    private void endBoth(CloseCause mine, String myDetail, CloseCause peers, String peerDetail) {
        boolean me = markEnded(mine, myDetail);
        boolean other = peer.markEnded(peers, peerDetail);
        Thread self = Thread.currentThread();
        if (me) {
            stopReader(self);
        }
        if (other) {
            peer.stopReader(self);
        }
        if (me) {
            notifyClosed();
        }
        if (other) {
            peer.notifyClosed();
        }
    }

    private boolean markEnded(CloseCause why, String detail) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        cause = why;
        closeDetail = detail;
        inbox.clear();
        inbox.add(STOP);
        return true;
    }

    private void stopReader(Thread self) {
        Thread thread = reader;
        if (thread == null || thread == self) {
            return;
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "reader thread {0} did not stop within 2 s", thread.getName());
        }
    }

    private void notifyClosed() {
        FrameListener l = listener;
        if (l == null) {
            return;
        }
        try {
            l.onClosed(cause, closeDetail);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "frame listener failed in onClosed", e);
        }
    }

    private void readLoop() {
        while (!ended.get()) {
            Object next;
            try {
                next = inbox.poll(READER_IDLE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                continue; // an interrupt meant for a handler that ran here; the end is signalled by STOP
            }
            if (next == null) {
                // idle: end, unless a frame came between the poll and the flag (its sender saw the flag still set)
                readerRunning.set(false);
                if (inbox.isEmpty() || !readerRunning.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            if (next == STOP || ended.get()) {
                return;
            }
            try {
                if (next instanceof GoAway goAway) {
                    listener.onGoAway(goAway);
                } else {
                    listener.onFrame((Frame) next);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "in-memory transport " + this + ": delivering a frame failed", e);
                endBoth(CloseCause.INTERNAL_ERROR, "delivering a frame failed: " + e, CloseCause.END_OF_STREAM,
                        "the peer failed");
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "InMemoryTransport[" + id + ", " + role + (cause == null ? ", open" : ", " + cause) + "]";
    }
}
