package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.Codec;
import java.util.Objects;
import java.util.function.Function;

/**
 * One method of a {@link ServiceDispatcher}: its id, name and call shape, the codecs of its request and response,
 * and the handler, in the shape of the method's signature. A generated dispatcher builds one per method:
 *
 * <pre>{@code
 * ServerMethod.unary(CalculatorDescriptor.ADD_ID, "add", CalculatorDescriptor.AddArgs.CODEC, Codecs.I64,
 *         args -> impl.add(args.a(), args.b()))
 * }</pre>
 *
 * <p>A method without argument or result uses {@code Codecs.UNIT} and {@code Unit.UNIT}.
 *
 * @param <Q> the request type (the element type of a request stream)
 * @param <R> the response type (the element type of a response stream)
 */
public final class ServerMethod<Q, R> {

    /** How a method drives a transport's exchange: one lambda per call shape, built by the factories. */
    @FunctionalInterface
    interface Invoker<Q, R> {
        void invoke(ServerExchange<Q, R> exchange) throws Exception;
    }

    private final int id;
    private final String name;
    private final MethodKind kind;
    private final Codec<Q> requestCodec;
    private final Codec<R> responseCodec;
    private final Invoker<Q, R> invoker;

    private ServerMethod(int id, String name, MethodKind kind, Codec<Q> requestCodec, Codec<R> responseCodec,
            Invoker<Q, R> invoker) {
        this.id = id;
        this.name = Objects.requireNonNull(name, "name");
        this.kind = kind;
        this.requestCodec = Objects.requireNonNull(requestCodec, "requestCodec");
        this.responseCodec = Objects.requireNonNull(responseCodec, "responseCodec");
        this.invoker = invoker;
    }

    /** A unary method: one request, one response. */
    public static <Q, R> ServerMethod<Q, R> unary(int id, String name, Codec<Q> requestCodec, Codec<R> responseCodec,
            Function<? super Q, ? extends R> handler) {
        Objects.requireNonNull(handler, "handler");
        return new ServerMethod<>(id, name, MethodKind.UNARY, requestCodec, responseCodec,
                exchange -> exchange.respond(handler.apply(exchange.request())));
    }

    /** A server-streaming method: one request, a stream of responses. */
    public static <Q, R> ServerMethod<Q, R> serverStreaming(int id, String name, Codec<Q> requestCodec,
            Codec<R> responseCodec, Function<? super Q, RpcStream<R>> handler) {
        Objects.requireNonNull(handler, "handler");
        return new ServerMethod<>(id, name, MethodKind.SERVER_STREAMING, requestCodec, responseCodec,
                exchange -> exchange.respondStream(handler.apply(exchange.request())));
    }

    /** A client-streaming method: a stream of requests, one response. */
    public static <Q, R> ServerMethod<Q, R> clientStreaming(int id, String name, Codec<Q> requestCodec,
            Codec<R> responseCodec, Function<RpcStream<Q>, ? extends R> handler) {
        Objects.requireNonNull(handler, "handler");
        return new ServerMethod<>(id, name, MethodKind.CLIENT_STREAMING, requestCodec, responseCodec,
                exchange -> exchange.respond(handler.apply(exchange.requests())));
    }

    /** A bidi-streaming method: a stream of requests and a stream of responses. */
    public static <Q, R> ServerMethod<Q, R> bidiStreaming(int id, String name, Codec<Q> requestCodec,
            Codec<R> responseCodec, Function<RpcStream<Q>, RpcStream<R>> handler) {
        Objects.requireNonNull(handler, "handler");
        return new ServerMethod<>(id, name, MethodKind.BIDI_STREAMING, requestCodec, responseCodec,
                exchange -> exchange.respondStream(handler.apply(exchange.requests())));
    }

    /** The method id (a u32 in an int). */
    public int id() {
        return id;
    }

    /** The method's name as written, e.g. {@code Logger.log}. */
    public String name() {
        return name;
    }

    public MethodKind kind() {
        return kind;
    }

    public Codec<Q> requestCodec() {
        return requestCodec;
    }

    public Codec<R> responseCodec() {
        return responseCodec;
    }

    /** This method with its calls run by {@code invoker} instead (the chain of {@link ServerInterceptors}). */
    ServerMethod<Q, R> withInvoker(Invoker<Q, R> invoker) {
        return new ServerMethod<>(id, name, kind, requestCodec, responseCodec, invoker);
    }

    /** Runs the handler against a transport's exchange for one call. */
    void invoke(ServerExchange<Q, R> exchange) throws Exception {
        invoker.invoke(exchange);
    }

    @Override
    public String toString() {
        return "ServerMethod[" + name + " (" + Integer.toUnsignedString(id) + "): " + kind + "]";
    }
}
