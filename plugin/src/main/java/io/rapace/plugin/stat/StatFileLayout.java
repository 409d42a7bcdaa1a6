package io.rapace.plugin.stat;

/**
 * The layout of the stat file {@code /dev/shm/rapace-stat-<hostpid>}: a 64-byte header, then {@code max_rows} rows of
 * 192 bytes, one per plugin. All integers are little-endian; every 8-byte field is 8-byte aligned, so it can be read
 * and written atomically.
 *
 * <pre>
 * file:  +--------------+--------+--------+-----+----------------------+
 *        | header (64)  | row 0  | row 1  | ... | row max_rows-1       |     size = 64 + max_rows * 192
 *        +--------------+--------+--------+-----+----------------------+
 *
 * header (one cache line):
 *   0                   8         12        16                  24
 *   +-------------------+---------+---------+-------------------+
 *   | magic u64         | version | row_    | host_pid u64      |   magic = "RAPSTAT\0"
 *   |                   | u32     | length  |                   |   version = major &lt;&lt; 16 | minor
 *   |                   |         |         |                   |   row_length = 192
 *   +-------------------+---------+---------+-------------------+
 *  24                  32        36        40                  64
 *   | created_ms u64    | max_    | row_    | reserved (0)      |   created_ms: epoch ms; row_count: rows ever used,
 *   |                   | rows    | count   |                   |   at most max_rows (a reader looks at no others)
 *   +-------------------+---------+---------+-------------------+
 *
 * row i at 64 + i * 192 (three cache lines):
 *   0          8          16         24         32         40         48         56         64
 *   | seq u64  | pid i64  | calls    | errors   | bytes_in | bytes_out| p50_ns   | p99_ns   |   line 0
 *  64         72         80         88         96  100  104                       128
 *   | restarts | cpu_ns   | rss_bytes| updated_ms| id_ | state_| state (24 bytes ASCII)   |   line 1
 *   |          | i64      | i64      | epoch ms | len | len   |                          |
 * 128                                                                                 192
 *   | id (64 bytes UTF-8, zero padded)                                                  |   line 2
 * </pre>
 *
 * <p>A row with {@code id_len} 0 is free. {@code cpu_ns} and {@code rss_bytes} are -1 when unknown.
 *
 * <p>Publication: the host writes the whole header and stores {@code magic} last, with release semantics, so a reader
 * that sees the magic (acquire) sees a whole header. Each row is a seqlock on {@code seq}: the writer makes it odd,
 * fences stores, writes the row, and stores the next even value with release; a reader reads {@code seq} (acquire),
 * the row, fences loads, and reads {@code seq} again, keeping the row only when both are the same even number. So a
 * reader never sees a torn row, and the host never waits for a reader. {@code row_count} grows (release) only after
 * its new row is written.
 */
public final class StatFileLayout {
    // Header.
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int ROW_LENGTH_OFFSET = 12;
    static final int HOST_PID_OFFSET = 16;
    static final int CREATED_MS_OFFSET = 24;
    static final int MAX_ROWS_OFFSET = 32;
    static final int ROW_COUNT_OFFSET = 36;
    public static final int HEADER_LENGTH = 64;

    // Row, relative to its start.
    static final int SEQ_OFFSET = 0;
    static final int PID_OFFSET = 8;
    static final int CALLS_OFFSET = 16;
    static final int ERRORS_OFFSET = 24;
    static final int BYTES_IN_OFFSET = 32;
    static final int BYTES_OUT_OFFSET = 40;
    static final int P50_NS_OFFSET = 48;
    static final int P99_NS_OFFSET = 56;
    static final int RESTARTS_OFFSET = 64;
    static final int CPU_NS_OFFSET = 72;
    static final int RSS_BYTES_OFFSET = 80;
    static final int UPDATED_MS_OFFSET = 88;
    static final int ID_LEN_OFFSET = 96;
    static final int STATE_LEN_OFFSET = 100;
    static final int STATE_OFFSET = 104;
    static final int STATE_CAPACITY = 24;
    static final int ID_OFFSET = 128;
    static final int ID_CAPACITY = 64;
    public static final int ROW_LENGTH = 192;

    /** The bytes {@code "RAPSTAT\0"} read as a little-endian u64. */
    static final long MAGIC = 0x0054_4154_5350_4152L;
    static final int VERSION_MAJOR = 1;
    static final int VERSION_MINOR = 0;
    static final int VERSION = VERSION_MAJOR << 16 | VERSION_MINOR;

    /** The most rows a file may have: a reader refuses to map more than {@code fileSize(MAX_ROWS)} (about 768 KiB). */
    public static final int MAX_ROWS = 4096;

    /** The name prefix; the file is {@code rapace-stat-<hostpid>}. */
    public static final String FILE_PREFIX = "rapace-stat-";

    private StatFileLayout() {
    }

    /** Size in bytes of a file of {@code maxRows} rows. */
    public static long fileSize(long maxRows) {
        return HEADER_LENGTH + maxRows * ROW_LENGTH;
    }

    /** Offset of row {@code i} in the file. */
    static int rowOffset(int i) {
        return HEADER_LENGTH + i * ROW_LENGTH;
    }

    /**
     * The magic as text for error messages: printable ASCII as is, anything else as {@code \xNN}. The runtime's
     * {@code io.rapace.shm.SegmentHeader#describeMagic} owns this wording; this package imports the JDK only, so it
     * keeps a copy, and {@code StatFileLayoutTest} checks that the two agree.
     */
    static String describeMagic(long magic) {
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
