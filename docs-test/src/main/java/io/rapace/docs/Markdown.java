package io.rapace.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fenced code blocks of a CommonMark document: backtick or tilde fences of three or more, at most 3 spaces in. */
final class Markdown {
    private static final Pattern OPENING = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*).*$");

    private Markdown() {
    }

    /** Every fenced block of {@code content}, in order; an unclosed block runs to the end, as CommonMark says. */
    static List<Snippet> snippets(String doc, String content) {
        String[] lines = content.split("\r?\n", -1);
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher opening = OPENING.matcher(lines[i]);
            if (!opening.matches()) {
                continue;
            }
            String fence = opening.group(1);
            Snippet.Marker marker = i > 0 ? Snippet.Marker.parse(lines[i - 1]) : null;
            StringBuilder text = new StringBuilder();
            int j = i + 1;
            while (j < lines.length && !isClosing(lines[j], fence)) {
                text.append(lines[j]).append('\n');
                j++;
            }
            snippets.add(new Snippet(doc, i + 1, opening.group(2), marker, text.toString()));
            i = j;
        }
        return snippets;
    }

    private static boolean isClosing(String line, String fence) {
        String s = line.strip();
        return line.indexOf(s) <= 3 && s.length() >= fence.length()
                && s.chars().allMatch(c -> c == fence.charAt(0));
    }
}
