package io.rapace.grpc;

import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.rapace.codec.Codec;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.ExternalCalls;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcMethod;
import io.rapace.rpc.RpcStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link RapaceGrpc#channel}: the calls of generated clients as gRPC calls. Each {@link RpcMethod} becomes the gRPC
 * method {@code <service name>/<method name>} with the postcard bytes as bodies; the deadline becomes gRPC's, the
 * metadata {@code -bin} headers, and gRPC's status comes back as the {@link RpcException} of the same name.
 */
final class GrpcCallChannel implements CallChannel {
    private final Channel channel;
    private final int maxMessageSize;
    private final SchemaRefusals refusals;
    /** Every call's options before its deadline: both ways, rapace's maximum message size. */
    private final io.grpc.CallOptions baseOptions;
    private final Map<RpcMethod<?, ?>, MethodDescriptor<byte[], byte[]>> methods = new ConcurrentHashMap<>();

    GrpcCallChannel(Channel channel, int maxMessageSize) {
        this.channel = channel;
        this.refusals = new SchemaRefusals(channel);
        this.baseOptions = io.grpc.CallOptions.DEFAULT
                .withMaxInboundMessageSize(maxMessageSize)
                .withMaxOutboundMessageSize(maxMessageSize);
        this.maxMessageSize = maxMessageSize;
    }

    private static void checkKind(RpcMethod<?, ?> method, io.rapace.annotation.MethodKind kind, String callName) {
        if (method.kind() != kind) {
            throw new IllegalArgumentException(method + " is " + method.kind() + " and cannot be called with "
                    + callName);
        }
    }

    private <Q, R> GrpcCall<Q, R> start(RpcMethod<Q, R> method, CallOptions options) {
        GrpcCall<Q, R> call = prepare(method, options);
        call.begin();
        return call;
    }

    /** A call of {@code method}, not begun yet ({@link GrpcCall#begin()}). */
    private <Q, R> GrpcCall<Q, R> prepare(RpcMethod<Q, R> method, CallOptions options) {
        MethodDescriptor<byte[], byte[]> descriptor = methods.computeIfAbsent(method,
                m -> Bytes.method(m.serviceName(), m.name(), m.kind()));
        io.grpc.CallOptions grpcOptions = baseOptions;
        java.util.Optional<java.time.Duration> deadline = ExternalCalls.deadline(options.timeout());
        if (deadline.isPresent()) { // the call's own, or its handler's when this is a nested call and that is sooner
            long nanos = deadline.get().toNanos();
            if (nanos <= 0) {
                throw ExternalCalls.deadlineExceeded(deadline.get());
            }
            grpcOptions = grpcOptions.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS);
        }
        if (method.kind() == io.rapace.annotation.MethodKind.CLIENT_STREAMING
                || method.kind() == io.rapace.annotation.MethodKind.BIDI_STREAMING) {
            grpcOptions = grpcOptions.withOnReadyThreshold(GrpcCall.ON_READY_THRESHOLD);
        }
        io.grpc.Metadata headers = Headers.of(options.metadata(), method.fingerprint());
        ClientCall<byte[], byte[]> call = channel.newCall(descriptor, grpcOptions);
        GrpcCall<Q, R> grpcCall = new GrpcCall<>(call, headers, method, refusals,
                maxMessageSize, grpcOptions.getDeadline(), deadline.orElse(null));
        return grpcCall;
    }

    @Override
    public <Q, R> R unary(RpcMethod<Q, R> method, Q request, CallOptions options) {
        checkKind(method, io.rapace.annotation.MethodKind.UNARY, "unary");
        GrpcCall<Q, R> call = prepare(method, options);
        byte[] body = call.encodeRequest(request); // before the call starts: a request that fails opens nothing
        call.begin();
        call.sendOnly(body);
        return call.single();
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(RpcMethod<Q, R> method, Q request, CallOptions options) {
        checkKind(method, io.rapace.annotation.MethodKind.UNARY, "unaryAsync");
        GrpcCall<Q, R> call;
        CompletableFuture<R> result;
        try {
            call = prepare(method, options);
            byte[] body = call.encodeRequest(request);
            result = call.future();
            call.begin();
            call.sendOnly(body);
        } catch (RpcException e) {
            return CompletableFuture.failedFuture(e);
        }
        result.whenComplete((value, failure) -> {
            if (!call.ended()) {
                call.cancel("the caller completed or cancelled the future", null); // cancel(), orTimeout(), ...
            }
        });
        return result;
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(RpcMethod<Q, R> method, Q request, CallOptions options) {
        checkKind(method, io.rapace.annotation.MethodKind.SERVER_STREAMING, "serverStreaming");
        GrpcCall<Q, R> call = prepare(method, options);
        byte[] body = call.encodeRequest(request);
        call.begin();
        call.sendOnly(body);
        return call.stream();
    }

    @Override
    public <Q, R> R clientStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        checkKind(method, io.rapace.annotation.MethodKind.CLIENT_STREAMING, "clientStreaming");
        GrpcCall<Q, R> call = start(method, options);
        call.sendAll(requests);
        return call.single();
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
        checkKind(method, io.rapace.annotation.MethodKind.BIDI_STREAMING, "bidiStreaming");
        GrpcCall<Q, R> call = start(method, options);
        Thread sender = new Thread(() -> {
            try {
                call.sendAll(requests);
            } catch (RpcException e) {
                // the call is cancelled with the reason; its reader sees it
            }
        }, "rapace-grpc-requests");
        sender.setDaemon(true);
        sender.start();
        call.onEnd(sender::interrupt); // a producer still waiting in its own code when the call ended stops
        return call.stream();
    }

    // A call by method id alone has no name for gRPC: the generated clients always give the whole method.

    private static RpcException needsName(int methodId) {
        return new RpcException(ErrorCode.UNIMPLEMENTED, "method " + Integer.toUnsignedString(methodId)
                + " was called by its id alone; over gRPC a call needs its method's name: call it with its RpcMethod "
                + "(as generated clients do)");
    }

    @Override
    public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
            CallOptions options) {
        throw needsName(methodId);
    }

    @Override
    public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        return CompletableFuture.failedFuture(needsName(methodId));
    }

    @Override
    public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        throw needsName(methodId);
    }

    @Override
    public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        throw needsName(methodId);
    }

    @Override
    public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
            Codec<R> responseCodec, CallOptions options) {
        throw needsName(methodId);
    }
}
