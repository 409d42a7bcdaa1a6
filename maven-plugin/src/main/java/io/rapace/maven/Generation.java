package io.rapace.maven;

import io.rapace.idl.model.Schema;
import io.rapace.idl.model.Service;
import io.rapace.idl.parse.Diagnostic;
import io.rapace.idl.parse.IdlParser;
import io.rapace.idl.parse.ParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One run of the {@code generate} goal, without Maven: find the IDL files, skip if nothing changed since the last
 * successful run, otherwise parse them all together, generate, write what changed, delete what is no longer
 * generated and record the new state. {@link GenerateMojo} adds only the Maven side (parameters, source roots,
 * logging).
 */
final class Generation {

    /** Turns a schema into files: the Java generator, with each file placed under its output root. */
    @FunctionalInterface
    interface Generator {
        List<OutputFile> generate(Schema schema);
    }

    /**
     * What one execution works with.
     *
     * @param basedir the project directory; paths under it are shown relative to it in messages
     * @param sourceDirectory where the IDL files are
     * @param includes the include patterns, or none for the default {@code **}{@code /*.rapace}
     * @param outputDirectory where Java sources go
     * @param resourceDirectory where resources (the {@code ServiceLoader} file) go
     * @param stateFile where this execution keeps its {@link GenerationState}
     * @param plugin the plugin's identity: its coordinates, and whatever else says the generator changed
     */
    record Settings(Path basedir, Path sourceDirectory, List<String> includes, Path outputDirectory,
                    Path resourceDirectory, Path stateFile, String plugin) {

        Settings {
            basedir = basedir.toAbsolutePath().normalize();
            sourceDirectory = sourceDirectory.toAbsolutePath().normalize();
            includes = includes == null ? List.of() : List.copyOf(includes);
            outputDirectory = outputDirectory.toAbsolutePath().normalize();
            resourceDirectory = resourceDirectory.toAbsolutePath().normalize();
            stateFile = stateFile.toAbsolutePath().normalize();
            Objects.requireNonNull(plugin, "plugin");
        }
    }

    /** How a run ended, with the one line to log about it. */
    sealed interface Outcome {

        /** The line that says what happened. */
        String message();

        /** There was no IDL file: nothing is generated, and the outputs of an earlier run were deleted. */
        record NoInputs(String message) implements Outcome {
        }

        /** Nothing changed since the last run, whose outputs all still exist: nothing was written. */
        record UpToDate(GenerationState state, String message) implements Outcome {
        }

        /** The files were generated. */
        record Generated(GenerationState state, String message) implements Outcome {
        }

        /**
         * The IDL files have errors, each formatted ({@code file:line:column: message}, the line and a caret):
         * nothing was written, and the state of the last good run is kept.
         */
        record Failed(List<String> errors, String message) implements Outcome {
        }
    }

    private final Settings settings;
    private final Generator generator;

    Generation(Settings settings, Generator generator) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    /**
     * Runs the generation.
     *
     * @throws IllegalArgumentException if an include pattern is not valid
     * @throws IOException if a directory cannot be listed or an output cannot be written or deleted
     */
    Outcome run() throws IOException {
        List<IncludePattern> includes = IncludePattern.compileAll(settings.includes());
        Optional<GenerationState> previous = GenerationState.read(settings.stateFile());
        List<String> included = SourceScanner.scan(settings.sourceDirectory(), includes);
        if (included.isEmpty()) {
            return noInputs(includes, previous);
        }
        List<String> configuration = configuration(includes, included);
        if (previous.isPresent() && isUpToDate(previous.get(), configuration)) {
            GenerationState state = previous.get();
            return new Outcome.UpToDate(state, "Nothing changed in " + count(state.inputs().size(), "IDL file")
                    + " since the last build; " + count(javaSources(state.outputs()), "Java file") + " in "
                    + display(settings.outputDirectory()) + (javaSources(state.outputs()) == 1 ? " is" : " are")
                    + " up to date");
        }

        // Named relative to the source directory, the schema (and the headers of the generated files) do not depend
        // on where the project is; the diagnostics printed name the absolute path, which a terminal or IDE can open.
        List<Path> files = new ArrayList<>(included.size());
        for (String name : included) {
            files.add(Path.of(name));
        }
        ParseResult parsed = IdlParser.parse(settings.sourceDirectory(), files);
        if (!parsed.succeeded()) {
            List<String> errors = new ArrayList<>();
            for (Diagnostic diagnostic : parsed.diagnostics()) {
                errors.add(new Diagnostic(absolute(diagnostic.file()).toString(), diagnostic.line(),
                        diagnostic.column(), diagnostic.message(), diagnostic.sourceLine()).format());
            }
            return failed(errors);
        }
        Schema schema = parsed.schemaOrThrow();
        List<Path> inputs = new ArrayList<>();
        for (String name : parsed.files()) {
            inputs.add(absolute(name));
        }
        String fingerprint = Fingerprint.of(configuration, inputs);
        List<OutputFile> outputs = generator.generate(schema);
        List<OutputPath> targets = targets(outputs);
        List<OutputPath> previousTargets = previous.map(GenerationState::outputs).orElse(List.of());

        // Until the new state is written, the state says "regenerate" and lists every file that may exist, so that
        // a run that stops halfway still deletes what is stale the next time.
        Set<OutputPath> everything = new LinkedHashSet<>(previousTargets);
        everything.addAll(targets);
        new GenerationState("", inputs, new ArrayList<>(everything)).write(settings.stateFile());

        int written = 0;
        int unchanged = 0;
        for (OutputFile output : outputs) {
            boolean wrote = OutputWriter.write(output);
            if (output.target().isJavaSource()) {
                if (wrote) {
                    written++;
                } else {
                    unchanged++;
                }
            }
        }
        int deleted = OutputWriter.deleteStale(previousTargets, targets);
        GenerationState state = new GenerationState(fingerprint, inputs, targets);
        state.write(settings.stateFile());

        int methods = 0;
        for (Service service : schema.services()) {
            methods += service.methods().size();
        }
        StringBuilder message = new StringBuilder()
                .append("Read ").append(count(inputs.size(), "IDL file")).append(": ")
                .append(count(schema.types().size(), "type")).append(", ")
                .append(count(schema.services().size(), "service")).append(", ")
                .append(count(methods, "method")).append("; wrote ").append(count(written, "Java file"))
                .append(" to ").append(display(settings.outputDirectory()));
        if (unchanged > 0) {
            message.append(" (").append(unchanged).append(" unchanged)");
        }
        if (deleted > 0) {
            message.append("; deleted ").append(count(deleted, "stale file"));
        }
        return new Outcome.Generated(state, message.toString());
    }

    private static Outcome failed(List<String> errors) {
        return new Outcome.Failed(errors, "The IDL files have " + count(errors.size(), "error") + ", listed above");
    }

    private Outcome noInputs(List<IncludePattern> includes, Optional<GenerationState> previous) throws IOException {
        int deleted = 0;
        if (previous.isPresent()) {
            deleted = OutputWriter.deleteStale(previous.get().outputs(), List.of());
        }
        Files.deleteIfExists(settings.stateFile());
        String message = Files.isDirectory(settings.sourceDirectory())
                ? "No IDL file in " + display(settings.sourceDirectory()) + " matches " + includes
                : display(settings.sourceDirectory()) + " does not exist";
        message += "; nothing to generate";
        if (deleted > 0) {
            message += "; deleted " + count(deleted, "stale file");
        }
        return new Outcome.NoInputs(message);
    }

    /** A file as the parser names it (relative to the source directory), as an absolute path. */
    private Path absolute(String name) {
        return settings.sourceDirectory().resolve(name).normalize();
    }

    /** Whether the fingerprint is the same and every output of the last run still exists. */
    private static boolean isUpToDate(GenerationState state, List<String> configuration) {
        if (state.fingerprint().isEmpty()) {
            return false;
        }
        for (OutputPath output : state.outputs()) {
            if (!Files.isRegularFile(output.file())) {
                return false;
            }
        }
        return state.fingerprint().equals(Fingerprint.of(configuration, state.inputs()));
    }

    /** Everything that is not an input file's content and still changes the output. */
    private List<String> configuration(List<IncludePattern> includes, List<String> included) {
        List<String> lines = new ArrayList<>();
        lines.add("plugin " + settings.plugin());
        lines.add("sourceDirectory " + settings.sourceDirectory());
        lines.add("outputDirectory " + settings.outputDirectory());
        lines.add("resourceDirectory " + settings.resourceDirectory());
        for (IncludePattern include : includes) {
            lines.add("include " + include);
        }
        for (String name : included) {
            lines.add("included " + name);
        }
        return lines;
    }

    private static List<OutputPath> targets(List<OutputFile> outputs) {
        Set<OutputPath> targets = new LinkedHashSet<>();
        for (OutputFile output : outputs) {
            if (!targets.add(output.target())) {
                throw new IllegalStateException("the generator produced " + output.target() + " twice");
            }
        }
        return new ArrayList<>(targets);
    }

    private static int javaSources(List<OutputPath> outputs) {
        int count = 0;
        for (OutputPath output : outputs) {
            if (output.isJavaSource()) {
                count++;
            }
        }
        return count;
    }

    /** {@code path} relative to the project directory if it is inside it, with {@code /}; otherwise absolute. */
    String display(Path path) {
        if (path.startsWith(settings.basedir()) && !path.equals(settings.basedir())) {
            return settings.basedir().relativize(path).toString().replace('\\', '/');
        }
        return path.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
