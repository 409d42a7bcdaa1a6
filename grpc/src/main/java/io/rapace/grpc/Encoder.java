package io.rapace.grpc;

import io.rapace.codec.Codec;
import io.rapace.codec.PostcardWriter;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;

/**
 * Encodes the messages one side of one call sends, into one buffer it keeps: a stream's messages grow it once, not
 * each from 64 bytes up. Each message leaves as an array of its own size (gRPC may still hold it after the send).
 * Thread-safe: a producer may hand its sender to other threads.
 */
final class Encoder<T> {
    private final Codec<T> codec;
    /** "request" or "response", for the errors. */
    private final String what;
    private final int maxMessageSize;
    private PostcardWriter writer;

    Encoder(Codec<T> codec, String what, int maxMessageSize) {
        this.codec = codec;
        this.what = what;
        this.maxMessageSize = maxMessageSize;
    }

    /** The message's bytes, refused with RESOURCE_EXHAUSTED when larger than the maximum message size. */
    synchronized byte[] encode(T value) {
        if (writer == null) {
            writer = PostcardWriter.growable(64);
        }
        writer.reset();
        try {
            codec.encode(writer, value);
        } catch (RuntimeException e) {
            throw new RpcException(ErrorCode.INVALID_ARGUMENT, what + " does not encode: " + e.getMessage(), e);
        }
        if (writer.size() > maxMessageSize) {
            int size = writer.size();
            writer = null; // not kept: the next message starts small again
            throw new RpcException(ErrorCode.RESOURCE_EXHAUSTED, what + " of " + size
                    + " bytes exceeds the maximum message size of " + maxMessageSize + " bytes");
        }
        return writer.toByteArray();
    }
}
