package io.rapace.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal keeps other generators' registrations (the annotation processor's) across builds that skip javac. */
class ProviderFileMergeTest {
    @TempDir
    Path dir;

    private Path classes() {
        return dir.resolve("classes");
    }

    private Path resource() {
        return dir.resolve("generated").resolve(ProviderFileMerge.PROVIDER_FILE);
    }

    private void compiled(String... lines) throws IOException {
        Path file = classes().resolve(ProviderFileMerge.PROVIDER_FILE);
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    }

    private void classFile(String name) throws IOException {
        Path file = classes().resolve(name.replace('.', '/') + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1});
    }

    private void generated(String... lines) throws IOException {
        Files.createDirectories(resource().getParent());
        Files.write(resource(), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void keepsCompiledRegistrationsOfOthersWhoseClassExists() throws IOException {
        generated("a.IdlDescriptor");
        compiled("a.IdlDescriptor", "b.AnnotatedDescriptor", "c.GoneDescriptor");
        classFile("b.AnnotatedDescriptor");
        assertTrue(ProviderFileMerge.merge(classes(), resource(), List.of("a.IdlDescriptor")));
        assertEquals(List.of("a.IdlDescriptor", ProviderFileMerge.MARKER, "b.AnnotatedDescriptor"),
                Files.readAllLines(resource()));
        assertEquals(List.of("a.IdlDescriptor"), ProviderFileMerge.ownEntries(resource()));
        // a second build with nothing new writes nothing
        assertFalse(ProviderFileMerge.merge(classes(), resource(), ProviderFileMerge.ownEntries(resource())));
    }

    @Test
    void dropsTheGoalsOwnRegistrationsOfTheLastRun() throws IOException {
        generated("a.IdlDescriptor"); // d.DeletedDescriptor's IDL file was deleted
        compiled("a.IdlDescriptor", "d.DeletedDescriptor");
        classFile("d.DeletedDescriptor"); // still compiled: javac has not run yet
        assertFalse(ProviderFileMerge.merge(classes(), resource(), List.of("a.IdlDescriptor", "d.DeletedDescriptor")));
        assertEquals(List.of("a.IdlDescriptor"), Files.readAllLines(resource()));
    }

    @Test
    void aFirstBuildHasNothingToKeep() throws IOException {
        generated("a.IdlDescriptor");
        assertFalse(ProviderFileMerge.merge(classes(), resource(), List.of()));
        assertEquals(List.of("a.IdlDescriptor"), Files.readAllLines(resource()));
    }
}
