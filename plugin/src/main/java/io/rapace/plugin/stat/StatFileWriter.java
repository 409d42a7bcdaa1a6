package io.rapace.plugin.stat;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The host's side of the stat file: creates {@code rapace-stat-<hostpid>} (after removing the files of hosts that no
 * longer run), publishes one row per plugin, and deletes the file on {@link #close()}. The layout and the publication
 * order are in {@link StatFileLayout}.
 *
 * <p>The file is created with mode 0600 (where the file system has POSIX permissions) and written in full before it
 * is mapped, so a full {@code /dev/shm} fails here with a message naming the
 * size rather than with a SIGBUS later. Thread-safe: updates are serialized, since each row's seqlock allows one
 * writer.
 */
public final class StatFileWriter implements AutoCloseable {
    private static final VarHandle LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MappedByteBuffer buffer;
    private final int maxRows;
    /** Guarded by this. */
    private final Map<String, Integer> rowOf = new HashMap<>();
    private int rowCount;
    private boolean closed;

    private StatFileWriter(Path file, MappedByteBuffer buffer, int maxRows) {
        this.file = file;
        this.buffer = buffer;
        this.maxRows = maxRows;
    }

    /** The stat file of this process in {@code /dev/shm}, with room for 256 plugins. */
    public static StatFileWriter create() throws IOException {
        return create(StatFiles.defaultDirectory(), ProcessHandle.current().pid(), 256);
    }

    /**
     * Creates the stat file of host {@code hostPid} in {@code directory}, replacing a file of that name (left by an
     * earlier process with the same pid), after removing the files of hosts that no longer run.
     *
     * @param maxRows how many plugins the file can hold at once, 1 to {@link StatFileLayout#MAX_ROWS}
     * @throws IOException if the file cannot be created or written in full; the message names the file and size
     */
    public static StatFileWriter create(Path directory, long hostPid, int maxRows) throws IOException {
        if (maxRows < 1 || maxRows > StatFileLayout.MAX_ROWS) {
            throw new IllegalArgumentException(
                    "maxRows must be 1 to " + StatFileLayout.MAX_ROWS + ", not " + maxRows);
        }
        StatFiles.removeStale(directory);
        Path file = StatFiles.fileOf(directory, hostPid);
        Files.deleteIfExists(file);
        int size = (int) StatFileLayout.fileSize(maxRows);
        MappedByteBuffer buffer;
        Set<StandardOpenOption> options =
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        // Owner-only, as the session files are: the stat tool runs as the host's user.
        FileAttribute<?>[] ownerOnly = new FileAttribute<?>[0];
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            ownerOnly = new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        try (FileChannel channel = FileChannel.open(file, options, ownerOnly)) {
            ByteBuffer zeros = ByteBuffer.allocate(size);
            long written = 0;
            try {
                while (zeros.hasRemaining()) {
                    written += channel.write(zeros);
                }
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw new IOException("cannot preallocate stat file " + file + ": it needs " + size
                        + " bytes but only " + written + " could be written (" + e.getMessage()
                        + "); is the directory full?", e);
            }
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        // Publication: the whole header first, the magic last with release, so a reader sees all or nothing.
        buffer.putInt(StatFileLayout.VERSION_OFFSET, StatFileLayout.VERSION);
        buffer.putInt(StatFileLayout.ROW_LENGTH_OFFSET, StatFileLayout.ROW_LENGTH);
        buffer.putLong(StatFileLayout.HOST_PID_OFFSET, hostPid);
        buffer.putLong(StatFileLayout.CREATED_MS_OFFSET, System.currentTimeMillis());
        buffer.putInt(StatFileLayout.MAX_ROWS_OFFSET, maxRows);
        buffer.putInt(StatFileLayout.ROW_COUNT_OFFSET, 0);
        LONG.setRelease(buffer, StatFileLayout.MAGIC_OFFSET, StatFileLayout.MAGIC);
        return new StatFileWriter(file, buffer, maxRows);
    }

    public Path file() {
        return file;
    }

    /**
     * Writes the row of {@code row.pluginId()}, taking a free row for a plugin not in the file yet.
     *
     * @throws IllegalStateException if all {@code maxRows} rows are taken, or the writer is closed
     */
    public synchronized void update(StatRow row) {
        if (closed) {
            throw new IllegalStateException("stat file " + file + " is closed");
        }
        Integer index = rowOf.get(row.pluginId());
        if (index == null) {
            index = freeRow(row.pluginId());
            rowOf.put(row.pluginId(), index);
        }
        write(StatFileLayout.rowOffset(index), row);
        if (index >= rowCount) {
            rowCount = index + 1;
            // After the row is written: a reader that sees the new count sees the row's seq.
            INT.setRelease(buffer, StatFileLayout.ROW_COUNT_OFFSET, rowCount);
        }
    }

    /** Frees the row of {@code pluginId} (a plugin the host no longer has); does nothing if it has none. */
    public synchronized void remove(String pluginId) {
        Integer index = rowOf.remove(pluginId);
        if (index == null || closed) {
            return;
        }
        int offset = StatFileLayout.rowOffset(index);
        long seq = beginWrite(offset);
        byte[] zeros = new byte[StatFileLayout.ROW_LENGTH - StatFileLayout.PID_OFFSET];
        buffer.put(offset + StatFileLayout.PID_OFFSET, zeros);
        endWrite(offset, seq);
    }

    /** Deletes the file. Readers that have it mapped keep their last view; new readers no longer find it. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Files.deleteIfExists(file);
    }

    private int freeRow(String pluginId) {
        boolean[] taken = new boolean[maxRows];
        rowOf.values().forEach(i -> taken[i] = true);
        for (int i = 0; i < maxRows; i++) {
            if (!taken[i]) {
                return i;
            }
        }
        throw new IllegalStateException("stat file " + file + " has no free row for plugin " + pluginId
                + ": all " + maxRows + " rows are taken");
    }

    private void write(int offset, StatRow row) {
        long seq = beginWrite(offset);
        buffer.putLong(offset + StatFileLayout.PID_OFFSET, row.pid());
        buffer.putLong(offset + StatFileLayout.CALLS_OFFSET, row.calls());
        buffer.putLong(offset + StatFileLayout.ERRORS_OFFSET, row.errors());
        buffer.putLong(offset + StatFileLayout.BYTES_IN_OFFSET, row.bytesIn());
        buffer.putLong(offset + StatFileLayout.BYTES_OUT_OFFSET, row.bytesOut());
        buffer.putLong(offset + StatFileLayout.P50_NS_OFFSET, row.p50Nanos());
        buffer.putLong(offset + StatFileLayout.P99_NS_OFFSET, row.p99Nanos());
        buffer.putLong(offset + StatFileLayout.RESTARTS_OFFSET, row.restarts());
        buffer.putLong(offset + StatFileLayout.CPU_NS_OFFSET, row.cpuNanos());
        buffer.putLong(offset + StatFileLayout.RSS_BYTES_OFFSET, row.residentBytes());
        buffer.putLong(offset + StatFileLayout.UPDATED_MS_OFFSET, row.updatedMillis());
        byte[] id = row.pluginId().getBytes(StandardCharsets.UTF_8);
        byte[] state = row.state().getBytes(StandardCharsets.US_ASCII);
        buffer.putInt(offset + StatFileLayout.ID_LEN_OFFSET, id.length);
        buffer.putInt(offset + StatFileLayout.STATE_LEN_OFFSET, state.length);
        buffer.put(offset + StatFileLayout.STATE_OFFSET, Arrays.copyOf(state, StatFileLayout.STATE_CAPACITY));
        buffer.put(offset + StatFileLayout.ID_OFFSET, Arrays.copyOf(id, StatFileLayout.ID_CAPACITY));
        endWrite(offset, seq);
    }

    /** Makes the row's seq odd, and orders that store before the row's stores. Returns the odd value. */
    private long beginWrite(int rowOffset) {
        long seq = (long) LONG.get(buffer, rowOffset + StatFileLayout.SEQ_OFFSET) + 1;
        LONG.setOpaque(buffer, rowOffset + StatFileLayout.SEQ_OFFSET, seq);
        VarHandle.storeStoreFence();
        return seq;
    }

    /** Publishes the row: the next even seq, with release after the row's stores. */
    private void endWrite(int rowOffset, long oddSeq) {
        LONG.setRelease(buffer, rowOffset + StatFileLayout.SEQ_OFFSET, oddSeq + 1);
    }
}
