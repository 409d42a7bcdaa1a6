package io.rapace.idl.gen;

import io.rapace.idl.model.Schema;
import io.rapace.idl.parse.IdlParser;
import io.rapace.idl.parse.ParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates Java from {@code .rapace} files without Maven: {@code java -cp <rapace-idl and its dependencies>
 * io.rapace.idl.gen.Main SOURCE_DIR RESOURCE_DIR FILE.rapace...} writes the Java sources under {@code SOURCE_DIR}
 * and the {@code ServiceLoader} registration under {@code RESOURCE_DIR}. On errors in the IDL it prints every
 * diagnostic to standard error and exits with status 1, writing nothing. The build uses it to generate the kitchen
 * sink its tests call.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: io.rapace.idl.gen.Main SOURCE_DIR RESOURCE_DIR FILE.rapace...");
            System.exit(2);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        ParseResult result = IdlParser.parse(files);
        if (!result.succeeded()) {
            System.err.print(result.formattedDiagnostics());
            System.exit(1);
        }
        Schema schema = result.schemaOrThrow();
        List<GeneratedFile> generated = JavaGenerator.generate(schema, GeneratorOptions.DEFAULT);
        for (GeneratedFile file : generated) {
            Path root = Path.of(file.kind() == GeneratedFile.Kind.SOURCE ? args[0] : args[1]);
            Path target = root.resolve(file.path());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.content(), StandardCharsets.UTF_8);
        }
        System.out.println("rapace: " + result.files().size() + " files read, " + schema.types().size() + " types, "
                + schema.services().size() + " services, " + generated.size() + " files written");
    }
}
