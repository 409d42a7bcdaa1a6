package io.rapace.shm;

/**
 * The segment header: the first 64 bytes of the segment file, one cache line.
 *
 * <pre>
 *   0                   8         12        16
 *   +-------------------+---------+---------+
 *   | magic u64         | version | flags   |     magic = "RAPACE2\0"; version = major &lt;&lt; 16 | minor
 *   +-------------------+---------+---------+
 *  16                  24                  32
 *   | peer_a_epoch u64  | peer_b_epoch u64  |     +1 per heartbeat and per send, each written by its own peer
 *   +-------------------+-------------------+
 *  32                  40                  48
 *   | peer_a_last_seen  | peer_b_last_seen  |     monotonic ns of the writer's clock (only ever compared
 *   +-------------------+-------------------+     with earlier values of the same field)
 *  48        52        56        60        64
 *   | ring_   | slot_   | slot_   | reserved|     the geometry, so a joiner can check it against the
 *   | capacity| count   | size    |         |     file size before touching anything else
 *   +---------+---------+---------+---------+
 * </pre>
 *
 * <p>Publication: the creator writes everything else first and stores {@code magic} last with release semantics
 * (version and geometry before it), so a joiner that reads the right magic with acquire semantics sees a whole
 * header.
 */
public final class SegmentHeader {
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int FLAGS_OFFSET = 12;
    static final int PEER_A_EPOCH_OFFSET = 16;
    static final int PEER_B_EPOCH_OFFSET = 24;
    static final int PEER_A_LAST_SEEN_OFFSET = 32;
    static final int PEER_B_LAST_SEEN_OFFSET = 40;
    static final int RING_CAPACITY_OFFSET = 48;
    static final int SLOT_COUNT_OFFSET = 52;
    static final int SLOT_SIZE_OFFSET = 56;
    static final int RESERVED_OFFSET = 60;
    static final int LENGTH = 64;

    /** The bytes {@code "RAPACE2\0"} read as a little-endian u64. */
    static final long MAGIC = 0x0032_4543_4150_4152L;
    static final int VERSION_MAJOR = 1;
    static final int VERSION_MINOR = 0;
    /** Version 1.0 as stored: {@code major << 16 | minor}. */
    static final int VERSION = VERSION_MAJOR << 16 | VERSION_MINOR;

    private SegmentHeader() {
    }

    static int epochOffset(PeerRole role) {
        return role == PeerRole.PEER_A ? PEER_A_EPOCH_OFFSET : PEER_B_EPOCH_OFFSET;
    }

    static int lastSeenOffset(PeerRole role) {
        return role == PeerRole.PEER_A ? PEER_A_LAST_SEEN_OFFSET : PEER_B_LAST_SEEN_OFFSET;
    }

    /**
     * A file's magic as text for error messages: printable ASCII as is, NUL as {@code \0}, anything else as
     * {@code \xNN}. The one owner of this wording; the stat tool ({@code io.rapace.plugin.stat.StatFileLayout}),
     * which imports the JDK only, keeps a copy that a test holds to this one.
     */
    public static String describeMagic(long magic) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < 8; i++) {
            int b = (int) (magic >>> (8 * i)) & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
                sb.append((char) b);
            } else if (b == 0) {
                sb.append("\\0");
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.append('"').toString();
    }

    /** "1.0" for a stored version word. */
    static String describeVersion(int version) {
        return (version >>> 16) + "." + (version & 0xFFFF);
    }
}
