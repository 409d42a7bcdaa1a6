package io.rapace.plugin.stat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Finding stat files: {@code rapace-stat-<pid>} in a directory ({@code /dev/shm} unless told otherwise), and removing
 * those whose host no longer runs. A host killed with SIGKILL cannot remove its own file; the next host start or the
 * stat tool does. A pid that was reused by an unrelated process keeps its file until that process ends.
 */
public final class StatFiles {
    /** Where hosts publish their stat files unless the system property {@code rapace.shm.dir} names another. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");
    /** The runtime's {@code Segment.DIRECTORY_PROPERTY}, spelled again: this package imports the JDK only. */
    static final String DIRECTORY_PROPERTY = "rapace.shm.dir";

    /** The directory of the system property {@code rapace.shm.dir} if set, else {@link #DEFAULT_DIRECTORY}. */
    public static Path defaultDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        return configured == null || configured.isBlank() ? DEFAULT_DIRECTORY : Path.of(configured);
    }

    private StatFiles() {
    }

    /** The stat file of host {@code hostPid} in {@code directory}. */
    public static Path fileOf(Path directory, long hostPid) {
        return directory.resolve(StatFileLayout.FILE_PREFIX + hostPid);
    }

    /** The host pid a stat file's name carries, or empty for any other name. */
    public static OptionalLong pidOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(StatFileLayout.FILE_PREFIX)) {
            return OptionalLong.empty();
        }
        String digits = name.substring(StatFileLayout.FILE_PREFIX.length());
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    /** The stat files in {@code directory}, ordered by pid; empty if the directory does not exist. */
    public static List<Path> list(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, StatFileLayout.FILE_PREFIX + "*")) {
            for (Path file : stream) {
                if (pidOf(file).isPresent() && Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        }
        files.sort(Comparator.comparingLong(f -> pidOf(f).getAsLong()));
        return files;
    }

    /**
     * Deletes the stat files in {@code directory} whose host pid does not run, and returns them. A file that cannot be
     * deleted (another user's) is left alone and not returned.
     */
    public static List<Path> removeStale(Path directory) throws IOException {
        List<Path> removed = new ArrayList<>();
        for (Path file : list(directory)) {
            long pid = pidOf(file).getAsLong();
            if (!isAlive(pid)) {
                try {
                    if (Files.deleteIfExists(file)) {
                        removed.add(file);
                    }
                } catch (IOException e) {
                    // Not ours to delete; its owner's next host start will.
                }
            }
        }
        return removed;
    }

    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
