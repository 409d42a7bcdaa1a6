package io.rapace.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer and the reader take shortcuts over heap arrays (stores and loads on the array, an ASCII pass for
 * strings); these tests check that every input kind gives what the direct-buffer path gives.
 */
class HeapAndDirectAgreeTest {
    private static final List<Function<byte[], PostcardReader>> READERS = List.of(
            PostcardReader::of,
            b -> {
                byte[] padded = new byte[b.length + 7];
                System.arraycopy(b, 0, padded, 3, b.length);
                return PostcardReader.of(padded, 3, b.length);
            },
            b -> PostcardReader.of(ByteBuffer.allocate(b.length + 2).put(b).flip()),
            b -> PostcardReader.of(ByteBuffer.allocateDirect(b.length).put(b).flip()));

    private static final String[] STRINGS = {
        "", "transform", "[analytics] Processing started for request 1234567890123", "x".repeat(200),
        "caf\u00e9", "ascii then \u20ac", "\u00e9 first", "emoji \uD83D\uDE00 pair", "\u0141ódź",
    };

    @Test
    void writesTheSameBytesIntoEveryKindOfBuffer() {
        for (String s : STRINGS) {
            byte[] expected = utf8WithLength(s);
            for (PostcardWriter w : writers(512)) {
                w.writeString(s);
                assertArrayEquals(expected, w.toByteArray(), s);
            }
        }
    }

    @Test
    void readsTheSameValuesFromEveryKindOfInput() throws DecodeException {
        for (String s : STRINGS) {
            byte[] in = utf8WithLength(s);
            for (Function<byte[], PostcardReader> reader : READERS) {
                PostcardReader r = reader.apply(in);
                assertEquals(s, r.readString());
                r.expectEnd();
            }
        }
        byte[] bytes = {(byte) 0xAC, 0x02, 0x03, 1, 2, 3, 0x34, 0x12, 1};
        for (Function<byte[], PostcardReader> reader : READERS) {
            PostcardReader r = reader.apply(bytes);
            assertEquals(300, r.readU64());
            assertArrayEquals(new byte[] {1, 2, 3}, r.readBytes());
            assertEquals((short) 0x1234, r.readFixint16Le());
            assertTrue(r.readBool());
            r.expectEnd();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab\u0080", "abc\u00ff", "\u00c3\u0028", "abcdefgh\u00ed\u00a0\u0080", "abcdefghij\u00f0\u009f"})
    void rejectsInvalidUtf8AfterAnAsciiPrefixAtTheSameOffset(String latin1) {
        byte[] text = latin1.getBytes(StandardCharsets.ISO_8859_1);
        byte[] in = new byte[text.length + 1];
        in[0] = (byte) text.length;
        System.arraycopy(text, 0, in, 1, text.length);
        String expected = null;
        for (Function<byte[], PostcardReader> reader : READERS) {
            DecodeException e = assertThrows(DecodeException.class, () -> reader.apply(in).readString());
            assertEquals(DecodeException.Reason.INVALID_UTF8, e.reason());
            if (expected == null) {
                expected = e.getMessage();
            }
            assertEquals(expected, e.getMessage());
        }
    }

    @Test
    void rejectsAnUnpairedSurrogateWithoutWritingAnything() {
        for (PostcardWriter w : writers(64)) {
            w.writeU8((byte) 7);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.writeString("ab\uD800c", "operation"));
            assertEquals("operation: string has an unpaired surrogate U+D800 at index 2", e.getMessage());
            assertArrayEquals(new byte[] {7}, w.toByteArray());
        }
    }

    @Test
    void aStringThatDoesNotFitAFixedRegionOverflowsAsBefore() {
        for (ByteBuffer region : List.of(ByteBuffer.allocate(8), ByteBuffer.allocateDirect(8))) {
            PostcardWriter w = PostcardWriter.into(region);
            w.writeU8((byte) 1);
            assertThrows(BufferOverflowException.class, () -> w.writeString("too long for it"));
            // the length prefix went out before the text was found not to fit
            assertEquals(2, w.size());
        }
    }

    @Test
    void aGrowableWriterKeepsWritingAsciiAfterGrowing() {
        PostcardWriter w = PostcardWriter.growable(0);
        String s = "y".repeat(1000);
        w.writeString(s);
        w.writeString(s);
        byte[] one = utf8WithLength(s);
        byte[] both = new byte[2 * one.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(one, 0, both, one.length, one.length);
        assertArrayEquals(both, w.toByteArray());
    }

    private static List<PostcardWriter> writers(int capacity) {
        return List.of(
                PostcardWriter.growable(16),
                PostcardWriter.into(ByteBuffer.allocate(capacity)),
                PostcardWriter.into(ByteBuffer.allocate(capacity + 10).slice(5, capacity)),
                PostcardWriter.into(ByteBuffer.allocateDirect(capacity)));
    }

    private static byte[] utf8WithLength(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        PostcardWriter w = PostcardWriter.into(ByteBuffer.allocateDirect(utf8.length + 5));
        w.writeLength(utf8.length);
        w.writeRaw(utf8, 0, utf8.length);
        return w.toByteArray();
    }
}
