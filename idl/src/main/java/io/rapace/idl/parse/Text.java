package io.rapace.idl.parse;

import java.util.List;
import java.util.Locale;

/** How messages quote source text, and the nearest-name suggestions of unknown names. */
final class Text {

    /** The longest piece of source text, in code points, a message quotes before it cuts it short. */
    static final int QUOTE_LIMIT = 48;

    /** Names longer than this are not compared for suggestions (edit distance is quadratic). */
    private static final int SUGGESTION_LIMIT = 64;

    private Text() {
    }

    /**
     * {@code text} in backquotes, cut to {@link #QUOTE_LIMIT} code points with {@code ...} when longer; control
     * characters are written as the escapes of an IDL string, so that a message stays on one line.
     */
    static String quote(String text) {
        int count = text.codePointCount(0, text.length());
        String shown = count <= QUOTE_LIMIT ? text : text.substring(0, text.offsetByCodePoints(0, QUOTE_LIMIT));
        StringBuilder quoted = new StringBuilder(shown.length() + 8).append('`');
        shown.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                        quoted.append("\\u{").append(Integer.toHexString(c)).append('}');
                    } else {
                        quoted.appendCodePoint(c);
                    }
                }
            }
        });
        return quoted.append(count <= QUOTE_LIMIT ? "`" : "...`").toString();
    }

    /** A character as a message names it: {@code `é`}, or {@code U+0007} when it is not printable. */
    static String character(int codePoint) {
        if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                || Character.getType(codePoint) == Character.FORMAT
                || Character.getType(codePoint) == Character.UNASSIGNED
                || Character.getType(codePoint) == Character.SURROGATE
                || Character.getType(codePoint) == Character.PRIVATE_USE) {
            return String.format("U+%04X", codePoint);
        }
        return "`" + new String(Character.toChars(codePoint)) + "`";
    }

    /**
     * The candidate nearest to {@code name} by edit distance, ignoring case, if one is near enough to be a likely
     * typo: at most a third of the name's length (at least 1) edits away. Ties go to the earlier candidate.
     */
    static String nearest(String name, List<String> candidates) {
        if (name.length() > SUGGESTION_LIMIT) {
            return null;
        }
        String lowerName = name.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, name.length() / 3);
        String best = null;
        int bestDistance = limit + 1;
        for (String candidate : candidates) {
            if (candidate.equals(name) || candidate.length() > SUGGESTION_LIMIT
                    || Math.abs(candidate.length() - name.length()) >= bestDistance) {
                continue;
            }
            int distance = distance(lowerName, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** {@code ; did you mean `x`?} for the nearest candidate, or the empty string when none is near. */
    static String didYouMean(String name, List<String> candidates) {
        String nearest = nearest(name, candidates);
        return nearest == null ? "" : "; did you mean `" + nearest + "`?";
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours each count
     * one.
     */
    static int distance(String a, String b) {
        int[] before = new int[b.length() + 1];
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, before[j - 2] + 1);
                }
                current[j] = best;
            }
            int[] recycled = before;
            before = previous;
            previous = current;
            current = recycled;
        }
        return previous[b.length()];
    }
}
