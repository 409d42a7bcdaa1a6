package io.rapace.rpc;

import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import io.rapace.codec.PostcardWriter;

/**
 * Encoding and decoding of call messages, with the maximum message size and the error texts every transport uses.
 * Encoding writes into a heap writer reused by the calling thread, then copies the bytes out for the receiver; a
 * transport with buffers of its own (a shared-memory slot) points a {@code PostcardWriter.into} writer at them
 * instead and applies the same {@link #checkSize} rule.
 */
final class Messages {
    /** A writer that grew past this for one message is dropped afterwards rather than kept for the thread. */
    private static final int KEPT_WRITER_SIZE = 64 * 1024;

    private final int maxMessageSize;
    private final ThreadLocal<PostcardWriter> writers = ThreadLocal.withInitial(() -> PostcardWriter.growable(256));

    Messages(int maxMessageSize) {
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maximum message size must be positive: " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
    }

    int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * The postcard bytes of {@code value}.
     *
     * @param what    names the message in errors: {@code request}, {@code response}, {@code request stream element}...
     * @param invalid the code for a value the codec rejects: {@link ErrorCode#INVALID_ARGUMENT} for what a caller
     *                sends, {@link ErrorCode#INTERNAL} for what a handler sends
     * @throws RpcException {@link ErrorCode#RESOURCE_EXHAUSTED} over the maximum message size, {@code invalid} for
     *                      a value the codec rejects
     */
    <T> byte[] encode(Codec<T> codec, T value, String what, ErrorCode invalid) {
        PostcardWriter out = writers.get();
        out.reset();
        try {
            codec.encode(out, value);
        } catch (RuntimeException e) {
            throw new RpcException(invalid, what + " does not encode: " + e, e);
        }
        int size = out.size();
        try {
            checkSize(size, what);
            return out.toByteArray();
        } finally {
            out.reset();
            if (size > KEPT_WRITER_SIZE) {
                writers.remove();
            }
        }
    }

    /** {@link ErrorCode#RESOURCE_EXHAUSTED} if a message of {@code size} bytes is over the maximum. */
    void checkSize(long size, String what) {
        if (size > maxMessageSize) {
            throw new RpcException(ErrorCode.RESOURCE_EXHAUSTED, what + " of " + size
                    + " bytes exceeds the maximum message size of " + maxMessageSize + " bytes");
        }
    }

    /**
     * Decodes one whole message.
     *
     * @param code the error code if it does not decode: {@link ErrorCode#INVALID_ARGUMENT} for what a handler
     *             receives, {@link ErrorCode#INTERNAL} for what a caller receives
     */
    static <T> T decode(Codec<T> codec, byte[] bytes, String what, ErrorCode code) {
        try {
            return Postcard.decode(codec, bytes);
        } catch (DecodeException e) {
            throw new RpcException(code, what + " does not decode: " + e.getMessage(), e);
        }
    }
}
