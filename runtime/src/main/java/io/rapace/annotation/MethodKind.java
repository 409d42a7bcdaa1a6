package io.rapace.annotation;

/** The four call shapes of a method, named after how many messages each side sends. */
public enum MethodKind {
    /** One request, one response. */
    UNARY,
    /** A stream of requests, one response. */
    CLIENT_STREAMING,
    /** One request, a stream of responses. */
    SERVER_STREAMING,
    /** A stream of requests and a stream of responses, flowing at the same time. */
    BIDI_STREAMING
}
