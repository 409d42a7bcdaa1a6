package io.rapace.codec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Codecs for every type of the wire format: the scalars (boxed, for use inside {@code option}, {@code list} and
 * {@code map}), and the combinators that build composite codecs from element codecs. Generated code keeps the
 * composite codecs it needs in static final fields, so nothing here is built per value.
 */
public final class Codecs {
    private Codecs() {
    }

    public static final Codec<Boolean> BOOL = Codec.of((w, v) -> w.writeBool(v), PostcardReader::readBool, 1);
    public static final Codec<Byte> U8 = Codec.of((w, v) -> w.writeU8(v), PostcardReader::readU8, 1);
    public static final Codec<Byte> I8 = Codec.of((w, v) -> w.writeI8(v), PostcardReader::readI8, 1);
    public static final Codec<Short> U16 = Codec.of((w, v) -> w.writeU16(v), PostcardReader::readU16, 1);
    public static final Codec<Short> I16 = Codec.of((w, v) -> w.writeI16(v), PostcardReader::readI16, 1);
    public static final Codec<Integer> U32 = Codec.of((w, v) -> w.writeU32(v), PostcardReader::readU32, 1);
    public static final Codec<Integer> I32 = Codec.of((w, v) -> w.writeI32(v), PostcardReader::readI32, 1);
    public static final Codec<Long> U64 = Codec.of((w, v) -> w.writeU64(v), PostcardReader::readU64, 1);
    public static final Codec<Long> I64 = Codec.of((w, v) -> w.writeI64(v), PostcardReader::readI64, 1);
    public static final Codec<BigInteger> U128 = Codec.of(PostcardWriter::writeU128, PostcardReader::readU128, 1);
    public static final Codec<BigInteger> I128 = Codec.of(PostcardWriter::writeI128, PostcardReader::readI128, 1);
    public static final Codec<Float> F32 = Codec.of((w, v) -> w.writeF32(v), PostcardReader::readF32, 4);
    public static final Codec<Double> F64 = Codec.of((w, v) -> w.writeF64(v), PostcardReader::readF64, 8);
    /** {@code char} as an {@code Integer} code point. */
    public static final Codec<Integer> CHAR = Codec.of((w, v) -> w.writeChar(v), PostcardReader::readChar, 2);
    public static final Codec<String> STRING = Codec.of(PostcardWriter::writeString, PostcardReader::readString, 1);
    public static final Codec<byte[]> BYTES = Codec.of(PostcardWriter::writeBytes, PostcardReader::readBytes, 1);
    public static final Codec<Unit> UNIT = Codec.of((w, v) -> { }, r -> Unit.UNIT, 0);

    public static final Codec<Short> FIXINT16_LE =
            Codec.of((w, v) -> w.writeFixint16Le(v), PostcardReader::readFixint16Le, 2);
    public static final Codec<Short> FIXINT16_BE =
            Codec.of((w, v) -> w.writeFixint16Be(v), PostcardReader::readFixint16Be, 2);
    public static final Codec<Integer> FIXINT32_LE =
            Codec.of((w, v) -> w.writeFixint32Le(v), PostcardReader::readFixint32Le, 4);
    public static final Codec<Integer> FIXINT32_BE =
            Codec.of((w, v) -> w.writeFixint32Be(v), PostcardReader::readFixint32Be, 4);
    public static final Codec<Long> FIXINT64_LE =
            Codec.of((w, v) -> w.writeFixint64Le(v), PostcardReader::readFixint64Le, 8);
    public static final Codec<Long> FIXINT64_BE =
            Codec.of((w, v) -> w.writeFixint64Be(v), PostcardReader::readFixint64Be, 8);

    // ---------------------------------------------------------------- option

    /** {@code option<T>} as {@link Optional}: tag 0, or tag 1 then the value. */
    public static <T> Codec<Optional<T>> option(Codec<T> element) {
        return Codec.of((w, v) -> writeOption(w, v, element), r -> readOption(r, element), 1);
    }

    public static <T> void writeOption(PostcardWriter out, Optional<T> value, Codec<T> element) {
        if (value.isPresent()) {
            out.writeOptionTag(true);
            element.encode(out, value.get());
        } else {
            out.writeOptionTag(false);
        }
    }

    public static <T> Optional<T> readOption(PostcardReader in, Codec<T> element) throws DecodeException {
        return in.readOptionTag() ? Optional.of(element.decode(in)) : Optional.empty();
    }

    // ---------------------------------------------------------------- list

    /** {@code list<T>} as {@link List}: a count, then the elements. */
    public static <T> Codec<List<T>> list(Codec<T> element) {
        return Codec.of((w, v) -> writeList(w, v, element), r -> readList(r, element), 1);
    }

    public static <T> void writeList(PostcardWriter out, List<T> value, Codec<T> element) {
        out.writeLength(value.size());
        for (T item : value) {
            element.encode(out, item);
        }
    }

    /**
     * Reads a list. The count is checked against the bytes left before anything is allocated; a list of zero-sized
     * elements (which postcard allows in any count) is one shared element repeated, not one object per element.
     */
    public static <T> List<T> readList(PostcardReader in, Codec<T> element) throws DecodeException {
        int minSize = element.minEncodedSize();
        int n = in.readLength(minSize);
        if (minSize == 0) {
            return n == 0 ? List.of() : Collections.nCopies(n, element.decode(in));
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.decode(in));
        }
        return out;
    }

    // ---------------------------------------------------------------- map

    /** {@code map<K,V>} as a {@link LinkedHashMap} in wire order; a key seen twice is a decode error. */
    public static <K, V> Codec<Map<K, V>> map(Codec<K> key, Codec<V> value) {
        return Codec.of((w, v) -> writeMap(w, v, key, value), r -> readMap(r, key, value), 1);
    }

    public static <K, V> void writeMap(PostcardWriter out, Map<K, V> map, Codec<K> key, Codec<V> value) {
        out.writeLength(map.size());
        for (Map.Entry<K, V> e : map.entrySet()) {
            key.encode(out, e.getKey());
            value.encode(out, e.getValue());
        }
    }

    public static <K, V> Map<K, V> readMap(PostcardReader in, Codec<K> key, Codec<V> value) throws DecodeException {
        int minSize = key.minEncodedSize() + value.minEncodedSize();
        int n = in.readLength(Math.max(1, minSize));
        Map<K, V> out = new LinkedHashMap<>(n + n / 3 + 1);
        for (int i = 0; i < n; i++) {
            int at = in.mark();
            K k = key.decode(in);
            V v = value.decode(in);
            if (out.putIfAbsent(k, v) != null || out.size() != i + 1) {
                throw in.duplicateKey(at, k);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- fixed arrays

    /** {@code [T; N]} as {@code T[]} of length {@code n}: the elements, no prefix. */
    public static <T> Codec<T[]> array(Codec<T> element, int n, IntFunction<T[]> newArray) {
        checkArrayLength(n);
        return Codec.of((w, v) -> {
            PostcardWriter.checkFixedLength(v.length, n, null);
            for (T item : v) {
                element.encode(w, item);
            }
        }, r -> {
            checkFits(r, n, element.minEncodedSize(), element::decode);
            T[] out = newArray.apply(n);
            for (int i = 0; i < n; i++) {
                out[i] = element.decode(r);
            }
            return out;
        }, multiply(element.minEncodedSize(), n));
    }

    /** {@code [u8; N]} or {@code [i8; N]} as {@code byte[]}: {@code n} raw bytes. */
    public static Codec<byte[]> byteArray(int n) {
        checkArrayLength(n);
        return Codec.of((w, v) -> w.writeFixedBytes(v, n, null), r -> r.readFixedBytes(n), n);
    }

    /** {@code [bool; N]} as {@code boolean[]}. */
    public static Codec<boolean[]> boolArray(int n) {
        checkArrayLength(n);
        return Codec.of((w, v) -> {
            PostcardWriter.checkFixedLength(v.length, n, null);
            for (boolean x : v) {
                w.writeBool(x);
            }
        }, r -> {
            checkFits(r, n, 1, PostcardReader::readBool);
            boolean[] out = new boolean[n];
            for (int i = 0; i < n; i++) {
                out[i] = r.readBool();
            }
            return out;
        }, n);
    }

    /** {@code [i16; N]} ({@code signed}) or {@code [u16; N]} as {@code short[]}. */
    public static Codec<short[]> shortArray(int n, boolean signed) {
        checkArrayLength(n);
        return Codec.of((w, v) -> {
            PostcardWriter.checkFixedLength(v.length, n, null);
            for (short x : v) {
                if (signed) {
                    w.writeI16(x);
                } else {
                    w.writeU16(x);
                }
            }
        }, r -> {
            checkFits(r, n, 1, signed ? PostcardReader::readI16 : PostcardReader::readU16);
            short[] out = new short[n];
            for (int i = 0; i < n; i++) {
                out[i] = signed ? r.readI16() : r.readU16();
            }
            return out;
        }, n);
    }

    /** Which 32-bit wire type an {@code int[]} holds. */
    public enum IntKind {
        I32, U32, CHAR
    }

    /** {@code [i32; N]}, {@code [u32; N]} or {@code [char; N]} as {@code int[]}. */
    public static Codec<int[]> intArray(int n, IntKind kind) {
        checkArrayLength(n);
        return Codec.of((w, v) -> {
            PostcardWriter.checkFixedLength(v.length, n, null);
            for (int x : v) {
                switch (kind) {
                    case I32:
                        w.writeI32(x);
                        break;
                    case U32:
                        w.writeU32(x);
                        break;
                    default:
                        w.writeChar(x);
                        break;
                }
            }
        }, r -> {
            int size = kind == IntKind.CHAR ? 2 : 1;
            checkFits(r, n, size, kind == IntKind.I32 ? PostcardReader::readI32
                    : kind == IntKind.U32 ? PostcardReader::readU32 : PostcardReader::readChar);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = kind == IntKind.I32 ? r.readI32() : kind == IntKind.U32 ? r.readU32() : r.readChar();
            }
            return out;
        }, multiply(kind == IntKind.CHAR ? 2 : 1, n));
    }

    /** {@code [i64; N]} ({@code signed}) or {@code [u64; N]} as {@code long[]}. */
    public static Codec<long[]> longArray(int n, boolean signed) {
        checkArrayLength(n);
        return Codec.of((w, v) -> {
            PostcardWriter.checkFixedLength(v.length, n, null);
            for (long x : v) {
                if (signed) {
                    w.writeI64(x);
                } else {
                    w.writeU64(x);
                }
            }
        }, r -> {
            checkFits(r, n, 1, signed ? PostcardReader::readI64 : PostcardReader::readU64);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = signed ? r.readI64() : r.readU64();
            }
            return out;
        }, n);
    }

    /** {@code [f32; N]} as {@code float[]}. */
    public static Codec<float[]> floatArray(int n) {
        checkArrayLength(n);
        return Codec.of((w, v) -> {
            PostcardWriter.checkFixedLength(v.length, n, null);
            for (float x : v) {
                w.writeF32(x);
            }
        }, r -> {
            checkFits(r, n, 4, PostcardReader::readF32);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = r.readF32();
            }
            return out;
        }, multiply(4, n));
    }

    /** {@code [f64; N]} as {@code double[]}. */
    public static Codec<double[]> doubleArray(int n) {
        checkArrayLength(n);
        return Codec.of((w, v) -> {
            PostcardWriter.checkFixedLength(v.length, n, null);
            for (double x : v) {
                w.writeF64(x);
            }
        }, r -> {
            checkFits(r, n, 8, PostcardReader::readF64);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = r.readF64();
            }
            return out;
        }, multiply(8, n));
    }

    private static void checkArrayLength(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("fixed array length must not be negative: " + n);
        }
    }

    /**
     * Before allocating a fixed array of {@code n} elements, checks that the bytes left could hold them. If they
     * cannot, the elements are decoded and dropped one by one, so the error is the first one met left to right
     * (as postcard reports it), and no array sized by the schema is allocated for input that cannot fill it.
     */
    private static void checkFits(PostcardReader r, int n, int minElementSize, Codec.Decoder<?> element)
            throws DecodeException {
        if ((long) n * minElementSize > r.remaining()) {
            for (int i = 0; i < n; i++) {
                element.decode(r);
            }
            throw r.error(DecodeException.Reason.TRUNCATED, r.mark(), "fixed array of " + n + " elements");
        }
    }

    private static int multiply(int size, int n) {
        return (int) Math.min(Integer.MAX_VALUE, (long) size * n);
    }
}
