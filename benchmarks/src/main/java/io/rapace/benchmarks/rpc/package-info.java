/**
 * The cross-process comparison of typed RPC systems: one {@link io.rapace.benchmarks.rpc.RpcBenchmark} run
 * measures each {@link io.rapace.benchmarks.rpc.RpcSystem} (an Agrona ring floor and Aeron IPC, each also in a
 * copy-out variant, a Unix-domain socket, gRPC over Netty and in-process, and rapace in four configurations) with
 * its server side in an {@link io.rapace.benchmarks.rpc.RpcPeer} child JVM, checks issue 14's targets
 * ({@link io.rapace.benchmarks.rpc.Targets}), and prints a Markdown report, optionally a tab-separated summary
 * ({@link io.rapace.benchmarks.rpc.TsvReport}), and SVGs of the latency distributions and of the streaming
 * throughput, optionally over several interleaved rounds (median and spread); and
 * {@link io.rapace.benchmarks.rpc.RpcBuildComparison} runs that harness from two builds alternately. See
 * {@code docs/benchmarks-rpc.md}. Uses the harness helpers of {@code io.rapace.benchmarks.harness}, the runtime,
 * agrona, Aeron and gRPC.
 */
package io.rapace.benchmarks.rpc;
