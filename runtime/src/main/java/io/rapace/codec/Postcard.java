package io.rapace.codec;

import java.nio.ByteBuffer;

/** Whole-message encode and decode: what a transport or a test needs around a {@link Codec}. */
public final class Postcard {
    private Postcard() {
    }

    /** The postcard bytes of {@code value}. */
    public static <T> byte[] encode(Codec<T> codec, T value) {
        PostcardWriter out = PostcardWriter.growable(64);
        codec.encode(out, value);
        return out.toByteArray();
    }

    /** Decodes one whole message: every byte must be consumed ({@link DecodeException.Reason#TRAILING} if not). */
    public static <T> T decode(Codec<T> codec, byte[] bytes) throws DecodeException {
        return decode(codec, PostcardReader.of(bytes));
    }

    /** Decodes one whole message from {@code [buffer.position(), buffer.limit())}. */
    public static <T> T decode(Codec<T> codec, ByteBuffer buffer) throws DecodeException {
        return decode(codec, PostcardReader.of(buffer));
    }

    private static <T> T decode(Codec<T> codec, PostcardReader in) throws DecodeException {
        T value = codec.decode(in);
        in.expectEnd();
        return value;
    }

    /** {@code cobs<T>}: the postcard bytes of {@code value}, COBS-framed with a 0x00 sentinel. */
    public static <T> byte[] encodeCobs(Codec<T> codec, T value) {
        PostcardWriter out = PostcardWriter.growable(64);
        codec.encode(out, value);
        return Cobs.encode(out.toByteArray(), 0, out.size());
    }

    /**
     * Decodes one whole COBS frame: the body must decode completely, and the sentinel must be the frame's last byte.
     * Offsets of errors inside the body count from the start of the decoded body.
     */
    public static <T> T decodeCobs(Codec<T> codec, byte[] frame) throws DecodeException {
        int sentinel = Cobs.sentinelIndex(frame);
        T value = decode(codec, Cobs.decodeRuns(frame, sentinel));
        Cobs.checkSentinel(frame, sentinel);
        return value;
    }
}
