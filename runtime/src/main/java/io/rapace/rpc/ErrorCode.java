package io.rapace.rpc;

/**
 * Why a call failed: rapace's numbering of the status codes. The names are gRPC's; the numbers are NOT gRPC's
 * (the table in {@code docs/generated-code.md}), so never convert by number between the two.
 *
 * <p>{@link #UNKNOWN} stands for every number not listed here, as received from a newer peer;
 * {@link RpcException#rawCode()} keeps the number itself.
 */
public enum ErrorCode {
    /** Not an error; never the code of an {@link RpcException}. */
    OK(0),
    /** The caller, or the handler, cancelled the call. */
    CANCELLED(1),
    /** The call's deadline passed before it finished. */
    DEADLINE_EXCEEDED(2),
    /** The request is invalid whatever the state of the callee (including a request that does not decode). */
    INVALID_ARGUMENT(3),
    NOT_FOUND(4),
    ALREADY_EXISTS(5),
    PERMISSION_DENIED(6),
    /** A limit was hit, such as the maximum message size. */
    RESOURCE_EXHAUSTED(7),
    FAILED_PRECONDITION(8),
    ABORTED(9),
    OUT_OF_RANGE(10),
    /** The callee serves no such method, or not with the call shape the caller used. */
    UNIMPLEMENTED(11),
    /** The handler failed: it threw an exception that was not an {@link RpcException}. */
    INTERNAL(12),
    UNAVAILABLE(13),
    DATA_LOSS(14),
    /** The peer process died during the call. */
    PEER_DIED(100),
    /** The session (or the loopback) was closed during the call, or before it started. */
    SESSION_CLOSED(101),
    /** A frame of the call failed validation. */
    VALIDATION_FAILED(102),
    /** A frame referred to a slot generation that is no longer current. */
    STALE_GENERATION(103),
    /** A number this version does not know; {@link #value()} is -1, and the number is in the exception. */
    UNKNOWN(-1);

    private static final ErrorCode[] SMALL = {
        OK, CANCELLED, DEADLINE_EXCEEDED, INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED,
        RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS,
    };
    private static final ErrorCode[] RAPACE = {PEER_DIED, SESSION_CLOSED, VALIDATION_FAILED, STALE_GENERATION};

    private final int value;

    ErrorCode(int value) {
        this.value = value;
    }

    /** The number on the wire (a u32); -1 for {@link #UNKNOWN}, which has none. */
    public int value() {
        return value;
    }

    /** The code with number {@code raw} (a u32 in an int), or {@link #UNKNOWN} when the number is not listed. */
    public static ErrorCode fromRaw(int raw) {
        if (raw >= 0 && raw < SMALL.length) {
            return SMALL[raw];
        }
        if (raw >= 100 && raw < 100 + RAPACE.length) {
            return RAPACE[raw - 100];
        }
        return UNKNOWN;
    }
}
