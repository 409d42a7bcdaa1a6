package io.rapace.idl.parse;

import java.util.Objects;

/**
 * An IDL file given as text rather than read from disk (for tests and tools). Imports between sources resolve by
 * name, relative to the importing source's name, as paths would: {@code dir/a.rapace} importing
 * {@code "../b.rapace"} finds the source named {@code b.rapace}.
 *
 * @param name the file name diagnostics show, with {@code /} between directories
 * @param text the file's contents
 */
public record SourceText(String name, String text) {

    public SourceText {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }
}
