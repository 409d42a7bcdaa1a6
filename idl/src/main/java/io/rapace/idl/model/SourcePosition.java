package io.rapace.idl.model;

import java.util.Objects;

/**
 * Where a schema element was written: a file (as the front end names it), a line and a column, both counted from 1.
 * Columns count Unicode code points, a tab counts as one column. A front end that knows only the file (or the class)
 * uses line and column 0.
 *
 * @param file the file, or for annotated code the type, the element comes from
 * @param line the line, from 1; 0 when unknown
 * @param column the column in code points, from 1; 0 when unknown
 */
public record SourcePosition(String file, int line, int column) {

    public SourcePosition {
        Objects.requireNonNull(file, "file");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("negative line or column: " + line + ":" + column);
        }
    }

    /** A position that names only the file (or class) an element comes from. */
    public static SourcePosition of(String file) {
        return new SourcePosition(file, 0, 0);
    }

    /** Whether line and column are known. */
    public boolean isKnown() {
        return line > 0;
    }

    /** {@code file:line:column}, or just the file when the line is unknown. */
    @Override
    public String toString() {
        if (!isKnown()) {
            return file;
        }
        return file + ":" + line + ":" + column;
    }
}
