package io.rapace.idl.parse;

import java.util.Arrays;

/**
 * The text of one file and its line table. A leading byte order mark is dropped; lines end at CRLF, LF or a lone CR
 * (each one line break); columns count code points from 1, a tab being one column.
 */
final class Source {

    private final String name;
    private final String text;
    private final int[] lineStarts;
    private final int lineCount;
    /** Whether the text has surrogate pairs, so that columns must count code points rather than chars. */
    private final boolean hasSurrogates;
    /** The last line {@link #lineText} returned, so that the diagnostics of one line share its text. */
    private int cachedLine;
    private String cachedLineText;

    Source(String name, String text) {
        this.name = name;
        this.text = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
        int[] starts = new int[16];
        int count = 1;
        for (int i = 0; i < this.text.length(); i++) {
            char c = this.text.charAt(i);
            if (c == '\r' && i + 1 < this.text.length() && this.text.charAt(i + 1) == '\n') {
                i++;
            }
            if (c == '\r' || c == '\n') {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        this.lineStarts = starts;
        this.lineCount = count;
        boolean surrogates = false;
        for (int i = 0; i < this.text.length() && !surrogates; i++) {
            surrogates = Character.isSurrogate(this.text.charAt(i));
        }
        this.hasSurrogates = surrogates;
    }

    /** The file's name as diagnostics and source positions show it. */
    String name() {
        return name;
    }

    /** The text, without a byte order mark. */
    String text() {
        return text;
    }

    /** The line, from 1, of the character at {@code offset} (an offset at the end of the text is on the last line). */
    int line(int offset) {
        int low = 0;
        int high = lineCount - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (lineStarts[middle] <= offset) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low + 1;
    }

    /** The column, from 1 in code points, of the character at {@code offset}. */
    int column(int offset) {
        int start = lineStarts[line(offset) - 1];
        int end = Math.min(offset, text.length());
        return (hasSurrogates ? text.codePointCount(start, end) : end - start) + 1;
    }

    /** The text of line {@code line} (from 1), without its line break. */
    String lineText(int line) {
        if (line == cachedLine) {
            return cachedLineText;
        }
        int start = lineStarts[line - 1];
        int end = line < lineCount ? lineStarts[line] : text.length();
        while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        cachedLine = line;
        cachedLineText = text.substring(start, end);
        return cachedLineText;
    }

    /** {@code name:line:column} of {@code offset}, as a message names another place. */
    String where(int offset) {
        return name + ":" + line(offset) + ":" + column(offset);
    }
}
