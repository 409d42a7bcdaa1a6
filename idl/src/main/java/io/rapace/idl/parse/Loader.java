package io.rapace.idl.parse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and parses the given files and, following their imports, every file they import, each once. Import problems
 * are reported at the import: a path that is not acceptable, a file that cannot be read, a duplicate import, and an
 * import that closes a cycle (found by a depth-first walk from the given files, in order).
 */
final class Loader {

    /** A file read and parsed, and the files its imports lead to (a file sees their types, and its own). */
    static final class Unit {
        final SourceFiles.Location location;
        final Source source;
        final Ast.File ast;
        final List<Unit> imports = new ArrayList<>();

        Unit(SourceFiles.Location location, Source source, Ast.File ast) {
            this.location = location;
            this.source = source;
            this.ast = ast;
        }
    }

    private static final int ON_STACK = 1;
    private static final int DONE = 2;

    private final SourceFiles files;
    private final Reporter reporter;
    private final Map<String, Unit> units = new LinkedHashMap<>();
    private final Map<String, String> unreadable = new HashMap<>();

    Loader(SourceFiles files, Reporter reporter) {
        this.files = files;
        this.reporter = reporter;
    }

    /** The given files first, in order, then the files only imported, in the order they were found. */
    List<Unit> load(List<SourceFiles.Location> roots) {
        List<Unit> rootUnits = new ArrayList<>();
        for (SourceFiles.Location root : roots) {
            if (units.containsKey(root.key()) || unreadable.containsKey(root.key())) {
                continue;
            }
            Unit unit = read(root);
            if (unit == null) {
                reporter.fileError(root.name(), "cannot read the file: " + unreadable.get(root.key()));
            } else {
                rootUnits.add(unit);
            }
        }
        Map<Unit, Integer> state = new IdentityHashMap<>();
        for (Unit root : rootUnits) {
            if (!state.containsKey(root)) {
                walk(root, state);
            }
        }
        return List.copyOf(units.values());
    }

    /** One file being walked: the next import to follow, and the files its imports led to so far. */
    private static final class Frame {
        final Unit unit;
        final Map<String, Ast.Import> imported = new HashMap<>();
        int next;

        Frame(Unit unit) {
            this.unit = unit;
        }
    }

    private void walk(Unit root, Map<Unit, Integer> state) {
        List<Frame> stack = new ArrayList<>();
        stack.add(new Frame(root));
        state.put(root, ON_STACK);
        while (!stack.isEmpty()) {
            Frame frame = stack.get(stack.size() - 1);
            List<Ast.Import> imports = frame.unit.ast.imports();
            if (frame.next >= imports.size()) {
                state.put(frame.unit, DONE);
                stack.remove(stack.size() - 1);
                continue;
            }
            Ast.Import anImport = imports.get(frame.next++);
            if (!anImport.valid()) {
                continue;
            }
            Unit target = follow(frame, anImport);
            if (target == null) {
                continue;
            }
            frame.unit.imports.add(target);
            Integer targetState = state.get(target);
            if (targetState == null) {
                state.put(target, ON_STACK);
                stack.add(new Frame(target));
            } else if (targetState == ON_STACK) {
                reporter.error(frame.unit.source, anImport.offset(), cycle(stack, target));
            }
        }
    }

    /** The file {@code anImport} leads to, or {@code null} after reporting why there is none. */
    private Unit follow(Frame frame, Ast.Import anImport) {
        Source source = frame.unit.source;
        SourceFiles.Resolution resolution = files.resolve(frame.unit.location, anImport.path());
        if (resolution.location() == null) {
            reporter.error(source, anImport.offset(), resolution.error());
            return null;
        }
        SourceFiles.Location location = resolution.location();
        Ast.Import first = frame.imported.putIfAbsent(location.key(), anImport);
        if (first != null) {
            reporter.error(source, anImport.offset(), "duplicate import of " + Text.quote(location.name())
                    + "; it is already imported at " + source.where(first.offset()));
            return null;
        }
        Unit target = units.get(location.key());
        if (target == null && !unreadable.containsKey(location.key())) {
            target = read(location);
        }
        if (target == null) {
            reporter.error(source, anImport.offset(), "cannot read imported file " + Text.quote(location.name())
                    + ": " + unreadable.get(location.key()));
        }
        return target;
    }

    private static String cycle(List<Frame> stack, Unit target) {
        if (stack.get(stack.size() - 1).unit == target) {
            return "import cycle: " + Text.quote(target.location.name()) + " imports itself";
        }
        StringBuilder chain = new StringBuilder("import cycle: ");
        boolean inCycle = false;
        for (Frame frame : stack) {
            inCycle |= frame.unit == target;
            if (inCycle) {
                chain.append(Text.quote(frame.unit.location.name())).append(" -> ");
            }
        }
        return chain.append(Text.quote(target.location.name())).append(" (each file imports the next)").toString();
    }

    private Unit read(SourceFiles.Location location) {
        SourceFiles.Contents contents = files.read(location);
        if (contents.error() != null) {
            unreadable.put(location.key(), contents.error());
            return null;
        }
        Source source = new Source(location.name(), contents.text());
        if (contents.invalidUtf8At() >= 0) {
            int bom = contents.text().startsWith("\uFEFF") ? 1 : 0;
            reporter.error(source, contents.invalidUtf8At() - bom,
                    "invalid UTF-8: the file must be UTF-8 encoded (the bad bytes read as U+FFFD)");
        }
        Unit unit = new Unit(location, source, Parser.parse(source, reporter));
        units.put(location.key(), unit);
        return unit;
    }
}
