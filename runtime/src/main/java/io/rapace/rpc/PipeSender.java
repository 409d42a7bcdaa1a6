package io.rapace.rpc;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link StreamSender} that puts into a {@link Pipe}: elements are turned into what the pipe carries (encoded
 * bytes for a call, the values themselves for a local stream) and put with credit. A failure this side causes (an
 * element that does not encode, an interrupted wait, {@link #cancel()}) aborts the whole stream through
 * {@code abort}.
 */
final class PipeSender<T, E> implements StreamSender<T> {
    static final String INTERRUPTED = "cancelled: the sending thread was interrupted";

    private final Pipe<E> pipe;
    private final Function<? super T, ? extends E> convert;
    private final Consumer<Failure> abort;

    PipeSender(Pipe<E> pipe, Function<? super T, ? extends E> convert, Consumer<Failure> abort) {
        this.pipe = pipe;
        this.convert = convert;
        this.abort = abort;
    }

    @Override
    public void send(T value) {
        Objects.requireNonNull(value, "stream element");
        pipe.checkSendable();
        E element;
        try {
            element = convert.apply(value);
        } catch (RpcException e) {
            abort.accept(Failure.of(e));
            throw e;
        }
        try {
            pipe.put(element);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Failure failure = Failure.of(ErrorCode.CANCELLED, INTERRUPTED);
            abort.accept(failure);
            throw failure.toException();
        }
    }

    @Override
    public void complete() {
        pipe.complete();
    }

    @Override
    public void cancel() {
        abort.accept(Failure.of(ErrorCode.CANCELLED, "cancelled by the sender"));
    }
}
