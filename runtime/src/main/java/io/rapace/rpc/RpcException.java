package io.rapace.rpc;

import java.util.Objects;

/**
 * A call that failed, with its {@link ErrorCode} and the message the failing side gave. Thrown by generated clients,
 * by stream iteration and by {@link StreamSender#send}; thrown by a handler, it travels to the caller with its code
 * and message (any other exception reaches the caller as {@link ErrorCode#INTERNAL}).
 *
 * <p>{@link #getMessage()} is the message as sent, without the code; {@link #toString()} adds the code's name and
 * number. The exception a caller catches is created on the caller's thread, so its stack trace shows the call.
 */
public final class RpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int rawCode;

    /** A failure with {@code code}, which must be neither {@link ErrorCode#OK} nor {@link ErrorCode#UNKNOWN}. */
    public RpcException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** A failure with {@code code} and the local exception that caused it (the cause never travels). */
    public RpcException(ErrorCode code, String message, Throwable cause) {
        this(checkedValue(code), message, cause);
    }

    private RpcException(int rawCode, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.rawCode = rawCode;
    }

    /**
     * A failure with the code number {@code rawCode} as received from a peer (a u32 in an int); a number this version
     * does not know gives {@link ErrorCode#UNKNOWN} from {@link #code()}. 0 ({@code OK}) is not a failure.
     */
    public static RpcException ofRaw(int rawCode, String message) {
        if (rawCode == 0) {
            throw new IllegalArgumentException("error code 0 (OK) is not a failure: " + message);
        }
        return new RpcException(rawCode, message, null);
    }

    private static int checkedValue(ErrorCode code) {
        if (code == ErrorCode.OK || code == ErrorCode.UNKNOWN) {
            throw new IllegalArgumentException("an RpcException needs a failure code, not " + code);
        }
        return code.value();
    }

    /** The code, or {@link ErrorCode#UNKNOWN} for a number this version does not know. */
    public ErrorCode code() {
        return ErrorCode.fromRaw(rawCode);
    }

    /** The code's number as it travels on the wire (a u32 in an int). */
    public int rawCode() {
        return rawCode;
    }

    /** For example {@code io.rapace.rpc.RpcException: DEADLINE_EXCEEDED (2): deadline exceeded}. */
    @Override
    public String toString() {
        return getClass().getName() + ": " + code() + " (" + Integer.toUnsignedString(rawCode) + "): " + getMessage();
    }
}
