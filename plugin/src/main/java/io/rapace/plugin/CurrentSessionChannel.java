package io.rapace.plugin;

import io.rapace.codec.Codec;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The channel behind a plugin's client: each call goes to the plugin's current session, so one client keeps working
 * across restarts (DESIGN section 8). While the plugin has no session (it crashed, is restarting, or stopped) a call
 * fails at once with {@link ErrorCode#UNAVAILABLE}, like every other failure a caller sees: an {@link RpcException}
 * with a code.
 */
final class CurrentSessionChannel implements CallChannel {
    private final Supplier<CallChannel> current;
    private final Supplier<String> unavailable;

    /**
     * @param current the session to call now, or null when there is none
     * @param unavailable the message of the {@code UNAVAILABLE} failure when there is none
     */
    CurrentSessionChannel(Supplier<CallChannel> current, Supplier<String> unavailable) {
        this.current = current;
        this.unavailable = unavailable;
    }

    private CallChannel channel() {
        CallChannel c = current.get();
        if (c == null) {
            throw new RpcException(ErrorCode.UNAVAILABLE, unavailable.get());
        }
        return c;
    }

    @Override
    public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options) {
        return channel().unary(methodId, request, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        CallChannel c;
        try {
            c = channel();
        } catch (RpcException e) {
            return CompletableFuture.failedFuture(e);
        }
        return c.unaryAsync(methodId, request, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return channel().serverStreaming(methodId, request, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return channel().clientStreaming(methodId, requests, requestCodec, responseCodec, options);
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return channel().bidiStreaming(methodId, requests, requestCodec, responseCodec, options);
    }
}
