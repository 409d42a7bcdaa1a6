package io.rapace.rpc;

/**
 * Sees every call a dispatcher serves before its handler runs, in the shape gRPC-java's {@code ServerInterceptor}
 * has: the method, the call's context (metadata, deadline, peer, cancellation), and the rest of the chain. It can read
 * the caller's metadata and deadline, wrap the handler (log, count, time it from start to end, observe the request and
 * response streams), or short-circuit the call by throwing an {@link RpcException}, which the caller receives with
 * its code and message; any other exception reaches the caller as {@link ErrorCode#INTERNAL}, as a handler's does. It
 * runs on the handler's thread, inside the transport, so it behaves the same over the {@link Loopback}, a
 * shared-memory session, or any later transport. Install with {@link ServerInterceptors#intercept}.
 *
 * <pre>{@code
 * ServerInterceptor authenticated = (method, context, next) -> {
 *     if (context.metadata().stream().noneMatch(e -> e.key().equals("token"))) {
 *         throw new RpcException(ErrorCode.PERMISSION_DENIED, method.name() + " needs a token");
 *     }
 *     next.proceed();
 * };
 * rpc.serve(ServerInterceptors.interceptForward(new CalculatorDispatcher(impl), authenticated, timed));
 * }</pre>
 */
@FunctionalInterface
public interface ServerInterceptor {

    /**
     * Intercepts one incoming call of {@code method}. To serve it, call {@link ServerCall#proceed()} on {@code next},
     * which returns once the handler has answered (its response sent, or its response stream sent to the end) and
     * throws what the handler threw; to refuse it, throw. Returning without either is a bug, which fails the call with
     * {@link ErrorCode#INTERNAL}.
     *
     * @param method  the method called: the dispatcher's service name and the {@link ServerMethod}'s name, id, shape
     *                and codecs
     * @param context the call's context, the same as {@link CallContext#current()} on this thread
     * @param next    the rest of the call: the next interceptor, then the handler
     * @throws Exception to fail the call, as a handler may
     */
    void intercept(RpcMethod<?, ?> method, CallContext context, ServerCall<?, ?> next) throws Exception;

    /**
     * Hears of a call the transport refused before any dispatcher saw it: an unknown method, the wrong call shape, a
     * limit (calls in flight or per second, nesting depth), a session that is closing, no thread for the handler.
     * Only an interceptor installed on the session as a whole ({@link RpcSession.Builder#serverInterceptors}) hears
     * of these (the interceptors of one dispatcher hear only of its calls); nothing by default. Called on the
     * transport's thread: keep it quick, never block, never throw.
     *
     * @param methodId the method id the caller asked for (a u32 in an int)
     * @param method   the method, or null when this side serves no method with that id
     * @param refusal  the error the caller gets
     */
    default void refused(int methodId, RpcMethod<?, ?> method, RpcException refusal) {
    }
}
