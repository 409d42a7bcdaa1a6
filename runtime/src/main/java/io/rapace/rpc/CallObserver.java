package io.rapace.rpc;

import io.rapace.annotation.MethodKind;

/**
 * Sees every call of an {@link RpcSession} end, in either direction, for metrics (the plugin host counts calls,
 * errors, bytes and latency with it). Called on whichever thread ended the call, so keep it short and never block.
 */
@FunctionalInterface
public interface CallObserver {

    /** An observer that does nothing. */
    CallObserver NONE = event -> { };

    /** A call ended: it succeeded, failed, was cancelled, or was refused before its handler ran. */
    void callEnded(Event event);

    /** Which side of the session opened the call. */
    enum Direction {
        /** This side called the peer. */
        OUTBOUND,
        /** The peer called this side. */
        INBOUND
    }

    /**
     * One ended call.
     *
     * @param direction     who opened it
     * @param methodId      the method id (a u32 in an int)
     * @param kind          its call shape, or null when the method is unknown on this side
     * @param durationNanos from opening (or arrival) to the end, on this side's clock
     * @param rawCode       0 when it succeeded, else the error code number (the table in {@code docs/generated-code.md})
     * @param bytesSent     payload bytes this side sent for it (header included)
     * @param bytesReceived payload bytes this side received for it
     * @param rejected      true when a limit refused it before it ran ({@link ErrorCode#RESOURCE_EXHAUSTED})
     */
    record Event(Direction direction, int methodId, MethodKind kind, long durationNanos, int rawCode, long bytesSent,
            long bytesReceived, boolean rejected) {

        /** True when the call succeeded. */
        public boolean ok() {
            return rawCode == 0;
        }

        /** The error code, {@link ErrorCode#OK} for success. */
        public ErrorCode code() {
            return ErrorCode.fromRaw(rawCode);
        }
    }
}
