package io.rapace.idl.parse;

import io.rapace.idl.model.Schema;
import java.util.List;
import java.util.Optional;

/**
 * What {@link IdlParser} found: the schema when every file was free of errors, otherwise every diagnostic of every
 * file (files in the order read, then by line and column), and in both cases the files read.
 */
public final class ParseResult {

    private final Schema schema;
    private final List<Diagnostic> diagnostics;
    private final List<String> files;

    ParseResult(Schema schema, List<Diagnostic> diagnostics, List<String> files) {
        this.schema = schema;
        this.diagnostics = List.copyOf(diagnostics);
        this.files = List.copyOf(files);
    }

    /** Whether there were no errors, so that {@link #schema()} is present. */
    public boolean succeeded() {
        return schema != null;
    }

    /** The schema of everything read, if there were no errors. */
    public Optional<Schema> schema() {
        return Optional.ofNullable(schema);
    }

    /** The schema; throws {@link IllegalStateException} with every formatted diagnostic if there were errors. */
    public Schema schemaOrThrow() {
        if (schema == null) {
            throw new IllegalStateException(formattedDiagnostics());
        }
        return schema;
    }

    /** Every problem found; empty exactly when {@link #succeeded()}. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /**
     * Every file read, as diagnostics and source positions name it: the files given, in order, then the files only
     * imported (a build tool watches all of them).
     */
    public List<String> files() {
        return files;
    }

    /** Every diagnostic {@linkplain Diagnostic#format() formatted}, each followed by a newline. */
    public String formattedDiagnostics() {
        StringBuilder text = new StringBuilder();
        for (Diagnostic diagnostic : diagnostics) {
            text.append(diagnostic.format()).append('\n');
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return succeeded() ? "ParseResult[schema of " + files + "]" : "ParseResult[\n" + formattedDiagnostics() + "]";
    }
}
