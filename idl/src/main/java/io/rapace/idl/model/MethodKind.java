package io.rapace.idl.model;

import java.util.Optional;

/**
 * How a method's requests and responses flow. The constants match {@code io.rapace.annotation.MethodKind} of the
 * runtime, which the annotation front end maps from; the model keeps its own copy so that it depends on nothing.
 */
public enum MethodKind {
    /** One request, one response. */
    UNARY("unary"),
    /** A stream of requests, one response. */
    CLIENT_STREAMING("client_streaming"),
    /** One request, a stream of responses. */
    SERVER_STREAMING("server_streaming"),
    /** A stream each way. */
    BIDI_STREAMING("bidi_streaming");

    private final String idlKeyword;

    MethodKind(String idlKeyword) {
        this.idlKeyword = idlKeyword;
    }

    /** The keyword that introduces such a method in a {@code .rapace} file, e.g. {@code server_streaming}. */
    public String idlKeyword() {
        return idlKeyword;
    }

    /** Whether the caller sends a stream of requests (client and bidi streaming). */
    public boolean streamsRequests() {
        return this == CLIENT_STREAMING || this == BIDI_STREAMING;
    }

    /** Whether the implementation sends a stream of responses (server and bidi streaming). */
    public boolean streamsResponses() {
        return this == SERVER_STREAMING || this == BIDI_STREAMING;
    }

    /** The kind introduced by {@code keyword} in a {@code .rapace} file, if any. */
    public static Optional<MethodKind> fromIdlKeyword(String keyword) {
        for (MethodKind kind : values()) {
            if (kind.idlKeyword.equals(keyword)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
