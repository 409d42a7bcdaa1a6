package io.rapace.codec;

import io.rapace.codec.DecodeException.Reason;
import java.util.Arrays;

/**
 * Consistent Overhead Byte Stuffing, as {@code postcard::to_allocvec_cobs} frames a message: the COBS encoding of
 * the body (which contains no 0x00), then one 0x00 sentinel.
 */
public final class Cobs {
    private Cobs() {
    }

    /** The frame of {@code body[offset, offset + length)}: COBS-encoded, then the 0x00 sentinel. */
    public static byte[] encode(byte[] body, int offset, int length) {
        byte[] out = new byte[maxEncodedLength(length)];
        int codeAt = 0;
        int o = 1;
        int code = 1;
        for (int i = offset; i < offset + length; i++) {
            byte b = body[i];
            if (b == 0) {
                out[codeAt] = (byte) code;
                codeAt = o++;
                code = 1;
            } else {
                out[o++] = b;
                code++;
                if (code == 0xFF) {
                    out[codeAt] = (byte) code;
                    codeAt = o++;
                    code = 1;
                }
            }
        }
        out[codeAt] = (byte) code;
        out[o++] = 0;
        return Arrays.copyOf(out, o);
    }

    /** The most bytes a frame of a {@code length}-byte body can take, sentinel included. */
    public static int maxEncodedLength(int length) {
        return length + length / 254 + 2;
    }

    /**
     * The body of the frame in {@code frame[offset, offset + length)}. Requires the 0x00 sentinel to be the last
     * byte: a frame without one is {@link Reason#TRUNCATED}, bytes after it are {@link Reason#TRAILING}, and a broken
     * frame (empty, or a code whose run passes the sentinel or the end of the input) is {@link Reason#COBS}.
     */
    public static byte[] decode(byte[] frame, int offset, int length) throws DecodeException {
        java.util.Objects.checkFromIndexSize(offset, length, frame.length);
        byte[] window = offset == 0 && length == frame.length ? frame : Arrays.copyOfRange(frame, offset,
                offset + length);
        int sentinel = sentinelIndex(window);
        byte[] body = decodeRuns(window, sentinel);
        checkSentinel(window, sentinel);
        return body;
    }

    /** The index of the first 0x00 of {@code frame}, or its length if there is none. */
    static int sentinelIndex(byte[] frame) {
        int i = 0;
        while (i < frame.length && frame[i] != 0) {
            i++;
        }
        return i;
    }

    /** The sentinel must exist and be the last byte. */
    static void checkSentinel(byte[] frame, int sentinel) throws DecodeException {
        if (sentinel == frame.length) {
            throw new DecodeException(Reason.TRUNCATED, frame.length, "COBS frame has no 0x00 sentinel");
        }
        if (sentinel + 1 != frame.length) {
            throw new DecodeException(Reason.TRAILING, sentinel + 1,
                    (frame.length - sentinel - 1) + " bytes after the COBS sentinel");
        }
    }

    /** Decodes the COBS runs of {@code frame[0, to)}, which holds no 0x00 ({@code to} is the sentinel's index). */
    static byte[] decodeRuns(byte[] frame, int to) throws DecodeException {
        if (frame.length == 0) {
            throw new DecodeException(Reason.COBS, 0, "empty COBS frame");
        }
        byte[] out = new byte[to];
        int o = 0;
        int i = 0;
        while (i < to) {
            int code = frame[i] & 0xFF;
            if (i + code > to) {
                throw new DecodeException(Reason.COBS, i, "COBS code " + code + " runs past the "
                        + (to == frame.length ? "end of the input" : "sentinel") + " (" + (to - i - 1)
                        + " bytes left in the frame)");
            }
            System.arraycopy(frame, i + 1, out, o, code - 1);
            o += code - 1;
            i += code;
            if (code != 0xFF && i < to) {
                out[o++] = 0;
            }
        }
        return Arrays.copyOf(out, o);
    }
}
