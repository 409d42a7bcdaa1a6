package io.rapace.maven;

import io.rapace.idl.gen.GeneratedFile;
import io.rapace.idl.gen.GeneratorOptions;
import io.rapace.idl.gen.JavaGenerator;
import io.rapace.idl.model.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Java generator of {@code rapace-idl}, with its sources placed under one root and its resources under another. */
final class RapaceGenerator implements Generation.Generator {

    private final Path sourceRoot;
    private final Path resourceRoot;

    RapaceGenerator(Path sourceRoot, Path resourceRoot) {
        this.sourceRoot = sourceRoot.toAbsolutePath().normalize();
        this.resourceRoot = resourceRoot.toAbsolutePath().normalize();
    }

    @Override
    public List<OutputFile> generate(Schema schema) {
        List<OutputFile> files = new ArrayList<>();
        for (GeneratedFile file : JavaGenerator.generate(schema, GeneratorOptions.DEFAULT)) {
            Path root = file.kind() == GeneratedFile.Kind.SOURCE ? sourceRoot : resourceRoot;
            files.add(new OutputFile(new OutputPath(root, file.path()), file.content()));
        }
        return files;
    }
}
