package io.rapace.idl.parse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Collects the diagnostics of one run, and hands them back grouped by file and sorted by position. */
final class Reporter {

    private final List<Diagnostic> diagnostics = new ArrayList<>();

    /** Records {@code message} (one line) at {@code offset} of {@code source}. */
    void error(Source source, int offset, String message) {
        assert message.indexOf('\n') < 0 && message.indexOf('\r') < 0 : message;
        int line = source.line(offset);
        diagnostics.add(new Diagnostic(source.name(), line, source.column(offset), message, source.lineText(line)));
    }

    /** Records a problem with a file as a whole (it cannot be read, for instance). */
    void fileError(String file, String message) {
        diagnostics.add(new Diagnostic(file, 0, 0, message, ""));
    }

    boolean hasErrors() {
        return !diagnostics.isEmpty();
    }

    /**
     * The diagnostics, files in {@code fileOrder} (unknown files last), then by line and column; the sort is stable,
     * so problems at one place keep the order they were found in.
     */
    List<Diagnostic> sorted(Map<String, Integer> fileOrder) {
        List<Diagnostic> sorted = new ArrayList<>(diagnostics);
        sorted.sort(Comparator.<Diagnostic>comparingInt(d -> fileOrder.getOrDefault(d.file(), Integer.MAX_VALUE))
                .thenComparingInt(Diagnostic::line)
                .thenComparingInt(Diagnostic::column));
        return List.copyOf(sorted);
    }
}
