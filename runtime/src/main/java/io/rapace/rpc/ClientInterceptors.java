package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.Codec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Puts {@link ClientInterceptor}s in front of a {@link CallChannel}: the channel returned runs every call through
 * them, then through the channel it wraps. The order follows gRPC-java's methods of the same names:
 * {@link #intercept} runs the <em>last</em> interceptor given first (it is the outermost), and
 * {@link #interceptForward} runs the <em>first</em> given first. Intercepting an intercepted channel puts the new
 * interceptors outside the old ones.
 *
 * <p>Generated clients call the {@link CallChannel} methods that take an {@link RpcMethod}, so interceptors see the
 * method's service, name, id and shape. A call made through one of the methods taking loose arguments (a method id
 * and two codecs) reaches them with an unnamed method: its {@link RpcMethod#serviceName()} and
 * {@link RpcMethod#name()} are empty, and it prints as {@code method <id>}.
 *
 * <p>An {@link RpcException} thrown by an interceptor of an asynchronous unary call completes the returned future
 * with it, as a failure of the call would.
 */
public final class ClientInterceptors {

    private ClientInterceptors() {
    }

    /** {@code channel} behind {@code interceptors}, the last of which sees each call first (gRPC-java's order). */
    public static CallChannel intercept(CallChannel channel, ClientInterceptor... interceptors) {
        return intercept(channel, List.of(interceptors));
    }

    /** {@code channel} behind {@code interceptors}, the last of which sees each call first (gRPC-java's order). */
    public static CallChannel intercept(CallChannel channel, List<? extends ClientInterceptor> interceptors) {
        List<ClientInterceptor> outermostFirst = new ArrayList<>(interceptors);
        Collections.reverse(outermostFirst);
        return new Intercepted(channel, outermostFirst);
    }

    /** {@code channel} behind {@code interceptors}, the first of which sees each call first. */
    public static CallChannel interceptForward(CallChannel channel, ClientInterceptor... interceptors) {
        return interceptForward(channel, List.of(interceptors));
    }

    /** {@code channel} behind {@code interceptors}, the first of which sees each call first. */
    public static CallChannel interceptForward(CallChannel channel, List<? extends ClientInterceptor> interceptors) {
        return new Intercepted(channel, List.copyOf(interceptors));
    }

    /** A channel whose calls go through {@code interceptors} (outermost first), then to {@code next}. */
    private static final class Intercepted implements CallChannel {
        private final CallChannel next;
        private final List<ClientInterceptor> interceptors;

        Intercepted(CallChannel next, List<ClientInterceptor> interceptors) {
            this.next = Objects.requireNonNull(next, "channel");
            for (ClientInterceptor interceptor : interceptors) {
                Objects.requireNonNull(interceptor, "interceptor");
            }
            this.interceptors = List.copyOf(interceptors);
        }

        @Override
        @SuppressWarnings("unchecked") // a UNARY chain's outcome is the response
        public <Q, R> R unary(RpcMethod<Q, R> method, Q request, CallOptions options) {
            method.checkKind(MethodKind.UNARY, "unary");
            return (R) new ClientCall.Chain<Q, R>(method, ClientCall.Shape.UNARY, interceptors, request,
                    null, (o, none) -> next.unary(method, request, o)).run(0, options, null);
        }

        @Override
        @SuppressWarnings("unchecked") // a UNARY_ASYNC chain's outcome is the future
        public <Q, R> CompletableFuture<R> unaryAsync(RpcMethod<Q, R> method, Q request, CallOptions options) {
            method.checkKind(MethodKind.UNARY, "unaryAsync");
            ClientCall.Chain<Q, R> chain = new ClientCall.Chain<>(method, ClientCall.Shape.UNARY_ASYNC, interceptors,
                    request, null, (o, none) -> next.unaryAsync(method, request, o));
            try {
                return (CompletableFuture<R>) chain.run(0, options, null);
            } catch (RpcException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        @SuppressWarnings("unchecked") // a SERVER_STREAMING chain's outcome is the response stream
        public <Q, R> RpcStream<R> serverStreaming(RpcMethod<Q, R> method, Q request, CallOptions options) {
            method.checkKind(MethodKind.SERVER_STREAMING, "serverStreaming");
            return (RpcStream<R>) new ClientCall.Chain<Q, R>(method, ClientCall.Shape.SERVER_STREAMING, interceptors,
                    request, null, (o, none) -> next.serverStreaming(method, request, o)).run(0, options, null);
        }

        @Override
        @SuppressWarnings("unchecked") // a CLIENT_STREAMING chain's outcome is the response
        public <Q, R> R clientStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests, CallOptions options) {
            method.checkKind(MethodKind.CLIENT_STREAMING, "clientStreaming");
            return (R) new ClientCall.Chain<Q, R>(method, ClientCall.Shape.CLIENT_STREAMING, interceptors, null,
                    requests, (o, sent) -> next.clientStreaming(method, sent, o)).run(0, options, null);
        }

        @Override
        @SuppressWarnings("unchecked") // a BIDI_STREAMING chain's outcome is the response stream
        public <Q, R> RpcStream<R> bidiStreaming(RpcMethod<Q, R> method, RpcStream<Q> requests,
                CallOptions options) {
            method.checkKind(MethodKind.BIDI_STREAMING, "bidiStreaming");
            return (RpcStream<R>) new ClientCall.Chain<Q, R>(method, ClientCall.Shape.BIDI_STREAMING, interceptors,
                    null, requests, (o, sent) -> next.bidiStreaming(method, sent, o)).run(0, options, null);
        }

        @Override
        public <Q, R> R unary(int methodId, Q request, Codec<Q> requestCodec, Codec<R> responseCodec,
                CallOptions options) {
            return unary(RpcMethod.unnamed(MethodKind.UNARY, methodId, requestCodec, responseCodec), request,
                    options);
        }

        @Override
        public <Q, R> CompletableFuture<R> unaryAsync(int methodId, Q request, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return unaryAsync(RpcMethod.unnamed(MethodKind.UNARY, methodId, requestCodec, responseCodec), request,
                    options);
        }

        @Override
        public <Q, R> RpcStream<R> serverStreaming(int methodId, Q request, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return serverStreaming(RpcMethod.unnamed(MethodKind.SERVER_STREAMING, methodId, requestCodec,
                    responseCodec), request, options);
        }

        @Override
        public <Q, R> R clientStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return clientStreaming(RpcMethod.unnamed(MethodKind.CLIENT_STREAMING, methodId, requestCodec,
                    responseCodec), requests, options);
        }

        @Override
        public <Q, R> RpcStream<R> bidiStreaming(int methodId, RpcStream<Q> requests, Codec<Q> requestCodec,
                Codec<R> responseCodec, CallOptions options) {
            return bidiStreaming(RpcMethod.unnamed(MethodKind.BIDI_STREAMING, methodId, requestCodec,
                    responseCodec), requests, options);
        }

        @Override
        public String toString() {
            return next + " behind " + interceptors.size() + " interceptor(s)";
        }
    }
}
