package io.rapace.session;

import io.rapace.codec.Codecs;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;
import io.rapace.shm.PeerRole;
import java.util.List;

/**
 * The first frame each side sends: channel 0, method 13, flag CONTROL. Postcard, fields in this order:
 *
 * <pre>
 * struct Hello {
 *     protocol_major: u16,      // 1; a different major ends the session
 *     protocol_minor: u16,      // 0
 *     role: Role,               // enum Role { PeerA, PeerB } (varint variant index 0 or 1); must be the other's
 *     features: u64,            // feature bits; none are defined in 1.0, unknown ones are ignored
 *     max_message_size: u32,    // the largest message this side accepts after reassembly
 *     peer_id: string,          // who this side is (a plugin id, "host", ...)
 *     pid: u64,                 // the sender's process id, for diagnostics
 *     methods: Vec&lt;u32&gt;,       // the method ids this side serves
 * }
 * </pre>
 *
 * @param protocolMajor the sender's protocol major version
 * @param protocolMinor the sender's protocol minor version
 * @param role the sender's role in the segment
 * @param features feature bits
 * @param maxMessageSize the largest message the sender accepts
 * @param peerId the sender's identity
 * @param pid the sender's process id
 * @param methods method ids the sender serves
 */
public record Hello(int protocolMajor, int protocolMinor, PeerRole role, long features, int maxMessageSize,
        String peerId, long pid, List<Integer> methods) {
    public static final int PROTOCOL_MAJOR = 1;
    public static final int PROTOCOL_MINOR = 0;

    public Hello {
        methods = List.copyOf(methods);
    }

    void encode(PostcardWriter out) {
        out.writeU16((short) protocolMajor);
        out.writeU16((short) protocolMinor);
        out.writeVariantIndex(role.ordinal());
        out.writeU64(features);
        out.writeU32(maxMessageSize);
        out.writeString(peerId, "peer_id");
        out.writeU64(pid);
        Codecs.writeList(out, methods, Codecs.U32);
    }

    static Hello decode(PostcardReader in) throws DecodeException {
        int major = in.readU16() & 0xFFFF;
        int minor = in.readU16() & 0xFFFF;
        int role = in.readVariantIndex(2, "Role");
        long features = in.readU64();
        int maxMessageSize = in.readU32();
        String peerId = in.readString();
        long pid = in.readU64();
        List<Integer> methods = Codecs.readList(in, Codecs.U32);
        in.expectEnd();
        return new Hello(major, minor, PeerRole.values()[role], features, maxMessageSize, peerId, pid, methods);
    }
}
