package io.rapace.annotation;

/**
 * The four call shapes of a method, named after how many messages each side sends. The one place that says which
 * sides stream: the generator, the front ends and the call engine all ask {@link #streamsRequests()} and
 * {@link #streamsResponses()}.
 */
public enum MethodKind {
    /** One request, one response. */
    UNARY,
    /** A stream of requests, one response. */
    CLIENT_STREAMING,
    /** One request, a stream of responses. */
    SERVER_STREAMING,
    /** A stream of requests and a stream of responses, flowing at the same time. */
    BIDI_STREAMING;

    /**
     * Whether the caller sends a stream of requests (client and bidi streaming).
     *
     * @return true for {@link #CLIENT_STREAMING} and {@link #BIDI_STREAMING}
     */
    public boolean streamsRequests() {
        return this == CLIENT_STREAMING || this == BIDI_STREAMING;
    }

    /**
     * Whether the implementation sends a stream of responses (server and bidi streaming).
     *
     * @return true for {@link #SERVER_STREAMING} and {@link #BIDI_STREAMING}
     */
    public boolean streamsResponses() {
        return this == SERVER_STREAMING || this == BIDI_STREAMING;
    }
}
