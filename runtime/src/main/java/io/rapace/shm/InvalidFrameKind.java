package io.rapace.shm;

/** Why a frame from the peer was dropped; each kind is counted and logged once. */
public enum InvalidFrameKind {
    /** {@code payload_slot} is neither inline nor below {@code slot_count}. */
    SLOT_INDEX,
    /** {@code payload_generation} differs from the slot's, or the slot is not in flight (stale or duplicated). */
    STALE_GENERATION,
    /** {@code payload_offset + payload_len} reaches past the end of the slot. */
    SLOT_BOUNDS,
    /** An inline payload longer than 24 bytes, or with a nonzero generation or offset. */
    INLINE_PAYLOAD,
    /** A flag bit that version 1.0 does not define. */
    FLAGS,
    /** A channel id the peer may not use (wrong parity for a new channel, or a channel of ours that is not open). */
    CHANNEL,
    /** A fragment that does not continue the message in progress on its channel. */
    CONTINUATION,
    /** A message whose fragments add up to more than the maximum message size. */
    MESSAGE_TOO_LARGE,
    /** The peer put a bad index on our free list (out of range, or a slot that is not free). */
    FREE_LIST,
    /** A channel-0 control message that does not decode or names an unknown verb. */
    CONTROL,
    /**
     * A frame whose CRC32C does not match its payload, channel, method, length and flags, or one without a checksum
     * once the peer sends them: its message is not delivered and its call fails with DATA_LOSS.
     */
    CHECKSUM
}
