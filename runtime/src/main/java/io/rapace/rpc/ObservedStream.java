package io.rapace.rpc;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A stream that shows what passes through it, for interceptors: each element taken or sent goes to
 * {@code onElement}, and the end of the stream (read to its end, failed, or cancelled) goes to {@code onEnd} once,
 * with null when the stream ended normally. Elements flow as they do through the wrapped stream, on the same threads.
 */
final class ObservedStream<T> extends RpcStream<T> {
    private final RpcStream<T> delegate;
    private final Consumer<? super T> onElement;
    private final Consumer<? super RpcException> onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();

    ObservedStream(RpcStream<T> delegate, Consumer<? super T> onElement, Consumer<? super RpcException> onEnd) {
        this.delegate = Objects.requireNonNull(delegate, "stream");
        this.onElement = onElement;
        this.onEnd = onEnd;
    }

    private void end(RpcException failure) {
        if (ended.compareAndSet(false, true)) {
            onEnd.accept(failure);
        }
    }

    @Override
    public Iterator<T> iterator() {
        Iterator<T> source = delegate.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    boolean more = source.hasNext();
                    if (!more) {
                        end(null);
                    }
                    return more;
                } catch (RpcException e) {
                    end(e);
                    throw e;
                }
            }

            @Override
            public T next() {
                T value;
                try {
                    value = source.next();
                } catch (RpcException e) {
                    end(e);
                    throw e;
                }
                onElement.accept(value);
                return value;
            }
        };
    }

    @Override
    public void cancel() {
        delegate.cancel();
        end(new RpcException(ErrorCode.CANCELLED, "the stream was cancelled"));
    }

    @Override
    void drainTo(StreamSender<T> out) throws Exception {
        try {
            delegate.drainTo(new StreamSender<>() {
                @Override
                public void send(T value) {
                    onElement.accept(value);
                    out.send(value);
                }

                @Override
                public void complete() {
                    out.complete();
                }

                @Override
                public void cancel() {
                    out.cancel();
                }
            });
        } catch (RpcException e) {
            end(e);
            throw e;
        }
        end(null);
    }
}
