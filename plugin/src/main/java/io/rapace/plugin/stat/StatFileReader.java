package io.rapace.plugin.stat;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a stat file written by {@link StatFileWriter}. The file is untrusted: every field that sizes or locates
 * anything is checked against the file's real size before use, nothing is allocated from a number read from it
 * beyond what that size allows, and every problem is a {@link StatFileException} naming the file and the values.
 *
 * <p>The file is mapped read-only once (at most {@code StatFileLayout.fileSize(MAX_ROWS)} bytes), so {@link #read()}
 * can be called again and again by a tool that refreshes. Rows are read under their seqlock (see
 * {@link StatFileLayout}); a row that stays busy for {@value #READ_ATTEMPTS} attempts is skipped and counted.
 */
public final class StatFileReader {
    static final int READ_ATTEMPTS = 1000;

    private static final VarHandle LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MappedByteBuffer buffer;
    private final long hostPid;
    private final long createdMillis;
    private final int maxRows;

    private StatFileReader(Path file, MappedByteBuffer buffer, long hostPid, long createdMillis, int maxRows) {
        this.file = file;
        this.buffer = buffer;
        this.hostPid = hostPid;
        this.createdMillis = createdMillis;
        this.maxRows = maxRows;
    }

    /** Opens and checks the header of {@code file}. */
    public static StatFileReader open(Path file) throws StatFileException {
        long size;
        MappedByteBuffer buffer;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            if (size < StatFileLayout.HEADER_LENGTH) {
                throw new StatFileException("stat file " + file + " is " + size + " bytes, shorter than its "
                        + StatFileLayout.HEADER_LENGTH + "-byte header");
            }
            long largest = StatFileLayout.fileSize(StatFileLayout.MAX_ROWS);
            if (size > largest) {
                throw new StatFileException("stat file " + file + " is " + size + " bytes, larger than any stat file ("
                        + largest + " bytes for " + StatFileLayout.MAX_ROWS + " rows)");
            }
            buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            throw new StatFileException("stat file " + file + " does not exist (the host has ended?)", e);
        } catch (StatFileException e) {
            throw e;
        } catch (IOException e) {
            throw new StatFileException("cannot read stat file " + file + ": " + e.getMessage(), e);
        }
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        try {
            long magic = (long) LONG.getAcquire(buffer, StatFileLayout.MAGIC_OFFSET);
            if (magic != StatFileLayout.MAGIC) {
                String detail = magic == 0 ? " (the host has not finished creating it)" : "";
                throw new StatFileException("stat file " + file + " has magic " + StatFileLayout.describeMagic(magic)
                        + ", not " + StatFileLayout.describeMagic(StatFileLayout.MAGIC) + detail);
            }
            int version = buffer.getInt(StatFileLayout.VERSION_OFFSET);
            if (version >>> 16 != StatFileLayout.VERSION_MAJOR) {
                throw new StatFileException("stat file " + file + " has version "
                        + StatFileLayout.describeVersion(version) + "; this reader knows version "
                        + StatFileLayout.describeVersion(StatFileLayout.VERSION));
            }
            int rowLength = buffer.getInt(StatFileLayout.ROW_LENGTH_OFFSET);
            if (rowLength != StatFileLayout.ROW_LENGTH) {
                throw new StatFileException("stat file " + file + " has row_length " + Integer.toUnsignedString(
                        rowLength) + "; version 1 rows are " + StatFileLayout.ROW_LENGTH + " bytes");
            }
            long maxRows = Integer.toUnsignedLong(buffer.getInt(StatFileLayout.MAX_ROWS_OFFSET));
            long described = StatFileLayout.fileSize(maxRows);
            if (maxRows > StatFileLayout.MAX_ROWS || described > size) {
                throw new StatFileException("stat file " + file + " is " + size + " bytes but its header describes "
                        + described + " bytes (max_rows=" + maxRows + ", row_length=" + rowLength + ")");
            }
            StatFileReader reader = new StatFileReader(file, buffer,
                    buffer.getLong(StatFileLayout.HOST_PID_OFFSET), buffer.getLong(StatFileLayout.CREATED_MS_OFFSET),
                    (int) maxRows);
            reader.rowCount();
            return reader;
        } catch (InternalError e) {
            // The JDK's translation of a SIGBUS: someone truncated the file under the mapping.
            throw new StatFileException("stat file " + file + " shrank while being read", e);
        }
    }

    /** Opens, reads once, and lets go of {@code file}. */
    public static StatSnapshot read(Path file) throws StatFileException {
        return open(file).read();
    }

    public Path file() {
        return file;
    }

    public long hostPid() {
        return hostPid;
    }

    /** Reads every row in use. */
    public StatSnapshot read() throws StatFileException {
        try {
            int rowCount = rowCount();
            List<StatRow> rows = new ArrayList<>(rowCount);
            int busy = 0;
            for (int i = 0; i < rowCount; i++) {
                RowRead result = readRow(i);
                if (result == RowRead.BUSY) {
                    busy++;
                } else if (result.row != null) {
                    rows.add(result.row);
                }
            }
            return new StatSnapshot(file, hostPid, createdMillis, rows, busy);
        } catch (InternalError e) {
            throw new StatFileException("stat file " + file + " shrank while being read", e);
        }
    }

    private int rowCount() throws StatFileException {
        long rowCount = Integer.toUnsignedLong((int) INT.getAcquire(buffer, StatFileLayout.ROW_COUNT_OFFSET));
        if (rowCount > maxRows) {
            throw new StatFileException("stat file " + file + " has row_count " + rowCount + " but max_rows "
                    + maxRows);
        }
        return (int) rowCount;
    }

    /** A row as read: a row, a free row (null), or busy. */
    private static final class RowRead {
        static final RowRead FREE = new RowRead(null);
        static final RowRead BUSY = new RowRead(null);
        final StatRow row;

        RowRead(StatRow row) {
            this.row = row;
        }
    }

    private RowRead readRow(int index) throws StatFileException {
        int offset = StatFileLayout.rowOffset(index);
        byte[] state = new byte[StatFileLayout.STATE_CAPACITY];
        byte[] id = new byte[StatFileLayout.ID_CAPACITY];
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            long before = (long) LONG.getAcquire(buffer, offset + StatFileLayout.SEQ_OFFSET);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long pid = buffer.getLong(offset + StatFileLayout.PID_OFFSET);
            long calls = buffer.getLong(offset + StatFileLayout.CALLS_OFFSET);
            long errors = buffer.getLong(offset + StatFileLayout.ERRORS_OFFSET);
            long bytesIn = buffer.getLong(offset + StatFileLayout.BYTES_IN_OFFSET);
            long bytesOut = buffer.getLong(offset + StatFileLayout.BYTES_OUT_OFFSET);
            long p50 = buffer.getLong(offset + StatFileLayout.P50_NS_OFFSET);
            long p99 = buffer.getLong(offset + StatFileLayout.P99_NS_OFFSET);
            long restarts = buffer.getLong(offset + StatFileLayout.RESTARTS_OFFSET);
            long cpu = buffer.getLong(offset + StatFileLayout.CPU_NS_OFFSET);
            long rss = buffer.getLong(offset + StatFileLayout.RSS_BYTES_OFFSET);
            long updated = buffer.getLong(offset + StatFileLayout.UPDATED_MS_OFFSET);
            int idLength = buffer.getInt(offset + StatFileLayout.ID_LEN_OFFSET);
            int stateLength = buffer.getInt(offset + StatFileLayout.STATE_LEN_OFFSET);
            buffer.get(offset + StatFileLayout.STATE_OFFSET, state);
            buffer.get(offset + StatFileLayout.ID_OFFSET, id);
            // The row's loads before the second look at seq.
            VarHandle.loadLoadFence();
            long after = (long) LONG.getVolatile(buffer, offset + StatFileLayout.SEQ_OFFSET);
            if (after != before) {
                Thread.onSpinWait();
                continue;
            }
            // A consistent row: from here on, a bad value is the file's fault, not a race.
            if (idLength == 0) {
                return RowRead.FREE;
            }
            if (idLength < 0 || idLength > StatFileLayout.ID_CAPACITY) {
                throw new StatFileException("stat file " + file + ", row " + index + ": id_len "
                        + Integer.toUnsignedString(idLength) + " exceeds the " + StatFileLayout.ID_CAPACITY
                        + "-byte id field");
            }
            if (stateLength < 0 || stateLength > StatFileLayout.STATE_CAPACITY) {
                throw new StatFileException("stat file " + file + ", row " + index + ": state_len "
                        + Integer.toUnsignedString(stateLength) + " exceeds the " + StatFileLayout.STATE_CAPACITY
                        + "-byte state field");
            }
            String pluginId = printable(new String(id, 0, idLength, StandardCharsets.UTF_8), false);
            String stateText = printable(new String(state, 0, stateLength, StandardCharsets.US_ASCII), true);
            try {
                return new RowRead(new StatRow(pluginId, stateText, pid, calls, errors, bytesIn, bytesOut, p50, p99,
                        restarts, cpu, rss, updated));
            } catch (IllegalArgumentException e) {
                // Only possible for an id whose bytes were not UTF-8 and grew on decoding.
                throw new StatFileException("stat file " + file + ", row " + index + ": " + e.getMessage(), e);
            }
        }
        return RowRead.BUSY;
    }

    /**
     * Control characters of a hostile file would move the terminal's cursor: show them, and anything but ASCII when
     * {@code asciiOnly}, as '?'.
     */
    private static String printable(String text, boolean asciiOnly) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7F || (asciiOnly && c > 0x7F) ? '?' : c);
        }
        return sb.toString();
    }
}
