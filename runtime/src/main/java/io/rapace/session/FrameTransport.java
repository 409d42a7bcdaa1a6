package io.rapace.session;

import io.rapace.config.CloseCause;
import io.rapace.config.WakeMode;
import io.rapace.shm.MessageTooLargeException;
import io.rapace.shm.PayloadEncoder;
import io.rapace.shm.PeerRole;
import io.rapace.shm.SendTimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Moves the frames of calls between this side and one peer; the call engine of {@code io.rapace.rpc} sits on it and
 * does everything about calls (channels, call state, credits, deadlines, cancellation, nesting, errors). A transport
 * only sends a frame on a channel (encoding its body in place), delivers the peer's frames to a
 * {@link FrameListener}, and says why the peer ended. {@link Session} is the shared-memory implementation.
 *
 * <p>Why these shapes: {@link #sendFrame} takes the timeout as a {@code long} of nanoseconds and returns the payload
 * length it wrote (as Aeron's {@code tryClaim} says what it claimed), so the engine's hot path allocates no
 * {@code Duration}, no counting wrapper around the encoder and no holder for the count. {@link #pollUntil},
 * {@link #working} and {@link #spinMode} are scheduling hints with do-nothing defaults: only a transport whose reader
 * can spin (the session in {@link WakeMode#SPIN}) overrides them.
 */
public interface FrameTransport {
    /** PeerA opens odd channel ids, PeerB even ones. */
    PeerRole role();

    /** The peer's identity as it introduced itself (the Hello's peer id), or {@code ""} until known. */
    String peerId();

    /** This side's maximum frame payload in bytes; the peer's may be lower, and then sends fail the same way. */
    int maxMessageSize();

    /**
     * A fresh channel id of this side's parity.
     *
     * @throws IllegalStateException once the u32 channel ids are exhausted (the transport is then closing)
     */
    int openChannel();

    /**
     * Encodes {@code body} in place and sends it as one frame on a data channel (never 0), waiting up to
     * {@code timeoutNanos} for room; returns the payload bytes written. An exception the body throws other than
     * for lack of room passes through, and nothing is sent.
     *
     * @throws SendTimeoutException     no room within {@code timeoutNanos}
     * @throws MessageTooLargeException over this side's or the peer's maximum message size
     * @throws IllegalStateException    the transport has ended (the message says why)
     */
    int sendFrame(int channelId, int methodId, int flags, int creditGrant, PayloadEncoder body, long timeoutNanos)
            throws SendTimeoutException;

    /**
     * Sends a channel-0 verb of the RPC layer (7 ListServices, 8 GetService, 9 GetMethod, 10 GetSchema, 11 Initialize,
     * 12 Shutdown), a request or its answer; the transport adds the {@code CONTROL} flag.
     *
     * @throws SendTimeoutException  no room within {@code timeoutNanos}
     * @throws IllegalStateException the transport has ended
     */
    void sendVerb(int verb, int flags, PayloadEncoder body, long timeoutNanos) throws SendTimeoutException;

    /** Tells the peer this side opens nothing new; calls in flight go on. Idempotent. */
    void goAway(String reason) throws SendTimeoutException;

    boolean isOpen();

    /** Why the transport ended, or null while it is open. */
    CloseCause closeCause();

    /** What {@link #closeCause()} says in words, or null while open. */
    String closeDetail();

    /** Ends the transport; its listener's {@link FrameListener#onClosed} runs exactly once. Idempotent. */
    void close();

    /**
     * A caller waiting for its own answer may deliver frames itself until {@code done} is true or
     * {@code timeoutNanos} passed; returns whether {@code done} became true. By default it only looks.
     */
    default boolean pollUntil(BooleanSupplier done, long timeoutNanos) {
        return done.getAsBoolean();
    }

    /**
     * A call is about to start on this transport, opened by either side: a quiet transport goes back to its fast
     * liveness cadence now (not at its next slow beat), so a peer that froze is still caught within the peer timeout
     * while the call waits on it. By default nothing.
     */
    default void callStarting() {
    }

    /**
     * Leader/follower serving: runs {@code call} (a handler, with everything it needs) on the thread delivering frames
     * now, once the frames of this delivery are delivered, so the handler starts without waking a thread first; if it
     * runs long, another thread takes over the reading, so a handler that blocks never stalls it for good. False when
     * the transport does not offer it here (the caller then runs the call its own way); by default it never does.
     */
    default boolean serveOnDeliveringThread(Runnable call) {
        return false;
    }

    /**
     * This thread is about to wait for something only the peer's frames bring (stream credit, say): if it serves a
     * call as the thread that also reads ({@link #serveOnDeliveringThread}), another thread takes over the reading
     * now, rather than when the hand-off watchdog next looks. By default nothing.
     */
    default void aboutToBlock() {
    }

    /** A thread of this process starts ({@code +1}) or stops ({@code -1}) working for the peer; a scheduling hint. */
    default void working(int delta) {
    }

    /** True when a caller should poll for its whole wait rather than sleep (the session in {@link WakeMode#SPIN}). */
    default boolean spinMode() {
        return false;
    }
}
