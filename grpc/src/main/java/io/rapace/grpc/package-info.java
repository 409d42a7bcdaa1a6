/**
 * rapace over gRPC-java ({@code docs/grpc.md}): {@link io.rapace.grpc.RapaceGrpc#channel} makes a gRPC channel the
 * {@code CallChannel} generated clients take, {@link io.rapace.grpc.RapaceGrpc#service} makes a generated dispatcher a
 * gRPC service, and {@link io.rapace.grpc.RapaceGrpc#registry} serves the registry as {@code rapace.Registry/Fetch}.
 * No protobuf: bodies are the postcard bytes.
 */
package io.rapace.grpc;
