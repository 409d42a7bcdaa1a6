package io.rapace.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The generated sources of the kitchen sink, compared with the reviewed copies in {@code src/test/golden/sink}. On a
 * deliberate change, run with {@code -Drapace.golden.update=true}, read the diff, and commit the new copies.
 */
class GoldenSourcesTest {

    private static final Path GOLDEN = Path.of("src/test/golden/sink");

    @Test
    void generatedSourcesMatchTheReviewedCopies() throws IOException {
        Compilation compilation = Sources.compile(Sources.kitchenSink().toArray(new JavaFileObject[0]));
        assertThat(compilation).succeeded();
        TreeMap<String, String> actual = new TreeMap<>();
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            String name = file.getName().substring(file.getName().lastIndexOf('/') + 1);
            actual.put(name, file.getCharContent(true).toString());
        }
        if (Boolean.getBoolean("rapace.golden.update")) {
            Files.createDirectories(GOLDEN);
            for (var entry : actual.entrySet()) {
                Files.writeString(GOLDEN.resolve(entry.getKey()), entry.getValue(), StandardCharsets.UTF_8);
            }
        }
        TreeMap<String, String> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(GOLDEN)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                expected.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertEquals(expected.keySet(), actual.keySet());
        List<String> differences = new ArrayList<>();
        for (String name : expected.keySet()) {
            String difference = firstDifference(expected.get(name), actual.get(name));
            if (difference != null) {
                differences.add(name + ":\n" + difference);
            }
        }
        if (!differences.isEmpty()) {
            fail("generated sources differ from " + GOLDEN + ":\n" + String.join("\n", differences));
        }
    }

    /** The first differing line with three lines of context, as {@code -expected} / {@code +actual}; null if equal. */
    static String firstDifference(String expected, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        int line = 0;
        while (line < a.size() && line < b.size() && a.get(line).equals(b.get(line))) {
            line++;
        }
        if (line == a.size() && line == b.size()) {
            return null;
        }
        StringBuilder out = new StringBuilder("  at line " + (line + 1) + "\n");
        for (int i = Math.max(0, line - 3); i < line; i++) {
            out.append("   ").append(a.get(i)).append('\n');
        }
        for (int i = line; i < Math.min(a.size(), line + 3); i++) {
            out.append("  -").append(a.get(i)).append('\n');
        }
        for (int i = line; i < Math.min(b.size(), line + 3); i++) {
            out.append("  +").append(b.get(i)).append('\n');
        }
        return out.toString();
    }
}
