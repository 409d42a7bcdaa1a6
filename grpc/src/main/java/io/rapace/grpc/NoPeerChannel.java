package io.rapace.grpc;

import io.rapace.codec.Codec;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcStream;
import java.util.concurrent.CompletableFuture;

/**
 * The peer channel of a handler serving a gRPC call: nested calls back to the caller are not a gRPC concept (a gRPC
 * client serves nothing), so each fails with {@link ErrorCode#FAILED_PRECONDITION}.
 */
final class NoPeerChannel implements CallChannel {
    static final NoPeerChannel INSTANCE = new NoPeerChannel();

    private NoPeerChannel() {
    }

    private static RpcException refused() {
        return new RpcException(ErrorCode.FAILED_PRECONDITION, "a handler serving a gRPC call cannot call back its "
                + "caller: nested calls on the caller's connection are not a gRPC concept");
    }

    @Override
    public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options) {
        throw refused();
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return CompletableFuture.failedFuture(refused());
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        throw refused();
    }

    @Override
    public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        throw refused();
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        throw refused();
    }
}
