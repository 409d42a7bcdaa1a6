package io.rapace.rpc;

/**
 * A method whose request or response schema differs between this side and the peer, found when the session started
 * ({@link RpcSession#schemaMismatches()}): calls of it fail with {@link ErrorCode#FAILED_PRECONDITION} instead of
 * decoding garbage.
 *
 * @param service  the service's name, e.g. {@code samples.Renderer}
 * @param method   the method's name, e.g. {@code render}
 * @param methodId the method's id
 * @param detail   the first type that differs, as each side defines it
 */
public record SchemaMismatch(String service, String method, int methodId, String detail) {
    @Override
    public String toString() {
        return detail;
    }
}
