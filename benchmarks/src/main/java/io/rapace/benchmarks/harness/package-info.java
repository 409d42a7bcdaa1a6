/**
 * What the cross-process harnesses ({@code io.rapace.benchmarks.shm}, {@code io.rapace.benchmarks.rpc}) share:
 * starting, talking to and reaping child JVMs ({@link io.rapace.benchmarks.harness.Children}), pacing and
 * percentiles ({@link io.rapace.benchmarks.harness.Timing}), CPU time and machine facts
 * ({@link io.rapace.benchmarks.harness.Machine}), the two Agrona rings over a mapped file
 * ({@link io.rapace.benchmarks.harness.AgronaRings}) and whole-buffer socket I/O
 * ({@link io.rapace.benchmarks.harness.Uds}). Uses the JDK and agrona only.
 */
package io.rapace.benchmarks.harness;
