package io.rapace.docs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fenced code block of a Markdown document.
 *
 * @param doc    the document, relative to the repository root ({@code docs/getting-started.md})
 * @param line   the line of the opening fence, from 1
 * @param info   the fence's info string ({@code xml}, {@code java}, empty)
 * @param marker the marker on the line right before the fence, or null
 * @param text   the block's content, each line ending with a newline
 */
record Snippet(String doc, int line, String info, Marker marker, String text) {

    /** Where the block is, as {@code docs/x.md:12}. */
    String where() {
        return doc + ":" + line;
    }

    /** Whether a line of the block runs Maven: {@code mvn ...}, also after {@code $ }, {@code &&} or {@code ;}. */
    boolean runsMaven() {
        return MVN.matcher(text).find();
    }

    private static final Pattern MVN = Pattern.compile("(?m)(^\\s*(\\$\\s+)?|[;&|]\\s*)mvn\\s");

    /** What the line right before a fence says the block is. */
    record Marker(Kind kind, String argument) {
        enum Kind {
            /** a whole file of the document's project, at the path in the argument */
            FILE,
            /** Maven commands the docs test runs in the project */
            RUN,
            /** lines the runs must print, in order */
            OUTPUT,
            /** not built or run by the docs test; the argument, if any, says why */
            FRAGMENT
        }

        private static final Pattern SYNTAX =
                Pattern.compile("<!--\\s*(file|run|output|fragment)\\s*(?::\\s*(.*?))?\\s*-->");

        /** The marker a line holds, or null when it holds none. */
        static Marker parse(String line) {
            Matcher m = SYNTAX.matcher(line.strip());
            if (!m.matches()) {
                return null;
            }
            String argument = m.group(2) == null ? "" : m.group(2);
            return new Marker(Kind.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)), argument);
        }
    }
}
