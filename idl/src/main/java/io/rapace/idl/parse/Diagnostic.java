package io.rapace.idl.parse;

import java.util.Objects;

/**
 * One problem found in an IDL file. {@link #format()} renders it as
 * <pre>
 * file:line:column: message
 * the source line
 *         ^
 * </pre>
 * with the caret under the column (the tabs of the source line are repeated in the caret line, so the caret lines up
 * whatever the tab width). A problem with the file as a whole, such as a file that cannot be read, has line and
 * column 0 and formats as {@code file: message} alone.
 *
 * @param file the file as the parser was given it, or as an import resolved it
 * @param line the line, from 1 (0 for the file as a whole)
 * @param column the column, from 1, in code points; a tab is one column
 * @param message what is wrong, naming the other place involved where there is one
 * @param sourceLine the text of the line, without its line break
 */
public record Diagnostic(String file, int line, int column, String message, String sourceLine) {

    public Diagnostic {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(sourceLine, "sourceLine");
    }

    /** {@code file:line:column: message}, the source line and a caret line, separated by {@code \n}. */
    public String format() {
        if (line == 0) {
            return file + ": " + message;
        }
        StringBuilder text = new StringBuilder();
        text.append(file).append(':').append(line).append(':').append(column).append(": ").append(message);
        text.append('\n').append(sourceLine).append('\n');
        int offset = 0;
        for (int i = 1; i < column && offset < sourceLine.length(); i++) {
            int codePoint = sourceLine.codePointAt(offset);
            text.append(codePoint == '\t' ? '\t' : ' ');
            offset += Character.charCount(codePoint);
        }
        for (int i = sourceLine.codePointCount(0, offset) + 1; i < column; i++) {
            text.append(' ');
        }
        return text.append('^').toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
