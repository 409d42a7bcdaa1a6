/**
 * rapace over gRPC-java: the same generated clients and dispatchers over a gRPC channel and server
 * ({@code docs/grpc.md}).
 */
// grpc-api is an automatic module (io.grpc), as of gRPC 1.85
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.rapace.grpc {
    requires transitive io.rapace.runtime;
    requires transitive io.grpc;

    exports io.rapace.grpc;
}
