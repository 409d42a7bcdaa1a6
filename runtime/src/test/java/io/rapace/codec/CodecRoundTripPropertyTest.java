package io.rapace.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rapace.codec.DecodeException.Reason;
import java.math.BigInteger;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Round trips of random nested types and values, and the codec's edge behaviour one rule at a time.
 */
class CodecRoundTripPropertyTest {
    private static final BigInteger TWO = BigInteger.valueOf(2);

    // ============================================================================================ property

    /**
     * For a few thousand random nested types and values: decode(encode(v)) equals v and consumes every byte (from a
     * heap array and from a direct buffer), re-encoding gives the same bytes, the COBS frame round-trips, a fixed
     * direct region of exactly the right size gets the same bytes, one byte less overflows, every strict prefix is
     * rejected as truncated and one extra byte as trailing.
     */
    @Test
    void randomNestedValuesRoundTrip() throws DecodeException {
        Random rnd = new Random(0x5EED_C0DECL);
        PostcardWriter reused = PostcardWriter.growable(0);
        int cases = 0;
        for (int t = 0; t < 1500; t++) {
            WireType type = RandomTypes.type(rnd, 4);
            for (int v = 0; v < 3; v++) {
                Object value = type.randomValue(rnd, 3);
                try {
                    checkRoundTrip(type, value, reused, rnd);
                } catch (AssertionError | RuntimeException | DecodeException e) {
                    throw new AssertionError("type " + type.text() + ", value " + ValueNotation.show(value) + ": " + e, e);
                }
                cases++;
            }
        }
        System.out.println("CodecRoundTripPropertyTest: " + cases + " random round trips");
        assertEquals(4500, cases);
    }

    private static void checkRoundTrip(WireType type, Object value, PostcardWriter reused, Random rnd)
            throws DecodeException {
        Codec<Object> codec = type.codec();
        byte[] bytes = Postcard.encode(codec, value);
        assertTrue(bytes.length >= codec.minEncodedSize(), "encoding shorter than minEncodedSize "
                + codec.minEncodedSize() + ": " + ValueNotation.hex(bytes));

        PostcardReader reader = PostcardReader.of(bytes);
        Object decoded = codec.decode(reader);
        assertEquals(0, reader.remaining(), "bytes left after decoding " + ValueNotation.hex(bytes));
        assertTrue(ValueNotation.deepEquals(value, decoded), () -> "decoded " + ValueNotation.show(decoded));
        Object direct = Postcard.decode(codec, PostcardConformanceTest.directBuffer(bytes));
        assertTrue(ValueNotation.deepEquals(value, direct), () -> "decoded from a direct buffer " + ValueNotation.show(direct));
        assertArrayEquals(bytes, Postcard.encode(codec, decoded), "re-encoding");

        reused.reset();
        codec.encode(reused, value);
        assertArrayEquals(bytes, reused.toByteArray(), "a reset, reused writer");

        byte[] frame = Postcard.encodeCobs(codec, value);
        assertEquals(frame.length - 1, indexOfZero(frame), "the only 0x00 of a COBS frame is its last byte");
        Object unframed = Postcard.decodeCobs(codec, frame);
        assertTrue(ValueNotation.deepEquals(value, unframed), () -> "decoded from COBS " + ValueNotation.show(unframed));

        assertWritesIntoDirectRegion(codec, value, bytes);

        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        DecodeException trailing = assertThrows(DecodeException.class, () -> Postcard.decode(codec, longer));
        assertEquals(Reason.TRAILING, trailing.reason(), trailing.getMessage());
        assertEquals(bytes.length, trailing.offset());

        int cuts = Math.min(bytes.length, 6);
        for (int i = 0; i < cuts; i++) {
            int cut = bytes.length <= 6 ? i : rnd.nextInt(bytes.length);
            byte[] prefix = Arrays.copyOf(bytes, cut);
            DecodeException e = assertThrows(DecodeException.class, () -> Postcard.decode(codec, prefix),
                    () -> "prefix of " + cut + " bytes");
            assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.LENGTH_EXCEEDS_INPUT,
                    () -> "prefix of " + cut + " bytes: " + e.getMessage());
        }
    }

    private static int indexOfZero(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@link PostcardWriter#into} a direct region of exactly the size gives {@code bytes}; one less overflows. */
    private static void assertWritesIntoDirectRegion(Codec<Object> codec, Object value, byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 8);
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) 0x5A);
        }
        buffer.position(4).limit(4 + bytes.length);
        PostcardWriter w = PostcardWriter.into(buffer);
        codec.encode(w, value);
        assertEquals(bytes.length, w.size());
        assertArrayEquals(bytes, w.toByteArray());
        assertEquals(4, buffer.position(), "the region's position is not moved");
        assertEquals(4 + bytes.length, buffer.limit(), "the region's limit is not moved");
        ByteBuffer all = buffer.duplicate().clear();
        for (int i = 0; i < all.capacity(); i++) {
            byte expected = i >= 4 && i < 4 + bytes.length ? bytes[i - 4] : (byte) 0x5A;
            assertEquals(expected, all.get(i), "byte " + i + " of the direct buffer");
        }
        ByteBuffer view = w.written();
        byte[] viewed = new byte[view.remaining()];
        view.get(viewed);
        assertArrayEquals(bytes, viewed, "written()");
        if (bytes.length > 0) {
            buffer.limit(4 + bytes.length - 1);
            assertThrows(BufferOverflowException.class, () -> codec.encode(PostcardWriter.into(buffer), value));
        }
    }

    // ============================================================================================ varints

    private static <T> void assertWire(Codec<T> codec, T value, String hex) throws DecodeException {
        assertEquals(hex, ValueNotation.hex(Postcard.encode(codec, value)), () -> "encode " + ValueNotation.show(value));
        T decoded = Postcard.decode(codec, ValueNotation.unhex(hex));
        assertTrue(ValueNotation.deepEquals(value, decoded), () -> "decode " + hex + " gave " + ValueNotation.show(decoded));
        T direct = Postcard.decode(codec, PostcardConformanceTest.directBuffer(ValueNotation.unhex(hex)));
        assertTrue(ValueNotation.deepEquals(value, direct), () -> "direct decode " + hex + " gave " + ValueNotation.show(direct));
    }

    /** 0, 2^(7k)-1 and 2^(7k) for every k that fits, and the maximum: the unsigned varint widths 1..N. */
    private static List<BigInteger> unsignedBoundaries(int bits) {
        List<BigInteger> out = new java.util.ArrayList<>();
        BigInteger max = TWO.pow(bits).subtract(BigInteger.ONE);
        out.add(BigInteger.ZERO);
        for (int k = 7; k < bits; k += 7) {
            out.add(TWO.pow(k).subtract(BigInteger.ONE));
            out.add(TWO.pow(k));
        }
        out.add(max);
        return out;
    }

    @Test
    void encodesUnsignedVarintsAtEveryWidthBoundary() throws DecodeException {
        for (BigInteger v : unsignedBoundaries(16)) {
            assertWire(Codecs.U16, (short) v.intValue(), ValueNotation.leb128(v));
        }
        for (BigInteger v : unsignedBoundaries(32)) {
            assertWire(Codecs.U32, v.intValue(), ValueNotation.leb128(v));
        }
        for (BigInteger v : unsignedBoundaries(64)) {
            assertWire(Codecs.U64, v.longValue(), ValueNotation.leb128(v));
        }
        for (BigInteger v : unsignedBoundaries(128)) {
            assertWire(Codecs.U128, v, ValueNotation.leb128(v));
        }
        // the maxima, written out: 3, 5, 10 and 19 bytes
        assertWire(Codecs.U16, (short) -1, "ffff03");
        assertWire(Codecs.U32, -1, "ffffffff0f");
        assertWire(Codecs.U64, -1L, "ffffffffffffffffff01");
        assertWire(Codecs.U128, TWO.pow(128).subtract(BigInteger.ONE), "ff".repeat(18) + "03");
        assertWire(Codecs.U16, (short) 128, "8001");
        assertWire(Codecs.U32, 16384, "808001");
    }

    @Test
    void encodesSignedVarintsAtEveryWidthBoundaryWithZigzag() throws DecodeException {
        int[] widths = {16, 32, 64, 128};
        for (int bits : widths) {
            for (BigInteger z : unsignedBoundaries(bits)) {
                // the signed value whose zigzag is z
                BigInteger v = z.testBit(0) ? z.add(BigInteger.ONE).shiftRight(1).negate() : z.shiftRight(1);
                assertEquals(z, ValueNotation.zigzag(v));
                String hex = ValueNotation.leb128(z);
                switch (bits) {
                    case 16:
                        assertWire(Codecs.I16, (short) v.intValue(), hex);
                        break;
                    case 32:
                        assertWire(Codecs.I32, v.intValue(), hex);
                        break;
                    case 64:
                        assertWire(Codecs.I64, v.longValue(), hex);
                        break;
                    default:
                        assertWire(Codecs.I128, v, hex);
                        break;
                }
            }
        }
        assertWire(Codecs.I16, Short.MIN_VALUE, "ffff03");
        assertWire(Codecs.I16, Short.MAX_VALUE, "feff03");
        assertWire(Codecs.I16, (short) -1, "01");
        assertWire(Codecs.I16, (short) -65, "8101");
        assertWire(Codecs.I32, Integer.MIN_VALUE, "ffffffff0f");
        assertWire(Codecs.I32, Integer.MAX_VALUE, "feffffff0f");
        assertWire(Codecs.I64, Long.MIN_VALUE, "ffffffffffffffffff01");
        assertWire(Codecs.I64, Long.MAX_VALUE, "feffffffffffffffff01");
        assertWire(Codecs.I64, -64L, "7f");
        assertWire(Codecs.I64, 64L, "8001");
    }

    @Test
    void encodesU8AndI8AsOneRawByte() throws DecodeException {
        assertWire(Codecs.U8, (byte) 0, "00");
        assertWire(Codecs.U8, (byte) 0x7F, "7f");
        assertWire(Codecs.U8, (byte) 0x80, "80");
        assertWire(Codecs.U8, (byte) 0xFF, "ff");
        assertWire(Codecs.I8, Byte.MIN_VALUE, "80");
        assertWire(Codecs.I8, Byte.MAX_VALUE, "7f");
        assertWire(Codecs.I8, (byte) -1, "ff");
    }

    @Test
    void roundTripsU128AndI128Extremes() throws DecodeException {
        BigInteger u128Max = TWO.pow(128).subtract(BigInteger.ONE);
        BigInteger i128Min = TWO.pow(127).negate();
        BigInteger i128Max = TWO.pow(127).subtract(BigInteger.ONE);
        assertWire(Codecs.U128, BigInteger.ZERO, "00");
        assertWire(Codecs.U128, u128Max, "ff".repeat(18) + "03");
        assertWire(Codecs.U128, TWO.pow(127), "80".repeat(18) + "02");
        assertWire(Codecs.U128, TWO.pow(64), "80".repeat(9) + "02");
        assertWire(Codecs.U128, TWO.pow(64).subtract(BigInteger.ONE), "ff".repeat(9) + "01");
        assertWire(Codecs.U128, TWO.pow(63), "80".repeat(9) + "01");
        assertWire(Codecs.I128, i128Min, "ff".repeat(18) + "03");
        assertWire(Codecs.I128, i128Max, "fe" + "ff".repeat(17) + "03");
        assertWire(Codecs.I128, BigInteger.ZERO, "00");
        assertWire(Codecs.I128, BigInteger.ONE.negate(), "01");
        assertWire(Codecs.I128, BigInteger.valueOf(Long.MIN_VALUE), "ff".repeat(9) + "01");
        assertWire(Codecs.I128, BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE), "81" + "80".repeat(8)
                + "02");
        assertWire(Codecs.I128, TWO.pow(64).negate(), "ff".repeat(9) + "03");
        assertWire(Codecs.I128, TWO.pow(64), "80".repeat(9) + "04");
    }

    @Test
    void acceptsNonMinimalVarintsWithinTheAllowedLength() throws DecodeException {
        assertEquals((short) 0, Postcard.decode(Codecs.U16, ValueNotation.unhex("8000")));
        assertEquals((short) 16383, Postcard.decode(Codecs.U16, ValueNotation.unhex("ffff00")));
        assertEquals(0, Postcard.decode(Codecs.U32, ValueNotation.unhex("8080808000")));
        assertEquals(0L, Postcard.decode(Codecs.U64, ValueNotation.unhex("80808080808080808000")));
        assertEquals(BigInteger.ZERO, Postcard.decode(Codecs.U128, ValueNotation.unhex("80".repeat(18) + "00")));
        assertEquals(-1, Postcard.decode(Codecs.I32, ValueNotation.unhex("8100")));
        assertEquals(1, PostcardReader.of(ValueNotation.unhex("8100")).readVariantIndex());
        assertEquals(3, Postcard.decode(Codecs.list(Codecs.BOOL), ValueNotation.unhex("8300010100")).size());
    }

    private static DecodeException decodeFails(Codec<?> codec, String hex) {
        return assertThrows(DecodeException.class, () -> Postcard.decode(codec, ValueNotation.unhex(hex)),
                () -> "decoding " + hex);
    }

    private static void assertDecodeError(Codec<?> codec, String hex, Reason reason, long offset, String message) {
        DecodeException e = decodeFails(codec, hex);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    @Test
    void rejectsOverlongVarint() {
        assertDecodeError(Codecs.U16, "808080", Reason.OVERLONG_VARINT, 2,
                "overlong-varint at offset 2: u16 varint is longer than its width allows");
        assertDecodeError(Codecs.I32, "8080808080", Reason.OVERLONG_VARINT, 4,
                "overlong-varint at offset 4: i32 varint is longer than its width allows");
        assertDecodeError(Codecs.U64, "80".repeat(10), Reason.OVERLONG_VARINT, 9,
                "overlong-varint at offset 9: u64 varint is longer than its width allows");
        assertDecodeError(Codecs.I128, "ff".repeat(19), Reason.OVERLONG_VARINT, 18,
                "overlong-varint at offset 18: i128 varint is longer than its width allows");
        assertDecodeError(Codecs.STRING, "ff".repeat(10), Reason.OVERLONG_VARINT, 9,
                "overlong-varint at offset 9: length varint is longer than its width allows");
        // nothing after the last allowed byte is read: the error is the same with more input
        assertDecodeError(Codecs.U16, "80808001", Reason.OVERLONG_VARINT, 2,
                "overlong-varint at offset 2: u16 varint is longer than its width allows");
    }

    @Test
    void rejectsVarintThatOverflowsItsWidth() {
        assertDecodeError(Codecs.U16, "ffff04", Reason.VARINT_OVERFLOW, 2,
                "varint-overflow at offset 2: u16 varint does not fit its width");
        assertDecodeError(Codecs.I16, "feff07", Reason.VARINT_OVERFLOW, 2,
                "varint-overflow at offset 2: i16 varint does not fit its width");
        assertDecodeError(Codecs.U32, "ffffffff10", Reason.VARINT_OVERFLOW, 4,
                "varint-overflow at offset 4: u32 varint does not fit its width");
        assertDecodeError(Codecs.U64, "ffffffffffffffffff02", Reason.VARINT_OVERFLOW, 9,
                "varint-overflow at offset 9: u64 varint does not fit its width");
        assertDecodeError(Codecs.U128, "ff".repeat(18) + "04", Reason.VARINT_OVERFLOW, 18,
                "varint-overflow at offset 18: u128 varint does not fit its width");
    }

    @Test
    void rejectsTruncatedInput() {
        assertDecodeError(Codecs.U32, "8080", Reason.TRUNCATED, 2, "truncated at offset 2: input ends inside u32");
        assertDecodeError(Codecs.F64, "000000", Reason.TRUNCATED, 3,
                "truncated at offset 3: input ends inside f64 (needs 8 bytes, 3 left)");
        assertDecodeError(Codecs.BOOL, "", Reason.TRUNCATED, 0,
                "truncated at offset 0: input ends inside bool (needs 1 byte, 0 left)");
    }

    @Test
    void rejectsTrailingBytes() {
        assertDecodeError(Codecs.U8, "010203", Reason.TRAILING, 1,
                "trailing at offset 1: 2 bytes left after a complete value");
        assertDecodeError(Codecs.UNIT, "ff", Reason.TRAILING, 0,
                "trailing at offset 0: 1 byte left after a complete value");
    }

    @Test
    void rejectsInvalidUtf8InString() {
        assertDecodeError(Codecs.STRING, "0261ff", Reason.INVALID_UTF8, 2,
                "invalid-utf8 at offset 2: string is not valid UTF-8");
        // Java's modified UTF-8 for U+0000, a CESU-8 surrogate, a code point above U+10FFFF, an overlong '/'
        for (String hex : new String[] {"02c080", "03eda080", "04f4908080", "02c0af", "0180", "03e08080"}) {
            assertEquals(Reason.INVALID_UTF8, decodeFails(Codecs.STRING, hex).reason(), hex);
        }
    }

    @Test
    void rejectsLengthPrefixLargerThanTheInputBeforeAllocating() {
        assertDecodeError(Codecs.BYTES, "ffffffff07", Reason.LENGTH_EXCEEDS_INPUT, 0,
                "length-exceeds-input at offset 0: length 2147483647 but only 0 bytes left");
        assertDecodeError(Codecs.STRING, "ffffffffffffffffff01", Reason.LENGTH_EXCEEDS_INPUT, 0,
                "length-exceeds-input at offset 0: length 18446744073709551615 but only 0 bytes left");
        assertDecodeError(Codecs.list(Codecs.F64), "02" + "00".repeat(9), Reason.LENGTH_EXCEEDS_INPUT, 0,
                "length-exceeds-input at offset 0: length 2 (at least 8 bytes each) but only 9 bytes left");
    }

    // ============================================================================================ encoder ranges

    @Test
    void rejectsU128OutOfRangeNamingTheField() {
        PostcardWriter w = PostcardWriter.growable(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.writeU128(TWO.pow(128), "total"));
        assertEquals("total: u128 value out of range [0, 2^128): 340282366920938463463374607431768211456",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.writeU128(BigInteger.ONE.negate(), "total"));
        assertEquals("total: u128 value out of range [0, 2^128): -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Postcard.encode(Codecs.U128, BigInteger.ONE.negate()));
        assertEquals("u128 value out of range [0, 2^128): -1", e.getMessage());
        assertEquals(0, w.size(), "nothing written");
    }

    @Test
    void rejectsI128OutOfRangeNamingTheField() {
        PostcardWriter w = PostcardWriter.growable(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.writeI128(TWO.pow(127), "delta"));
        assertEquals("delta: i128 value out of range [-2^127, 2^127): 170141183460469231731687303715884105728",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> w.writeI128(TWO.pow(127).negate().subtract(BigInteger.ONE), "delta"));
        assertEquals("delta: i128 value out of range [-2^127, 2^127): -170141183460469231731687303715884105729",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Postcard.encode(Codecs.I128, TWO.pow(200)));
        assertEquals("i128 value out of range [-2^127, 2^127): " + TWO.pow(200), e.getMessage());
        assertEquals(0, w.size(), "nothing written");
    }

    @Test
    void rejectsSurrogateChar() {
        PostcardWriter w = PostcardWriter.growable(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.writeChar(0xD800, "initial"));
        assertEquals("initial: char value is not a Unicode scalar value: 0xD800", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Postcard.encode(Codecs.CHAR, 0xDFFF));
        assertEquals("char value is not a Unicode scalar value: 0xDFFF", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.writeChar(0x110000, "initial"));
        assertEquals("initial: char value is not a Unicode scalar value: 0x110000", e.getMessage());
        assertEquals(0, w.size(), "nothing written");
        // the decoder rejects the CESU-8 form of a surrogate as a char
        assertDecodeError(Codecs.CHAR, "03eda080", Reason.INVALID_CHAR, 1,
                "invalid-char at offset 1: char bytes are not exactly one UTF-8 encoded scalar value");
        assertDecodeError(Codecs.CHAR, "0061", Reason.INVALID_CHAR, 0,
                "invalid-char at offset 0: char length 0 is not 1..4");
    }

    @Test
    void rejectsUnpairedSurrogateInString() {
        PostcardWriter w = PostcardWriter.growable(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.writeString("a\uD800b", "name"));
        assertEquals("name: string has an unpaired surrogate U+D800 at index 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.writeString("\uDC00x", "name"));
        assertEquals("name: string has an unpaired surrogate U+DC00 at index 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Postcard.encode(Codecs.STRING, "ok\uD83D"));
        assertEquals("string has an unpaired surrogate U+D83D at index 2", e.getMessage());
        assertEquals(0, w.size(), "a rejected string writes nothing, not even its length");
    }

    @Test
    void rejectsFixedArrayOfWrongLength() {
        Codec<Integer[]> three = Codecs.array(Codecs.U32, 3, Integer[]::new);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Postcard.encode(three, new Integer[] {1, 2}));
        assertEquals("fixed array has length 2, expected 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Postcard.encode(Codecs.byteArray(4), new byte[5]));
        assertEquals("fixed array has length 5, expected 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Postcard.encode(Codecs.doubleArray(1), new double[0]));
        assertEquals("fixed array has length 0, expected 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PostcardWriter.growable(8).writeFixedBytes(new byte[3], 4, "mac"));
        assertEquals("mac: fixed array has length 3, expected 4", e.getMessage());
    }

    // ============================================================================================ maps, zero-size

    @Test
    void rejectsDuplicateMapKey() {
        assertDecodeError(Codecs.map(Codecs.U8, Codecs.BOOL), "0201010100", Reason.DUPLICATE_KEY, 3,
                "duplicate-key at offset 3: map key 1 appears twice");
        assertDecodeError(Codecs.map(Codecs.STRING, Codecs.U32), "030161010162020161 03".replace(" ", ""),
                Reason.DUPLICATE_KEY, 7, "duplicate-key at offset 7: map key a appears twice");
    }

    @Test
    void decodesMapInWireOrder() throws DecodeException {
        Map<Short, Boolean> m = Postcard.decode(Codecs.map(Codecs.U16, Codecs.BOOL), ValueNotation.unhex("03050100000300"));
        assertEquals(List.of((short) 5, (short) 0, (short) 3), List.copyOf(m.keySet()));
    }

    @Test
    void decodesListOfFiveUnitsWithoutPerElementAllocation() throws DecodeException {
        List<Unit> units = Postcard.decode(Codecs.list(Codecs.UNIT), ValueNotation.unhex("05"));
        assertEquals(5, units.size());
        assertTrue(units.stream().allMatch(u -> u == Unit.UNIT));

        // a zero-sized element type that counts its decodes and makes a new object each time
        AtomicInteger decodes = new AtomicInteger();
        Codec<Object> empty = Codec.of((w, v) -> { }, r -> {
            decodes.incrementAndGet();
            return new Object();
        }, 0);
        List<Object> five = Postcard.decode(Codecs.list(empty), ValueNotation.unhex("05"));
        assertEquals(5, five.size());
        assertEquals(1, decodes.get(), "one element decoded for the whole list");
        for (Object o : five) {
            assertSame(five.get(0), o);
        }
    }

    @Test
    void decodesHugeCountOfZeroSizedElementsWithoutAllocatingThem() throws DecodeException {
        int most = Integer.MAX_VALUE - 8;
        List<Unit> units = Postcard.decode(Codecs.list(Codecs.UNIT),
                ValueNotation.unhex(ValueNotation.leb128(BigInteger.valueOf(most))));
        assertEquals(most, units.size());
        assertSame(Unit.UNIT, units.get(most - 1));
        assertDecodeError(Codecs.list(Codecs.UNIT), ValueNotation.leb128(BigInteger.valueOf(most + 1L)),
                Reason.LENGTH_EXCEEDS_INPUT, 0,
                "length-exceeds-input at offset 0: count 2147483640 of zero-sized elements exceeds what a Java "
                        + "collection can hold");
        // an empty struct (here: a zero-length array) works the same
        List<String[]> empties = Postcard.decode(Codecs.list(Codecs.array(Codecs.STRING, 0, String[]::new)),
                ValueNotation.unhex("ffffffff01"));
        assertEquals(0x1FFFFFFF, empties.size());
    }

    // ============================================================================================ buffers

    @Test
    void writesIntoDirectRegionTheSameBytesAsTheHeapWriter() {
        WireType type = WireTypeParser.parse("struct AllPrims{b:bool,u8_:u8,u16_:u16,u32_:u32,u64_:u64,u128_:u128,"
                + "i8_:i8,i16_:i16,i32_:i32,i64_:i64,i128_:i128,f32_:f32,f64_:f64,c:char,s:string}");
        Random rnd = new Random(7);
        PostcardWriter heap = PostcardWriter.growable(0);
        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        for (int i = 0; i < 200; i++) {
            Object value = type.randomValue(rnd, 2);
            heap.reset();
            type.codec().encode(heap, value);
            byte[] expected = heap.toByteArray();
            direct.clear().position(i % 17);
            PostcardWriter region = PostcardWriter.into(direct);
            type.codec().encode(region, value);
            assertArrayEquals(expected, region.toByteArray(), () -> "value " + ValueNotation.show(value));
            assertWritesIntoDirectRegion(type.codec(), value, expected);
        }
    }

    @Test
    void tooSmallDirectRegionThrowsBufferOverflowException() {
        ByteBuffer region = ByteBuffer.allocateDirect(16).limit(3);
        PostcardWriter w = PostcardWriter.into(region);
        BufferOverflowException e = assertThrows(BufferOverflowException.class, () -> w.writeU32(-1));
        assertEquals("value needs 5 more bytes but the region has 3 of 3 left", e.getCause().getMessage());
        assertEquals(0, w.size());
        w.writeU8((byte) 1);
        w.writeU16((short) 300);
        assertThrows(BufferOverflowException.class, () -> w.writeU8((byte) 2));
        assertEquals("01ac02", ValueNotation.hex(w.toByteArray()), "bytes written before the overflow stay valid");
    }

    @Test
    void readsFromDirectBufferLikeFromHeapArray() throws DecodeException {
        WireType type = WireTypeParser.parse("tuple<string,option<seq<char>>,map<string,bytes>,array<f32;2>,i128>");
        Random rnd = new Random(11);
        for (int i = 0; i < 300; i++) {
            Object value = type.randomValue(rnd, 3);
            byte[] bytes = Postcard.encode(type.codec(), value);
            ByteBuffer direct = PostcardConformanceTest.directBuffer(bytes);
            int position = direct.position();
            Object heapValue = Postcard.decode(type.codec(), bytes);
            Object directValue = Postcard.decode(type.codec(), direct);
            assertTrue(ValueNotation.deepEquals(heapValue, directValue), () -> ValueNotation.show(directValue));
            assertEquals(position, direct.position(), "the buffer's position is not moved");
            // the same errors at the same offsets
            for (int cut = 0; cut < bytes.length; cut += 1 + bytes.length / 8) {
                byte[] broken = bytes.clone();
                broken[cut] ^= (byte) (1 << (cut % 8));
                assertSameOutcome(type.codec(), broken);
                assertSameOutcome(type.codec(), Arrays.copyOf(bytes, cut));
            }
        }
        // a reader over an explicit range of a direct buffer
        ByteBuffer b = ByteBuffer.allocateDirect(8);
        b.put(2, (byte) 0x05).put(3, (byte) 'h').put(4, (byte) 'i');
        PostcardReader r = PostcardReader.of(b, 2, 2);
        DecodeException e = assertThrows(DecodeException.class, r::readString);
        assertEquals("length-exceeds-input at offset 0: length 5 but only 1 bytes left", e.getMessage());
    }

    private static void assertSameOutcome(Codec<Object> codec, byte[] input) {
        String heap = outcome(() -> Postcard.decode(codec, input));
        String direct = outcome(() -> Postcard.decode(codec, PostcardConformanceTest.directBuffer(input)));
        assertEquals(heap, direct, () -> "input " + ValueNotation.hex(input));
    }

    private static String outcome(Executable decode) {
        try {
            decode.execute();
            return "ok";
        } catch (DecodeException e) {
            return e.getMessage();
        } catch (Throwable t) {
            return fail("decode threw " + t, t);
        }
    }

    @Test
    void readerRangeBeyondTheBufferLimitIsRejectedUpFront() {
        ByteBuffer b = ByteBuffer.allocateDirect(16).limit(8);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> PostcardReader.of(b, 4, 8));
        assertEquals("Range [4, 4 + 8) out of bounds for length 8", e.getMessage());
        PostcardReader inside = PostcardReader.of(b, 4, 4);
        assertEquals(4, inside.remaining());
    }

    @Test
    void keepsRawFloatBitsIncludingNanPayloads() throws DecodeException {
        assertWire(Codecs.F32, Float.intBitsToFloat(0x7fa00001), "0100a07f");
        assertWire(Codecs.F32, Float.intBitsToFloat(0xffc00000), "0000c0ff");
        assertWire(Codecs.F32, -0.0f, "00000080");
        assertWire(Codecs.F64, Double.longBitsToDouble(0x7ff0000000000001L), "010000000000f07f");
        assertWire(Codecs.F64, Double.longBitsToDouble(0xfff8000000000abcL), "bc0a00000000f8ff");
        float[] floats = Postcard.decode(Codecs.floatArray(2), ValueNotation.unhex("0100a07f00000080"));
        assertEquals(0x7fa00001, Float.floatToRawIntBits(floats[0]));
        assertEquals(0x80000000, Float.floatToRawIntBits(floats[1]));
    }

    /**
     * A body that ends with a full run of 254 non-zero bytes: postcard's {@code ser_flavors::Cobs} (which drives
     * {@code cobs::EncoderState}) opens a new, empty run after every 0xFF code and closes it at the end, so the frame
     * ends {@code ... 01 00}. The decoder also accepts the frame without that empty run, which the {@code cobs} crate's
     * free {@code encode} function writes.
     */
    @Test
    void cobsFrameEndingWithA254ByteRunMatchesPostcardsEncoder() throws DecodeException {
        byte[] value = new byte[252];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i + 1);
        }
        // body: fc 01 (varint 252), then 01..fc: 254 non-zero bytes
        String body = "fc01" + ValueNotation.hex(value);
        byte[] frame = Postcard.encodeCobs(Codecs.BYTES, value);
        assertEquals("ff" + body + "0100", ValueNotation.hex(frame));
        assertArrayEquals(value, Postcard.decodeCobs(Codecs.BYTES, frame));
        assertArrayEquals(value, Postcard.decodeCobs(Codecs.BYTES, ValueNotation.unhex("ff" + body + "00")));
        assertEquals("0100", ValueNotation.hex(Postcard.encodeCobs(Codecs.UNIT, Unit.UNIT)), "an empty body is one empty run");
        assertSame(Unit.UNIT, Postcard.decodeCobs(Codecs.UNIT, ValueNotation.unhex("00")));
    }

    @Test
    void rejectsUnknownEnumVariant() throws DecodeException {
        assertEquals(4, PostcardReader.of(ValueNotation.unhex("04")).readVariantIndex(5, "Level"));
        DecodeException e = assertThrows(DecodeException.class,
                () -> PostcardReader.of(ValueNotation.unhex("05")).readVariantIndex(5, "Level"));
        assertEquals("unknown-variant at offset 0: Level has no variant with index 5", e.getMessage());
        e = assertThrows(DecodeException.class,
                () -> PostcardReader.of(ValueNotation.unhex("ffffffff0f")).readVariantIndex(5, "Level"));
        assertEquals("unknown-variant at offset 0: Level has no variant with index 4294967295", e.getMessage());
    }
}
