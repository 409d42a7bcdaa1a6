package io.rapace.idl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the parser thousands of random and mutated inputs (seeded, so a failure reproduces) and checks only that it
 * never throws and that it always answers with a schema or with well-formed diagnostics.
 */
class IdlParserFuzzTest {

    private static final List<String> CORPUS = List.of(Samples.HOST, Samples.EVERYTHING, """
            package a.b;
            import "other.rapace";
            /// Doc.
            struct A { x: option<B>, y: [u8; 3], z: map<string, list<A>> }
            enum B { One, Two { a: A }, }
            service S "x.S" version 1.0 { unary a.b(x: u8, y: string) -> () = 0x10; bidi_streaming c(A) -> B; }
            """);

    private static final List<String> FRAGMENTS = List.of(
            "package", "import", "struct", "enum", "service", "version", "unary", "client_streaming",
            "server_streaming", "bidi_streaming", "option", "list", "map", "string", "bytes", "u8", "i128", "char",
            "Foo", "_", "a_b", "class", "{", "}", "(", ")", "[", "]", "<", ">", ",", ";", ":", ".", "=", "->", "-",
            "///", "////", "//", "/*", "*/", "/", "\"", "\\", "\\u{", "\\u{110000}", "\\q", "0x", "0", "007", "1",
            "4294967295", "4294967296", "0xFFFFFFFF", "99999999999999999999999", "1.0", "01.0", "1.2.3", "option<",
            "list<", "map<", "[u8; ", "()", "(())", "\n", "\r\n", "\r", "\t", " ", "\uFEFF", "\u00e9", "\uD83D\uDE00",
            "\u0000", "\uD800", "\u2028", "\"a.rapace\"", "import \"x.rapace\";", "= 1000", ";\n");

    @Test
    void neverThrowsOnMutatedFiles() {
        Random random = new Random(0x5EED_0001L);
        for (int i = 0; i < 3000; i++) {
            String base = CORPUS.get(random.nextInt(CORPUS.size()));
            assertAnswers(mutate(random, base));
        }
    }

    @Test
    void neverThrowsOnTokenSoup() {
        Random random = new Random(0x5EED_0002L);
        for (int i = 0; i < 1500; i++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "package p;\n" : "");
            int count = random.nextInt(60);
            for (int j = 0; j < count; j++) {
                text.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
                if (random.nextInt(3) == 0) {
                    text.append(' ');
                }
            }
            assertAnswers(text.toString());
        }
    }

    @Test
    void neverThrowsOnRandomCharacters() {
        Random random = new Random(0x5EED_0003L);
        for (int i = 0; i < 500; i++) {
            char[] chars = new char[random.nextInt(200)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) (32 + random.nextInt(96));
            }
            assertAnswers(new String(chars));
        }
    }

    @Test
    void neverThrowsOnMutatedImportGraphs() {
        Random random = new Random(0x5EED_0004L);
        List<String> names = List.of("a.rapace", "b.rapace", "dir/c.rapace", "../d.rapace");
        for (int i = 0; i < 500; i++) {
            List<SourceText> sources = new ArrayList<>();
            for (String name : names) {
                StringBuilder text = new StringBuilder("package p" + random.nextInt(3) + ";\n");
                for (int j = random.nextInt(4); j > 0; j--) {
                    String target = random.nextInt(5) == 0 ? "nowhere.rapace" : names.get(random.nextInt(names.size()));
                    text.append("import \"").append(random.nextBoolean() ? "../" : "").append(target).append("\";\n");
                }
                text.append(mutate(random, "struct T" + random.nextInt(3) + " { a: T0, b: option<T1> }\n"
                        + "service S" + random.nextInt(3) + " { unary m(T2) -> T0 = " + (1 + random.nextInt(3))
                        + "; }\n"));
                sources.add(new SourceText(name, text.toString()));
            }
            ParseResult result = IdlParser.parseSources(sources);
            checkWellFormed(result);
        }
    }

    @Test
    void survivesPathologicalInputs() {
        int n = 100_000;
        assertAnswers("package p; struct A { a: " + "option<".repeat(n) + "u8" + ">".repeat(n) + " }");
        assertAnswers("package p; struct A { a: " + "[".repeat(n) + " }");
        assertAnswers("package p; struct A { a: " + "(".repeat(n) + " }");
        assertAnswers("package p; " + "{".repeat(n));
        assertAnswers("package p; " + "}".repeat(n));
        assertAnswers("package p; struct A { a: [u8; " + "9".repeat(n) + "] }");
        assertAnswers("package p; service S { unary m() = 0x" + "F".repeat(n) + "; }");
        assertAnswers("package p; struct " + "A".repeat(n) + " { a: " + "B".repeat(n) + " }");
        assertAnswers("package p; service S \"" + "\\u{".repeat(n) + "\" {}");
        assertAnswers("package p;\n" + "///\n".repeat(n));
        assertAnswers("package p;\n" + "struct A {}\n".repeat(n / 10));
        assertAnswers("package p; struct A { a: [u8; 2147483647] }");
        StringBuilder chain = new StringBuilder("package p;\n");
        for (int i = 0; i < 20_000; i++) {
            chain.append("struct S").append(i).append(" { next: S").append(i + 1).append(" }\n");
        }
        chain.append("struct S20000 { next: S0 }\n");
        ParseResult cycle = IdlParser.parse("chain.rapace", chain.toString());
        assertEquals(20_001, cycle.diagnostics().size());
    }

    private static String mutate(Random random, String text) {
        StringBuilder mutated = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(mutated.length() + 1);
            switch (random.nextInt(6)) {
                case 0 -> mutated.insert(at, FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
                case 1 -> mutated.delete(at, Math.min(mutated.length(), at + 1 + random.nextInt(12)));
                case 2 -> {
                    int end = Math.min(mutated.length(), at + random.nextInt(40));
                    mutated.insert(random.nextInt(mutated.length() + 1), mutated.substring(at, end));
                }
                case 3 -> mutated.setLength(at);
                case 4 -> {
                    if (at < mutated.length()) {
                        mutated.setCharAt(at, (char) random.nextInt(0x10000));
                    }
                }
                default -> mutated.insert(at, (char) (32 + random.nextInt(96)));
            }
        }
        return mutated.toString();
    }

    private static void assertAnswers(String text) {
        ParseResult result;
        try {
            result = IdlParser.parse("fuzz.rapace", text);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("the parser threw on input:\n" + text, e);
        }
        checkWellFormed(result);
    }

    private static void checkWellFormed(ParseResult result) {
        if (result.succeeded()) {
            assertTrue(result.diagnostics().isEmpty());
            return;
        }
        assertFalse(result.diagnostics().isEmpty());
        // The first diagnostics are enough to check the format; formatting 100000 copies of a 100000-column line
        // would only measure the test.
        for (Diagnostic diagnostic : result.diagnostics().subList(0, Math.min(100, result.diagnostics().size()))) {
            if (diagnostic.line() < 1 || diagnostic.column() < 1) {
                fail("diagnostic without a place: " + diagnostic.format());
            }
            int columns = diagnostic.sourceLine().codePointCount(0, diagnostic.sourceLine().length());
            assertTrue(diagnostic.column() <= columns + 1, diagnostic::format);
            String[] lines = diagnostic.format().split("\n", -1);
            assertEquals(3, lines.length, diagnostic::format);
            assertTrue(lines[2].endsWith("^"), diagnostic::format);
        }
    }
}
