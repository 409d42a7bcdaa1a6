package io.rapace.shm;

/** The descriptor's {@code flags} bits ({@code docs/segment-format.md}); bits from 0x100 up are rapace's own. */
public final class FrameFlags {
    public static final int DATA = 0x01;
    public static final int CONTROL = 0x02;
    public static final int EOS = 0x04;
    public static final int CANCEL = 0x08;
    public static final int ERROR = 0x10;
    public static final int HIGH_PRIORITY = 0x20;
    public static final int CREDITS = 0x40;
    public static final int METADATA_ONLY = 0x80;
    /** The first frame's payload starts with a call header ({@code docs/rpc.md}). */
    public static final int CALL_HEADER = 0x100;
    /** More fragments of this message follow on the same channel; never seen by a {@link FrameHandler}. */
    public static final int CONTINUED = 0x200;
    /**
     * The frame carries a CRC32C (docs/segment-format.md) of its payload, channel, method, length and flags: a slot
     * frame's at byte 40 of the descriptor, an inline frame's (whose payload then holds at most 20 bytes) at byte 60.
     * Sent only when both Hellos offered the integrity check; the reader takes it off the flags it delivers.
     */
    public static final int CHECKSUM = 0x800;

    private FrameFlags() {
    }
}
