package io.rapace.codec;

import java.math.BigInteger;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes postcard bytes, either into a growable heap buffer ({@link #growable(int)}) or into a fixed region of any
 * {@link ByteBuffer}, heap or off-heap ({@link #into(ByteBuffer)}): the same methods, the same code.
 *
 * <p>A writer is reused: {@link #reset()} (or {@link #reset(ByteBuffer)} for a new region) and encode again; a
 * reused writer allocates nothing per value. Values outside their type's range (a surrogate {@code char}, a
 * {@code BigInteger} over 128 bits, a negative u128, a fixed array of the wrong length, a string with an unpaired
 * surrogate) are rejected with an {@link IllegalArgumentException} that names the field when the caller passes one,
 * and the value. Writing past the end of a fixed region throws {@link BufferOverflowException}; the bytes written
 * before stay valid.
 *
 * <p>Not thread-safe: one writer per thread.
 */
public final class PostcardWriter {
    private static final BigInteger U128_LIMIT = BigInteger.ONE.shiftLeft(128);
    private static final BigInteger I128_MIN = BigInteger.ONE.shiftLeft(127).negate();
    private static final BigInteger I128_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
    private static final BigInteger LONG_MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final int MAX_HEAP_CAPACITY = Integer.MAX_VALUE - 8;

    private ByteBuffer buf;
    /**
     * The array behind {@code buf} when it has an accessible one (byte {@code i} of {@code buf} is at
     * {@code base + i}), else null: the hot paths store into it directly rather than through the buffer.
     */
    private byte[] array;
    private int base;
    private final boolean growable;
    private int start;
    private int pos;
    private int limit;

    private PostcardWriter(ByteBuffer buf, boolean growable) {
        this.growable = growable;
        attach(buf);
    }

    /** A writer over a heap buffer that starts at {@code initialCapacity} bytes and grows as needed. */
    public static PostcardWriter growable(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initial capacity must not be negative: " + initialCapacity);
        }
        return new PostcardWriter(ByteBuffer.allocate(Math.max(initialCapacity, 16)), true);
    }

    /**
     * A writer over the region {@code [region.position(), region.limit())} of {@code region}, which may be a heap,
     * direct or mapped buffer. The region's own position and limit are not changed by writing.
     */
    public static PostcardWriter into(ByteBuffer region) {
        return new PostcardWriter(region, false);
    }

    private void attach(ByteBuffer region) {
        this.buf = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.array = buf.hasArray() ? buf.array() : null;
        this.base = buf.hasArray() ? buf.arrayOffset() : 0;
        this.start = region.position();
        this.pos = start;
        this.limit = region.limit();
    }

    /** Forgets everything written; the next value is written at the start of the buffer or region. */
    public void reset() {
        pos = start;
    }

    /** Points a fixed-region writer at a new region. */
    public void reset(ByteBuffer region) {
        if (growable) {
            throw new IllegalStateException("a growable writer owns its buffer; use reset()");
        }
        attach(region);
    }

    /**
     * Points a fixed-region writer at {@code [offset, offset + length)} of the buffer it was made over, in that
     * buffer's own indexes, allocating nothing: for one writer that moves over the slots of a segment.
     *
     * @throws IndexOutOfBoundsException if the region is not inside that buffer
     */
    public void reset(int offset, int length) {
        if (growable) {
            throw new IllegalStateException("a growable writer owns its buffer; use reset()");
        }
        Objects.checkFromIndexSize(offset, length, buf.capacity());
        start = offset;
        pos = offset;
        limit = offset + length;
    }

    /** Number of bytes written since the last reset. */
    public int size() {
        return pos - start;
    }

    /** A copy of the bytes written since the last reset. */
    public byte[] toByteArray() {
        if (array != null) {
            return Arrays.copyOfRange(array, base + start, base + pos); // no zeroing before the copy
        }
        byte[] out = new byte[pos - start];
        buf.get(start, out, 0, out.length);
        return out;
    }

    /** A read-only view of the bytes written since the last reset (valid until the next write or reset). */
    public ByteBuffer written() {
        return buf.slice(start, pos - start).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void ensure(int n) {
        if (limit - pos < n) {
            overflow(n);
        }
    }

    private void overflow(int n) {
        if (!growable) {
            BufferOverflowException e = new BufferOverflowException();
            e.initCause(new IllegalStateException("value needs " + n + " more bytes but the region has "
                    + (limit - pos) + " of " + (limit - start) + " left"));
            throw e;
        }
        long needed = (long) pos + n;
        if (needed > MAX_HEAP_CAPACITY) {
            throw new IllegalArgumentException("message too large for a heap buffer: " + needed + " bytes");
        }
        int capacity = (int) Math.min(MAX_HEAP_CAPACITY, Math.max(needed, 2L * buf.capacity()));
        byte[] grown = Arrays.copyOf(buf.array(), capacity);
        buf = ByteBuffer.wrap(grown).order(ByteOrder.LITTLE_ENDIAN);
        array = grown;
        base = 0;
        limit = capacity;
    }

    // ---------------------------------------------------------------- scalars

    public void writeBool(boolean v) {
        ensure(1);
        buf.put(pos++, v ? (byte) 1 : (byte) 0);
    }

    /** {@code u8} or {@code i8}: one raw byte. */
    public void writeU8(byte v) {
        ensure(1);
        buf.put(pos++, v);
    }

    /** {@code i8}: one raw byte (the same as {@link #writeU8}; kept for readable generated code). */
    public void writeI8(byte v) {
        writeU8(v);
    }

    public void writeU16(short v) {
        writeVarint32(v & 0xFFFF);
    }

    public void writeI16(short v) {
        writeVarint32(((v << 1) ^ (v >> 15)) & 0xFFFF);
    }

    /** {@code u32}: the int holds the 32 bits of the unsigned value. */
    public void writeU32(int v) {
        writeVarint32(v);
    }

    public void writeI32(int v) {
        writeVarint32((v << 1) ^ (v >> 31));
    }

    /** {@code u64}: the long holds the 64 bits of the unsigned value. */
    public void writeU64(long v) {
        writeVarint64(v);
    }

    public void writeI64(long v) {
        writeVarint64((v << 1) ^ (v >> 63));
    }

    /** A length or element count ({@code usize} on the wire). */
    public void writeLength(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("length must not be negative: " + n);
        }
        writeVarint32(n);
    }

    /** The variant index of an enum value: a {@code u32} varint. */
    public void writeVariantIndex(int index) {
        writeVarint32(index);
    }

    /** The tag of an {@code option}: 0 for none, 1 for some (the value follows). */
    public void writeOptionTag(boolean present) {
        writeBool(present);
    }

    public void writeU128(BigInteger v) {
        writeU128(v, null);
    }

    /** {@code u128}: non-negative and below 2^128, else {@link IllegalArgumentException} naming {@code field}. */
    public void writeU128(BigInteger v, String field) {
        if (v.signum() < 0 || v.compareTo(U128_LIMIT) >= 0) {
            throw new IllegalArgumentException(name(field) + "u128 value out of range [0, 2^128): " + v);
        }
        writeVarint128(v.longValue(), v.shiftRight(64).longValue());
    }

    public void writeI128(BigInteger v) {
        writeI128(v, null);
    }

    /** {@code i128}: within [-2^127, 2^127), else {@link IllegalArgumentException} naming {@code field}. */
    public void writeI128(BigInteger v, String field) {
        if (v.compareTo(I128_MIN) < 0 || v.compareTo(I128_MAX) > 0) {
            throw new IllegalArgumentException(name(field) + "i128 value out of range [-2^127, 2^127): " + v);
        }
        long lo = v.longValue();
        long hi = v.shiftRight(64).longValue();
        // zigzag over 128 bits: (n << 1) ^ (n >> 127)
        long sign = hi >> 63;
        long zhi = ((hi << 1) | (lo >>> 63)) ^ sign;
        long zlo = (lo << 1) ^ sign;
        writeVarint128(zlo, zhi);
    }

    /** {@code f32}: the raw IEEE bits, little-endian (NaN payloads are kept). */
    public void writeF32(float v) {
        ensure(4);
        buf.putInt(pos, Float.floatToRawIntBits(v));
        pos += 4;
    }

    /** {@code f64}: the raw IEEE bits, little-endian (NaN payloads are kept). */
    public void writeF64(double v) {
        ensure(8);
        buf.putLong(pos, Double.doubleToRawLongBits(v));
        pos += 8;
    }

    public void writeChar(int codePoint) {
        writeChar(codePoint, null);
    }

    /** {@code char}: the UTF-8 of one Unicode scalar value, length-prefixed. */
    public void writeChar(int codePoint, String field) {
        if (codePoint < 0 || codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            throw new IllegalArgumentException(name(field) + "char value is not a Unicode scalar value: "
                    + String.format("0x%X", codePoint));
        }
        int len = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
        ensure(1 + len);
        buf.put(pos++, (byte) len);
        putCodePoint(codePoint, len);
    }

    public void writeString(String s) {
        writeString(s, null);
    }

    /** {@code string}: varint byte length, then strict UTF-8 (an unpaired surrogate is rejected). */
    public void writeString(String s, String field) {
        int chars = s.length();
        int prefix = varint32Size(chars);
        // An ASCII string that fits is written in one pass; anything else takes the general path, which measures the
        // UTF-8 length first.
        if ((long) limit - pos >= (long) prefix + chars && chars <= MAX_HEAP_CAPACITY && writeAscii(s, chars, prefix)) {
            return;
        }
        writeUtf8(s, chars, field);
    }

    /**
     * Writes {@code s} with its length prefix of {@code prefix} bytes and returns true if all its chars are ASCII;
     * otherwise returns false, and the writer is as it was (the bytes past {@link #size()} are not part of the value).
     * The caller has checked that {@code prefix + chars} bytes fit.
     */
    private boolean writeAscii(String s, int chars, int prefix) {
        byte[] a = array;
        if (a != null) {
            int q = base + pos + prefix;
            for (int i = 0; i < chars; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    return false;
                }
                a[q + i] = (byte) c;
            }
        } else {
            if (buf.isReadOnly()) {
                return false; // the general path fails as it always has
            }
            int p = pos + prefix;
            for (int i = 0; i < chars; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    return false;
                }
                buf.put(p + i, (byte) c);
            }
        }
        writeVarint32(chars);
        pos += chars;
        return true;
    }

    private void writeUtf8(String s, int chars, String field) {
        int utf8 = utf8Length(s, field);
        writeVarint32(utf8);
        ensure(utf8);
        int p = pos;
        if (utf8 == chars) {
            for (int i = 0; i < chars; i++) {
                buf.put(p++, (byte) s.charAt(i));
            }
        } else {
            for (int i = 0; i < chars; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    buf.put(p++, (byte) c);
                } else if (c < 0x800) {
                    buf.put(p++, (byte) (0xC0 | (c >> 6)));
                    buf.put(p++, (byte) (0x80 | (c & 0x3F)));
                } else if (Character.isHighSurrogate(c)) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buf.put(p++, (byte) (0xF0 | (cp >> 18)));
                    buf.put(p++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                    buf.put(p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                    buf.put(p++, (byte) (0x80 | (cp & 0x3F)));
                } else {
                    buf.put(p++, (byte) (0xE0 | (c >> 12)));
                    buf.put(p++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                    buf.put(p++, (byte) (0x80 | (c & 0x3F)));
                }
            }
        }
        pos = p;
    }

    /** {@code bytes}: varint length, then the bytes. */
    public void writeBytes(byte[] v) {
        writeLength(v.length);
        writeRaw(v, 0, v.length);
    }

    /** Raw bytes with no prefix: a {@code [u8; N]} array, or an already-encoded value. */
    public void writeRaw(byte[] src, int offset, int length) {
        ensure(length);
        if (array != null) {
            // the checks ByteBuffer.put(int, byte[], int, int) makes, in its order
            Objects.checkFromIndexSize(pos, length, limit);
            Objects.checkFromIndexSize(offset, length, src.length);
            System.arraycopy(src, offset, array, base + pos, length);
        } else {
            buf.put(pos, src, offset, length);
        }
        pos += length;
    }

    /** A fixed array's length check: {@link IllegalArgumentException} naming {@code field} unless it is {@code n}. */
    public static void checkFixedLength(int actual, int expected, String field) {
        if (actual != expected) {
            throw new IllegalArgumentException(name(field) + "fixed array has length " + actual + ", expected "
                    + expected);
        }
    }

    /** {@code [u8; N]}: exactly {@code n} raw bytes. */
    public void writeFixedBytes(byte[] v, int n, String field) {
        checkFixedLength(v.length, n, field);
        writeRaw(v, 0, n);
    }

    // ---------------------------------------------------------------- fixint fields

    /** A 16-bit integer as two raw little-endian bytes ({@code postcard::fixint::le}). */
    public void writeFixint16Le(short v) {
        ensure(2);
        buf.putShort(pos, v);
        pos += 2;
    }

    /** A 16-bit integer as two raw big-endian bytes ({@code postcard::fixint::be}). */
    public void writeFixint16Be(short v) {
        writeFixint16Le(Short.reverseBytes(v));
    }

    public void writeFixint32Le(int v) {
        ensure(4);
        buf.putInt(pos, v);
        pos += 4;
    }

    public void writeFixint32Be(int v) {
        writeFixint32Le(Integer.reverseBytes(v));
    }

    public void writeFixint64Le(long v) {
        ensure(8);
        buf.putLong(pos, v);
        pos += 8;
    }

    public void writeFixint64Be(long v) {
        writeFixint64Le(Long.reverseBytes(v));
    }

    // ---------------------------------------------------------------- varints

    private void writeVarint32(int v) {
        if (limit - pos < 5) {
            ensure(varint32Size(v));
        }
        int p = pos;
        byte[] a = array;
        if (a != null) {
            int q = base + p;
            while ((v & ~0x7F) != 0) {
                a[q++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            a[q++] = (byte) v;
            pos = q - base;
            return;
        }
        while ((v & ~0x7F) != 0) {
            buf.put(p++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buf.put(p++, (byte) v);
        pos = p;
    }

    private void writeVarint64(long v) {
        if (limit - pos < 10) {
            ensure(varint64Size(v));
        }
        int p = pos;
        byte[] a = array;
        if (a != null) {
            int q = base + p;
            while ((v & ~0x7FL) != 0) {
                a[q++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            a[q++] = (byte) v;
            pos = q - base;
            return;
        }
        while ((v & ~0x7FL) != 0) {
            buf.put(p++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buf.put(p++, (byte) v);
        pos = p;
    }

    private void writeVarint128(long lo, long hi) {
        if (limit - pos < 19) {
            ensure(varint128Size(lo, hi));
        }
        int p = pos;
        while (hi != 0 || (lo & ~0x7FL) != 0) {
            buf.put(p++, (byte) ((lo & 0x7F) | 0x80));
            lo = (lo >>> 7) | (hi << 57);
            hi >>>= 7;
        }
        buf.put(p++, (byte) lo);
        pos = p;
    }

    // ---------------------------------------------------------------- helpers

    /** Bytes of the varint encoding of the unsigned 32-bit {@code v}. */
    static int varint32Size(int v) {
        return 1 + (31 - Integer.numberOfLeadingZeros(v | 1)) / 7;
    }

    /** Bytes of the varint encoding of the unsigned 128-bit value {@code hi:lo}. */
    static int varint128Size(long lo, long hi) {
        int bits = hi != 0 ? 128 - Long.numberOfLeadingZeros(hi) : 64 - Long.numberOfLeadingZeros(lo | 1);
        return (bits + 6) / 7;
    }

    /** Bytes of the varint encoding of the unsigned 64-bit {@code v}. */
    static int varint64Size(long v) {
        return 1 + (63 - Long.numberOfLeadingZeros(v | 1)) / 7;
    }

    private void putCodePoint(int cp, int len) {
        int p = pos;
        switch (len) {
            case 1:
                buf.put(p++, (byte) cp);
                break;
            case 2:
                buf.put(p++, (byte) (0xC0 | (cp >> 6)));
                buf.put(p++, (byte) (0x80 | (cp & 0x3F)));
                break;
            case 3:
                buf.put(p++, (byte) (0xE0 | (cp >> 12)));
                buf.put(p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                buf.put(p++, (byte) (0x80 | (cp & 0x3F)));
                break;
            default:
                buf.put(p++, (byte) (0xF0 | (cp >> 18)));
                buf.put(p++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                buf.put(p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                buf.put(p++, (byte) (0x80 | (cp & 0x3F)));
                break;
        }
        pos = p;
    }

    /** The UTF-8 length of {@code s}; an unpaired surrogate is an {@link IllegalArgumentException}. */
    static int utf8Length(String s, String field) {
        int n = s.length();
        long len = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    len += 1;
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        len += 2; // two chars, four bytes
                        i++;
                    } else {
                        throw new IllegalArgumentException(name(field) + "string has an unpaired surrogate "
                                + String.format("U+%04X", (int) c) + " at index " + i);
                    }
                } else {
                    len += 2;
                }
            }
        }
        if (len > MAX_HEAP_CAPACITY) {
            throw new IllegalArgumentException(name(field) + "string too long: " + len + " UTF-8 bytes");
        }
        return (int) len;
    }

    private static String name(String field) {
        return field == null ? "" : field + ": ";
    }

    static BigInteger unsigned128(long lo, long hi) {
        return BigInteger.valueOf(hi).and(LONG_MASK).shiftLeft(64).or(BigInteger.valueOf(lo).and(LONG_MASK));
    }
}
