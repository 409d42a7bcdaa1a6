package io.rapace.rpc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A stream of messages in a method signature: the requests of a client- or bidi-streaming method, the responses of a
 * server- or bidi-streaming one. The same type serves callers and implementations: a caller passes a stream of
 * requests and iterates the stream of responses it gets back; an implementation iterates the requests it is given
 * and returns a stream of responses. Streams that arrive from the other side are read with blocking iteration; the
 * streams a program hands over are made with {@link #of}, {@link #from} or {@link #generate}.
 *
 * <pre>{@code
 * for (long n : calculator.countTo(10)) { ... }                // caller: responses, blocking for-each
 * calculator.sum(RpcStream.of(1L, 2L, 3L));                      // caller: requests
 * return RpcStream.generate(out -> { out.send(1L); ... });       // implementation: responses
 * }</pre>
 *
 * <p>A stream is consumed once: by one iteration, or by the transport that sends it. Iteration blocks until the
 * next element arrives; {@code hasNext()} returns false at the stream's end and throws {@link RpcException} when the
 * call failed (its {@link RpcException#code() code} says why: the deadline, a cancellation, the handler's error,
 * the transport closing). An element is decoded when it is taken, on the consumer's thread. Interrupting a thread
 * blocked in iteration cancels the call and throws {@code CANCELLED}, leaving the interrupt flag set.
 *
 * <p>{@link #cancel()} (or {@link #close()}, for try-with-resources) abandons a stream: for a stream that arrived
 * from the other side it cancels the call, and the other side's handler sees the cancellation.
 *
 * <p>Only this package implements streams, so that every transport can send any stream; programs use the factories.
 *
 * @param <T> the element type; streams carry no nulls
 */
public abstract class RpcStream<T> implements Iterable<T>, AutoCloseable {

    RpcStream() {
    }

    /**
     * The elements in order, blocking for each; callable once.
     *
     * @throws IllegalStateException if the stream was already consumed
     */
    @Override
    public abstract Iterator<T> iterator();

    /**
     * Abandons the stream. For a stream that arrived from the other side, this cancels the call (the handler, or the
     * caller, sees {@link ErrorCode#CANCELLED}); for a stream made here, the producer is stopped. Iterating a
     * cancelled stream throws {@code CANCELLED}. Does nothing once the stream has been read to its end.
     */
    public abstract void cancel();

    /** The same as {@link #cancel()}: leaving a try-with-resources block early abandons the stream. */
    @Override
    public void close() {
        cancel();
    }

    /** Reads the whole stream into a list, blocking until its end. */
    public List<T> toList() {
        List<T> out = new ArrayList<>();
        for (T value : this) {
            out.add(value);
        }
        return out;
    }

    /**
     * Sends every element to {@code out} on the calling thread, then completes it. A transport calls this to send a
     * stream a caller or a handler handed over. Exceptions from the stream's own source propagate.
     */
    abstract void drainTo(StreamSender<T> out) throws Exception;

    /** A stream of the given values. */
    @SafeVarargs
    public static <T> RpcStream<T> of(T... values) {
        List<T> copy = new ArrayList<>(values.length);
        for (T value : values) {
            copy.add(Objects.requireNonNull(value, "stream element"));
        }
        return new IterableStream<>(copy);
    }

    /** A stream of the values of {@code values}, iterated when the stream is consumed. */
    public static <T> RpcStream<T> from(Iterable<? extends T> values) {
        return new IterableStream<>(Objects.requireNonNull(values, "values"));
    }

    /**
     * A stream of the values of {@code values} whose {@link #cancel()} also runs {@code onCancel}: for a transport
     * outside this package (the gRPC adapter) whose iterator takes the elements as they arrive, and whose call
     * {@code onCancel} cancels.
     */
    public static <T> RpcStream<T> from(Iterable<? extends T> values, Runnable onCancel) {
        return new IterableStream<>(Objects.requireNonNull(values, "values"), Objects.requireNonNull(onCancel,
                "onCancel"));
    }

    /**
     * A stream whose elements {@code producer} sends. When a transport sends the stream, the producer runs on the
     * transport's thread for it (a handler's thread for a response stream), waiting in {@link StreamSender#send}
     * whenever the receiver has no credit; returning completes the stream, and throwing fails the call (an
     * {@link RpcException} with its own code, anything else as {@link ErrorCode#INTERNAL}). Iterated locally, the
     * producer runs on a thread of its own, which {@link #cancel()} interrupts.
     */
    public static <T> RpcStream<T> generate(Producer<T> producer) {
        return new GeneratedStream<>(Objects.requireNonNull(producer, "producer"));
    }

    /** Sends the elements of a {@link #generate generated} stream. */
    @FunctionalInterface
    public interface Producer<T> {

        /**
         * Sends the elements to {@code out}. Completing {@code out} is optional: returning completes it.
         *
         * @throws Exception to fail the stream; an {@link InterruptedException} after the call was cancelled is the
         *                   normal way out of a blocked producer
         */
        void produce(StreamSender<T> out) throws Exception;
    }
}
