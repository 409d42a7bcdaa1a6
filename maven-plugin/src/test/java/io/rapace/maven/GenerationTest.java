package io.rapace.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run of the goal without Maven, with the real parser and generator, in a project directory of its own. */
class GenerationTest {

    private static final String SERVICES = "META-INF/services/io.rapace.registry.ServiceDescriptor";
    private static final FileTime LONG_AGO = FileTime.fromMillis(946_684_800_000L);

    @TempDir
    Path project;

    private Path sources;
    private Path generated;
    private Path resources;

    @BeforeEach
    void writeSources() throws IOException {
        sources = project.resolve("src/main/rapace");
        generated = project.resolve("target/generated-sources/rapace");
        resources = project.resolve("target/generated-resources/rapace/default");
        write("main.rapace", "package app;\nimport \"lib/types.rapace\";\nservice Store {\n"
                + "    unary get(Key) -> Value;\n}\n");
        write("lib/types.rapace", "package lib;\nstruct Key { name: string }\nstruct Value { data: bytes }\n");
    }

    private void write(String name, String text) throws IOException {
        Path file = sources.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private Generation.Outcome run(List<String> includes, String plugin) throws IOException {
        Generation.Settings settings = new Generation.Settings(project, sources, includes, generated, resources,
                project.resolve("target/rapace-maven-plugin/default.state"), plugin);
        return new Generation(settings, new RapaceGenerator(generated, resources)).run();
    }

    private Generation.Outcome run() throws IOException {
        return run(List.of(), "io.rapace:rapace-maven-plugin:1.0");
    }

    /** Every file under the output directories, relative to the project, sorted. */
    private List<String> outputs() throws IOException {
        List<String> files = new ArrayList<>();
        for (Path root : List.of(generated, resources)) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile)
                            .forEach(file -> files.add(project.relativize(file).toString().replace('\\', '/')));
                }
            }
        }
        files.sort(null);
        return files;
    }

    private void ageOutputs() throws IOException {
        for (String file : outputs()) {
            Files.setLastModifiedTime(project.resolve(file), LONG_AGO);
        }
    }

    private List<String> agedOutputs() throws IOException {
        List<String> aged = new ArrayList<>();
        for (String file : outputs()) {
            if (Files.getLastModifiedTime(project.resolve(file)).equals(LONG_AGO)) {
                aged.add(file);
            }
        }
        return aged;
    }

    private static final List<String> ALL = List.of(
            "target/generated-resources/rapace/default/" + SERVICES,
            "target/generated-sources/rapace/app/Store.java",
            "target/generated-sources/rapace/app/StoreClient.java",
            "target/generated-sources/rapace/app/StoreDescriptor.java",
            "target/generated-sources/rapace/app/StoreDispatcher.java",
            "target/generated-sources/rapace/lib/Key.java",
            "target/generated-sources/rapace/lib/KeyCodec.java",
            "target/generated-sources/rapace/lib/Value.java",
            "target/generated-sources/rapace/lib/ValueCodec.java");

    @Test
    void generatesEverythingThenSkipsWhenNothingChanged() throws IOException {
        Generation.Outcome first = run();
        assertInstanceOf(Generation.Outcome.Generated.class, first);
        assertEquals("Read 2 IDL files: 2 types, 1 service, 1 method; wrote 8 Java files to "
                + "target/generated-sources/rapace", first.message());
        assertEquals(ALL, outputs());
        assertEquals("app.StoreDescriptor\n", Files.readString(resources.resolve(SERVICES)));

        ageOutputs();
        Generation.Outcome second = run();
        assertInstanceOf(Generation.Outcome.UpToDate.class, second);
        assertEquals("Nothing changed in 2 IDL files since the last build; 8 Java files in "
                + "target/generated-sources/rapace are up to date", second.message());
        assertEquals(ALL, agedOutputs());
    }

    @Test
    void aChangedFileThatIsOnlyImportedRegeneratesAndRewritesOnlyWhatChanged() throws IOException {
        run(List.of("main.rapace"), "p");
        ageOutputs();
        write("lib/types.rapace", "package lib;\nstruct Key { name: string, version: u32 }\n"
                + "struct Value { data: bytes }\n");

        Generation.Outcome outcome = run(List.of("main.rapace"), "p");

        assertEquals("Read 2 IDL files: 2 types, 1 service, 1 method; wrote 3 Java files to "
                + "target/generated-sources/rapace (5 unchanged)", outcome.message());
        List<String> rewritten = new ArrayList<>(ALL);
        rewritten.removeAll(agedOutputs());
        assertEquals(List.of("target/generated-sources/rapace/app/StoreDescriptor.java",
                "target/generated-sources/rapace/lib/Key.java",
                "target/generated-sources/rapace/lib/KeyCodec.java"), rewritten, "the descriptor holds Key's schema");
    }

    @Test
    void regeneratesWhenAnOutputIsMissingOrThePluginOrAParameterChanged() throws IOException {
        run();
        Files.delete(generated.resolve("lib/Value.java"));
        assertEquals("Read 2 IDL files: 2 types, 1 service, 1 method; wrote 1 Java file to "
                + "target/generated-sources/rapace (7 unchanged)", run().message());
        assertInstanceOf(Generation.Outcome.UpToDate.class, run());

        assertEquals("Read 2 IDL files: 2 types, 1 service, 1 method; wrote 0 Java files to "
                + "target/generated-sources/rapace (8 unchanged)",
                run(List.of(), "io.rapace:rapace-maven-plugin:1.1").message());
        assertInstanceOf(Generation.Outcome.UpToDate.class, run(List.of(), "io.rapace:rapace-maven-plugin:1.1"));
        assertInstanceOf(Generation.Outcome.UpToDate.class,
                run(List.of("**/*.rapace"), "io.rapace:rapace-maven-plugin:1.1"), "the default, written out");
        assertEquals("Read 2 IDL files: 2 types, 1 service, 1 method; wrote 0 Java files to "
                + "target/generated-sources/rapace (8 unchanged)",
                run(List.of("**/*.rapace", "main.rapace"), "io.rapace:rapace-maven-plugin:1.1").message());
    }

    @Test
    void aNewIncludedFileRegenerates() throws IOException {
        run();
        write("extra/more.rapace", "package extra;\nenum Mood { Calm, Busy }\n");
        assertEquals("Read 3 IDL files: 3 types, 1 service, 1 method; wrote 2 Java files to "
                + "target/generated-sources/rapace (8 unchanged)", run().message());
    }

    @Test
    void deletingAnIdlFileDeletesWhatWasGeneratedFromIt() throws IOException {
        write("lib/types.rapace", "package lib;\nimport \"../other/other.rapace\";\nstruct Key { name: string }\n"
                + "struct Value { data: bytes, other: Other }\n");
        write("other/other.rapace", "package other;\nstruct Other {}\nservice Lonely { unary ping(); }\n");
        run();
        assertEquals("app.StoreDescriptor\nother.LonelyDescriptor\n",
                Files.readString(resources.resolve(SERVICES)));
        write("lib/types.rapace", "package lib;\nstruct Key { name: string }\nstruct Value { data: bytes }\n");
        Files.delete(sources.resolve("other/other.rapace"));

        Generation.Outcome outcome = run();

        assertEquals("Read 2 IDL files: 2 types, 1 service, 1 method; wrote 3 Java files to "
                + "target/generated-sources/rapace (5 unchanged); deleted 6 stale files", outcome.message());
        assertEquals(ALL, outputs());
        assertFalse(Files.exists(generated.resolve("other")), "the emptied package directory is deleted too");
        assertEquals("app.StoreDescriptor\n", Files.readString(resources.resolve(SERVICES)));
    }

    @Test
    void deletingEveryIdlFileDeletesEverythingGenerated() throws IOException {
        run();
        Files.delete(sources.resolve("main.rapace"));
        Files.delete(sources.resolve("lib/types.rapace"));

        Generation.Outcome outcome = run();

        assertInstanceOf(Generation.Outcome.NoInputs.class, outcome);
        assertEquals("No IDL file in src/main/rapace matches [**/*.rapace]; nothing to generate; deleted 9 stale "
                + "files", outcome.message());
        assertEquals(List.of(), outputs());
        assertFalse(Files.exists(project.resolve("target/rapace-maven-plugin/default.state")));
    }

    @Test
    void aMissingSourceDirectoryIsNotAnError() throws IOException {
        sources = project.resolve("src/main/nothing");
        assertEquals("src/main/nothing does not exist; nothing to generate", run().message());
        assertEquals(List.of(), outputs());
    }

    @Test
    void errorsNameAbsolutePathsWriteNothingAndKeepTheLastGoodState() throws IOException {
        run();
        ageOutputs();
        String good = Files.readString(sources.resolve("lib/types.rapace"));
        write("lib/types.rapace", "package lib;\nstruct Key { name: strin }\nstruct Value { data: bytes }\n");
        write("main.rapace", "package app;\nimport \"lib/types.rapace\";\nimport \"gone.rapace\";\n"
                + "service Store {\n    unary get(Key) -> Value;\n}\n");

        Generation.Outcome outcome = run();

        Generation.Outcome.Failed failed = assertInstanceOf(Generation.Outcome.Failed.class, outcome);
        assertEquals("The IDL files have 2 errors, listed above", failed.message());
        assertEquals(List.of(
                sources.resolve("lib/types.rapace") + ":2:20: unknown type `strin`; did you mean `string`?\n"
                        + "struct Key { name: strin }\n"
                        + "                   ^",
                sources.resolve("main.rapace") + ":3:8: cannot read imported file `gone.rapace`: no such file\n"
                        + "import \"gone.rapace\";\n"
                        + "       ^"), failed.errors());
        assertEquals(ALL, agedOutputs());

        write("lib/types.rapace", good);
        write("main.rapace", "package app;\nimport \"lib/types.rapace\";\nservice Store {\n"
                + "    unary get(Key) -> Value;\n}\n");
        assertInstanceOf(Generation.Outcome.UpToDate.class, run());
    }

    @Test
    void aFileThatCannotBeReadIsAnError() throws IOException {
        Files.createSymbolicLink(sources.resolve("dangling.rapace"), sources.resolve("nowhere.rapace"));
        Generation.Outcome.Failed failed = assertInstanceOf(Generation.Outcome.Failed.class, run());
        assertEquals(List.of(sources.resolve("dangling.rapace") + ": cannot read the file: no such file"),
                failed.errors());
        assertEquals("The IDL files have 1 error, listed above", failed.message());
    }

    @Test
    void generatedClassesOfTheSameNameAreAnError() throws IOException {
        write("main.rapace", "package app;\nimport \"lib/types.rapace\";\nstruct StoreClient {}\nservice Store {\n"
                + "    unary get(Key) -> Value;\n}\n");
        Generation.Outcome.Failed failed = assertInstanceOf(Generation.Outcome.Failed.class, run());
        assertEquals(List.of(sources.resolve("main.rapace") + ":4:9: service `Store` generates the class "
                + "`StoreClient`, which struct `StoreClient` at main.rapace:3:8 already names\n"
                + "service Store {\n"
                + "        ^"), failed.errors());
        assertEquals("The IDL files have 1 error, listed above", failed.message());
        assertEquals(List.of(), outputs());
    }

    @Test
    void showsOutputDirectoriesOutsideTheProjectAsAbsolutePaths(@TempDir Path elsewhere) throws IOException {
        generated = elsewhere.resolve("java");
        assertEquals("Read 2 IDL files: 2 types, 1 service, 1 method; wrote 8 Java files to " + generated,
                run().message());
        assertTrue(Files.isRegularFile(generated.resolve("app/Store.java")));
    }

    @Test
    void rejectsAnIncludeThatNamesNoFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(List.of("."), "p"));
        assertEquals("the include pattern \".\" names no file", e.getMessage());
    }
}
