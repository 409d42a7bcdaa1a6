/**
 * The cross-process comparison of typed RPC systems: one {@link io.rapace.benchmarks.rpc.RpcBenchmark} run
 * measures each {@link io.rapace.benchmarks.rpc.RpcSystem} (an Agrona ring floor, Aeron IPC, a Unix-domain socket,
 * gRPC over Netty and in-process, and, once {@code io.rapace.rpc.RpcSession} exists, rapace) with its server side in
 * an {@link io.rapace.benchmarks.rpc.RpcPeer} child JVM, and prints a Markdown report and an SVG of the latency
 * distributions, optionally over several interleaved rounds (median and spread); and
 * {@link io.rapace.benchmarks.rpc.RpcBuildComparison} runs that harness from two builds alternately. See
 * {@code docs/benchmarks-rpc.md}. Uses the harness helpers of
 * {@code io.rapace.benchmarks.harness}, the runtime, agrona, Aeron and gRPC.
 */
package io.rapace.benchmarks.rpc;
