package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.Codec;
import java.util.concurrent.CompletableFuture;

/**
 * Where a generated client sends its calls: one method per call shape, each taking the method (an {@link RpcMethod}:
 * service, name, id, shape and codecs), the request (a value or a stream) and the {@link CallOptions}. A transport
 * implements the methods taking the loose parts (method id, request codec, response codec), which the methods taking
 * an {@link RpcMethod} call by default; a wrapper that wants to see the whole method overrides those as well.
 * Transports: the {@link Loopback} in one JVM, a shared-memory session across processes. Nothing here assumes the two
 * ends share a process: requests and responses cross as postcard bytes, written by the codec straight into the
 * buffer the transport supplies (a heap buffer on the loopback, a shared-memory slot on a session) and decoded on the
 * other side.
 *
 * <p>Every transport keeps these rules:
 * <ul>
 *   <li>A failed call throws {@link RpcException}, from the blocking method or from the iteration of the response
 *       stream; never another exception for a failure of the call.
 *   <li>A message (one request, one response, one stream element) larger than the maximum message size (16 MiB
 *       unless configured otherwise) fails the call with {@link ErrorCode#RESOURCE_EXHAUSTED}, whichever side it
 *       was going to; the maximum is enforced the same way on every transport.
 *   <li>A method id the other side does not serve, or serves with another call shape, fails with
 *       {@link ErrorCode#UNIMPLEMENTED}; a request that does not decode there with {@link ErrorCode#INVALID_ARGUMENT}.
 *   <li>The deadline ({@link CallOptions#withTimeout}) travels as the remaining budget and bounds the whole call,
 *       streams included: when it passes, the caller gets {@link ErrorCode#DEADLINE_EXCEEDED} and the handler is
 *       cancelled.
 *   <li>Interrupting a thread blocked in a call cancels the call and throws {@link ErrorCode#CANCELLED}, leaving the
 *       interrupt flag set.
 *   <li>A call started on a handler's thread (a nested call) inherits that call's deadline when it is sooner, and is
 *       cancelled when that call is.
 *   <li>Streams are bounded by credit: a producer waits when its receiver has not read what it already sent, so it
 *       holds up its own stream only.
 * </ul>
 */
public interface CallChannel {

    /** Calls a unary method and waits for its response. */
    <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec, CallOptions options);

    /**
     * Calls a unary method without waiting. The future completes with the response, or exceptionally with an
     * {@link RpcException}; cancelling it cancels the call. Dependent stages may run on a transport thread, so attach
     * blocking work with the {@code ...Async} variants.
     */
    <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options);

    /** Calls a server-streaming method; the responses arrive through the returned stream. */
    <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options);

    /**
     * Calls a client-streaming method: sends every request of {@code requests} (on the calling thread, as credit
     * allows), half-closes, and waits for the response. If the call ends before all requests are sent (the handler
     * answered early, or failed), the rest are not sent.
     */
    <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options);

    /**
     * Calls a bidi-streaming method: {@code requests} is sent on a transport thread while the caller reads the
     * returned stream of responses; the two flow independently.
     */
    <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options);

    /**
     * Calls the unary {@code method} and waits for its response.
     *
     * @throws IllegalArgumentException if {@code method} is not {@link MethodKind#UNARY}
     */
    default <Q, R> R unary(RpcMethod<Q, R> method, Q request, CallOptions options) {
        method.checkKind(MethodKind.UNARY, "unary");
        return unary(method.id(), request, method.requestCodec(), method.responseCodec(), options);
    }

    /**
     * Calls the unary {@code method} without waiting, as {@link #unaryAsync(int, Object, Codec, Codec, CallOptions)}.
     *
     * @throws IllegalArgumentException if {@code method} is not {@link MethodKind#UNARY}
     */
    default <Q, R> CompletableFuture<R> unaryAsync(RpcMethod<Q, R> method, Q request, CallOptions options) {
        method.checkKind(MethodKind.UNARY, "unaryAsync");
        return unaryAsync(method.id(), request, method.requestCodec(), method.responseCodec(), options);
    }

    /**
     * Calls the server-streaming {@code method}; the responses arrive through the returned stream.
     *
     * @throws IllegalArgumentException if {@code method} is not {@link MethodKind#SERVER_STREAMING}
     */
    default <Q, R> RpcStream<R> serverStreaming(RpcMethod<Q, R> method, Q request, CallOptions options) {
        method.checkKind(MethodKind.SERVER_STREAMING, "serverStreaming");
        return serverStreaming(method.id(), request, method.requestCodec(), method.responseCodec(), options);
    }

    /**
     * Calls the client-streaming {@code method}, as
     * {@link #clientStreaming(int, RpcStream, Codec, Codec, CallOptions)}.
     *
     * @throws IllegalArgumentException if {@code method} is not {@link MethodKind#CLIENT_STREAMING}
     */
    default <Q, R> R clientStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        method.checkKind(MethodKind.CLIENT_STREAMING, "clientStreaming");
        return clientStreaming(method.id(), requests, method.requestCodec(), method.responseCodec(), options);
    }

    /**
     * Calls the bidi-streaming {@code method}, as {@link #bidiStreaming(int, RpcStream, Codec, Codec, CallOptions)}.
     *
     * @throws IllegalArgumentException if {@code method} is not {@link MethodKind#BIDI_STREAMING}
     */
    default <Q, R> RpcStream<R> bidiStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        method.checkKind(MethodKind.BIDI_STREAMING, "bidiStreaming");
        return bidiStreaming(method.id(), requests, method.requestCodec(), method.responseCodec(), options);
    }
}
