package io.rapace.rpc;

import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The call header that opens a call ({@code docs/rpc.md}, flag {@code CALL_HEADER}): the postcard struct
 * {@code {deadline_remaining_ns: option<u64>, metadata: list<(string, bytes)>}}. The deadline travels as the budget
 * left when the call is sent, never as a clock reading, so the two sides' clocks never meet.
 *
 * @param deadlineRemainingNanos the budget left in nanoseconds, or -1 for no deadline
 * @param metadata               the caller's metadata
 */
record CallHeader(long deadlineRemainingNanos, List<MetadataEntry> metadata) {

    static final Codec<CallHeader> CODEC = Codec.of(CallHeader::encode, CallHeader::decode, 2);

    CallHeader {
        metadata = List.copyOf(metadata);
    }

    static void encode(PostcardWriter out, CallHeader header) {
        if (header.deadlineRemainingNanos >= 0) {
            out.writeOptionTag(true);
            out.writeU64(header.deadlineRemainingNanos);
        } else {
            out.writeOptionTag(false);
        }
        out.writeLength(header.metadata.size());
        for (MetadataEntry entry : header.metadata) {
            out.writeString(entry.key(), "metadata key");
            out.writeBytes(entry.bytes());
        }
    }

    /** Reads a header; a budget beyond {@code Long.MAX_VALUE} nanoseconds (292 years) is taken as that. */
    static CallHeader decode(PostcardReader in) throws DecodeException {
        long remaining = -1;
        if (in.readOptionTag()) {
            remaining = in.readU64();
            if (remaining < 0) {
                remaining = Long.MAX_VALUE;
            }
        }
        int n = in.readLength(2);
        List<MetadataEntry> metadata = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String key = in.readString();
            byte[] value = in.readBytes();
            metadata.add(new MetadataEntry(key, value));
        }
        return new CallHeader(remaining, metadata);
    }
}
