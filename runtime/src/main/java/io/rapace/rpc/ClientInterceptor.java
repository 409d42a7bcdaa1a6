package io.rapace.rpc;

/**
 * Sees every call made through a channel before it is sent, in the shape gRPC-java's {@code ClientInterceptor} has:
 * the method, the options, and the rest of the chain. It can change the options (add metadata, set a deadline) and
 * pass the call on, wrap the call (log it, count it, time it from start to end, retry a unary call), or short-circuit
 * it by throwing an {@link RpcException}, which the caller gets as if the other side had answered with it. It runs on
 * the caller's thread, at the call API every transport shares, so it behaves the same over the {@link Loopback}, a
 * shared-memory session, or any later transport. Install with {@link ClientInterceptors#intercept}.
 *
 * <pre>{@code
 * ClientInterceptor traced = (method, options, next) ->
 *         next.proceed(options.withMetadata("trace-id", traceId));
 * ClientInterceptor timed = (method, options, next) -> {
 *     long start = System.nanoTime();
 *     next.onClose(failure -> metrics.record(method, System.nanoTime() - start, failure));
 *     next.proceed(options);
 * };
 * ClientInterceptor readOnly = (method, options, next) -> {
 *     if (method.name().startsWith("Storage.set")) {
 *         throw new RpcException(ErrorCode.PERMISSION_DENIED, "read-only client");
 *     }
 *     next.proceed(options);
 * };
 * CallChannel channel = ClientInterceptors.interceptForward(session, traced, timed, readOnly);
 * }</pre>
 */
@FunctionalInterface
public interface ClientInterceptor {

    /**
     * Intercepts one call of {@code method}. To let it go on, call {@link ClientCall#proceed(CallOptions)} on
     * {@code next} (with {@code options} or changed ones); to stop it, throw an {@link RpcException}. Returning without
     * either is a bug, reported to the caller as an {@link IllegalStateException}.
     *
     * @param method  the method called, with its service, name, id, shape and codecs; a call made through the
     *                {@link CallChannel} methods taking loose arguments has an unnamed one (empty service and name)
     * @param options the call's deadline and metadata as the previous interceptor (or the caller) passed them
     * @param next    the rest of the call: the next interceptor, then the channel
     */
    void intercept(RpcMethod<?, ?> method, CallOptions options, ClientCall<?, ?> next);
}
