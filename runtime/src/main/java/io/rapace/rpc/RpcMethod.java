package io.rapace.rpc;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.Codec;
import java.util.Objects;

/**
 * One method as a caller sees it: the service's name, the method's name as written, its id, its call shape, the
 * codecs of its request and response, and a schema fingerprint. A generated {@code FooClient} holds one constant per
 * method and passes it to the {@link CallChannel} methods that take one, as grpc-java's generated code passes its
 * {@code MethodDescriptor}s:
 *
 * <pre>{@code
 * public static final RpcMethod<CalculatorDescriptor.AddArgs, Long> ADD = RpcMethod.unary(
 *         CalculatorDescriptor.SERVICE_NAME, "add", CalculatorDescriptor.ADD_ID,
 *         CalculatorDescriptor.AddArgs.CODEC, Codecs.I64);
 * ...
 * return channel.unary(ADD, new CalculatorDescriptor.AddArgs(a, b), options);
 * }</pre>
 *
 * <p>Interceptors ({@link ClientInterceptor}, {@link ServerInterceptor}) see the method of each call as one of these.
 * Not to be confused with {@code io.rapace.registry.MethodDescriptor}, the registry's description of a method (its
 * parameters, types and docs).
 *
 * <p>Immutable. Two constants are equal only when they are the same object: codecs have no equality of their own.
 *
 * @param <Q> the request type (the element type of a request stream)
 * @param <R> the response type (the element type of a response stream)
 */
public final class RpcMethod<Q, R> {
    private final String serviceName;
    private final String name;
    private final int id;
    private final MethodKind kind;
    private final Codec<Q> requestCodec;
    private final Codec<R> responseCodec;
    private final long fingerprint;

    private RpcMethod(String serviceName, String name, int id, MethodKind kind, Codec<Q> requestCodec,
            Codec<R> responseCodec, long fingerprint) {
        this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
        this.name = Objects.requireNonNull(name, "name");
        this.id = id;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.requestCodec = Objects.requireNonNull(requestCodec, "requestCodec");
        this.responseCodec = Objects.requireNonNull(responseCodec, "responseCodec");
        this.fingerprint = fingerprint;
    }

    /** A method of {@code kind}, without a fingerprint. */
    public static <Q, R> RpcMethod<Q, R> of(MethodKind kind, String serviceName, String name, int id,
            Codec<Q> requestCodec, Codec<R> responseCodec) {
        return new RpcMethod<>(serviceName, name, id, kind, requestCodec, responseCodec, 0);
    }

    /** A unary method: one request, one response. */
    public static <Q, R> RpcMethod<Q, R> unary(String serviceName, String name, int id, Codec<Q> requestCodec,
            Codec<R> responseCodec) {
        return of(MethodKind.UNARY, serviceName, name, id, requestCodec, responseCodec);
    }

    /** A client-streaming method: a stream of requests, one response. */
    public static <Q, R> RpcMethod<Q, R> clientStreaming(String serviceName, String name, int id,
            Codec<Q> requestCodec, Codec<R> responseCodec) {
        return of(MethodKind.CLIENT_STREAMING, serviceName, name, id, requestCodec, responseCodec);
    }

    /** A server-streaming method: one request, a stream of responses. */
    public static <Q, R> RpcMethod<Q, R> serverStreaming(String serviceName, String name, int id,
            Codec<Q> requestCodec, Codec<R> responseCodec) {
        return of(MethodKind.SERVER_STREAMING, serviceName, name, id, requestCodec, responseCodec);
    }

    /** A bidi-streaming method: a stream of requests and a stream of responses. */
    public static <Q, R> RpcMethod<Q, R> bidiStreaming(String serviceName, String name, int id,
            Codec<Q> requestCodec, Codec<R> responseCodec) {
        return of(MethodKind.BIDI_STREAMING, serviceName, name, id, requestCodec, responseCodec);
    }

    /**
     * A method known only by its id and shape: what an intercepted channel makes of a call that came through one of
     * the {@link CallChannel} methods taking loose arguments. Its {@link #serviceName()} and {@link #name()} are
     * empty.
     */
    static <Q, R> RpcMethod<Q, R> unnamed(MethodKind kind, int id, Codec<Q> requestCodec, Codec<R> responseCodec) {
        return of(kind, "", "", id, requestCodec, responseCodec);
    }

    /** This method with the schema fingerprint {@code fingerprint} (0: none). */
    public RpcMethod<Q, R> withFingerprint(long fingerprint) {
        return new RpcMethod<>(serviceName, name, id, kind, requestCodec, responseCodec, fingerprint);
    }

    /** The service's registry name, e.g. {@code rapace.HostServices}; empty when not known. */
    public String serviceName() {
        return serviceName;
    }

    /** The method's name as written, e.g. {@code Logger.log}; empty when not known. */
    public String name() {
        return name;
    }

    /** The method id (a u32 in an int). */
    public int id() {
        return id;
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

    /**
     * A fingerprint of the method's schema (request and response types), reserved for checking that both sides agree;
     * 0 means none, which is what generated code passes today.
     */
    public long fingerprint() {
        return fingerprint;
    }

    /**
     * Checks that this method has the shape of the {@link CallChannel} method {@code callName} being used.
     *
     * @throws IllegalArgumentException naming the method, its shape and the call
     */
    void checkKind(MethodKind expected, String callName) {
        if (kind != expected) {
            throw new IllegalArgumentException(this + " is " + kind + ", so it cannot be called with " + callName
                    + " (which calls " + expected + " methods)");
        }
    }

    /** For example {@code io.rapace.calculator.Calculator/add (423600472)}, or {@code method 423600472} unnamed. */
    @Override
    public String toString() {
        String id = Integer.toUnsignedString(this.id);
        return serviceName.isEmpty() && name.isEmpty() ? "method " + id : serviceName + "/" + name + " (" + id + ")";
    }
}
