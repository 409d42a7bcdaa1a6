package io.rapace.idl.model;

import io.rapace.annotation.MethodKind;
import java.util.Optional;

/**
 * What the schema needs to know about a {@link MethodKind} beyond its name: the IDL keyword that introduces it.
 * Which sides stream is the kind's own ({@link MethodKind#streamsRequests()}); the kind itself is the runtime's
 * {@code io.rapace.annotation.MethodKind}, the one enum both front ends, the generator and the registry share.
 */
public final class MethodKinds {

    private MethodKinds() {
    }

    /** The keyword that introduces such a method in a {@code .rapace} file, e.g. {@code server_streaming}. */
    public static String idlKeyword(MethodKind kind) {
        return switch (kind) {
            case UNARY -> "unary";
            case CLIENT_STREAMING -> "client_streaming";
            case SERVER_STREAMING -> "server_streaming";
            case BIDI_STREAMING -> "bidi_streaming";
        };
    }

    /** The kind introduced by {@code keyword} in a {@code .rapace} file, if any. */
    public static Optional<MethodKind> fromIdlKeyword(String keyword) {
        for (MethodKind kind : MethodKind.values()) {
            if (idlKeyword(kind).equals(keyword)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
