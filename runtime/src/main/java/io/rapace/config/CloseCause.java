package io.rapace.config;

/** Why a session ended. */
public enum CloseCause {
    /** This side closed the session ({@code RpcSession.close()}). */
    LOCAL_CLOSE,
    /** The peer sent GoAway and then closed: an orderly end. */
    PEER_GOAWAY,
    /** The doorbell socket reached end-of-stream without a GoAway: the peer process exited or was killed. */
    END_OF_STREAM,
    /** The peer's process, watched through {@code RpcSession.watch(ProcessHandle)}, exited. */
    PROCESS_EXIT,
    /** The peer's {@code last_seen} did not change for the peer timeout, on this side's clock. */
    HEARTBEAT_TIMEOUT,
    /** The peer broke the segment's invariants or the handshake's rules. */
    PROTOCOL_VIOLATION,
    /** This side failed (a bug or an I/O error); the detail says what. */
    INTERNAL_ERROR;

    /** True for the causes that mean the peer died rather than closed. */
    public boolean isPeerDeath() {
        return this == END_OF_STREAM || this == PROCESS_EXIT || this == HEARTBEAT_TIMEOUT;
    }
}
