package io.rapace.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnippetRulesTest {
    private static final String VERSION = "0.1.0-SNAPSHOT";

    private static List<String> problems(String markdown, boolean built) {
        return SnippetRules.problems(Markdown.snippets("docs/x.md", markdown), built, VERSION);
    }

    @Test
    void anUnmarkedPomSnippetOrMavenCommandFails() {
        assertEquals(List.of(
                "docs/x.md:1: an xml block that the docs test does not build must be marked: " + SnippetRules.HOW,
                "docs/x.md:4: a Maven command that the docs test does not build must be marked: " + SnippetRules.HOW),
                problems("""
                        ```xml
                        <dependency/>
                        ```
                        ```bash
                        mvn -B verify
                        ```
                        ```java
                        class NotMavenSoNoMarkerNeeded {}
                        ```
                        """, false));
    }

    @Test
    void aBuiltDocumentMarksEveryBlockShowsItsPomAndSaysHowToBuild() {
        assertEquals(List.of(
                "docs/x.md:1: a code block of a built document must be marked: " + SnippetRules.HOW,
                "docs/x.md: a built document must show its pom.xml whole: <!-- file: pom.xml -->",
                "docs/x.md: a built document must say how to build it: <!-- run --> before an mvn command"),
                problems("""
                        ```java
                        class A {}
                        ```
                        """, true));
    }

    @Test
    void onlyBuiltDocumentsHaveFilesRunsAndOutput() {
        assertEquals(List.of("docs/x.md:2: <!-- file --> in a document the docs test does not build "
                + "(rapace.docs.built in docs-test/pom.xml)"), problems("""
                <!-- file: A.java -->
                ```java
                class A {}
                ```
                """, false));
    }

    @Test
    void runBlocksHoldOnlyMavenCommandsOutputFollowsARunAndAFileIsShownOnce() {
        assertEquals(List.of(
                "docs/x.md:2: an output block must come after a run block",
                "docs/x.md:6: a run block holds only mvn commands, one a line, but has: java -jar x.jar",
                "docs/x.md:15: pom.xml is shown twice as a whole file"),
                problems("""
                        <!-- output -->
                        ```
                        hello
                        ```
                        <!-- run -->
                        ```bash
                        mvn -B test
                        java -jar x.jar
                        ```
                        <!-- file: pom.xml -->
                        ```xml
                        <project/>
                        ```
                        <!-- file: pom.xml -->
                        ```xml
                        <project/>
                        ```
                        """, true));
    }

    @Test
    void aPomSnippetUsesOnlyPropertiesItDefinesAndRealRapaceCoordinates() {
        assertEquals(List.of(
                "docs/x.md:2: ${rapace.version} is not defined in the snippet; pasted into a new project it would "
                        + "stay unresolved",
                "docs/x.md:2: io.rapace:rapace-core is not a rapace artifact; they are [rapace-bom, rapace-grpc, "
                        + "rapace-idl, rapace-maven-plugin, rapace-plugin, rapace-processor, rapace-runtime]",
                "docs/x.md:2: io.rapace:rapace-runtime has version 0.0.9, but the version being built is "
                        + "0.1.0-SNAPSHOT"),
                problems("""
                        <!-- fragment -->
                        ```xml
                        <path>
                          <groupId>io.rapace</groupId>
                          <artifactId>rapace-processor</artifactId>
                          <version>${rapace.version}</version>
                        </path>
                        <dependency>
                          <groupId>io.rapace</groupId>
                          <artifactId>rapace-core</artifactId>
                        </dependency>
                        <dependency>
                          <groupId>io.rapace</groupId>
                          <artifactId>rapace-runtime</artifactId>
                          <version>0.0.9</version>
                        </dependency>
                        <configuration><dir>${project.basedir}/src</dir></configuration>
                        ```
                        """, false));
        assertEquals(List.of(), problems("""
                <!-- fragment -->
                ```xml
                <properties><rapace.version>0.1.0-SNAPSHOT</rapace.version></properties>
                <plugin>
                  <groupId>io.rapace</groupId>
                  <artifactId>rapace-maven-plugin</artifactId>
                  <version>${rapace.version}</version>
                </plugin>
                ```
                """, false));
    }
}
