package io.rapace.shm;

/** Receives what {@link ShmTransport#poll} reads, on the polling thread. */
public interface FrameHandler {

    /** A valid frame; {@code frame} and its payload are valid only until this returns. */
    void onFrame(Frame frame);

    /**
     * A frame was dropped as invalid (already counted and logged once per kind). {@code channelId} and
     * {@code msgId} are as the peer wrote them, so the session can fail the call they name.
     */
    default void onDropped(int channelId, long msgId, InvalidFrameKind kind) {
    }

    /**
     * The peer broke the segment's invariants (a ring or free-list position out of range): nothing it writes can be
     * trusted any more and the session should end.
     */
    default void onProtocolViolation(String message) {
    }
}
