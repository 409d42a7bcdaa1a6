package io.rapace.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rapace.docs.Snippet.Marker;
import io.rapace.docs.Snippet.Marker.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTest {
    @Test
    void readsFencedBlocksWithTheMarkerOnTheLineBefore() {
        List<Snippet> snippets = Markdown.snippets("d.md", """
                Text.

                <!-- file: src/main/java/A.java -->
                ```java
                class A {}
                ```
                <!-- fragment -->

                ~~~~
                ```
                still inside
                ~~~~
                """);
        assertEquals(List.of(
                new Snippet("d.md", 4, "java", new Marker(Kind.FILE, "src/main/java/A.java"), "class A {}\n"),
                new Snippet("d.md", 9, "", null, "```\nstill inside\n")), snippets);
    }

    @Test
    void parsesEachMarkerAndIgnoresOtherComments() {
        assertEquals(new Marker(Kind.RUN, ""), Marker.parse("<!-- run -->"));
        assertEquals(new Marker(Kind.OUTPUT, ""), Marker.parse("  <!--output-->"));
        assertEquals(new Marker(Kind.FRAGMENT, "run in a rapace checkout"),
                Marker.parse("<!-- fragment: run in a rapace checkout -->"));
        assertNull(Marker.parse("<!-- a comment -->"));
        assertNull(Marker.parse("<!-- files: pom.xml -->"));
    }

    @Test
    void findsMavenCommandsAnywhereOnALine() {
        assertEquals(List.of(true, true, true, false), List.of(
                snippet("mvn -B verify\n").runsMaven(),
                snippet("$ mvn test\n").runsMaven(),
                snippet("cd x && mvn -q package\n").runsMaven(),
                snippet("java -cp mvn.jar Main\n").runsMaven()));
    }

    private static Snippet snippet(String text) {
        return new Snippet("d.md", 1, "bash", null, text);
    }
}
