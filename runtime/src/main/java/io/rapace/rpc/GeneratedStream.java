package io.rapace.rpc;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stream whose elements a {@link RpcStream.Producer} sends: {@link RpcStream#generate}. A transport runs the
 * producer on its own thread for the stream; local iteration starts a thread for it, handing elements over through a
 * small {@link Pipe}.
 */
final class GeneratedStream<T> extends RpcStream<T> {
    /** Elements a locally iterated producer may run ahead of its consumer. */
    static final int LOCAL_WINDOW = 16;

    private final RpcStream.Producer<T> producer;
    private final AtomicBoolean consumed = new AtomicBoolean();
    private final Object lock = new Object();
    private boolean cancelled;
    private Pipe<T> pipe;
    private Thread thread;

    GeneratedStream(RpcStream.Producer<T> producer) {
        this.producer = producer;
    }

    private void claim() {
        if (!consumed.compareAndSet(false, true)) {
            throw new IllegalStateException("a stream can be consumed only once");
        }
    }

    @Override
    public Iterator<T> iterator() {
        claim();
        Pipe<T> local = new Pipe<>(LOCAL_WINDOW, element -> 1);
        PipeSender<T, T> sender = new PipeSender<>(local, value -> value, this::abort);
        Thread producerThread = new Thread(() -> produceLocally(local, sender), "rapace-stream-producer");
        producerThread.setDaemon(true);
        synchronized (lock) {
            pipe = local;
            thread = producerThread;
            if (cancelled) {
                local.fail(cancelledFailure());
            }
        }
        producerThread.start();
        return new PipeStream<>(local, value -> value, this::abort).iterator();
    }

    private void produceLocally(Pipe<T> local, StreamSender<T> sender) {
        try {
            producer.produce(sender);
            local.complete();
        } catch (Exception e) {
            local.failAfterBuffered(Failure.fromThrowable(e, ErrorCode.INTERNAL, "stream producer failed: "));
        } catch (Error e) {
            local.failAfterBuffered(Failure.fromThrowable(e, ErrorCode.INTERNAL, "stream producer failed: "));
            throw e;
        }
    }

    private static Failure cancelledFailure() {
        return Failure.of(ErrorCode.CANCELLED, "the stream was cancelled");
    }

    private void abort(Failure failure) {
        Thread producerThread;
        synchronized (lock) {
            cancelled = true;
            if (pipe != null) {
                pipe.fail(failure);
            }
            producerThread = thread;
        }
        if (producerThread != null && producerThread != Thread.currentThread()) {
            producerThread.interrupt();
        }
    }

    @Override
    public void cancel() {
        abort(cancelledFailure());
    }

    @Override
    void drainTo(StreamSender<T> out) throws Exception {
        claim();
        synchronized (lock) {
            if (cancelled) {
                throw cancelledFailure().toException();
            }
        }
        producer.produce(out);
        out.complete();
    }
}
