package io.rapace.rpc;

import io.rapace.codec.Codec;
import io.rapace.codec.PostcardWriter;
import io.rapace.session.FrameTransport;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.PayloadEncoder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The streams of calls and their byte credit: the receiving half (decode as taken, grant credit back as taken), the
 * sending half (wait for credit, send, half-close), and stream frames arriving from the peer.
 */
final class CallStreams {
    private final CallEngine engine;

    CallStreams(CallEngine engine) {
        this.engine = engine;
    }

    /** The receiving half of a stream on this side: decode as taken, grant credit back as taken. */
    <T> RpcStream<T> incoming(EngineCall call, Codec<T> codec, String what, ErrorCode invalid) {
        // The receiving thread delivers frames itself while it would wait: for as long as it waits in spin mode, for
        // the caller spin otherwise (a stream flowing in then needs no hand-off from the reader per element).
        FrameTransport t = engine.transport();
        long spin = engine.config.callerSpinNanos();
        if (t.spinMode()) {
            call.incoming.pump(ready -> t.pollUntil(ready, call.remainingNanos()));
        } else if (spin > 0) {
            call.incoming.pump(ready -> t.pollUntil(ready, Math.min(spin, call.remainingNanos())));
        }
        CallFrames frames = engine.frames;
        return new PipeStream<byte[], T>(call.incoming, bytes -> {
            long grant = call.taken(bytes.length);
            if (grant > 0) {
                try {
                    // not quietly: a grant lost would stall the producer for good
                    frames.send(call, FrameFlags.CREDITS, (int) grant, w -> { }, "credit grant", ErrorCode.INTERNAL);
                } catch (RpcException e) {
                    if (!call.isEnded() || call.failure() != null) {
                        throw e;
                    }
                    // the call already ended well: the grant was not needed
                }
            }
            try {
                return Messages.decode(codec, bytes, what, invalid);
            } catch (RpcException e) {
                frames.fail(call, Failure.of(e));
                throw e;
            }
        }, f -> frames.fail(call, f), call.outbound ? "cancelled by the caller" : "cancelled by the handler");
    }

    /** DATA and EOS of a stream arriving on {@code call} (delivering thread: never waits). */
    void arrived(EngineCall call, Frame frame, boolean completeOnEos) {
        if (call.incoming == null) {
            return;
        }
        if (frame.hasFlag(FrameFlags.DATA)) {
            byte[] bytes = frame.payloadBytes();
            call.stats.addReceived(bytes.length);
            if (!call.arrived(bytes.length)) {
                engine.frames.fail(call, Failure.of(ErrorCode.VALIDATION_FAILED, "the peer sent more than the stream "
                        + "credit it was given"));
                return;
            }
            try {
                call.incoming.put(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RpcException | IllegalStateException e) {
                return;
            }
        }
        if (completeOnEos && frame.hasFlag(FrameFlags.EOS)) {
            call.incoming.complete();
        }
    }

    /**
     * Sends stream elements of {@code call} as credit allows, then half-closes with an empty EOS frame. It is its own
     * encoder of the element being sent, so an element costs no encoder object.
     */
    static final class StreamOut<T> implements StreamSender<T>, PayloadEncoder {
        private final CallEngine engine;
        private final EngineCall call;
        private final Codec<T> codec;
        private final String what;
        private final ErrorCode invalid;
        private boolean completed;
        /** The element {@link #encode} writes, set just before it is sent. */
        private T sending;

        StreamOut(CallEngine engine, EngineCall call, Codec<T> codec, String what, ErrorCode invalid) {
            this.engine = engine;
            this.call = call;
            this.codec = codec;
            this.what = what;
            this.invalid = invalid;
        }

        @Override
        public void send(T value) {
            Objects.requireNonNull(value, "stream element");
            if (completed) {
                throw new IllegalStateException("the stream was already completed");
            }
            call.checkLive();
            try {
                while (!call.credit.await(TimeUnit.SECONDS.toNanos(1), engine.transport())) {
                    call.checkLive();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Failure f = Failure.of(ErrorCode.CANCELLED, PipeSender.INTERRUPTED);
                engine.frames.fail(call, f);
                throw f.toException();
            }
            synchronized (this) { // a sender shared by threads: each encodes its own element
                sending = value;
                try {
                    call.credit.spend(engine.frames.send(call, FrameFlags.DATA, 0, this, what, invalid));
                } finally {
                    sending = null;
                }
            }
        }

        @Override
        public void encode(PostcardWriter w) {
            CallFrames.encodeValue(w, codec, sending);
        }

        @Override
        public void complete() {
            if (completed) {
                return;
            }
            completed = true;
            call.checkLive();
            if (!call.outbound) {
                engine.retire(call);
            }
            engine.frames.send(call, FrameFlags.EOS, 0, w -> { }, "end of stream", invalid);
        }

        @Override
        public void cancel() {
            engine.frames.fail(call, Failure.of(ErrorCode.CANCELLED, "cancelled by the sender"));
        }
    }
}
