package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.harness.Children;
import java.io.IOException;

/**
 * One RPC system under test, seen from the calling side, which runs in the {@link RpcBenchmark} JVM. Its server side
 * runs in an {@link RpcPeer} child JVM that {@link #start} launches (except the in-process systems) and answers one
 * call of each shape: a unary echo of a {@code byte[]}, a server stream of {@code count} messages of {@code size}
 * bytes, a client stream whose bytes it counts, and a bidi stream whose messages it echoes.
 * The harness times the calls; an implementation only makes them, on the calling thread (a bidi stream may send
 * from a second thread where one thread cannot both send and receive), and may keep at most one spinning thread per
 * process (the machine may have two cores).
 *
 * <h2>Adding a system (the rapace slot)</h2>
 *
 * <ol>
 *   <li>A class here implementing this interface, with a {@code static void serve(List<String> args)} for the
 *       server side that prints {@code READY} through {@link RpcPeer#say} once it answers calls (see
 *       {@link UdsRpc}, the smallest).</li>
 *   <li>A {@code case} for it in {@link RpcPeer#main}.</li>
 *   <li>A line in {@link RpcBenchmark#systems()}.</li>
 * </ol>
 *
 * <p>{@link RapaceRpc} is the example that uses generated code.
 */
interface RpcSystem extends AutoCloseable {
    /** The row label in the report and the legend in the chart, such as {@code grpc netty (tcp)}. */
    String name();

    /** A note for the report (where the server runs, what is not measured); empty if none. */
    default String note() {
        return "";
    }

    /**
     * Whether the harness measures this system's unary calls; false for a variant whose unary path is exactly
     * another system's (the copy-out rings, whose unary response is copied out as every system's is), so its unary
     * rows would only repeat that system's.
     */
    default boolean measuresUnary() {
        return true;
    }

    /**
     * Whether {@link #unary} may be called from several threads at once, which the throughput by concurrent callers
     * ({@code --scale}) needs; false for the systems whose one connection serves one caller at a time.
     */
    default boolean concurrentUnary() {
        return false;
    }

    /**
     * Starts the server side, as a child JVM from {@code children} with {@link RpcBenchmark#PEER_FLAGS} unless it
     * runs in this JVM, and connects to it; returns once a call can be made.
     */
    void start(Children children) throws Exception;

    /** A new, unstarted instance of this system, for the plugins-per-host measurement; null if it has none. */
    default RpcSystem sibling() {
        return null;
    }

    /** One unary call: the server echoes {@code request}; returns its response. */
    byte[] unary(byte[] request) throws Exception;

    /**
     * One server-streaming call: asks for {@code count} messages of {@code size} bytes each; returns once all have
     * arrived, with the number of bytes received.
     */
    long serverStream(int count, int size) throws Exception;

    /**
     * One client-streaming call: sends {@code count} messages of {@code size} bytes each; returns once the server
     * has answered, with the number of bytes it says it received.
     */
    long clientStream(int count, int size) throws Exception;

    /**
     * One bidi-streaming call: sends {@code count} messages of {@code size} bytes each, which the server echoes one
     * by one as they arrive; returns once every echo has arrived, with the number of bytes received.
     */
    long bidiStream(int count, int size) throws Exception;

    /**
     * Closes the connection and ends the server side; a child JVM exits (or is killed) and is awaited before this
     * returns.
     */
    @Override
    void close() throws IOException;
}
