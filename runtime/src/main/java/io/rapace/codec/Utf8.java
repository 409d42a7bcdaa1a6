package io.rapace.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Strict UTF-8 validation, the rules of Rust's {@code core::str::from_utf8}. */
final class Utf8 {
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8() {
    }

    /**
     * The absolute position of the first byte of {@code buf[from, from + len)} that starts an invalid sequence
     * (a stray continuation byte, an overlong form, a surrogate, a code point above U+10FFFF, or a sequence cut off
     * by the end of the range), or -1 if the range is valid UTF-8.
     */
    static int firstInvalid(ByteBuffer buf, int from, int len) {
        int p = from;
        int end = from + len;
        while (p < end) {
            // ASCII fast path: eight bytes at a time
            while (end - p >= 8 && (buf.getLong(p) & HIGH_BITS) == 0) {
                p += 8;
            }
            if (p >= end) {
                break;
            }
            int b0 = buf.get(p) & 0xFF;
            if (b0 < 0x80) {
                p++;
                continue;
            }
            int n = sequenceLength(b0);
            if (n == 0 || end - p < n || decodeOne(buf, p, n) < 0) {
                return p;
            }
            p += n;
        }
        return -1;
    }

    /**
     * How many of the bytes {@code array[from, from + len)} are ASCII before the first one that is not: {@code len}
     * if all are. The rest, if any, starts at a sequence boundary and still needs {@link #firstInvalid}.
     */
    static int asciiPrefixLength(byte[] array, int from, int len) {
        int p = from;
        int end = from + len;
        while (end - p >= 8 && ((long) LONGS.get(array, p) & HIGH_BITS) == 0) {
            p += 8;
        }
        while (p < end && array[p] >= 0) {
            p++;
        }
        return p - from;
    }

    /** The length of the sequence a lead byte starts, or 0 if it cannot start one. */
    static int sequenceLength(int b0) {
        if (b0 < 0x80) {
            return 1;
        } else if (b0 >= 0xC2 && b0 <= 0xDF) {
            return 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            return 3;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** The scalar value of the {@code n}-byte sequence at {@code p}, or -1 if it is not a valid one. */
    static int decodeOne(ByteBuffer buf, int p, int n) {
        int b0 = buf.get(p) & 0xFF;
        switch (n) {
            case 1:
                return b0 < 0x80 ? b0 : -1;
            case 2: {
                int b1 = buf.get(p + 1) & 0xFF;
                if (b0 < 0xC2 || b0 > 0xDF || !isContinuation(b1)) {
                    return -1;
                }
                return ((b0 & 0x1F) << 6) | (b1 & 0x3F);
            }
            case 3: {
                int b1 = buf.get(p + 1) & 0xFF;
                int b2 = buf.get(p + 2) & 0xFF;
                int lo = b0 == 0xE0 ? 0xA0 : 0x80;
                int hi = b0 == 0xED ? 0x9F : 0xBF; // 0xED A0..BF would be a surrogate
                if (b0 < 0xE0 || b0 > 0xEF || b1 < lo || b1 > hi || !isContinuation(b2)) {
                    return -1;
                }
                return ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
            }
            case 4: {
                int b1 = buf.get(p + 1) & 0xFF;
                int b2 = buf.get(p + 2) & 0xFF;
                int b3 = buf.get(p + 3) & 0xFF;
                int lo = b0 == 0xF0 ? 0x90 : 0x80;
                int hi = b0 == 0xF4 ? 0x8F : 0xBF; // above U+10FFFF otherwise
                if (b0 < 0xF0 || b0 > 0xF4 || b1 < lo || b1 > hi || !isContinuation(b2) || !isContinuation(b3)) {
                    return -1;
                }
                return ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F);
            }
            default:
                return -1;
        }
    }

    private static boolean isContinuation(int b) {
        return (b & 0xC0) == 0x80;
    }
}
