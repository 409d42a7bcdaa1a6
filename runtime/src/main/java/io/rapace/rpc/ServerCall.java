package io.rapace.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One incoming call on its way through the {@link ServerInterceptor}s, as one interceptor sees it: the rest of the
 * chain, which {@link #proceed()} runs, and hooks with which the interceptor watches the requests and responses.
 * Hooks are optional and must be added before {@code proceed}; listeners run on the handler's thread, as the handler
 * takes each request and sends each response, should be quick and must not throw.
 *
 * @param <Q> the request type (the element type of a request stream)
 * @param <R> the response type (the element type of a response stream)
 */
public final class ServerCall<Q, R> {
    private final Chain<Q, R> chain;
    private final int index;
    private final ServerExchange<Q, R> exchange;
    private final List<Consumer<? super Q>> requestListeners = new ArrayList<>();
    private final List<Consumer<? super R>> responseListeners = new ArrayList<>();
    private boolean proceeded;

    private ServerCall(Chain<Q, R> chain, int index, ServerExchange<Q, R> exchange) {
        this.chain = chain;
        this.index = index;
        this.exchange = exchange;
    }

    /** The method called. */
    public RpcMethod<Q, R> method() {
        return chain.method;
    }

    /** The call's context: metadata, deadline, cancellation, peer. */
    public CallContext context() {
        return CallContext.current();
    }

    /**
     * What the transport counted for the call: the payload bytes received and sent so far (final once
     * {@link #proceed()} has returned or thrown).
     */
    public CallStats stats() {
        return context().stats();
    }

    /**
     * Runs the next interceptor, or the handler after the last. Returns once the handler has answered (its response
     * sent, or its response stream sent to the end); throws what the handler (or a later interceptor) threw.
     *
     * @throws IllegalStateException if called a second time
     */
    public void proceed() throws Exception {
        if (proceeded) {
            throw new IllegalStateException("the interceptor already ran the call of " + chain.method);
        }
        proceeded = true;
        ServerExchange<Q, R> next = requestListeners.isEmpty() && responseListeners.isEmpty()
                ? exchange : new Observed<>(exchange, this::requestTaken, this::responseSent);
        chain.run(index + 1, next);
    }

    /** Calls {@code listener} with each request the handler takes: the single one, or each of a request stream. */
    public void onRequest(Consumer<? super Q> listener) {
        requestListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Calls {@code listener} with each response as it is sent: the single one, or each of a response stream. */
    public void onResponse(Consumer<? super R> listener) {
        responseListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void requestTaken(Q request) {
        for (Consumer<? super Q> listener : requestListeners) {
            listener.accept(request);
        }
    }

    private void responseSent(R response) {
        for (Consumer<? super R> listener : responseListeners) {
            listener.accept(response);
        }
    }

    @Override
    public String toString() {
        return "ServerCall[" + chain.method + "]";
    }

    /** One call through a list of interceptors (outermost first), ending at the method's own handler. */
    static final class Chain<Q, R> {
        private final RpcMethod<Q, R> method;
        private final List<ServerInterceptor> interceptors;
        private final ServerMethod<Q, R> handler;

        Chain(RpcMethod<Q, R> method, List<ServerInterceptor> interceptors, ServerMethod<Q, R> handler) {
            this.method = method;
            this.interceptors = interceptors;
            this.handler = handler;
        }

        /** Runs the interceptor at {@code index}, or the handler past the last, against {@code exchange}. */
        void run(int index, ServerExchange<Q, R> exchange) throws Exception {
            if (index == interceptors.size()) {
                handler.invoke(exchange);
                return;
            }
            ServerInterceptor interceptor = interceptors.get(index);
            ServerCall<Q, R> call = new ServerCall<>(this, index, exchange);
            interceptor.intercept(method, CallContext.current(), call);
            if (!call.proceeded) {
                throw new IllegalStateException("server interceptor " + interceptor
                        + " returned without running or refusing the call of " + method);
            }
        }
    }

    /** An exchange that shows each request taken and each response sent to the listeners. */
    private static final class Observed<Q, R> implements ServerExchange<Q, R> {
        private final ServerExchange<Q, R> exchange;
        private final Consumer<Q> onRequest;
        private final Consumer<R> onResponse;

        Observed(ServerExchange<Q, R> exchange, Consumer<Q> onRequest, Consumer<R> onResponse) {
            this.exchange = exchange;
            this.onRequest = onRequest;
            this.onResponse = onResponse;
        }

        @Override
        public Q request() {
            Q request = exchange.request();
            onRequest.accept(request);
            return request;
        }

        @Override
        public RpcStream<Q> requests() {
            return new ObservedStream<>(exchange.requests(), onRequest, failure -> { });
        }

        @Override
        public void respond(R response) {
            onResponse.accept(response);
            exchange.respond(response);
        }

        @Override
        public void respondStream(RpcStream<R> responses) throws Exception {
            Objects.requireNonNull(responses, "the handler returned null instead of a stream");
            exchange.respondStream(new ObservedStream<>(responses, onResponse, failure -> { }));
        }
    }
}
