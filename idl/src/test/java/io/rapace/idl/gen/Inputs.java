package io.rapace.idl.gen;

import io.rapace.idl.model.Schema;
import io.rapace.idl.parse.IdlParser;
import io.rapace.idl.parse.SourceText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The IDL inputs of the generator tests, in {@code src/test/resources/idl}: the host example of docs/idl.md,
 * the calculator of {@code docs/generated-code.md}, and the kitchen sink (two files, one importing the other).
 */
enum Inputs {
    HOST("host", "host.rapace"),
    CALCULATOR("calculator", "calculator.rapace"),
    SINK("sink", "sink.rapace", "sink_types.rapace");

    private final String golden;
    private final List<String> files;

    Inputs(String golden, String... files) {
        this.golden = golden;
        this.files = List.of(files);
    }

    /** The folder of its expected files under {@code src/test/resources/golden}. */
    String golden() {
        return golden;
    }

    /** The schema, parsed from the files named as they are ({@code sink.rapace}), as headers show them. */
    Schema schema() {
        List<SourceText> sources = new ArrayList<>();
        for (String file : files) {
            sources.add(new SourceText(file, read(file)));
        }
        return IdlParser.parseSources(sources).schemaOrThrow();
    }

    List<GeneratedFile> generate() {
        return JavaGenerator.generate(schema(), GeneratorOptions.DEFAULT);
    }

    static String read(String file) {
        try (InputStream in = Inputs.class.getResourceAsStream("/idl/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no test resource idl/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
