package io.rapace.rpc;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The receiving half of a stream: iterates what arrives in a {@link Pipe}, turning each element into a value as it
 * is taken (decoding it, for a call). A failure this side causes ({@link #cancel()}, an interrupted wait, an element
 * that does not decode) aborts the stream's source through {@code abort}.
 */
final class PipeStream<E, T> extends RpcStream<T> {
    static final String INTERRUPTED = "cancelled: the receiving thread was interrupted";

    /** Turns a taken element into a value; failing, it reports through {@code abort} and throws RpcException. */
    @FunctionalInterface
    interface Converter<E, T> {
        T convert(E element);
    }

    private final Pipe<E> pipe;
    private final Converter<E, T> convert;
    private final Consumer<Failure> abort;
    private final String cancelMessage;
    private final AtomicBoolean consumed = new AtomicBoolean();
    private volatile boolean finished;

    PipeStream(Pipe<E> pipe, Converter<E, T> convert, Consumer<Failure> abort) {
        this(pipe, convert, abort, "the stream was cancelled");
    }

    PipeStream(Pipe<E> pipe, Converter<E, T> convert, Consumer<Failure> abort, String cancelMessage) {
        this.pipe = pipe;
        this.convert = convert;
        this.abort = abort;
        this.cancelMessage = cancelMessage;
    }

    @Override
    public Iterator<T> iterator() {
        if (!consumed.compareAndSet(false, true)) {
            throw new IllegalStateException("a stream can be consumed only once");
        }
        return new Iterator<>() {
            private E next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                try {
                    next = pipe.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    Failure failure = Failure.of(ErrorCode.CANCELLED, INTERRUPTED);
                    abort.accept(failure);
                    throw failure.toException();
                }
                ended = next == null;
                if (ended) {
                    finished = true;
                }
                return !ended;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                E element = next;
                next = null;
                return convert.convert(element);
            }
        };
    }

    @Override
    public void cancel() {
        if (finished) {
            return;
        }
        abort.accept(Failure.of(ErrorCode.CANCELLED, cancelMessage));
    }

    @Override
    void drainTo(StreamSender<T> out) {
        for (T value : this) {
            out.send(value);
        }
        out.complete();
    }
}
