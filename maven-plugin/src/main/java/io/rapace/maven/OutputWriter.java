package io.rapace.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Writes generated files, leaving a file alone when it already holds the same text, and deletes stale ones. */
final class OutputWriter {

    private OutputWriter() {
    }

    /**
     * Writes {@code file} unless it already holds exactly its text, so that an unchanged file keeps its modification
     * time and the compiler has nothing new to look at. Returns whether it wrote.
     */
    static boolean write(OutputFile file) throws IOException {
        Path target = file.target().file();
        byte[] bytes = file.content().getBytes(StandardCharsets.UTF_8);
        try {
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length
                    && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return false;
            }
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
            return true;
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + IoErrors.describe(e), e);
        }
    }

    /**
     * Deletes every file of {@code previous} that is not in {@code current}, then each directory that this left
     * empty, up to (not including) the file's output root. A file already gone is not an error. Returns how many
     * files it deleted.
     */
    static int deleteStale(Collection<OutputPath> previous, Collection<OutputPath> current) throws IOException {
        Set<Path> kept = new HashSet<>();
        for (OutputPath output : current) {
            kept.add(output.file().normalize());
        }
        int deleted = 0;
        for (OutputPath output : previous) {
            Path file = output.file().normalize();
            if (kept.contains(file) || !Files.isRegularFile(file)) {
                continue;
            }
            try {
                Files.delete(file);
            } catch (IOException e) {
                throw new IOException("cannot delete the stale generated file " + file + ": "
                        + IoErrors.describe(e), e);
            }
            deleted++;
            deleteEmptyParents(file.getParent(), output.root().normalize());
        }
        return deleted;
    }

    private static void deleteEmptyParents(Path directory, Path root) throws IOException {
        while (directory != null && !directory.equals(root) && directory.startsWith(root) && isEmpty(directory)) {
            Files.delete(directory);
            directory = directory.getParent();
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            return !entries.iterator().hasNext();
        }
    }
}
