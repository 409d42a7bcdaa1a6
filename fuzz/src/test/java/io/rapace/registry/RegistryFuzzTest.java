package io.rapace.registry;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import java.util.List;

/**
 * The registry's decoder, which reads the introspection answers a peer sends (GetService, GetMethod, GetSchema): a
 * service, method or type schema decodes or throws {@link DecodeException}; one that decodes encodes to the same
 * value again.
 */
class RegistryFuzzTest {
    private static final List<Codec<?>> CODECS = List.of(ServiceDescriptor.CODEC, MethodDescriptor.CODEC,
            TypeSchema.CODEC);

    @FuzzTest(maxDuration = "5m")
    void decodeIntrospectionAnswers(FuzzedDataProvider data) {
        Codec<?> codec = CODECS.get(data.consumeInt(0, CODECS.size() - 1));
        check(codec, data.consumeRemainingAsBytes());
    }

    private static <T> void check(Codec<T> codec, byte[] bytes) {
        T value;
        try {
            value = Postcard.decode(codec, bytes);
        } catch (DecodeException e) {
            return;
        }
        try {
            T again = Postcard.decode(codec, Postcard.encode(codec, value));
            if (!again.equals(value)) {
                throw new AssertionError("decoded " + value + " but its encoding decodes to " + again);
            }
        } catch (DecodeException e) {
            throw new AssertionError("a decoded value encodes to bytes that do not decode: " + e.getMessage(), e);
        }
    }
}
