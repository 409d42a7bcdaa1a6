package io.rapace.idl.gen;

import com.palantir.javapoet.CodeBlock;
import java.util.List;

/**
 * {@code ///} documentation as Javadoc. The text is the schema's, not HTML or Javadoc: it is escaped so that it shows
 * as written and nothing in it can break the file or the Javadoc tool. {@code *}{@code /} cannot close the comment,
 * a backslash cannot start a Unicode escape (which javac decodes even inside comments), {@code @} cannot start a
 * tag, and {@code < > &} are entities. Everything else, non-ASCII text included, is kept.
 */
final class Docs {

    /** A documented name, for {@code @param} lines. */
    record Param(String name, String doc) {
    }

    private Docs() {
    }

    /** {@code doc} escaped for a Javadoc comment; lines end with {@code \n}, empty for no doc. */
    static String escape(String doc) {
        if (doc.isBlank()) {
            return "";
        }
        StringBuilder out = new StringBuilder(doc.length() + 16);
        String text = doc.strip().replace("\r\n", "\n").replace('\r', '\n');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '@' -> out.append("&#64;");
                case '\\' -> out.append("&#92;");
                case '/' -> out.append(i > 0 && text.charAt(i - 1) == '*' ? "&#47;" : "/");
                default -> out.append(c);
            }
        }
        StringBuilder lines = new StringBuilder(out.length() + 1);
        for (String line : out.toString().split("\n", -1)) {
            lines.append(line.stripTrailing()).append('\n');
        }
        return lines.toString();
    }

    /** The Javadoc of a type or member: its doc, then a {@code @param} line for each documented name. */
    static CodeBlock javadoc(String doc, List<Param> params) {
        return javadocOf(escape(doc), params);
    }

    /** The Javadoc of {@code javadoc}, text that is Javadoc already, then the {@code @param} lines. */
    static CodeBlock javadocOf(String javadoc, List<Param> params) {
        StringBuilder text = new StringBuilder(javadoc);
        int width = 0;
        for (Param param : params) {
            if (!param.doc().isBlank()) {
                width = Math.max(width, param.name().length());
            }
        }
        boolean first = true;
        for (Param param : params) {
            if (param.doc().isBlank()) {
                continue;
            }
            if (first && text.length() > 0) {
                text.append('\n');
            }
            first = false;
            String pad = " ".repeat(width - param.name().length());
            String[] lines = escape(param.doc()).split("\n");
            text.append("@param ").append(param.name()).append(pad).append(' ').append(lines[0]).append('\n');
            String indent = " ".repeat("@param ".length() + width + 1);
            for (int i = 1; i < lines.length; i++) {
                text.append(lines[i].isEmpty() ? "" : indent + lines[i]).append('\n');
            }
        }
        return text.length() == 0 ? CodeBlock.builder().build() : CodeBlock.of("$L", text);
    }

    /** The Javadoc of {@code doc} alone. */
    static CodeBlock javadoc(String doc) {
        return javadoc(doc, List.of());
    }
}
