package io.rapace.session;

import io.rapace.config.CloseCause;
import io.rapace.shm.Frame;
import io.rapace.shm.InvalidFrameKind;

/**
 * What a {@link FrameTransport} delivers, on its delivering thread (its reader, or a caller in
 * {@link FrameTransport#pollUntil}). A delivering thread must never wait for long: the peer may be waiting for this
 * side to read.
 */
public interface FrameListener {
    /**
     * A frame on a data channel, or an introspection verb on channel 0. It and its payload are valid only during the
     * callback: copy what you keep.
     */
    void onFrame(Frame frame);

    /**
     * A frame of the peer was dropped as invalid. When it named a channel ({@code channelId != 0}) the transport has
     * also sent the peer an ERROR frame with {@code errorCode} there, so the call on that channel should fail with it.
     */
    default void onDropped(int channelId, InvalidFrameKind kind, int errorCode) {
    }

    /** The peer announced it is going away: it opens nothing new. */
    void onGoAway(GoAway goAway);

    /** The transport ended, exactly once; {@link CloseCause#isPeerDeath()} tells the peer's death from a close. */
    void onClosed(CloseCause cause, String detail);
}
