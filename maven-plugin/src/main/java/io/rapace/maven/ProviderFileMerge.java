package io.rapace.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the registrations of other generators in the project's {@code ServiceLoader} file.
 *
 * <p>In a module that mixes IDL files with annotated interfaces, the annotation processor merges its descriptors into
 * the file that the resource copy put in the output directory. But when the Java sources did not change, the compiler
 * does not run the processor again, while the resource copy replaces the merged file with this goal's on every build:
 * the annotated services would vanish from the registry. So after generating, the goal appends to its resource file,
 * below {@link #MARKER}, every registration of the compiled file that is not its own (this run's or the last run's)
 * and whose class is compiled; the copy then carries them over. Entries above the marker are the generator's own.
 */
final class ProviderFileMerge {
    static final String PROVIDER_FILE = "META-INF/services/io.rapace.registry.ServiceDescriptor";
    static final String MARKER = "# kept from the compiled classes (other generators, such as the annotation processor):";

    private ProviderFileMerge() {
    }

    /** The generator's own entries of {@code file} (above the marker), or none if it does not exist. */
    static List<String> ownEntries(Path file) throws IOException {
        List<String> entries = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return entries;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.equals(MARKER)) {
                break;
            }
            String entry = entryOf(line);
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static String entryOf(String line) {
        return line.replaceFirst("#.*", "").trim();
    }

    /**
     * Rewrites {@code resource} (only if that changes it) as the generator's own lines, then, below the marker, the
     * entries of {@code outputDirectory}'s provider file that are neither the generator's now nor of the last run
     * ({@code previousOwn}) and whose class file exists. Returns whether it wrote.
     */
    static boolean merge(Path outputDirectory, Path resource, List<String> previousOwn) throws IOException {
        Path compiled = outputDirectory.resolve(PROVIDER_FILE);
        if (!Files.isRegularFile(resource)) {
            return false; // this run registers nothing, and no copy will replace the compiled file
        }
        List<String> lines = Files.readAllLines(resource, StandardCharsets.UTF_8);
        List<String> own = new ArrayList<>();
        for (String line : lines) {
            if (line.equals(MARKER)) {
                break;
            }
            own.add(line);
        }
        Set<String> mine = new HashSet<>(previousOwn);
        for (String line : own) {
            mine.add(entryOf(line));
        }
        Set<String> kept = new TreeSet<>();
        if (Files.isRegularFile(compiled)) {
            for (String line : Files.readAllLines(compiled, StandardCharsets.UTF_8)) {
                String entry = entryOf(line);
                if (!entry.isEmpty() && !mine.contains(entry)
                        && Files.isRegularFile(outputDirectory.resolve(entry.replace('.', '/') + ".class"))) {
                    kept.add(entry);
                }
            }
        }
        List<String> merged = new ArrayList<>(own);
        if (!kept.isEmpty()) {
            merged.add(MARKER);
            merged.addAll(kept);
        }
        if (merged.equals(lines)) {
            return false;
        }
        Files.write(resource, merged, StandardCharsets.UTF_8);
        return true;
    }
}
