package io.rapace.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The repository's own documents follow the rules: every pom snippet and Maven command of README.md and docs/*.md is
 * built by the docs test or marked a fragment. (The invoker then builds and runs what the built documents show.)
 */
class DocProjectsTest {
    private static final Path ROOT = Path.of(System.getProperty("rapace.docs.root", "..")).toAbsolutePath()
            .normalize();
    private static final Set<String> BUILT =
            DocProjects.builtDocs(System.getProperty("rapace.docs.built", "getting-started.md,annotations.md"));
    private static final String VERSION = System.getProperty("rapace.version", "0.1.0-SNAPSHOT");

    @Test
    void everyMavenSnippetOfTheDocsIsBuiltOrMarkedAFragment() throws Exception {
        assertEquals(List.of(), DocProjects.problems(ROOT, BUILT, VERSION));
    }

    @Test
    void everyBuiltDocumentDescribesAProjectThatItRuns() throws Exception {
        for (String name : BUILT) {
            DocProject project = DocProject.of(Markdown.snippets(name,
                    Files.readString(ROOT.resolve("docs").resolve(name))));
            assertTrue(project.files().containsKey("pom.xml"), name);
            assertTrue(project.files().keySet().stream().anyMatch(f -> f.endsWith(".java")), name);
            assertTrue(!project.runs().isEmpty(), name);
        }
    }

    @Test
    void turnsAMavenCommandIntoInvokerGoals() {
        assertEquals("-q compile exec:exec", DocProject.invokerGoals("mvn -B -q compile exec:exec"));
        assertEquals("test", DocProject.invokerGoals("  mvn test "));
    }
}
