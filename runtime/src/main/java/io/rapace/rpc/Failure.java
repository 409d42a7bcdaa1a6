package io.rapace.rpc;

/**
 * The outcome of a failed call as it travels: a code number and a message. An exception is made from it on the
 * thread that reports the failure, so the caller's stack trace shows its own call.
 */
record Failure(int rawCode, String message) {

    static Failure of(ErrorCode code, String message) {
        return new Failure(code.value(), message);
    }

    static Failure of(RpcException e) {
        return new Failure(e.rawCode(), e.getMessage());
    }

    /** What a handler or a producer that threw {@code t} reports: its own code if it is an RpcException. */
    static Failure fromThrowable(Throwable t, ErrorCode otherwise, String prefix) {
        if (t instanceof RpcException e) {
            return of(e);
        }
        return of(otherwise, prefix + t);
    }

    RpcException toException() {
        return RpcException.ofRaw(rawCode, message);
    }
}
