package io.rapace.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputWriterTest {

    @Test
    void writesNewOrChangedFilesAndLeavesEqualOnesUntouched(@TempDir Path dir) throws IOException {
        OutputPath target = new OutputPath(dir, "io/x/Caf\u00e9.java");
        assertTrue(OutputWriter.write(new OutputFile(target, "class Caf\u00e9 {}\n")));
        assertEquals("class Caf\u00e9 {}\n", Files.readString(target.file()));

        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(target.file(), old);
        assertFalse(OutputWriter.write(new OutputFile(target, "class Caf\u00e9 {}\n")));
        assertEquals(old, Files.getLastModifiedTime(target.file()));

        assertTrue(OutputWriter.write(new OutputFile(target, "class Caf\u00e8 {}\n")));
        assertEquals("class Caf\u00e8 {}\n", Files.readString(target.file()));
    }

    @Test
    void deletesStaleFilesAndTheDirectoriesTheyLeaveEmpty(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("generated");
        OutputPath kept = new OutputPath(root, "io/x/Kept.java");
        OutputPath staleBeside = new OutputPath(root, "io/x/Stale.java");
        OutputPath staleAlone = new OutputPath(root, "io/y/z/Alone.java");
        OutputPath alreadyGone = new OutputPath(root, "io/w/Gone.java");
        for (OutputPath path : List.of(kept, staleBeside, staleAlone)) {
            OutputWriter.write(new OutputFile(path, "//\n"));
        }

        assertEquals(2, OutputWriter.deleteStale(List.of(kept, staleBeside, staleAlone, alreadyGone), List.of(kept)));

        assertTrue(Files.exists(kept.file()));
        assertFalse(Files.exists(staleBeside.file()));
        assertFalse(Files.exists(root.resolve("io/y")));
        assertTrue(Files.isDirectory(root.resolve("io/x")));
        assertEquals(0, OutputWriter.deleteStale(List.of(kept), List.of(kept)));
        assertEquals(1, OutputWriter.deleteStale(List.of(kept), List.of()));
        assertTrue(Files.isDirectory(root), "the output root itself stays");
        assertFalse(Files.exists(root.resolve("io")));
    }

    @Test
    void namesTheFileItCannotWrite(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("io"), "a file where a directory should be");
        OutputPath target = new OutputPath(dir, "io/A.java");
        IOException e = assertThrows(IOException.class, () -> OutputWriter.write(new OutputFile(target, "")));
        assertEquals("cannot write " + target.file() + ": a file is in the way", e.getMessage());
    }

    @Test
    void rejectsPathsThatAreNotPlainRelativePaths(@TempDir Path dir) {
        for (String path : List.of("", "/abs/A.java", "a//A.java", "a/../A.java", "./A.java", "a\\A.java", "a/")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new OutputPath(dir, path));
            assertEquals("generated file path \"" + path + "\" is not a relative path with `/` between names",
                    e.getMessage());
        }
    }
}
