package io.rapace.plugin;

import io.rapace.codec.Codec;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcMethod;
import io.rapace.rpc.RpcStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A channel that sends each call to the channel {@link #delegate()} names at that moment: the plugin host's channels
 * whose session comes and goes. A delegate that cannot be had fails the call with its {@link RpcException}, thrown by
 * the blocking kinds and completing {@code unaryAsync}'s future. Calls with an {@link RpcMethod} go on with it, so what
 * the delegate wraps (interceptors, say) sees the whole method.
 */
abstract class ForwardingCallChannel implements CallChannel {

    /** The channel to call now; throws an {@link RpcException} when there is none. */
    abstract CallChannel delegate();

    @Override
    public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options) {
        return delegate().unary(methodId, request, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return async(c -> c.unaryAsync(methodId, request, requestCodec, responseCodec, options));
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return delegate().serverStreaming(methodId, request, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return delegate().clientStreaming(methodId, requests, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return delegate().bidiStreaming(methodId, requests, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> R unary(RpcMethod<Q, R> method, Q request, CallOptions options) {
        return delegate().unary(method, request, options);
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(RpcMethod<Q, R> method, Q request, CallOptions options) {
        return async(c -> c.unaryAsync(method, request, options));
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(RpcMethod<Q, R> method, Q request, CallOptions options) {
        return delegate().serverStreaming(method, request, options);
    }

    @Override
    public <Q, R> R clientStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        return delegate().clientStreaming(method, requests, options);
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        return delegate().bidiStreaming(method, requests, options);
    }

    /** An async call on the delegate, or a future failed with the reason there is none. */
    private <R> CompletableFuture<R> async(Function<CallChannel, CompletableFuture<R>> call) {
        CallChannel c;
        try {
            c = delegate();
        } catch (RpcException e) {
            return CompletableFuture.failedFuture(e);
        }
        return call.apply(c);
    }
}
