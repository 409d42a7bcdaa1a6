package io.rapace.grpc;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/** The elements a call takes one at a time ({@code take}) until it takes {@link #END}: a stream's iteration. */
final class Taken {
    /** What {@code take} returns after the last element. */
    static final Object END = new Object();

    private Taken() {
    }

    /** Iterates what {@code take} returns, each taken only when asked for, until {@link #END}. */
    static <T> Iterable<T> until(Supplier<Object> take) {
        return () -> new Iterator<>() {
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = take.get();
                }
                return next != END;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object value = next;
                next = null;
                return (T) value;
            }
        };
    }
}
