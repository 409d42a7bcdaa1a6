package io.rapace.shm;

import java.nio.ByteBuffer;

/**
 * A frame received from the peer, validated, and (when it was split) reassembled. The transport reuses one
 * instance; it and its {@link #payload()} are valid only during {@link FrameHandler#onFrame}: a handler that keeps
 * anything copies it.
 */
public final class Frame {
    long msgId;
    int channelId;
    int methodId;
    int flags;
    int creditGrant;
    ByteBuffer payload;

    Frame() {
    }

    /**
     * A frame built outside a shared-memory ring, for a transport that moves frames some other way (the in-memory
     * pair under {@code io.rapace.rpc.Loopback}, a test). {@code payload} is used as given, not copied: pass a
     * read-only little-endian buffer the receiver may keep only during its callback, as for a ring's frames.
     */
    public static Frame of(long msgId, int channelId, int methodId, int flags, int creditGrant, ByteBuffer payload) {
        Frame frame = new Frame();
        frame.msgId = msgId;
        frame.channelId = channelId;
        frame.methodId = methodId;
        frame.flags = flags;
        frame.creditGrant = creditGrant;
        frame.payload = java.util.Objects.requireNonNull(payload, "payload");
        return frame;
    }

    public long msgId() {
        return msgId;
    }

    public int channelId() {
        return channelId;
    }

    public int methodId() {
        return methodId;
    }

    /** The descriptor flags (never {@code CONTINUED} nor {@code CHECKSUM}: fragments arrive whole, and checked). */
    public int flags() {
        return flags;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    public int creditGrant() {
        return creditGrant;
    }

    /** A read-only little-endian view of the payload from {@code position()} to {@code limit()}. */
    public ByteBuffer payload() {
        return payload;
    }

    /** A copy of the payload bytes. */
    public byte[] payloadBytes() {
        byte[] out = new byte[payload.remaining()];
        payload.get(payload.position(), out, 0, out.length);
        return out;
    }

    @Override
    public String toString() {
        return "Frame[msg_id=" + Long.toUnsignedString(msgId) + ", channel_id=" + Integer.toUnsignedString(channelId)
                + ", method_id=" + Integer.toUnsignedString(methodId) + ", flags=0x" + Integer.toHexString(flags)
                + ", payload_len=" + payload.remaining() + "]";
    }
}
