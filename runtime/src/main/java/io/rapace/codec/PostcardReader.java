package io.rapace.codec;

import io.rapace.codec.DecodeException.Reason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads postcard bytes from a range of a heap, direct or mapped {@link ByteBuffer}.
 *
 * <p>Every read checks the range first: the reader never touches a byte outside {@code [start, end)}, never
 * allocates more than the bytes left could hold, and reports every problem as a {@link DecodeException} whose offset
 * counts from the start of the range. It never throws anything else.
 *
 * <p>Not thread-safe: one reader per decode.
 */
public final class PostcardReader {
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The input as a little-endian buffer; byte {@code i} of the input is {@code buf.get(i)}. Null until first needed
     * when the reader was made from a {@code byte[]}, which the hot paths read directly.
     */
    private ByteBuffer buf;
    /**
     * Non-null when byte {@code i} of the input, for every {@code i} in {@code [start, end)}, can be read as
     * {@code array[base + i]}: a {@code byte[]}, or a writable heap buffer whose limit covers the range (reading past
     * the limit must fail as the buffer would).
     */
    private final byte[] array;
    private final int base;
    private final int start;
    private final int end;
    private int pos;

    private PostcardReader(ByteBuffer buf, int start, int end) {
        this.buf = buf.order() == ByteOrder.LITTLE_ENDIAN ? buf : buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        boolean viaArray = buf.hasArray() && end <= buf.limit();
        this.array = viaArray ? buf.array() : null;
        this.base = viaArray ? buf.arrayOffset() : 0;
        this.start = start;
        this.end = end;
        this.pos = start;
    }

    private PostcardReader(byte[] bytes, int start, int end) {
        this.array = bytes;
        this.base = 0;
        this.start = start;
        this.end = end;
        this.pos = start;
    }

    /** A reader over all of {@code bytes}. */
    public static PostcardReader of(byte[] bytes) {
        return new PostcardReader(bytes, 0, bytes.length);
    }

    /** A reader over {@code bytes[offset, offset + length)}. */
    public static PostcardReader of(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        return new PostcardReader(bytes, offset, offset + length);
    }

    /** A reader over {@code [buffer.position(), buffer.limit())}; the buffer's own position is not moved. */
    public static PostcardReader of(ByteBuffer buffer) {
        return new PostcardReader(buffer, buffer.position(), buffer.limit());
    }

    /**
     * A reader over the absolute range {@code [offset, offset + length)} of {@code buffer}, which must lie below the
     * buffer's limit (absolute reads cannot go past it), else {@link IndexOutOfBoundsException} here, up front.
     */
    public static PostcardReader of(ByteBuffer buffer, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.limit());
        return new PostcardReader(buffer, offset, offset + length);
    }

    /** Offset of the next byte, counted from the start of the range. */
    public int position() {
        return pos - start;
    }

    /** Bytes left in the range. */
    public int remaining() {
        return end - pos;
    }

    /** Fails with {@link Reason#TRAILING} unless every byte of the range was consumed. */
    public void expectEnd() throws DecodeException {
        if (pos != end) {
            throw error(Reason.TRAILING, pos, bytes(end - pos) + " left after a complete value");
        }
    }

    // ---------------------------------------------------------------- scalars

    public boolean readBool() throws DecodeException {
        need(1, "bool");
        byte b = byteAt(pos);
        if ((b & 0xFE) != 0) {
            throw error(Reason.INVALID_BOOL, pos, String.format("bool byte 0x%02x is neither 0 nor 1", b & 0xFF));
        }
        pos++;
        return b != 0;
    }

    /** {@code u8} or {@code i8}: one raw byte. */
    public byte readU8() throws DecodeException {
        need(1, "u8");
        return byteAt(pos++);
    }

    /** {@code i8}: one raw byte (the same as {@link #readU8}). */
    public byte readI8() throws DecodeException {
        need(1, "i8");
        return byteAt(pos++);
    }

    public short readU16() throws DecodeException {
        return (short) readVarint32(3, 0x03, "u16");
    }

    public short readI16() throws DecodeException {
        int z = readVarint32(3, 0x03, "i16");
        return (short) ((z >>> 1) ^ -(z & 1));
    }

    /** {@code u32}: the int holds the 32 bits of the unsigned value. */
    public int readU32() throws DecodeException {
        return readVarint32(5, 0x0F, "u32");
    }

    public int readI32() throws DecodeException {
        int z = readVarint32(5, 0x0F, "i32");
        return (z >>> 1) ^ -(z & 1);
    }

    /** {@code u64}: the long holds the 64 bits of the unsigned value. */
    public long readU64() throws DecodeException {
        return readVarint64("u64");
    }

    public long readI64() throws DecodeException {
        long z = readVarint64("i64");
        return (z >>> 1) ^ -(z & 1);
    }

    public BigInteger readU128() throws DecodeException {
        readVarint128("u128");
        return PostcardWriter.unsigned128(lo128, hi128);
    }

    public BigInteger readI128() throws DecodeException {
        readVarint128("i128");
        long sign = -(lo128 & 1);
        long lo = ((lo128 >>> 1) | (hi128 << 63)) ^ sign;
        long hi = (hi128 >>> 1) ^ sign;
        // hi:lo is now the two's complement of the value
        return BigInteger.valueOf(hi).shiftLeft(64).or(BigInteger.valueOf(lo).and(LONG_MASK));
    }

    private static final BigInteger LONG_MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    public float readF32() throws DecodeException {
        need(4, "f32");
        float v = Float.intBitsToFloat(intAt(pos));
        pos += 4;
        return v;
    }

    public double readF64() throws DecodeException {
        need(8, "f64");
        double v = Double.longBitsToDouble(longAt(pos));
        pos += 8;
        return v;
    }

    /**
     * A length or element count ({@code usize}) that must fit in the bytes left: {@code minElementSize} is the
     * smallest encoding of one element (1 for a string or bytes length). A count of zero-sized elements is only
     * limited by what a Java collection can hold.
     */
    public int readLength(int minElementSize) throws DecodeException {
        int at = pos;
        long n = readVarint64("length");
        long left = end - pos;
        if (minElementSize > 0) {
            // the common minElementSize of 1 (string and bytes lengths) needs no division
            long most = minElementSize == 1 ? left : left / minElementSize;
            if (Long.compareUnsigned(n, most) > 0) {
                throw error(Reason.LENGTH_EXCEEDS_INPUT, at, "length " + Long.toUnsignedString(n)
                        + (minElementSize == 1 ? "" : " (at least " + minElementSize + " bytes each)")
                        + " but only " + left + " bytes left");
            }
        } else if (Long.compareUnsigned(n, Integer.MAX_VALUE - 8) > 0) {
            throw error(Reason.LENGTH_EXCEEDS_INPUT, at, "count " + Long.toUnsignedString(n)
                    + " of zero-sized elements exceeds what a Java collection can hold");
        }
        return (int) n;
    }

    /** An enum's variant index (a {@code u32} varint), unsigned in the returned int. */
    public int readVariantIndex() throws DecodeException {
        return readVarint32(5, 0x0F, "variant index");
    }

    /** An enum's variant index that must be below {@code variantCount} (variants numbered 0..count-1). */
    public int readVariantIndex(int variantCount, String enumName) throws DecodeException {
        int at = pos;
        int index = readVarint32(5, 0x0F, "variant index");
        if (Integer.compareUnsigned(index, variantCount) >= 0) {
            throw unknownVariant(index, at, enumName);
        }
        return index;
    }

    /** Offset where the most recent {@link #readVariantIndex()} began, for {@link #unknownVariant}. */
    public DecodeException unknownVariant(int index, int absoluteOffset, String enumName) {
        return error(Reason.UNKNOWN_VARIANT, absoluteOffset, enumName + " has no variant with index "
                + Integer.toUnsignedString(index));
    }

    /** The absolute buffer position of the next byte (for {@link #unknownVariant} and duplicate-key reports). */
    public int mark() {
        return pos;
    }

    /** A duplicate-key error for a key that began at the absolute position {@code mark}. */
    public DecodeException duplicateKey(int mark, Object key) {
        return error(Reason.DUPLICATE_KEY, mark, "map key " + key + " appears twice");
    }

    /** The tag of an {@code option}: false for none, true for some. */
    public boolean readOptionTag() throws DecodeException {
        need(1, "option tag");
        byte b = byteAt(pos);
        if ((b & 0xFE) != 0) {
            throw error(Reason.INVALID_OPTION_TAG, pos, String.format("option tag 0x%02x is neither 0 nor 1",
                    b & 0xFF));
        }
        pos++;
        return b != 0;
    }

    /** {@code char}: a length of 1..4, then the UTF-8 of exactly one Unicode scalar value. */
    public int readChar() throws DecodeException {
        int at = pos;
        long n = readVarint64("char length");
        if (n < 1 || n > 4) {
            throw error(Reason.INVALID_CHAR, at, "char length " + Long.toUnsignedString(n) + " is not 1..4");
        }
        int len = (int) n;
        if (end - pos < len) {
            throw error(Reason.LENGTH_EXCEEDS_INPUT, at, "char length " + len + " but only " + (end - pos)
                    + " bytes left");
        }
        int b0 = byteAt(pos) & 0xFF;
        int expected = Utf8.sequenceLength(b0);
        int cp = expected == len ? Utf8.decodeOne(buffer(), pos, len) : -1;
        if (cp < 0) {
            throw error(Reason.INVALID_CHAR, pos, "char bytes are not exactly one UTF-8 encoded scalar value");
        }
        pos += len;
        return cp;
    }

    /** {@code string}: a length, then strict UTF-8 (malformed, overlong or surrogate sequences are errors). */
    @SuppressWarnings("deprecation") // String(byte[], int, int, int): see below
    public String readString() throws DecodeException {
        int len = readLength(1);
        String s;
        if (array != null) {
            int from = base + pos;
            int ascii = Utf8.asciiPrefixLength(array, from, len);
            if (ascii == len) {
                // All ASCII, so byte b is char b: the hibyte-0 constructor copies the bytes without the second scan
                // that decoding them as UTF-8 would make.
                s = new String(array, 0, from, len);
            } else {
                int bad = Utf8.firstInvalid(buffer(), pos + ascii, len - ascii);
                if (bad >= 0) {
                    throw error(Reason.INVALID_UTF8, bad, "string is not valid UTF-8");
                }
                s = new String(array, from, len, StandardCharsets.UTF_8);
            }
        } else {
            int bad = Utf8.firstInvalid(buf, pos, len);
            if (bad >= 0) {
                throw error(Reason.INVALID_UTF8, bad, "string is not valid UTF-8");
            }
            byte[] tmp = new byte[len];
            buf.get(pos, tmp, 0, len);
            s = new String(tmp, StandardCharsets.UTF_8);
        }
        pos += len;
        return s;
    }

    /** {@code bytes}: a length, then that many raw bytes (a fresh array). */
    public byte[] readBytes() throws DecodeException {
        int len = readLength(1);
        byte[] out = copyOf(pos, len);
        pos += len;
        return out;
    }

    /** Exactly {@code n} raw bytes ({@code [u8; N]}). */
    public byte[] readFixedBytes(int n) throws DecodeException {
        need(n, "[u8; " + n + "]");
        byte[] out = copyOf(pos, n);
        pos += n;
        return out;
    }

    // ---------------------------------------------------------------- fixint fields

    public short readFixint16Le() throws DecodeException {
        need(2, "fixint16");
        short v = shortAt(pos);
        pos += 2;
        return v;
    }

    public short readFixint16Be() throws DecodeException {
        return Short.reverseBytes(readFixint16Le());
    }

    public int readFixint32Le() throws DecodeException {
        need(4, "fixint32");
        int v = intAt(pos);
        pos += 4;
        return v;
    }

    public int readFixint32Be() throws DecodeException {
        return Integer.reverseBytes(readFixint32Le());
    }

    public long readFixint64Le() throws DecodeException {
        need(8, "fixint64");
        long v = longAt(pos);
        pos += 8;
        return v;
    }

    public long readFixint64Be() throws DecodeException {
        return Long.reverseBytes(readFixint64Le());
    }

    // ---------------------------------------------------------------- varints

    private int readVarint32(int maxBytes, int lastMax, String what) throws DecodeException {
        int p = pos;
        int result = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (p >= end) {
                throw truncated(p, what);
            }
            int b = byteAt(p);
            if (i == maxBytes - 1) {
                checkLastVarintByte(b, lastMax, p, what);
            }
            result |= (b & 0x7F) << (7 * i);
            p++;
            if (b >= 0) {
                pos = p;
                return result;
            }
        }
        throw new AssertionError("unreachable");
    }

    private long readVarint64(String what) throws DecodeException {
        int p = pos;
        long result = 0;
        for (int i = 0; i < 10; i++) {
            if (p >= end) {
                throw truncated(p, what);
            }
            int b = byteAt(p);
            if (i == 9) {
                checkLastVarintByte(b, 0x01, p, what);
            }
            result |= (long) (b & 0x7F) << (7 * i);
            p++;
            if (b >= 0) {
                pos = p;
                return result;
            }
        }
        throw new AssertionError("unreachable");
    }

    private long lo128;
    private long hi128;

    private void readVarint128(String what) throws DecodeException {
        int p = pos;
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 19; i++) {
            if (p >= end) {
                throw truncated(p, what);
            }
            int b = byteAt(p);
            if (i == 18) {
                checkLastVarintByte(b, 0x03, p, what);
            }
            long bits = b & 0x7F;
            int shift = 7 * i;
            if (shift < 64) {
                lo |= bits << shift;
                if (shift > 57) {
                    hi |= bits >>> (64 - shift);
                }
            } else {
                hi |= bits << (shift - 64);
            }
            p++;
            if (b >= 0) {
                pos = p;
                lo128 = lo;
                hi128 = hi;
                return;
            }
        }
        throw new AssertionError("unreachable");
    }

    private void checkLastVarintByte(int b, int lastMax, int at, String what) throws DecodeException {
        if ((b & 0x80) != 0) {
            throw error(Reason.OVERLONG_VARINT, at, what + " varint is longer than its width allows");
        }
        if (b > lastMax) {
            throw error(Reason.VARINT_OVERFLOW, at, what + " varint does not fit its width");
        }
    }

    // ---------------------------------------------------------------- input access

    /** The input as a buffer, for the paths that read it through one (non-ASCII text); see {@link #buf}. */
    private ByteBuffer buffer() {
        ByteBuffer b = buf;
        if (b == null) {
            b = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
            buf = b;
        }
        return b;
    }

    private byte byteAt(int p) {
        byte[] a = array;
        return a != null ? a[base + p] : buf.get(p);
    }

    private short shortAt(int p) {
        byte[] a = array;
        return a != null ? (short) SHORTS.get(a, base + p) : buf.getShort(p);
    }

    private int intAt(int p) {
        byte[] a = array;
        return a != null ? (int) INTS.get(a, base + p) : buf.getInt(p);
    }

    private long longAt(int p) {
        byte[] a = array;
        return a != null ? (long) LONGS.get(a, base + p) : buf.getLong(p);
    }

    /** A fresh copy of the {@code n} bytes at {@code p}. */
    private byte[] copyOf(int p, int n) {
        byte[] a = array;
        if (a != null) {
            return Arrays.copyOfRange(a, base + p, base + p + n); // no zeroing before the copy, unlike new + get
        }
        byte[] out = new byte[n];
        buf.get(p, out, 0, n);
        return out;
    }

    // ---------------------------------------------------------------- errors

    private void need(int n, String what) throws DecodeException {
        if (end - pos < n) {
            throw error(Reason.TRUNCATED, end, "input ends inside " + what + " (needs " + bytes(n) + ", "
                    + (end - pos) + " left)");
        }
    }

    private static String bytes(long n) {
        return n == 1 ? "1 byte" : n + " bytes";
    }

    private DecodeException truncated(int at, String what) {
        return error(Reason.TRUNCATED, at, "input ends inside " + what);
    }

    /** A decode error at the absolute buffer position {@code at}, reported relative to the range start. */
    public DecodeException error(Reason reason, int at, String detail) {
        return new DecodeException(reason, at - start, detail);
    }
}
