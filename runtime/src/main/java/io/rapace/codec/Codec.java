package io.rapace.codec;

/**
 * Encodes and decodes values of one type. Generated code writes a static {@code encode}/{@code decode} pair per
 * message type and wraps it once, as a constant, where a composite type ({@code option}, {@code list}, {@code map},
 * a fixed array) needs a codec for its elements: {@code Codec.of(FooCodec::encode, FooCodec::decode, 3)}.
 *
 * @param <T> the Java type of the values
 */
public interface Codec<T> {

    /** Writes {@code value}; a value outside the type's range is an {@link IllegalArgumentException}. */
    void encode(PostcardWriter out, T value);

    /** Reads one value; bad input is a {@link DecodeException}, never anything else. */
    T decode(PostcardReader in) throws DecodeException;

    /**
     * The smallest number of bytes any value of this type encodes to (0 for {@code ()}, an empty struct or a
     * zero-length array). Decoders use it to reject an element count the remaining input cannot hold before
     * allocating anything.
     */
    int minEncodedSize();

    /** Encoding half of a codec, usually a method reference to a generated static {@code encode}. */
    @FunctionalInterface
    interface Encoder<T> {
        void encode(PostcardWriter out, T value);
    }

    /** Decoding half of a codec, usually a method reference to a generated static {@code decode}. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(PostcardReader in) throws DecodeException;
    }

    /** A codec from an encoder, a decoder and the minimum encoded size of a value. */
    static <T> Codec<T> of(Encoder<T> encoder, Decoder<T> decoder, int minEncodedSize) {
        if (minEncodedSize < 0) {
            throw new IllegalArgumentException("minimum encoded size must not be negative: " + minEncodedSize);
        }
        return new Codec<>() {
            @Override
            public void encode(PostcardWriter out, T value) {
                encoder.encode(out, value);
            }

            @Override
            public T decode(PostcardReader in) throws DecodeException {
                return decoder.decode(in);
            }

            @Override
            public int minEncodedSize() {
                return minEncodedSize;
            }
        };
    }
}
