package io.rapace.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * The codec against the golden vectors of the real Rust postcard crate ({@code postcard-vectors.tsv}) and the
 * invalid inputs every whole-message decode must reject ({@code postcard-invalid.tsv}), read from the folder in the
 * system property {@code rapace.conformance.dir}: by default the repository's own copy in
 * {@code runtime/src/test/resources/conformance/}, byte-identical to {@code ../shared/conformance/}; a relative
 * folder is read from the repository root ({@code rapace.root}). A missing property, folder or file fails; a line
 * whose type or value this test cannot read fails; every line is one dynamic test named after its case.
 */
public class PostcardConformanceTest {
    static final String DIR_PROPERTY = "rapace.conformance.dir";
    static final String ROOT_PROPERTY = "rapace.root";
    static final String VECTORS = "postcard-vectors.tsv";
    static final String INVALID = "postcard-invalid.tsv";

    private static final AtomicInteger validRan = new AtomicInteger();
    private static final AtomicInteger invalidRan = new AtomicInteger();
    private static volatile int validLines = -1;
    private static volatile int invalidLines = -1;

    /** The conformance file {@code name}: the property, the folder and the file must exist, else the test fails. */
    static Path conformanceFile(String name) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            fail("system property " + DIR_PROPERTY + " is not set: the build passes it to the test JVM "
                    + "(mvn ... -D" + DIR_PROPERTY + "=/path/to/shared/conformance)");
        }
        Path folder = Path.of(dir);
        String root = System.getProperty(ROOT_PROPERTY);
        if (!folder.isAbsolute() && root != null && !root.isBlank()) {
            folder = Path.of(root).resolve(folder).normalize();
        }
        if (!Files.isDirectory(folder)) {
            fail(DIR_PROPERTY + " names no folder: " + folder.toAbsolutePath());
        }
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("conformance file missing: " + file.toAbsolutePath());
        }
        return file;
    }

    /** Every line of the file that is not a comment, with its 1-based line number. */
    private static List<Line> caseLines(Path file) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).startsWith("#")) {
                out.add(new Line(file.getFileName().toString(), i + 1, all.get(i)));
            }
        }
        return out;
    }

    /** The number of non-comment lines, counted independently of how the cases are built. */
    private static int countNonCommentLines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return (int) lines.filter(l -> !l.startsWith("#")).count();
        }
    }

    private record Line(String file, int number, String text) {
        String[] columns() {
            String[] c = text.split("\t", -1);
            if (c.length != 4) {
                throw new IllegalArgumentException(file + ":" + number + " has " + c.length
                        + " TAB-separated columns, expected 4");
            }
            return c;
        }

        String caseName() {
            int tab = text.indexOf('\t');
            return tab > 0 ? text.substring(0, tab) : "<malformed>";
        }

        String displayName() {
            return caseName() + " (" + file + ":" + number + ")";
        }
    }

    private static List<DynamicTest> cases(Path file, AtomicInteger ran, Checker checker) throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Line line : caseLines(file)) {
            boolean unique = names.add(line.caseName());
            tests.add(DynamicTest.dynamicTest(line.displayName(), () -> {
                ran.incrementAndGet();
                try {
                    assertTrue(unique, "case name appears more than once");
                    checker.check(line.columns());
                } catch (Throwable t) {
                    // surefire names dynamic tests by index: put the case in the message
                    throw new AssertionFailedError(line.displayName() + ": " + t, t);
                }
            }));
        }
        return tests;
    }

    @FunctionalInterface
    private interface Checker {
        void check(String[] columns) throws Exception;
    }

    @TestFactory
    List<DynamicTest> validVectors() throws IOException {
        Path file = conformanceFile(VECTORS);
        validLines = countNonCommentLines(file);
        return cases(file, validRan, PostcardConformanceTest::checkValid);
    }

    @TestFactory
    List<DynamicTest> invalidInputs() throws IOException {
        Path file = conformanceFile(INVALID);
        invalidLines = countNonCommentLines(file);
        return cases(file, invalidRan, PostcardConformanceTest::checkInvalid);
    }

    /**
     * {@code name type value hex}: encode(value) gives hex; decode(hex) gives value with no byte left (from a heap
     * array and from a direct buffer); re-encoding the decoded value gives hex again.
     */
    private static void checkValid(String[] c) throws DecodeException {
        WireType type = WireTypeParser.parse(c[1]);
        Object value = type.parseWholeValue(c[2]);
        byte[] expected = ValueNotation.unhex(c[3]);
        Codec<Object> codec = type.codec();
        boolean cobs = type instanceof WireType.CobsT;

        byte[] encoded = cobs ? Postcard.encodeCobs(codec, value) : Postcard.encode(codec, value);
        assertEquals(c[3], ValueNotation.hex(encoded), "encode(" + c[2] + ")");

        Object decoded;
        if (cobs) {
            decoded = Postcard.decodeCobs(codec, expected);
            byte[] body = Cobs.decode(expected, 0, expected.length);
            Object fromBody = Postcard.decode(codec, body);
            assertTrue(ValueNotation.deepEquals(value, fromBody), () -> "decoding the COBS body gave " + ValueNotation.show(fromBody));
        } else {
            PostcardReader reader = PostcardReader.of(expected);
            decoded = codec.decode(reader);
            assertEquals(0, reader.remaining(), "bytes left after decoding");
            Object whole = Postcard.decode(codec, expected);
            assertTrue(ValueNotation.deepEquals(value, whole), () -> "Postcard.decode gave " + ValueNotation.show(whole));
            Object direct = Postcard.decode(codec, directBuffer(expected));
            assertTrue(ValueNotation.deepEquals(value, direct),
                    () -> "decoding from a direct buffer gave " + ValueNotation.show(direct));
        }
        Object got = decoded;
        assertTrue(ValueNotation.deepEquals(value, got), () -> "decode(" + c[3] + ") gave " + ValueNotation.show(got)
                + ", expected " + ValueNotation.show(value));

        byte[] again = cobs ? Postcard.encodeCobs(codec, decoded) : Postcard.encode(codec, decoded);
        assertEquals(c[3], ValueNotation.hex(again), "re-encoding the decoded value");
    }

    /**
     * {@code name type hex reason}: a whole-message decode (from a heap array and, for plain messages, from a direct
     * buffer) throws a {@link DecodeException} whose reason is the column's, {@code ;project-rule} removed.
     */
    private static void checkInvalid(String[] c) {
        WireType type = WireTypeParser.parse(c[1]);
        byte[] input = ValueNotation.unhex(c[2]);
        String reason = c[3].endsWith(";project-rule") ? c[3].substring(0, c[3].length() - ";project-rule".length())
                : c[3];
        Codec<Object> codec = type.codec();
        boolean cobs = type instanceof WireType.CobsT;

        DecodeException e = assertThrows(DecodeException.class,
                () -> {
                    Object v = cobs ? Postcard.decodeCobs(codec, input) : Postcard.decode(codec, input);
                    fail("decoding " + c[2] + " succeeded with " + ValueNotation.show(v));
                });
        assertEquals(reason, e.reason().label(), () -> "wrong reason; message: " + e.getMessage());
        assertTrue(e.offset() >= 0 && e.offset() <= input.length, () -> "offset out of the input: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(reason + " at offset " + e.offset() + ": "), e.getMessage());

        if (!cobs) {
            DecodeException d = assertThrows(DecodeException.class, () -> Postcard.decode(codec, directBuffer(input)));
            assertEquals(e.getMessage(), d.getMessage(), "a direct buffer must fail the same way");
        }
    }

    /** A direct buffer holding {@code bytes} in {@code [position, limit)}, with unrelated bytes around them. */
    static ByteBuffer directBuffer(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length + 6);
        b.put(new byte[] {0x55, 0x55, 0x55});
        b.put(bytes);
        b.put(new byte[] {0x7f, 0x01, 0x00});
        b.position(3).limit(3 + bytes.length);
        return b;
    }

    @AfterAll
    static void everyLineRan() {
        System.out.println("PostcardConformanceTest: " + validRan.get() + " valid cases and " + invalidRan.get()
                + " invalid cases ran (" + validLines + " and " + invalidLines + " non-comment lines)");
        if (validLines >= 0) {
            assertEquals(validLines, validRan.get(), "valid cases run vs non-comment lines of " + VECTORS);
        }
        if (invalidLines >= 0) {
            assertEquals(invalidLines, invalidRan.get(), "invalid cases run vs non-comment lines of " + INVALID);
        }
    }
}
