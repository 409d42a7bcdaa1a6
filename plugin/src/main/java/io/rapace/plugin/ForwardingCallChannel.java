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
 * A channel that sends each call to the channel {@link #route} names at that moment: the plugin host's channels, whose
 * session comes and goes. Routing may wait (for a plugin that is starting) and so hands on the call's options with
 * what is left of its deadline. A call that cannot be routed fails with the route's {@link RpcException}, thrown by
 * the blocking kinds and completing {@code unaryAsync}'s future (which is routed on the calling thread, so an async
 * call to a plugin that is starting waits there). Calls with an {@link RpcMethod} go on with it, so what the target
 * wraps (interceptors, say) sees the whole method.
 */
abstract class ForwardingCallChannel implements CallChannel {

    /**
     * Where a call goes, with which options, and what to run once the call has started (or failed to): a call the
     * target has started is counted there, so a route is counted until then.
     */
    record Route(CallChannel channel, CallOptions options, Runnable started) {
        Route(CallChannel channel, CallOptions options) {
            this(channel, options, () -> { });
        }
    }

    /** The channel to call now and the options to call it with; throws an {@link RpcException} when there is none. */
    abstract Route route(CallOptions options);

    @Override
    public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options) {
        Route r = route(options);
        try {
            return r.channel().unary(methodId, request, requestCodec, responseCodec, r.options());
        } finally {
            r.started().run();
        }
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return async(options, r -> r.channel().unaryAsync(methodId, request, requestCodec, responseCodec,
                r.options()));
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        Route r = route(options);
        try {
            return r.channel().serverStreaming(methodId, request, requestCodec, responseCodec, r.options());
        } finally {
            r.started().run();
        }
    }

    @Override
    public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        Route r = route(options);
        try {
            return r.channel().clientStreaming(methodId, requests, requestCodec, responseCodec, r.options());
        } finally {
            r.started().run();
        }
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        Route r = route(options);
        try {
            return r.channel().bidiStreaming(methodId, requests, requestCodec, responseCodec, r.options());
        } finally {
            r.started().run();
        }
    }

    @Override
    public <Q, R> R unary(RpcMethod<Q, R> method, Q request, CallOptions options) {
        Route r = route(options);
        try {
            return r.channel().unary(method, request, r.options());
        } finally {
            r.started().run();
        }
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(RpcMethod<Q, R> method, Q request, CallOptions options) {
        return async(options, r -> r.channel().unaryAsync(method, request, r.options()));
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(RpcMethod<Q, R> method, Q request, CallOptions options) {
        Route r = route(options);
        try {
            return r.channel().serverStreaming(method, request, r.options());
        } finally {
            r.started().run();
        }
    }

    @Override
    public <Q, R> R clientStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        Route r = route(options);
        try {
            return r.channel().clientStreaming(method, requests, r.options());
        } finally {
            r.started().run();
        }
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        Route r = route(options);
        try {
            return r.channel().bidiStreaming(method, requests, r.options());
        } finally {
            r.started().run();
        }
    }

    /** An async call on the route, or a future failed with the reason there is none. */
    private <R> CompletableFuture<R> async(CallOptions options, Function<Route, CompletableFuture<R>> call) {
        Route r;
        try {
            r = route(options);
        } catch (RpcException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            return call.apply(r);
        } finally {
            r.started().run();
        }
    }
}
