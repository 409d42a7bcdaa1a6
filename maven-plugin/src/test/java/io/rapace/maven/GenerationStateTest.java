package io.rapace.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationStateTest {

    @Test
    void writesAndReadsBackEveryInputAndOutput(@TempDir Path dir) throws IOException {
        Path sources = dir.resolve("generated sources = ü #!");
        GenerationState state = new GenerationState("abc123",
                List.of(dir.resolve("src/a b.rapace"), dir.resolve("src/../lib/c=d:e.rapace")),
                List.of(new OutputPath(sources, "io/x/A.java"),
                        new OutputPath(dir.resolve("res"), "META-INF/services/io.rapace.registry.ServiceDescriptor")));
        Path file = dir.resolve("target/rapace-maven-plugin/default.state");
        state.write(file);
        assertEquals(Optional.of(state), GenerationState.read(file));
        assertEquals(List.of("default.state"), List.of(file.getParent().toFile().list()));
    }

    @Test
    void aMissingOrDamagedStateIsNoState(@TempDir Path dir) throws IOException {
        assertEquals(Optional.empty(), GenerationState.read(dir.resolve("missing.state")));
        Path file = dir.resolve("x.state");
        for (String text : List.of("", "format=something else\nfingerprint=x\ninputs=0\noutputs=0\n",
                "format=rapace-maven-plugin state 1\nfingerprint=x\ninputs=1\noutputs=0\n",
                "format=rapace-maven-plugin state 1\nfingerprint=x\ninputs=zero\noutputs=0\n",
                "format=rapace-maven-plugin state 1\nfingerprint=x\ninputs=0\noutputs=1\noutput.0.root=/r\n"
                        + "output.0.path=../escape.java\n",
                "format=rapace-maven-plugin state 1\nfingerprint=x\ninputs=0\noutputs=1\noutput.0.root=relative\n"
                        + "output.0.path=A.java\n",
                "format=rapace-maven-plugin state 1\nfingerprint=x\ninputs=0\noutputs=0\nbad=\\u12\n")) {
            Files.writeString(file, text);
            assertEquals(Optional.empty(), GenerationState.read(file), text);
        }
        Files.writeString(file, "format=rapace-maven-plugin state 1\nfingerprint=x\ninputs=0\noutputs=0\n");
        assertEquals(Optional.of(new GenerationState("x", List.of(), List.of())), GenerationState.read(file));
    }
}
