package io.rapace.session;

import io.rapace.codec.Codecs;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;
import io.rapace.shm.PeerRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first frame each side sends: channel 0, method 13, flag CONTROL. Postcard, fields in this order:
 *
 * <pre>
 * struct Hello {
 *     protocol_major: u16,      // 1; a different major ends the session
 *     protocol_minor: u16,      // 1
 *     role: Role,               // enum Role { PeerA, PeerB } (varint variant index 0 or 1); must be the other's
 *     features: u64,            // feature bits (bit 0: frame checksums offered); unknown ones are ignored
 *     max_message_size: u32,    // the largest message this side accepts after reassembly
 *     peer_id: string,          // who this side is (a plugin id, "host", ...)
 *     pid: u64,                 // the sender's process id, for diagnostics
 *     methods: Vec&lt;u32&gt;,       // the method ids this side serves
 *     // from protocol 1.1 on:
 *     fingerprints: Vec&lt;(u32, u64)&gt;, // (method id, schema fingerprint) of the methods served that have one
 * }
 * </pre>
 *
 * <p>A reader reads {@code fingerprints} when the sender's minor version is 1 or more, and ignores whatever follows
 * what it knows when the sender's minor version is newer than its own (later minors only append fields).
 *
 * @param protocolMajor the sender's protocol major version
 * @param protocolMinor the sender's protocol minor version
 * @param role the sender's role in the segment
 * @param features feature bits
 * @param maxMessageSize the largest message the sender accepts
 * @param peerId the sender's identity
 * @param pid the sender's process id
 * @param methods method ids the sender serves
 * @param fingerprints schema fingerprints of served methods, by id ({@code io.rapace.registry.SchemaFingerprint});
 *                     sent from minor version 1 on
 */
public record Hello(int protocolMajor, int protocolMinor, PeerRole role, long features, int maxMessageSize,
        String peerId, long pid, List<Integer> methods, Map<Integer, Long> fingerprints) {
    public static final int PROTOCOL_MAJOR = 1;
    public static final int PROTOCOL_MINOR = 1;
    /** Feature bit 0: this side offers per-frame CRC32C checksums; they are on when both Hellos set it. */
    public static final long FEATURE_FRAME_CHECKSUMS = 1L;

    public Hello {
        methods = List.copyOf(methods);
        fingerprints = Map.copyOf(fingerprints);
    }

    /** A Hello without fingerprints. */
    public Hello(int protocolMajor, int protocolMinor, PeerRole role, long features, int maxMessageSize,
            String peerId, long pid, List<Integer> methods) {
        this(protocolMajor, protocolMinor, role, features, maxMessageSize, peerId, pid, methods, Map.of());
    }

    /** The fingerprint the sender announced for {@code methodId}, or 0 when it announced none. */
    public long fingerprint(int methodId) {
        Long f = fingerprints.get(methodId);
        return f == null ? 0 : f;
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
        if (protocolMinor >= 1) {
            List<Map.Entry<Integer, Long>> sorted = new ArrayList<>(fingerprints.entrySet());
            sorted.sort(Map.Entry.comparingByKey(Integer::compareUnsigned));
            out.writeLength(sorted.size());
            for (Map.Entry<Integer, Long> f : sorted) {
                out.writeU32(f.getKey());
                out.writeU64(f.getValue());
            }
        }
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
        Map<Integer, Long> fingerprints = new HashMap<>();
        if (major == PROTOCOL_MAJOR && minor >= 1) {
            int n = in.readLength(2); // a varint id and a varint fingerprint: at least 2 bytes each
            for (int i = 0; i < n; i++) {
                int id = in.readU32();
                long fingerprint = in.readU64();
                if (fingerprints.put(id, fingerprint) != null) {
                    throw new DecodeException(DecodeException.Reason.DUPLICATE_KEY, in.position(),
                            "method " + Integer.toUnsignedString(id) + " has two fingerprints");
                }
            }
        }
        if (major == PROTOCOL_MAJOR && minor <= PROTOCOL_MINOR) {
            in.expectEnd(); // a newer minor may append fields this side does not know; another major is refused
        }
        return new Hello(major, minor, PeerRole.values()[role], features, maxMessageSize, peerId, pid, methods,
                fingerprints);
    }
}
