package io.rapace.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import io.rapace.fuzz.kinds.ContainersCodec;
import io.rapace.fuzz.kinds.EmptyCodec;
import io.rapace.fuzz.kinds.EverythingCodec;
import io.rapace.fuzz.kinds.LevelCodec;
import io.rapace.fuzz.kinds.ScalarsCodec;
import io.rapace.fuzz.kinds.ShapeCodec;
import java.util.List;

/**
 * The decoders the generator writes, for every kind of type the IDL has ({@code src/main/rapace/kinds.rapace}):
 * whatever the bytes, a decode returns a value or throws {@link DecodeException}. A value that decodes encodes to
 * bytes that decode again, to a value that encodes to the same bytes.
 */
class GeneratedCodecsFuzzTest {
    private static final List<Codec<?>> CODECS = List.of(EverythingCodec.CODEC, ScalarsCodec.CODEC,
            ContainersCodec.CODEC, ShapeCodec.CODEC, LevelCodec.CODEC, EmptyCodec.CODEC);

    @FuzzTest(maxDuration = "5m")
    void decodeGeneratedTypes(FuzzedDataProvider data) {
        Codec<?> codec = CODECS.get(data.consumeInt(0, CODECS.size() - 1));
        roundTrip(codec, data.consumeRemainingAsBytes());
    }

    private static <T> void roundTrip(Codec<T> codec, byte[] bytes) {
        T value;
        try {
            value = Postcard.decode(codec, bytes);
        } catch (DecodeException e) {
            return; // the documented answer to bytes that are not a value of the type
        }
        byte[] encoded = Postcard.encode(codec, value);
        T again;
        try {
            again = Postcard.decode(codec, encoded);
        } catch (DecodeException e) {
            throw new AssertionError("a decoded value encodes to bytes that do not decode: " + e.getMessage(), e);
        }
        assertArrayEquals(encoded, Postcard.encode(codec, again), "a value's encoding is not stable");
    }
}
