package io.rapace.rpc;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** A stream over the values of an {@link Iterable}: {@link RpcStream#of} and {@link RpcStream#from}. */
final class IterableStream<T> extends RpcStream<T> {
    private final Iterable<? extends T> values;
    private final AtomicBoolean consumed = new AtomicBoolean();
    private volatile boolean cancelled;
    private final Runnable onCancel;
    /** A transport's stream: after a cancel its own iterator says how the call ended, in the call's words. */
    private final boolean sourceReportsCancel;

    IterableStream(Iterable<? extends T> values) {
        this.values = values;
        this.onCancel = () -> { };
        this.sourceReportsCancel = false;
    }

    /** A transport's stream whose {@link #cancel()} runs {@code onCancel} (once), which ends the source's call. */
    IterableStream(Iterable<? extends T> values, Runnable onCancel) {
        this.values = values;
        this.onCancel = onCancel;
        this.sourceReportsCancel = true;
    }

    private Iterator<? extends T> claim() {
        if (!consumed.compareAndSet(false, true)) {
            throw new IllegalStateException("a stream can be consumed only once");
        }
        return values.iterator();
    }

    @Override
    public Iterator<T> iterator() {
        Iterator<? extends T> source = claim();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                checkCancelled();
                return source.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return Objects.requireNonNull(source.next(), "stream element");
            }
        };
    }

    private void checkCancelled() {
        if (cancelled && !sourceReportsCancel) {
            throw new RpcException(ErrorCode.CANCELLED, "the stream was cancelled");
        }
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            onCancel.run();
        }
    }

    @Override
    void drainTo(StreamSender<T> out) {
        Iterator<? extends T> source = claim();
        while (source.hasNext()) {
            checkCancelled();
            out.send(source.next());
        }
        out.complete();
    }
}
