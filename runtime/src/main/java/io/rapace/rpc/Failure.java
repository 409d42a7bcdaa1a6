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

    /** The failure a future was completed with (through a {@link Signal}), or what {@code t} reports. */
    static Failure of(Throwable t) {
        Throwable cause = t;
        while (!(cause instanceof Signal) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof Signal signal) {
            return signal.failure;
        }
        return fromThrowable(t, ErrorCode.INTERNAL, "");
    }

    RpcException toException() {
        return RpcException.ofRaw(rawCode, message);
    }

    /**
     * Carries a failure through a {@link java.util.concurrent.CompletableFuture}; the exception a caller sees is made
     * from it.
     */
    static final class Signal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient Failure failure;

        Signal(Failure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }
    }
}
