package io.rapace.maven;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** Finds the IDL files of a source directory: every regular file that an include pattern matches. */
final class SourceScanner {

    private SourceScanner() {
    }

    /**
     * The files under {@code directory} that one of {@code includes} matches, as paths relative to it with {@code /}
     * between names, sorted (so that the parser sees them, and reports duplicates, in the same order on every
     * machine). Symbolic links are followed; a link back to a directory above it is skipped, and a link to nothing is
     * listed (reading it fails, with a clear message). A directory that does not exist has no files.
     *
     * @throws IOException if a directory cannot be listed
     */
    static List<String> scan(Path directory, List<IncludePattern> includes) throws IOException {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        Files.walkFileTree(directory, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        // A link whose target is missing is kept, so that the parser reports it as unreadable.
                        if (attributes.isRegularFile() || attributes.isSymbolicLink()) {
                            String relative = relativeName(directory, file);
                            for (IncludePattern include : includes) {
                                if (include.matches(relative)) {
                                    found.add(relative);
                                    break;
                                }
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (e instanceof FileSystemLoopException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw new IOException("cannot read " + file + ": " + IoErrors.describe(e), e);
                    }
                });
        found.sort(null);
        return found;
    }

    private static String relativeName(Path directory, Path file) {
        StringBuilder name = new StringBuilder();
        for (Path part : directory.relativize(file)) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }
}
