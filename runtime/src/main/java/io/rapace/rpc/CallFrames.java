package io.rapace.rpc;

import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;
import io.rapace.session.FrameTransport;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.MessageTooLargeException;
import io.rapace.shm.PayloadEncoder;
import io.rapace.shm.SendTimeoutException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sending the frames of a call and failing a call: a bounded send whose failure ends the call with the right code,
 * a quiet send for frames that may be lost, the CANCEL and ERROR bodies, and reading the peer's error.
 */
final class CallFrames {
    private static final System.Logger LOG = System.getLogger(RpcSession.class.getName());
    /**
     * Element 0 above zero on a thread delivering the peer's frames (the reader, or a caller polling for its answer):
     * a send from there must not wait for long, or the peer, itself waiting for this side to read, would stall. A
     * counter in a per-thread array, so a frame costs one thread-local lookup, not three.
     */
    static final ThreadLocal<int[]> DELIVERING = ThreadLocal.withInitial(() -> new int[1]);

    /** Whether the current thread delivers the peer's frames now. */
    static boolean delivering() {
        return DELIVERING.get()[0] > 0;
    }
    /** How long a frame that may be lost waits for ring space on a delivering thread. */
    static final long DELIVERING_SEND_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long a frame that may be lost waits for ring space elsewhere. */
    private static final long QUIET_SEND_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** How many refusals may wait for ring space at once; beyond it they are dropped (see {@link #refuse}). */
    static final int MAX_RETRIED_REFUSALS = 1024;

    private final CallEngine engine;
    private final AtomicInteger retriedRefusals = new AtomicInteger();

    CallFrames(CallEngine engine) {
        this.engine = engine;
    }

    /** Fails a call from this side and tells the peer: CANCEL from the caller, ERROR from the handler. */
    void fail(EngineCall call, Failure failure) {
        if (call.outbound) {
            cancelOutbound(call, failure);
        } else {
            failInbound(call, failure);
        }
    }

    /** The caller abandons its call (cancel, deadline, interrupt, a failed request stream): CANCEL to the peer. */
    void cancelOutbound(EngineCall call, Failure failure) {
        if (call.end(failure, false)) {
            sendQuietly(call, FrameFlags.CANCEL, 0, errorBody(failure));
        } else if (call.incoming != null) {
            call.incoming.fail(failure);
        }
    }

    /**
     * The handler's side fails the call (its exception, its deadline, a bad request): ERROR to the caller. False when
     * the call had already ended (cancelled, say).
     */
    boolean failInbound(EngineCall call, Failure failure) {
        if (call.end(failure, false)) {
            sendQuietly(call, FrameFlags.ERROR, 0, errorBody(failure));
            return true;
        }
        return false;
    }

    static PayloadEncoder errorBody(Failure failure) {
        return w -> {
            w.writeU32(failure.rawCode());
            w.writeString(failure.message());
        };
    }

    /** Thrown through the transport by a codec that rejects a value, to tell it from a message that is too large. */
    private static final class EncodeFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EncodeFailure(RuntimeException cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    static <T> void encodeValue(PostcardWriter w, Codec<T> codec, T value) {
        try {
            codec.encode(w, value);
        } catch (java.nio.BufferOverflowException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EncodeFailure(e);
        }
    }

    /** RESOURCE_EXHAUSTED for a message over a side's maximum size, naming both sizes and whose limit it is. */
    static Failure tooLarge(String what, MessageTooLargeException e) {
        return Failure.of(ErrorCode.RESOURCE_EXHAUSTED, what + " of " + e.size() + " bytes exceeds the "
                + (e.peersLimit() ? "peer's " : "") + "maximum message size of " + e.limit() + " bytes");
    }

    /**
     * Sends one frame of {@code call} within its deadline (and the transport's send timeout); on failure ends the
     * call (telling the peer) and throws the failure. Returns the payload bytes sent.
     */
    int send(EngineCall call, int flags, int creditGrant, PayloadEncoder body, String what, ErrorCode invalid) {
        FrameTransport t = engine.transport();
        long timeout = Math.min(engine.config.sendTimeoutNanos(), Math.max(0, call.remainingNanos()));
        Failure failure;
        try {
            int size = t.sendFrame(call.channel, call.methodId, flags, creditGrant, body, timeout);
            call.stats.addSent(size);
            return size;
        } catch (EncodeFailure e) {
            failure = Failure.of(invalid, what + " does not encode: " + e.getMessage());
        } catch (SendTimeoutException e) {
            failure = call.hasDeadline && call.remainingNanos() <= 0
                    ? Failure.of(ErrorCode.DEADLINE_EXCEEDED, "deadline exceeded while sending the " + what)
                    : Failure.of(ErrorCode.UNAVAILABLE, "the peer did not take the " + what + " within "
                            + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms: " + e.getMessage());
        } catch (MessageTooLargeException e) {
            failure = tooLarge(what, e);
        } catch (IllegalArgumentException e) {
            failure = Failure.of(ErrorCode.RESOURCE_EXHAUSTED, what + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            // a transport still open refuses a thread interrupted while it waited to send: that is a cancel
            failure = Thread.currentThread().isInterrupted() && t.isOpen()
                    ? Failure.of(ErrorCode.CANCELLED, PipeSender.INTERRUPTED)
                    : engine.sessionEnded();
        }
        fail(call, failure);
        Failure actual = call.failure();
        throw (actual != null ? actual : failure).toException();
    }

    /**
     * Sends the frame that ends a call on the peer's side too (a CANCEL, an ERROR), without waiting long: when the
     * ring has no room now (the peer is slow to read), it is sent later from the timer, again and again until it goes
     * or the transport ends, so the peer's side of the call never runs on for want of it. Channel ids are never
     * reused within a session, so a late frame can only reach the call it was meant for (or none, once that ended).
     */
    void sendQuietly(EngineCall call, int flags, int creditGrant, PayloadEncoder body) {
        trySend(call.channel, call.methodId, flags, creditGrant, body, call.stats, delivering()
                ? DELIVERING_SEND_TIMEOUT_NANOS : QUIET_SEND_TIMEOUT_NANOS, 0);
    }

    /**
     * Answers a call this side refused before it ran with an ERROR frame, from the delivering thread, which never
     * waits: if the ring is full, the answer is retried from the timer as {@link #sendQuietly} does, while fewer than
     * {@value #MAX_RETRIED_REFUSALS} refusals wait so (a peer that floods refusable calls without reading gets the
     * rest dropped, and its calls time out, never a growing backlog here).
     */
    void refuse(int channel, int methodId, Failure failure) {
        trySend(channel, methodId, FrameFlags.ERROR, 0, errorBody(failure), null, DELIVERING_SEND_TIMEOUT_NANOS, 0);
    }

    private void trySend(int channel, int methodId, int flags, int creditGrant, PayloadEncoder body,
            CallStats stats, long timeoutNanos, int retries) {
        FrameTransport t = engine.transportOrNull();
        if (t == null || !t.isOpen()) {
            return;
        }
        try {
            int size = t.sendFrame(channel, methodId, flags, creditGrant, body, timeoutNanos);
            if (stats != null) {
                stats.addSent(size);
            }
        } catch (SendTimeoutException e) {
            if (stats == null && retries == 0 && retriedRefusals.incrementAndGet() > MAX_RETRIED_REFUSALS) {
                retriedRefusals.decrementAndGet();
                LOG.log(Level.DEBUG, "dropped the refusal of channel " + Integer.toUnsignedString(channel)
                        + ": " + MAX_RETRIED_REFUSALS + " refusals already wait for room");
                return;
            }
            // Retried from the timer with a short wait each time (the timer also fires deadlines), backing off to
            // 100 ms between tries.
            long delayMillis = Math.min(100, 1L << Math.min(retries, 7));
            try {
                engine.config.timer().schedule(() -> trySend(channel, methodId, flags, creditGrant, body, stats,
                        DELIVERING_SEND_TIMEOUT_NANOS, retries + 1), delayMillis, TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException stopped) {
                LOG.log(Level.DEBUG, "could not send flags 0x" + Integer.toHexString(flags) + " on channel "
                        + Integer.toUnsignedString(channel) + ": the session is shutting down");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "could not send flags 0x" + Integer.toHexString(flags) + " on channel "
                    + Integer.toUnsignedString(channel) + ": " + e);
        }
        if (stats == null && retries > 0) {
            retriedRefusals.decrementAndGet();
        }
    }

    /** The failure an ERROR or CANCEL frame carries; {@code otherwise} when it carries none. */
    static Failure peerFailure(Frame frame, ErrorCode otherwise, String message) {
        ByteBuffer payload = frame.payload();
        if (payload.remaining() == 0) {
            return Failure.of(otherwise, message);
        }
        try {
            PostcardReader in = PostcardReader.of(payload);
            int code = in.readU32();
            String text = in.readString();
            in.expectEnd();
            return new Failure(code, text);
        } catch (DecodeException e) {
            return Failure.of(ErrorCode.INTERNAL, "the peer's error does not decode: " + e.getMessage());
        }
    }
}
