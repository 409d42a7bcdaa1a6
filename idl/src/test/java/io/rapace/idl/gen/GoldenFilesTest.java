package io.rapace.idl.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole output of the generator for each input, compared with the expected files in
 * {@code src/test/resources/golden/<input>/}: the same files, each with the same text. A difference is reported as
 * the files missing or unexpected, and for a changed file its first differing line with the lines around it, so a
 * change of the generator shows as a reviewable diff. The expected files are read and checked by a person; they are
 * never rewritten to make this test pass.
 */
class GoldenFilesTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest
    @EnumSource(Inputs.class)
    void generatesExactlyTheExpectedFiles(Inputs input) throws IOException {
        Map<String, String> actual = new TreeMap<>();
        for (GeneratedFile file : input.generate()) {
            actual.put(file.path(), file.content());
        }
        Path root = GOLDEN.resolve(input.golden());
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                expected.put(root.relativize(file).toString().replace('\\', '/'),
                        Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        List<String> problems = new ArrayList<>();
        for (String path : expected.keySet()) {
            if (!actual.containsKey(path)) {
                problems.add("missing: " + path + " (expected, not generated)");
            }
        }
        for (Map.Entry<String, String> file : actual.entrySet()) {
            String want = expected.get(file.getKey());
            if (want == null) {
                problems.add("unexpected: " + file.getKey() + " (generated, not expected)");
            } else if (!want.equals(file.getValue())) {
                problems.add(diff(file.getKey(), want, file.getValue()));
            }
        }
        if (!problems.isEmpty()) {
            fail("generated files differ from " + root + ":\n\n" + String.join("\n", problems));
        }
    }

    /**
     * {@code runtime/src/test/java/io/rapace/calculator}, the example {@code docs/generated-code.md} shows and the
     * runtime's loopback tests drive, is the generator's output for {@code calculator.rapace}, file for file.
     */
    @Test
    void runtimesCalculatorExampleIsTheGeneratorsOutput() throws IOException {
        Path runtime = Path.of("../runtime/src/test/java");
        for (GeneratedFile file : Inputs.CALCULATOR.generate()) {
            if (file.kind() == GeneratedFile.Kind.SOURCE) {
                String copy = Files.readString(runtime.resolve(file.path()), StandardCharsets.UTF_8);
                if (!copy.equals(file.content())) {
                    fail(diff(file.path(), copy, file.content()));
                }
            }
        }
    }

    @Test
    void reportsTheFirstChangedLineWithItsContext() {
        assertEquals("""
                changed: a/B.java at line 5
                   2
                   3
                   4
                 - five
                 - 6
                 + 5
                 + 6
                """, diff("a/B.java", "1\n2\n3\n4\nfive\n6", "1\n2\n3\n4\n5\n6"));
    }

    /** The first differing line of {@code path}, with three lines of context, as {@code -} expected {@code +} actual. */
    static String diff(String path, String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        int line = 0;
        while (line < want.length && line < got.length && want[line].equals(got[line])) {
            line++;
        }
        StringBuilder out = new StringBuilder("changed: " + path + " at line " + (line + 1) + "\n");
        for (int i = Math.max(0, line - 3); i < line; i++) {
            out.append("   ").append(want[i]).append('\n');
        }
        for (int i = line; i < Math.min(want.length, line + 4); i++) {
            out.append(" - ").append(want[i]).append('\n');
        }
        for (int i = line; i < Math.min(got.length, line + 4); i++) {
            out.append(" + ").append(got[i]).append('\n');
        }
        return out.toString();
    }
}
