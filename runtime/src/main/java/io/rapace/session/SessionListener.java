package io.rapace.session;

import io.rapace.config.CloseCause;
import io.rapace.shm.Frame;
import io.rapace.shm.InvalidFrameKind;

/** What a session reports, on its reader thread (so keep it short, and copy what you keep). */
public interface SessionListener {

    /** A frame on a channel other than 0, or a channel-0 verb the session does not handle itself. */
    void onFrame(Session session, Frame frame);

    /**
     * A frame from the peer was dropped as invalid. When it named a channel ({@code channelId != 0}) the session has
     * also sent the peer an ERROR frame on that channel, so the call there should fail with {@code errorCode}
     * (102 VALIDATION_FAILED, 103 STALE_GENERATION or 7 RESOURCE_EXHAUSTED).
     */
    default void onDropped(Session session, int channelId, InvalidFrameKind kind, int errorCode) {
    }

    /**
     * Whether anything of this side waits on the peer now (a call or stream in flight either way), asked by the
     * liveness timer on each beat. While nothing does, the session is quiet: after a while it beats every
     * {@code quiet} interval instead of every heartbeat interval and allows the peer a longer silence (DESIGN 6), so
     * an idle host and plugin cost what two idle JVMs cost. True by default: a listener that does not say is never
     * quiet.
     */
    default boolean waitingOnPeer(Session session) {
        return true;
    }

    /**
     * Whether at most one call is in flight on this session now, either way: a scheduling hint for the delivering
     * threads (a lone caller, or the reader that answers it, yields its core to a peer thread woken onto it; with more
     * calls in flight other threads of this process want the core). True by default.
     */
    default boolean atMostOneCall(Session session) {
        return true;
    }

    /** The peer announced it is going away; it will open nothing new. */
    default void onGoAway(Session session, GoAway goAway) {
    }

    /** The session ended, exactly once; every resource of it is already reclaimed. */
    default void onClosed(Session session, CloseCause cause, String detail) {
    }
}
