package io.rapace.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * One call on its way through the {@link ClientInterceptor}s, as one interceptor sees it: the rest of the chain,
 * which {@link #proceed(CallOptions)} passes the call on to, and the hooks with which the interceptor watches what
 * happens after that. Every hook is optional and must be added before {@code proceed}. Listeners run on the thread
 * where the event happens (the caller's, or a transport thread for an asynchronous call or a bidi request stream);
 * they should be quick and must not throw.
 *
 * <p>When a call ends, for {@link #onClose}: a unary or client-streaming call when its response arrives or it fails;
 * an asynchronous unary call when its future completes (cancelling the future ends it with
 * {@link ErrorCode#CANCELLED}); a server- or bidi-streaming call when the caller has read its response stream to the
 * end, the stream failed, or the caller cancelled it. A response stream that the caller abandons without closing it
 * never ends.
 *
 * @param <Q> the request type (the element type of a request stream)
 * @param <R> the response type (the element type of a response stream)
 */
public final class ClientCall<Q, R> {
    private final Chain<Q, R> chain;
    private final int index;
    private final ClientCall<Q, R> outer;
    private final CallOptions options;
    private final List<Consumer<? super Q>> requestListeners = new ArrayList<>();
    private final List<Consumer<? super R>> responseListeners = new ArrayList<>();
    private final List<Consumer<? super RpcException>> closeListeners = new ArrayList<>();
    private final CallStats stats;
    private boolean started;
    private boolean tried;
    private Object outcome;

    private ClientCall(Chain<Q, R> chain, int index, ClientCall<Q, R> outer, CallOptions options) {
        this.chain = chain;
        this.index = index;
        this.outer = outer;
        this.options = options;
        this.stats = new CallStats(options.statsOrNull());
    }

    /** The method called. */
    public RpcMethod<Q, R> method() {
        return chain.method;
    }

    /** The options this interceptor was given. */
    public CallOptions options() {
        return options;
    }

    /** {@link #proceed(CallOptions)} with the options this interceptor was given. */
    public void proceed() {
        proceed(options);
    }

    /**
     * Passes the call on to the next interceptor, or to the channel, with {@code options}. For a unary or
     * client-streaming call this returns once the response arrived, and throws the call's {@link RpcException} if it
     * failed, so an interceptor may try again (for a unary call: a stream of requests is consumed by the first try);
     * for the other shapes it returns once the call started, and what comes later reaches {@link #onResponse} and
     * {@link #onClose}.
     *
     * @throws RpcException          if the call failed (or a later interceptor refused it)
     * @throws IllegalStateException if the call already started through here
     */
    public void proceed(CallOptions options) {
        Objects.requireNonNull(options, "options");
        if (started) {
            throw new IllegalStateException("the interceptor already passed the call of " + chain.method + " on");
        }
        tried = true;
        if (!requestListeners.isEmpty() && chain.requests != null) {
            chain.requests = new ObservedStream<>(chain.requests, this::requestSent, failure -> { });
        }
        Object result;
        try {
            result = chain.run(index + 1, options.withStats(stats), this);
        } catch (RpcException e) {
            closed(e);
            throw e;
        }
        outcome = watch(result);
        started = true;
    }

    /**
     * What the transport counted for the call below this interceptor, over all its tries: the payload bytes sent and
     * received so far, and whether a limit of this side refused it. Final once {@link #onClose} listeners run; a
     * transport that counts nothing (one not built on rapace's engine) leaves the figures at zero.
     */
    public CallStats stats() {
        return stats;
    }

    /** Calls {@code listener} with each request as it is sent: the single request, or each of a request stream. */
    public void onRequest(Consumer<? super Q> listener) {
        requestListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Calls {@code listener} with each response as the caller gets it: the single one, or each of a stream. */
    public void onResponse(Consumer<? super R> listener) {
        responseListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Calls {@code listener} when the call ends, once for each {@link #proceed}: with null if it succeeded, with its
     * {@link RpcException} if it failed (also when a later interceptor refused it). An interceptor that retries sees
     * each failed try here; one outside it sees the call once.
     */
    public void onClose(Consumer<? super RpcException> listener) {
        closeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The single request goes to the channel: this interceptor's listeners, after those of the outer ones. */
    private void singleRequestSent(Q request) {
        if (outer != null) {
            outer.singleRequestSent(request);
        }
        requestSent(request);
    }

    private void requestSent(Q request) {
        for (Consumer<? super Q> listener : requestListeners) {
            listener.accept(request);
        }
    }

    private void responded(R response) {
        for (Consumer<? super R> listener : responseListeners) {
            listener.accept(response);
        }
    }

    private void closed(RpcException failure) {
        for (Consumer<? super RpcException> listener : closeListeners) {
            listener.accept(failure);
        }
    }

    /** The outcome as the caller will get it, with this interceptor's listeners attached. */
    @SuppressWarnings("unchecked") // the chain's shape says what the outcome is
    private Object watch(Object result) {
        if (chain.shape == Shape.UNARY || chain.shape == Shape.CLIENT_STREAMING) {
            responded((R) result);
            closed(null);
            return result;
        }
        if (responseListeners.isEmpty() && closeListeners.isEmpty()) {
            return result;
        }
        if (chain.shape == Shape.UNARY_ASYNC) {
            CompletableFuture<R> future = (CompletableFuture<R>) result;
            future.whenComplete((response, failure) -> {
                if (failure == null) {
                    responded(response);
                    closed(null);
                } else {
                    closed(asRpcException(failure));
                }
            });
            return future;
        }
        return new ObservedStream<>((RpcStream<R>) result, this::responded, this::closed);
    }

    private static RpcException asRpcException(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RpcException e) {
            return e;
        }
        if (cause instanceof CancellationException) {
            return new RpcException(ErrorCode.CANCELLED, "the call was cancelled by the caller", cause);
        }
        return new RpcException(ErrorCode.INTERNAL, "the call failed: " + cause, cause);
    }

    @Override
    public String toString() {
        return "ClientCall[" + chain.method + ", " + options + "]";
    }

    /** The call shapes as the channel offers them: unary calls come blocking or asynchronous. */
    enum Shape {
        UNARY, UNARY_ASYNC, CLIENT_STREAMING, SERVER_STREAMING, BIDI_STREAMING
    }

    /** The channel's call at the end of a chain: the outcome is the response, its future, or the response stream. */
    @FunctionalInterface
    interface Terminal<Q> {
        Object call(CallOptions options, RpcStream<Q> requests);
    }

    /**
     * One call through a list of interceptors (outermost first), ending at {@code terminal}: the channel's call of the
     * call's shape, given the options the last interceptor passed on and the request stream (null for a single
     * request) as the interceptors wrapped it.
     */
    static final class Chain<Q, R> {
        private final RpcMethod<Q, R> method;
        private final Shape shape;
        private final List<ClientInterceptor> interceptors;
        private final Q request;
        private final Terminal<Q> terminal;
        private RpcStream<Q> requests;

        Chain(RpcMethod<Q, R> method, Shape shape, List<ClientInterceptor> interceptors, Q request,
                RpcStream<Q> requests, Terminal<Q> terminal) {
            this.method = method;
            this.shape = shape;
            this.interceptors = interceptors;
            this.request = request;
            this.requests = requests;
            this.terminal = terminal;
        }

        /**
         * Runs the interceptor at {@code index} (or the channel, past the last) for the interceptor {@code outer}
         * (null at the start) and returns the outcome.
         */
        Object run(int index, CallOptions options, ClientCall<Q, R> outer) {
            if (index == interceptors.size()) {
                if (requests == null && outer != null) {
                    outer.singleRequestSent(request);
                }
                return terminal.call(options, requests);
            }
            ClientInterceptor interceptor = interceptors.get(index);
            ClientCall<Q, R> call = new ClientCall<>(this, index, outer, options);
            interceptor.intercept(method, options, call);
            if (!call.started) {
                throw new IllegalStateException("client interceptor " + interceptor + " returned without "
                        + (call.tried ? "a successful try of " : "passing on or refusing ") + "the call of " + method);
            }
            return call.outcome;
        }
    }
}
