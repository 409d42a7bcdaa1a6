package io.rapace.shm;

/**
 * One frame descriptor in a ring: 64 bytes, one cache line.
 *
 * <pre>
 *   0                   8         12        16        20        24        28        32        36        40
 *   +-------------------+---------+---------+---------+---------+---------+---------+---------+---------+
 *   | msg_id u64        | channel | method  | payload | payload | payload | payload | flags   | credit  |
 *   |                   | _id u32 | _id u32 | _slot   | _gener- | _offset | _len    | u32     | _grant  |
 *   |                   |         |         | u32     | ation   | u32     | u32     |         | u32     |
 *   +-------------------+---------+---------+---------+---------+---------+---------+---------+---------+
 *  40                                                             64
 *   | inline payload, 24 bytes (used when payload_slot = 0xFFFFFFFF) |
 *   +-------------------------------------------------------------+
 * </pre>
 *
 * <p>A payload of at most {@link #INLINE_PAYLOAD_CAPACITY} bytes travels inline, with {@code payload_generation}
 * and {@code payload_offset} 0. A larger one lives at {@code payload_offset} in slot {@code payload_slot} of the
 * sender's pool, whose generation must equal {@code payload_generation}. A message larger than a slot is split
 * into frames of one channel and one {@code msg_id}, each in its own slot, with {@link #FLAG_CONTINUED} on all but
 * the last.
 */
final class Descriptor {
    static final int MSG_ID_OFFSET = 0;
    static final int CHANNEL_ID_OFFSET = 8;
    static final int METHOD_ID_OFFSET = 12;
    static final int PAYLOAD_SLOT_OFFSET = 16;
    static final int PAYLOAD_GENERATION_OFFSET = 20;
    static final int PAYLOAD_OFFSET_OFFSET = 24;
    static final int PAYLOAD_LEN_OFFSET = 28;
    static final int FLAGS_OFFSET = 32;
    static final int CREDIT_GRANT_OFFSET = 36;
    static final int INLINE_PAYLOAD_OFFSET = 40;
    static final int INLINE_PAYLOAD_CAPACITY = 24;
    static final int LENGTH = 64;

    /** {@code payload_slot} value of an inline payload. */
    static final int INLINE_SLOT = 0xFFFF_FFFF;

    static final int FLAG_DATA = FrameFlags.DATA;
    static final int FLAG_CONTROL = FrameFlags.CONTROL;
    static final int FLAG_EOS = FrameFlags.EOS;
    static final int FLAG_CANCEL = FrameFlags.CANCEL;
    static final int FLAG_ERROR = FrameFlags.ERROR;
    static final int FLAG_HIGH_PRIORITY = FrameFlags.HIGH_PRIORITY;
    static final int FLAG_CREDITS = FrameFlags.CREDITS;
    static final int FLAG_METADATA_ONLY = FrameFlags.METADATA_ONLY;
    /** Ours: the first frame's payload starts with a call header ({@code docs/rpc.md}). */
    static final int FLAG_CALL_HEADER = FrameFlags.CALL_HEADER;
    /** Ours: more fragments of this message follow on the same channel. */
    static final int FLAG_CONTINUED = FrameFlags.CONTINUED;
    /** Ours: the frame carries a CRC32C ({@link FrameFlags#CHECKSUM}). */
    static final int FLAG_CHECKSUM = FrameFlags.CHECKSUM;
    /** Where a slot frame's CRC32C is: the unused inline area. */
    static final int SLOT_CHECKSUM_OFFSET = INLINE_PAYLOAD_OFFSET;
    /** Where an inline frame's CRC32C is: the last 4 bytes, so a checksummed inline payload holds at most 20. */
    static final int INLINE_CHECKSUM_OFFSET = LENGTH - 4;
    static final int CHECKSUMMED_INLINE_CAPACITY = INLINE_PAYLOAD_CAPACITY - 4;
    /** Every flag defined in version 1.0; a frame with any other bit set is invalid. */
    static final int KNOWN_FLAGS = 0x3FF | FLAG_CHECKSUM;

    private Descriptor() {
    }

    /**
     * The u32 pairs (channel_id, method_id), (payload_slot, payload_generation), (payload_offset, payload_len) and
     * (flags, credit_grant) are adjacent and 8-byte aligned, so the hot path moves each pair as one little-endian
     * u64: the first field in the low half.
     */
    static long pack(int low, int high) {
        return (low & 0xFFFF_FFFFL) | ((long) high << 32);
    }

    static int low(long pair) {
        return (int) pair;
    }

    static int high(long pair) {
        return (int) (pair >>> 32);
    }
}
