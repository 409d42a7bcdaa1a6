/**
 * JMH benchmarks of the postcard codec ({@code io.rapace.codec}) against protobuf-java, on the seed's
 * {@code ProcessRequest} and {@code LogRequest} messages.
 *
 * <p>The records, the enum and the {@code *Codec} classes here are written by hand in the shape the rapace
 * generator will give them, so that the benchmark measures the code a user will run; {@code Messages} is generated
 * (in {@code io.rapace.benchmarks.codec.protobuf}) by protoc from
 * {@code src/main/proto/messages.proto} at build time. See {@code docs/benchmarks.md}.
 */
package io.rapace.benchmarks.codec;
