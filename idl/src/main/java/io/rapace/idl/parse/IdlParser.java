package io.rapace.idl.parse;

import io.rapace.idl.model.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code .rapace} files into the {@link Schema} the generator takes.
 *
 * <p>The files given, and every file they import (followed relative to the importing file), are read and checked
 * together: "Everything generated together" in {@code docs/idl.md}. The result holds either the schema or every error found in
 * any of them, syntax and semantic alike, each as a {@link Diagnostic}. Nothing here throws on any input: unreadable
 * files, bad encodings and garbage are all diagnostics.
 *
 * <pre>{@code
 * ParseResult result = IdlParser.parse(List.of(Path.of("src/main/rapace/host.rapace")));
 * if (!result.succeeded()) {
 *     System.err.print(result.formattedDiagnostics());
 * }
 * }</pre>
 */
public final class IdlParser {

    private IdlParser() {
    }

    /**
     * Reads {@code files} from disk, and the files they import. When one file is duplicated elsewhere, the
     * duplicate is reported in the file that comes later: in the order given (give them sorted for a stable
     * report), then files only imported, in the order found.
     */
    public static ParseResult parse(List<Path> files) {
        SourceFiles.OnDisk disk = new SourceFiles.OnDisk();
        List<SourceFiles.Location> roots = new ArrayList<>(files.size());
        for (Path file : files) {
            roots.add(disk.root(file));
        }
        return run(disk, roots);
    }

    /**
     * Reads {@code files}, paths relative to {@code directory}, and the files they import; otherwise as
     * {@link #parse(List)}. Diagnostics, source positions and {@link ParseResult#files()} name every file relative to
     * {@code directory} (an import outside it starts with {@code ../}), so that the schema, and the code generated
     * from it, are the same wherever the directory is. This is how a build tool reads a source directory.
     */
    public static ParseResult parse(Path directory, List<Path> files) {
        SourceFiles.OnDisk disk = new SourceFiles.OnDisk(directory);
        List<SourceFiles.Location> roots = new ArrayList<>(files.size());
        for (Path file : files) {
            roots.add(disk.root(file));
        }
        return run(disk, roots);
    }

    /** Reads {@code files} from disk; see {@link #parse(List)}. */
    public static ParseResult parse(Path... files) {
        return parse(List.of(files));
    }

    /** Parses sources given as text, which import one another by name; see {@link SourceText}. */
    public static ParseResult parseSources(List<SourceText> sources) {
        SourceFiles.InMemory memory = new SourceFiles.InMemory(sources);
        List<SourceFiles.Location> roots = new ArrayList<>(sources.size());
        for (SourceText source : sources) {
            roots.add(memory.root(source.name()));
        }
        return run(memory, roots);
    }

    /** Parses sources given as text; see {@link #parseSources(List)}. */
    public static ParseResult parseSources(SourceText... sources) {
        return parseSources(List.of(sources));
    }

    /** Parses one source given as text, named {@code name} in diagnostics. */
    public static ParseResult parse(String name, String text) {
        return parseSources(List.of(new SourceText(name, text)));
    }

    private static ParseResult run(SourceFiles files, List<SourceFiles.Location> roots) {
        Reporter reporter = new Reporter();
        List<Loader.Unit> units = new Loader(files, reporter).load(roots);
        Checker.Resolution resolution = Checker.check(units, reporter);
        Map<String, Integer> order = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (SourceFiles.Location root : roots) {
            order.putIfAbsent(root.name(), order.size());
        }
        for (Loader.Unit unit : units) {
            order.putIfAbsent(unit.location.name(), order.size());
            names.add(unit.location.name());
        }
        Schema schema = reporter.hasErrors() ? null : ModelBuilder.build(units, resolution);
        return new ParseResult(schema, reporter.sorted(order), names);
    }
}
