package io.rapace.rpc;

import io.rapace.annotation.MethodKind;

/**
 * Sees every call end, in either direction, for metrics (the plugin host counts calls, errors, bytes and latency
 * with it). It is a pair of interceptors: {@link #clientInterceptor()} reports the calls this side makes,
 * {@link #serverInterceptor()} the calls it serves and those it refused before any dispatcher saw them, with the
 * byte counts the transport keeps for interceptors ({@link CallStats}). {@link RpcSession.Builder#observer} installs
 * both outermost; over any other channel or dispatcher, install them as you would any interceptor. Called on
 * whichever thread ended the call, so keep it short and never block.
 */
@FunctionalInterface
public interface CallObserver {

    /** An observer that does nothing. */
    CallObserver NONE = event -> { };

    /** A call ended: it succeeded, failed, was cancelled, or was refused before its handler ran. */
    void callEnded(Event event);

    /**
     * This observer as a client interceptor: each call through it is reported once when it ends (as
     * {@link ClientCall#onClose} sees it), {@link Direction#OUTBOUND}, timed from the moment it reached the
     * interceptor, with the bytes the transport counted and whether a limit of this side refused it.
     */
    default ClientInterceptor clientInterceptor() {
        return (method, options, next) -> {
            long start = System.nanoTime();
            CallStats stats = next.stats();
            next.onClose(failure -> report(new Event(Direction.OUTBOUND, method.id(), method.kind(),
                    System.nanoTime() - start, failure == null ? 0 : failure.rawCode(), stats.bytesSent(),
                    stats.bytesReceived(), stats.refused(), method.name())));
            next.proceed(options);
        };
    }

    /**
     * This observer as a server interceptor: each call served through it is reported once its handler has answered
     * or failed, {@link Direction#INBOUND}, timed from the moment it reached the interceptor; installed on a session
     * ({@link RpcSession.Builder#serverInterceptors}) it also reports each call the session refused before any
     * dispatcher saw it ({@link ServerInterceptor#refused}), as rejected when a limit refused it.
     */
    default ServerInterceptor serverInterceptor() {
        CallObserver observer = this;
        return new ServerInterceptor() {
            @Override
            public void intercept(RpcMethod<?, ?> method, CallContext context, ServerCall<?, ?> next)
                    throws Exception {
                long start = System.nanoTime();
                int code = ErrorCode.INTERNAL.value();
                try {
                    next.proceed();
                    code = 0;
                } catch (RpcException e) {
                    code = e.rawCode();
                    throw e;
                } finally {
                    CallStats stats = next.stats();
                    observer.report(new Event(Direction.INBOUND, method.id(), method.kind(),
                            System.nanoTime() - start, code, stats.bytesSent(), stats.bytesReceived(), false,
                            method.name()));
                }
            }

            @Override
            public void refused(int methodId, RpcMethod<?, ?> method, RpcException refusal) {
                observer.report(new Event(Direction.INBOUND, methodId, method == null ? null : method.kind(), 0,
                        refusal.rawCode(), 0, 0, refusal.code() == ErrorCode.RESOURCE_EXHAUSTED,
                        method == null ? "" : method.name()));
            }

            @Override
            public String toString() {
                return "CallObserver.serverInterceptor[" + observer + "]";
            }
        };
    }

    /** {@link #callEnded}, logging (never throwing) what it throws: an observer never fails a call. */
    private void report(Event event) {
        try {
            callEnded(event);
        } catch (RuntimeException e) {
            System.getLogger(CallObserver.class.getName()).log(System.Logger.Level.WARNING, "call observer failed",
                    e);
        }
    }

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
     * @param methodName    the method's name as its service declares it ({@code render}, {@code Logger.log}), or
     *                      empty when the call did not say (a call by id alone, a method unknown on this side)
     */
    record Event(Direction direction, int methodId, MethodKind kind, long durationNanos, int rawCode, long bytesSent,
            long bytesReceived, boolean rejected, String methodName) {

        /** An event without the method's name. */
        public Event(Direction direction, int methodId, MethodKind kind, long durationNanos, int rawCode,
                long bytesSent, long bytesReceived, boolean rejected) {
            this(direction, methodId, kind, durationNanos, rawCode, bytesSent, bytesReceived, rejected, "");
        }

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
