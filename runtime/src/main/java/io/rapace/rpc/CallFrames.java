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
import java.util.concurrent.TimeUnit;

/**
 * Sending the frames of a call and failing a call: a bounded send whose failure ends the call with the right code,
 * a quiet send for frames that may be lost, the CANCEL and ERROR bodies, and reading the peer's error.
 */
final class CallFrames {
    private static final System.Logger LOG = System.getLogger(RpcSession.class.getName());
    /**
     * True on a thread delivering the peer's frames (the reader, or a caller polling for its answer): a send from
     * there must not wait for long, or the peer, itself waiting for this side to read, would stall.
     */
    static final ThreadLocal<Boolean> DELIVERING = ThreadLocal.withInitial(() -> false);
    /** How long a frame that may be lost waits for ring space on a delivering thread. */
    static final long DELIVERING_SEND_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long a frame that may be lost waits for ring space elsewhere. */
    private static final long QUIET_SEND_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final CallEngine engine;

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
            failure = Failure.of(ErrorCode.RESOURCE_EXHAUSTED, what + " of " + e.size() + " bytes exceeds the "
                    + (e.peersLimit() ? "peer's " : "") + "maximum message size of " + e.limit() + " bytes");
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

    /** Sends a frame that may be lost without harm (a cancel, an error for a call the peer may have ended). */
    void sendQuietly(EngineCall call, int flags, int creditGrant, PayloadEncoder body) {
        FrameTransport t = engine.transportOrNull();
        if (t == null || !t.isOpen()) {
            return;
        }
        try {
            call.stats.addSent(t.sendFrame(call.channel, call.methodId, flags, creditGrant, body, DELIVERING.get()
                    ? DELIVERING_SEND_TIMEOUT_NANOS : QUIET_SEND_TIMEOUT_NANOS));
        } catch (SendTimeoutException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not send flags 0x" + Integer.toHexString(flags) + " for " + call + ": " + e);
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
