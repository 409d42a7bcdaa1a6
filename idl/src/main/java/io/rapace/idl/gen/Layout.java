package io.rapace.idl.gen;

/**
 * The touches JavaPoet's layout lacks, applied to its output: a one-line Javadoc as {@code /** text *}{@code /}, as
 * a person writes it; enum constants without Javadoc one a line, without blank lines between them; a
 * {@code permits} clause wrapped at JavaPoet's 100 columns, which JavaPoet never wraps; no
 * trailing spaces (JavaPoet leaves one where it wraps after {@code =}). All act on whole lines JavaPoet wrote, and
 * no string literal spans lines, so they cannot change what the code means.
 */
final class Layout {

    /** JavaPoet's line width. */
    static final int COLUMNS = 100;

    private static final String PERMITS = " permits ";

    private Layout() {
    }

    static String tidy(String source) {
        String[] lines = source.split("\n", -1);
        StringBuilder out = new StringBuilder(source.length());
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            if (i + 2 < lines.length && line.equals(indent + "/**") && lines[i + 1].startsWith(indent + " * ")
                    && lines[i + 2].equals(indent + " */")) {
                String joined = indent + "/** " + lines[i + 1].substring(indent.length() + 3) + " */";
                if (joined.length() <= COLUMNS) {
                    out.append(joined).append('\n');
                    i += 2;
                    continue;
                }
            }
            if (line.isEmpty() && i > 0 && i + 1 < lines.length && isBareConstant(lines[i - 1], true)
                    && (isBareConstant(lines[i + 1], true) || isBareConstant(lines[i + 1], false))) {
                continue;
            }
            if (line.length() > COLUMNS && line.contains(" sealed interface ") && line.contains(PERMITS)) {
                line = wrapPermits(line, indent);
            }
            out.append(line);
            if (i + 1 < lines.length) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Whether {@code line} is an enum constant alone ({@code TRACE,}), after which JavaPoet leaves a blank line even
     * when neither it nor the next constant has a Javadoc. Only enum constants stand alone on a line followed by a
     * blank line: a statement never has a blank line inside it.
     */
    private static boolean isBareConstant(String line, boolean withComma) {
        String text = line.strip();
        if (withComma != text.endsWith(",")) {
            return false;
        }
        String name = withComma ? text.substring(0, text.length() - 1) : text;
        return !name.isEmpty() && name.chars().allMatch(c -> c == '_' || c == '$' || Character.isLetterOrDigit(c));
    }

    /** {@code ... permits A, B, C {} as the head, then the names filled to the width, indented twice. */
    private static String wrapPermits(String line, String indent) {
        int permits = line.indexOf(PERMITS);
        String head = line.substring(0, permits);
        String[] names = line.substring(permits + PERMITS.length(), line.length() - 2).split(", ");
        String continuation = indent + "        ";
        StringBuilder out = new StringBuilder(head).append('\n');
        StringBuilder current = new StringBuilder(continuation).append("permits");
        for (int i = 0; i < names.length; i++) {
            String name = names[i] + (i + 1 < names.length ? "," : " {");
            if (current.length() + 1 + name.length() > COLUMNS && current.length() > continuation.length()) {
                out.append(current).append('\n');
                current = new StringBuilder(continuation);
            } else {
                current.append(' ');
            }
            current.append(name);
        }
        return out.append(current).toString();
    }
}
