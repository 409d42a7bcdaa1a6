package io.rapace.rpc;

/**
 * A transport's side of one incoming call, as a {@link ServerMethod} drives it: read the request (or the request
 * stream), respond with a value (or a stream). Each transport implements it over its own buffers; decoding happens
 * in place, on the handler's thread.
 */
interface ServerExchange<Q, R> {

    /** The single request, decoded; {@link ErrorCode#INVALID_ARGUMENT} if it does not decode. */
    Q request();

    /** The stream of requests, decoded as they are taken. */
    RpcStream<Q> requests();

    /** Sends the single response. */
    void respond(R response);

    /** Sends every element of {@code responses}, as credit allows, then half-closes. */
    void respondStream(RpcStream<R> responses) throws Exception;
}
