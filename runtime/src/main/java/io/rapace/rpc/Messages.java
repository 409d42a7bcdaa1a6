package io.rapace.rpc;

import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;

/** Decoding of one whole call message, with the error text every transport uses. */
final class Messages {
    private Messages() {
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
