package io.rapace.shm;

import io.rapace.config.SegmentGeometry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapped segment file: created and initialised by PeerA ({@link #create}), attached by PeerB
 * ({@link #attach}), unlinked by PeerA as soon as both have mapped it ({@link #unlink}).
 *
 * <p>Files are named {@code rapace-<pid>-<32 hex digits from SecureRandom>} and created with mode 0600.
 * {@link #removeStale} deletes files of ours whose creating process is gone, so a host killed before it could
 * unlink leaves nothing behind after its next start.
 */
public final class Segment implements AutoCloseable {
    /**
     * Where segments live unless told otherwise: {@code /dev/shm}, a memory-backed file system on Linux. The system
     * property {@value #DIRECTORY_PROPERTY} changes the default ({@link #defaultDirectory()}).
     */
    public static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");
    /**
     * The system property naming another default directory for segments, sockets and the plugin host's stat file,
     * for systems without {@code /dev/shm} (macOS) or containers without it: {@code -Drapace.shm.dir=/some/tmpfs}.
     */
    public static final String DIRECTORY_PROPERTY = "rapace.shm.dir";
    /** Every file of ours starts with this. */
    public static final String FILE_PREFIX = "rapace-";

    private static final Pattern OWN_FILE = Pattern.compile("rapace-(\\d+)-[0-9a-f]{32}(\\..*)?");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PREALLOCATE_CHUNK = 64 * 1024;

    private final Path path;
    private final SegmentGeometry geometry;
    private final SegmentMemory memory;
    private volatile boolean unlinked;

    private Segment(Path path, SegmentGeometry geometry, SegmentMemory memory) {
        this.path = path;
        this.geometry = geometry;
        this.memory = memory;
    }

    /** The directory named by {@value #DIRECTORY_PROPERTY} if set, else {@link #DEFAULT_DIRECTORY}. */
    public static Path defaultDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        return configured == null || configured.isBlank() ? DEFAULT_DIRECTORY : Path.of(configured);
    }

    /**
     * Checks that {@code directory} exists and is a directory before anything is created in it.
     *
     * @throws SegmentException in one sentence naming the directory and the settings that point elsewhere
     */
    public static void checkDirectory(Path directory) throws SegmentException {
        if (!Files.isDirectory(directory)) {
            throw new SegmentException(missingDirectory(directory, "SessionConfig.Builder.directory"));
        }
    }

    /**
     * The sentence for a shared-memory directory that is not there, naming the system property and
     * {@code setting}, the API that also chooses the directory.
     */
    public static String missingDirectory(Path directory, String setting) {
        return "shared-memory directory " + directory
                + (Files.exists(directory) ? " is not a directory" : " does not exist")
                + ": rapace creates its files there (" + DEFAULT_DIRECTORY + " by default, which Linux has and macOS"
                + " does not); set -D" + DIRECTORY_PROPERTY + "=<dir> or " + setting
                + " to a directory on a memory-backed file system";
    }

    /** A fresh unguessable file name for this process: {@code rapace-<pid>-<hex>} plus {@code suffix}. */
    public static String newFileName(String suffix) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return FILE_PREFIX + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random) + suffix;
    }

    /**
     * Creates, preallocates, maps and initialises a segment in {@code directory} (PeerA). The file is written in
     * full before it is mapped, so a full tmpfs is this method's error and never a SIGBUS later. The header's magic
     * is published last.
     */
    public static Segment create(Path directory, SegmentGeometry geometry) throws SegmentException {
        checkDirectory(directory);
        Path path = directory.resolve(newFileName(""));
        long size = geometry.segmentSize();
        MappedByteBuffer mapping;
        try (FileChannel file = FileChannel.open(path, new java.util.HashSet<>(java.util.List.of(
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            preallocate(file, path, size, geometry);
            mapping = file.map(FileChannel.MapMode.READ_WRITE, 0, size);
        } catch (SegmentException e) {
            deleteQuietly(path);
            throw e;
        } catch (FileAlreadyExistsException e) {
            throw new SegmentException("cannot create segment " + path + ": a file of that name already exists", e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(path);
            throw new SegmentException("cannot create segment " + path + " of " + size + " bytes (" + geometry + "): "
                    + e.getMessage(), e);
        }
        SegmentMemory memory = MemoryBackends.open(mapping);
        initialise(memory, geometry);
        return new Segment(path, geometry, memory);
    }

    /** Writes {@code size} zero bytes in a loop; a short write or ENOSPC names the size needed. */
    private static void preallocate(FileChannel file, Path path, long size, SegmentGeometry geometry)
            throws SegmentException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(PREALLOCATE_CHUNK, size));
        long written = 0;
        try {
            while (written < size) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
                int n = file.write(zeros, written);
                if (n <= 0) {
                    break;
                }
                written += n;
            }
        } catch (IOException e) {
            throw preallocationFailed(path, size, written, geometry, e.getMessage(), e);
        }
        if (written < size) {
            throw preallocationFailed(path, size, written, geometry, "short write", null);
        }
    }

    private static SegmentException preallocationFailed(Path path, long size, long written, SegmentGeometry geometry,
            String reason, Throwable cause) {
        return new SegmentException("cannot preallocate segment " + path + ": it needs " + size + " bytes ("
                + geometry + ") but only " + written + " could be written (" + reason + "); is "
                + path.getParent() + " full? Free space there or choose a smaller geometry", cause);
    }

    /** Fills in the pools and geometry, then publishes the header (magic last, with release). */
    private static void initialise(SegmentMemory m, SegmentGeometry g) {
        for (PeerRole producer : PeerRole.values()) {
            int ring = SegmentLayout.ringOffset(g, producer);
            m.putInt(ring + RingHeader.CAPACITY_OFFSET, g.ringCapacity());
            int pool = SegmentLayout.poolOffset(g, producer);
            m.putInt(pool + SlotPoolHeader.SLOT_COUNT_OFFSET, g.slotCount());
            m.putInt(pool + SlotPoolHeader.SLOT_SIZE_OFFSET, g.slotSize());
            for (int i = 0; i < g.slotCount(); i++) {
                m.putInt(pool + SlotPoolHeader.freeRingEntryOffset(i), i);
            }
            m.putLong(pool + SlotPoolHeader.FREE_HEAD_OFFSET, g.slotCount());
        }
        m.putInt(SegmentHeader.RING_CAPACITY_OFFSET, g.ringCapacity());
        m.putInt(SegmentHeader.SLOT_COUNT_OFFSET, g.slotCount());
        m.putInt(SegmentHeader.SLOT_SIZE_OFFSET, g.slotSize());
        m.putInt(SegmentHeader.VERSION_OFFSET, SegmentHeader.VERSION);
        // Publication: everything above first, then the magic with release; a joiner reads it with acquire.
        m.putLongRelease(SegmentHeader.MAGIC_OFFSET, SegmentHeader.MAGIC);
    }

    /**
     * Maps an existing segment (PeerB) after checking, before anything else is touched: the file is large enough
     * for a header, the magic, the major version, the geometry, and that the geometry describes exactly the file's
     * size.
     */
    public static Segment attach(Path path) throws SegmentException {
        MappedByteBuffer mapping;
        long fileSize;
        SegmentGeometry geometry;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            fileSize = file.size();
            if (fileSize < SegmentHeader.LENGTH) {
                throw new SegmentException("segment file " + path + " is " + fileSize + " bytes, smaller than the "
                        + SegmentHeader.LENGTH + "-byte segment header");
            }
            ByteBuffer header = ByteBuffer.allocate(SegmentHeader.LENGTH).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && file.read(header, header.position()) > 0) {
                // read the whole header
            }
            geometry = checkHeader(path, fileSize, header);
            mapping = file.map(FileChannel.MapMode.READ_WRITE, 0, fileSize);
        } catch (NoSuchFileException e) {
            throw new SegmentException("segment file " + path + " does not exist", e);
        } catch (SegmentException e) {
            throw e;
        } catch (IOException e) {
            throw new SegmentException("cannot attach segment " + path + ": " + e.getMessage(), e);
        }
        SegmentMemory memory = MemoryBackends.open(mapping);
        // Re-read magic with acquire through the mapping: the header we validated is the one we use.
        if (memory.getLongAcquire(SegmentHeader.MAGIC_OFFSET) != SegmentHeader.MAGIC) {
            memory.close();
            throw new SegmentException("segment file " + path + " changed its magic while being attached");
        }
        String pools = checkPools(memory, geometry);
        if (pools != null) {
            memory.close();
            throw new SegmentException("segment file " + path + ": " + pools);
        }
        return new Segment(path, geometry, memory);
    }

    /** The geometry of a header read from a file of {@code fileSize} bytes, or the reason it is unacceptable. */
    static SegmentGeometry checkHeader(Path path, long fileSize, ByteBuffer header) throws SegmentException {
        long magic = header.getLong(SegmentHeader.MAGIC_OFFSET);
        if (magic != SegmentHeader.MAGIC) {
            throw new SegmentException("segment file " + path + " has magic " + SegmentHeader.describeMagic(magic)
                    + " but a rapace segment has " + SegmentHeader.describeMagic(SegmentHeader.MAGIC)
                    + (magic == 0 ? " (not yet initialised, or not a segment)" : ""));
        }
        int version = header.getInt(SegmentHeader.VERSION_OFFSET);
        if (version >>> 16 != SegmentHeader.VERSION_MAJOR) {
            throw new SegmentException("segment file " + path + " has version "
                    + SegmentHeader.describeVersion(version) + " but this runtime speaks major version "
                    + SegmentHeader.VERSION_MAJOR + " (" + SegmentHeader.describeVersion(SegmentHeader.VERSION) + ")");
        }
        int capacity = header.getInt(SegmentHeader.RING_CAPACITY_OFFSET);
        int slotCount = header.getInt(SegmentHeader.SLOT_COUNT_OFFSET);
        int slotSize = header.getInt(SegmentHeader.SLOT_SIZE_OFFSET);
        String problem = SegmentLayout.geometryProblem(capacity, slotCount, slotSize);
        if (problem != null) {
            throw new SegmentException("segment file " + path + " has an invalid geometry: " + problem);
        }
        long described = SegmentLayout.segmentSize(capacity, slotCount, slotSize);
        if (described != fileSize) {
            throw new SegmentException("segment file is " + fileSize + " bytes but its header describes " + described
                    + " bytes (" + SegmentLayout.describeGeometry(capacity, slotCount, slotSize) + "): " + path);
        }
        return new SegmentGeometry(capacity, slotCount, slotSize);
    }

    /** The copies of the geometry in ring and pool headers must agree with the segment header's. */
    private static String checkPools(SegmentMemory m, SegmentGeometry g) {
        for (PeerRole producer : PeerRole.values()) {
            int ring = SegmentLayout.ringOffset(g, producer);
            int capacity = m.getInt(ring + RingHeader.CAPACITY_OFFSET);
            if (capacity != g.ringCapacity()) {
                return "ring " + producer.letter() + "->" + producer.other().letter() + " has capacity "
                        + Integer.toUnsignedString(capacity) + " but the header says ring_capacity="
                        + g.ringCapacity();
            }
            int pool = SegmentLayout.poolOffset(g, producer);
            int count = m.getInt(pool + SlotPoolHeader.SLOT_COUNT_OFFSET);
            int size = m.getInt(pool + SlotPoolHeader.SLOT_SIZE_OFFSET);
            if (count != g.slotCount() || size != g.slotSize()) {
                return "slot pool " + producer.letter() + "->" + producer.other().letter() + " has slot_count="
                        + Integer.toUnsignedString(count) + ", slot_size=" + Integer.toUnsignedString(size)
                        + " but the header says slot_count=" + g.slotCount() + ", slot_size=" + g.slotSize();
            }
        }
        return null;
    }

    /**
     * Deletes, in {@code directory}, every file named {@code rapace-<pid>-...} whose process no longer runs.
     * Returns how many it deleted.
     */
    public static int removeStale(Path directory) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, FILE_PREFIX + "*")) {
            for (Path file : files) {
                Matcher m = OWN_FILE.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                Optional<ProcessHandle> owner = ProcessHandle.of(pid);
                if (owner.isEmpty() || !owner.get().isAlive()) {
                    if (deleteQuietly(file)) {
                        removed++;
                    }
                }
            }
        } catch (IOException e) {
            return removed;
        }
        return removed;
    }

    private static boolean deleteQuietly(Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the file's name; the mappings stay valid. Idempotent. PeerA calls it once PeerB has mapped. */
    public void unlink() throws IOException {
        if (!unlinked) {
            unlinked = true;
            Files.deleteIfExists(path);
        }
    }

    public Path path() {
        return path;
    }

    public SegmentGeometry geometry() {
        return geometry;
    }

    /** {@code jdk} or {@code chronicle}: the memory backend in use. */
    public String backend() {
        return memory.backend();
    }

    SegmentMemory memory() {
        return memory;
    }

    /** Fails every later access to this segment's memory cleanly; the mapping goes away when unreachable. */
    @Override
    public void close() {
        memory.close();
    }
}
