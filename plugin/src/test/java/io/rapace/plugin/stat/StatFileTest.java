package io.rapace.plugin.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer and the reader together, the reader alone against damaged files, and the two racing. */
class StatFileTest {
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    static StatRow row(String id, String state, long n) {
        return new StatRow(id, state, 1000 + n, n, n / 10, n * 100, n * 200, 1500, 90_000, 2, -1, 50L << 20,
                1_700_000_000_000L + n);
    }

    /** The pid of a process that has ended. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void writtenRowsReadBackInPlaceAndFreedRowsAreReused() throws IOException {
        try (StatFileWriter writer = StatFileWriter.create(dir, SELF, 4)) {
            assertEquals(dir.resolve("rapace-stat-" + SELF), writer.file());
            assertEquals(StatFileLayout.fileSize(4), Files.size(writer.file()));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(writer.file())));
            StatFileReader reader = StatFileReader.open(writer.file());
            assertEquals(List.of(), reader.read().rows());

            writer.update(row("analytics", "Running", 1));
            writer.update(row("transform", "Initializing", 2));
            writer.update(row("analytics", "Crashed", 3));
            StatSnapshot snapshot = reader.read();
            assertEquals(SELF, snapshot.hostPid());
            assertEquals(0, snapshot.busyRows());
            assertTrue(Math.abs(System.currentTimeMillis() - snapshot.createdMillis()) < 60_000);
            assertEquals(List.of(row("analytics", "Crashed", 3), row("transform", "Initializing", 2)),
                    snapshot.rows());

            writer.remove("analytics");
            writer.remove("never-there");
            assertEquals(List.of(row("transform", "Initializing", 2)), reader.read().rows());
            writer.update(row("h\u00e9te", "Running", 4));
            assertEquals(List.of(row("h\u00e9te", "Running", 4), row("transform", "Initializing", 2)),
                    StatFileReader.read(writer.file()).rows());
        }
        assertFalse(Files.exists(dir.resolve("rapace-stat-" + SELF)), "close deletes the file");
    }

    @Test
    void aFullFileSaysSo() throws IOException {
        try (StatFileWriter writer = StatFileWriter.create(dir, SELF, 1)) {
            writer.update(row("a", "Running", 1));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> writer.update(row("b", "Running", 1)));
            assertEquals("stat file " + writer.file() + " has no free row for plugin b: all 1 rows are taken",
                    e.getMessage());
        }
    }

    @Test
    void rowsRejectWhatDoesNotFitTheirFields() {
        assertEquals("plugin id \"" + "x".repeat(65) + "\" is 65 bytes of UTF-8; the stat file holds 1 to 64",
                assertThrows(IllegalArgumentException.class, () -> row("x".repeat(65), "Running", 1)).getMessage());
        assertEquals("state \"" + "S".repeat(25) + "\" must be at most 24 ASCII characters",
                assertThrows(IllegalArgumentException.class, () -> row("a", "S".repeat(25), 1)).getMessage());
        assertEquals("maxRows must be 1 to 4096, not 0",
                assertThrows(IllegalArgumentException.class, () -> StatFileWriter.create(dir, SELF, 0)).getMessage());
    }

    @Test
    void creatingRemovesTheFilesOfHostsThatNoLongerRun() throws Exception {
        Path stale = dir.resolve("rapace-stat-" + deadPid());
        Files.write(stale, new byte[10]);
        Path alive = dir.resolve("rapace-stat-" + ProcessHandle.current().parent().orElseThrow().pid());
        Files.write(alive, new byte[10]);
        Path other = dir.resolve("rapace-stat-notapid");
        Files.write(other, new byte[10]);
        Path ours = dir.resolve("rapace-stat-" + SELF);
        Files.write(ours, new byte[3]); // left by an earlier process with our pid: replaced
        try (StatFileWriter writer = StatFileWriter.create(dir, SELF, 2)) {
            assertFalse(Files.exists(stale));
            assertTrue(Files.exists(alive));
            assertTrue(Files.exists(other));
            assertEquals(StatFileLayout.fileSize(2), Files.size(ours));
            assertEquals(ours, writer.file());
            assertEquals(2, StatFiles.list(dir).size());
        }
    }

    @Test
    void namesCarryThePid() {
        assertEquals(4711, StatFiles.pidOf(Path.of("/dev/shm/rapace-stat-4711")).getAsLong());
        assertTrue(StatFiles.pidOf(Path.of("rapace-stat-")).isEmpty());
        assertTrue(StatFiles.pidOf(Path.of("rapace-stat-12a")).isEmpty());
        assertTrue(StatFiles.pidOf(Path.of("rapace-stat-99999999999999999999")).isEmpty());
        assertTrue(StatFiles.pidOf(Path.of("rapace-4711-abc")).isEmpty());
    }

    // ---- the reader against damaged files ----

    /** A valid file of {@code maxRows} rows with one row, as bytes to damage. */
    private ByteBuffer validFile(int maxRows) throws IOException {
        Path source = dir.resolve("source");
        Files.createDirectories(source);
        try (StatFileWriter writer = StatFileWriter.create(source, SELF, maxRows)) {
            writer.update(row("analytics", "Running", 1));
            return ByteBuffer.wrap(Files.readAllBytes(writer.file())).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private Path write(ByteBuffer bytes) throws IOException {
        Path file = dir.resolve("rapace-stat-damaged");
        Files.write(file, bytes.array());
        return file;
    }

    private String readError(Path file) {
        return assertThrows(StatFileException.class, () -> StatFileReader.read(file)).getMessage();
    }

    @Test
    void rejectsAShortFile() throws IOException {
        Path file = dir.resolve("short");
        Files.write(file, new byte[10]);
        assertEquals("stat file " + file + " is 10 bytes, shorter than its 64-byte header", readError(file));
    }

    @Test
    void rejectsAMissingFile() {
        Path file = dir.resolve("rapace-stat-1");
        assertEquals("stat file " + file + " does not exist (the host has ended?)", readError(file));
    }

    @Test
    void rejectsAFileLargerThanAnyStatFileWithoutMappingIt() throws IOException {
        Path file = dir.resolve("huge");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(1L << 40);
        }
        assertEquals("stat file " + file + " is 1099511627776 bytes, larger than any stat file (786496 bytes for "
                + "4096 rows)", readError(file));
    }

    @Test
    void rejectsABadMagicVersionOrRowLength() throws IOException {
        ByteBuffer bytes = validFile(2);
        bytes.putLong(0, 0x4C4C_4548L);
        Path file = write(bytes);
        assertEquals("stat file " + file + " has magic \"HELL\\0\\0\\0\\0\", not \"RAPSTAT\\0\"", readError(file));

        bytes.putLong(0, 0);
        assertEquals("stat file " + file + " has magic \"\\0\\0\\0\\0\\0\\0\\0\\0\", not \"RAPSTAT\\0\" (the host "
                + "has not finished creating it)", readError(write(bytes)));

        bytes = validFile(2);
        bytes.putInt(8, 2 << 16 | 3);
        assertEquals("stat file " + file + " has version 2.3; this reader knows version 1.0",
                readError(write(bytes)));

        bytes = validFile(2);
        bytes.putInt(12, -1);
        assertEquals("stat file " + file + " has row_length 4294967295; version 1 rows are 192 bytes",
                readError(write(bytes)));
    }

    @Test
    void rejectsRowCountsBeyondTheFile() throws IOException {
        ByteBuffer bytes = validFile(2);
        bytes.putInt(32, 3);
        Path file = write(bytes);
        assertEquals("stat file " + file + " is 448 bytes but its header describes 640 bytes (max_rows=3, "
                + "row_length=192)", readError(file));

        bytes.putInt(32, -1);
        assertEquals("stat file " + file + " is 448 bytes but its header describes 824633720704 bytes "
                + "(max_rows=4294967295, row_length=192)", readError(write(bytes)));

        bytes = validFile(2);
        bytes.putInt(36, 5);
        assertEquals("stat file " + file + " has row_count 5 but max_rows 2", readError(write(bytes)));
    }

    @Test
    void rejectsRowFieldsLongerThanTheirSpace() throws IOException {
        ByteBuffer bytes = validFile(2);
        bytes.putInt(64 + 96, 200);
        Path file = write(bytes);
        assertEquals("stat file " + file + ", row 0: id_len 200 exceeds the 64-byte id field", readError(file));

        bytes = validFile(2);
        bytes.putInt(64 + 100, -3);
        assertEquals("stat file " + file + ", row 0: state_len 4294967293 exceeds the 24-byte state field",
                readError(write(bytes)));
    }

    @Test
    void showsControlCharactersAndNonAsciiStatesAsQuestionMarks() throws IOException {
        ByteBuffer bytes = validFile(2);
        bytes.put(64 + 104, (byte) 0x1b);
        bytes.put(64 + 105, (byte) 0xC3);
        bytes.put(64 + 128, (byte) '\n');
        StatRow row = StatFileReader.read(write(bytes)).rows().get(0);
        assertEquals("??nning", row.state());
        assertEquals("?nalytics", row.pluginId());
    }

    @Test
    void aRowLeftHalfWrittenIsSkippedAndCounted() throws IOException {
        ByteBuffer bytes = validFile(2);
        bytes.putLong(64, bytes.getLong(64) + 1); // odd: a writer killed in the middle of an update
        StatSnapshot snapshot = StatFileReader.read(write(bytes));
        assertEquals(List.of(), snapshot.rows());
        assertEquals(1, snapshot.busyRows());
    }

    @Test
    void randomDamageGivesStatFileExceptionsOrRowsNeverAnythingElse() throws IOException {
        ByteBuffer valid = validFile(3);
        Random random = new Random(42);
        Path file = dir.resolve("rapace-stat-fuzz");
        for (int i = 0; i < 300; i++) {
            byte[] bytes = valid.array().clone();
            int length = random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
            for (int flips = random.nextInt(8) + 1; flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            // Keep the header's magic most of the time, so damage reaches the later checks.
            if (random.nextBoolean()) {
                System.arraycopy(valid.array(), 0, bytes, 0, 8);
            }
            Files.write(file, java.util.Arrays.copyOf(bytes, length));
            try {
                StatFileReader.read(file);
            } catch (StatFileException expected) {
                assertTrue(expected.getMessage().startsWith("stat file " + file), expected.getMessage());
            }
        }
    }

    @Test
    void aReaderNeverSeesATornRow() throws Exception {
        try (StatFileWriter writer = StatFileWriter.create(dir, SELF, 1)) {
            writer.update(new StatRow("racer", "Running", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
            AtomicBoolean stop = new AtomicBoolean();
            Thread writing = new Thread(() -> {
                for (long n = 1; !stop.get(); n++) {
                    writer.update(new StatRow("racer", n % 2 == 0 ? "Running" : "Crashed", n, n, n, n, n, n, n, n, n,
                            n, n));
                }
            });
            writing.start();
            StatFileReader reader = StatFileReader.open(writer.file());
            long seen = 0;
            try {
                for (int i = 0; i < 20_000; i++) {
                    StatSnapshot snapshot = reader.read();
                    if (snapshot.rows().isEmpty()) {
                        continue; // busy for every attempt: allowed, rare
                    }
                    StatRow r = snapshot.rows().get(0);
                    long n = r.pid();
                    assertEquals(new StatRow("racer", n % 2 == 0 ? "Running" : "Crashed", n, n, n, n, n, n, n, n, n,
                            n, n), r);
                    seen = Math.max(seen, n);
                }
            } finally {
                stop.set(true);
                writing.join();
            }
            assertTrue(seen > 0);
        }
    }
}
