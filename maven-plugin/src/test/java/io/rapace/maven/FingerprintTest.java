package io.rapace.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {

    @Test
    void isTheSameForTheSameConfigurationAndContents(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a.rapace"), "package a;\n");
        Path b = Files.writeString(dir.resolve("b.rapace"), "package b;\n");
        String first = Fingerprint.of(List.of("plugin x 1.0", "include **/*.rapace"), List.of(a, b));
        Files.writeString(a, "package a;\n");
        assertEquals(first, Fingerprint.of(List.of("plugin x 1.0", "include **/*.rapace"), List.of(a, b)));
        assertEquals(64, first.length());
    }

    @Test
    void changesWithAnyConfigurationLineAnyPathAndAnyContent(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a.rapace"), "package a;\n");
        Path b = Files.writeString(dir.resolve("b.rapace"), "package b;\n");
        Path c = Files.writeString(dir.resolve("c.rapace"), "package b;\n");
        Set<String> fingerprints = new HashSet<>();
        fingerprints.add(Fingerprint.of(List.of("plugin x 1.0"), List.of(a, b)));
        fingerprints.add(Fingerprint.of(List.of("plugin x 1.1"), List.of(a, b)));
        fingerprints.add(Fingerprint.of(List.of("plugin x 1.0", "include *.rapace"), List.of(a, b)));
        fingerprints.add(Fingerprint.of(List.of("plugin x 1.0"), List.of(a, c)));
        fingerprints.add(Fingerprint.of(List.of("plugin x 1.0"), List.of(b, a)));
        fingerprints.add(Fingerprint.of(List.of("plugin x 1.0"), List.of(a)));
        fingerprints.add(Fingerprint.of(List.of("plugin x 1.0"), List.of(a, dir.resolve("missing.rapace"))));
        Files.writeString(b, "package b; ");
        fingerprints.add(Fingerprint.of(List.of("plugin x 1.0"), List.of(a, b)));
        assertEquals(8, fingerprints.size());
    }

    @Test
    void partsCannotRunIntoEachOther(@TempDir Path dir) throws IOException {
        assertNotEquals(Fingerprint.of(List.of("ab", "c"), List.of()), Fingerprint.of(List.of("a", "bc"), List.of()));
        Path empty = Files.writeString(dir.resolve("empty.rapace"), "");
        assertNotEquals(Fingerprint.of(List.of(), List.of(empty)),
                Fingerprint.of(List.of(), List.of(dir.resolve("missing.rapace"))));
    }

    @Test
    void hashesADirectoryByItsFilesNamesAndContents(@TempDir Path dir) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes/io/x"));
        Files.writeString(classes.resolve("A.class"), "a");
        String first = Fingerprint.ofFileOrDirectory(dir.resolve("classes"));
        assertEquals(first, Fingerprint.ofFileOrDirectory(dir.resolve("classes")));
        Files.writeString(classes.resolve("A.class"), "b");
        String changed = Fingerprint.ofFileOrDirectory(dir.resolve("classes"));
        assertNotEquals(first, changed);
        Files.move(classes.resolve("A.class"), classes.resolve("B.class"));
        assertNotEquals(changed, Fingerprint.ofFileOrDirectory(dir.resolve("classes")));
        Path jar = Files.writeString(dir.resolve("x.jar"), "b");
        assertNotEquals(Fingerprint.ofFileOrDirectory(jar), Fingerprint.ofFileOrDirectory(dir.resolve("gone.jar")));
    }
}
