package io.rapace.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceScannerTest {

    @Test
    void findsTheIncludedRegularFilesSortedWithSlashes(@TempDir Path dir) throws IOException {
        for (String name : List.of("z.rapace", "a/b/c.rapace", "a/notes.txt", "b.rapace", "a/a.rapace")) {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "package p;\n");
        }
        Files.createDirectories(dir.resolve("dir.rapace"));

        assertEquals(List.of("a/a.rapace", "a/b/c.rapace", "b.rapace", "z.rapace"),
                SourceScanner.scan(dir, IncludePattern.compileAll(List.of())));
        assertEquals(List.of("a/a.rapace", "a/notes.txt", "b.rapace"),
                SourceScanner.scan(dir, IncludePattern.compileAll(List.of("a/*", "b.rapace", "b.rapace"))));
    }

    @Test
    void aMissingDirectoryHasNoFiles(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), SourceScanner.scan(dir.resolve("missing"), IncludePattern.compileAll(List.of())));
        Path file = Files.writeString(dir.resolve("file"), "");
        assertEquals(List.of(), SourceScanner.scan(file, IncludePattern.compileAll(List.of())));
    }

    @Test
    void followsLinksButNotLoops(@TempDir Path dir) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("sources"));
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(shared.resolve("common.rapace"), "package c;\n");
        Files.createSymbolicLink(sources.resolve("linked"), shared);
        Files.createSymbolicLink(sources.resolve("loop"), sources);
        Files.writeString(sources.resolve("main.rapace"), "package m;\n");

        assertEquals(List.of("linked/common.rapace", "main.rapace"),
                SourceScanner.scan(sources, IncludePattern.compileAll(List.of())));
    }

    @Test
    void listsALinkToNothingSoThatReadingItReportsIt(@TempDir Path dir) throws IOException {
        Files.createSymbolicLink(dir.resolve("dangling.rapace"), dir.resolve("nowhere.rapace"));
        assertEquals(List.of("dangling.rapace"), SourceScanner.scan(dir, IncludePattern.compileAll(List.of())));
    }
}
