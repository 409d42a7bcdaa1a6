package io.rapace.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * An include pattern as Maven's own {@code <includes>} take it (Ant style), matched against a path relative to the
 * source directory with {@code /} between its names.
 *
 * <ul>
 *   <li>{@code **} as a whole name matches any number of directories, none included: {@code **}{@code /*.rapace}
 *       matches {@code host.rapace} and {@code a/b/host.rapace};</li>
 *   <li>{@code *} matches any run of characters within one name, {@code ?} one character;</li>
 *   <li>a pattern ending with {@code /} matches everything below that directory, as if it ended with
 *       {@code /**};</li>
 *   <li>{@code \} separates directories too, and a leading {@code /} or {@code ./} is ignored;</li>
 *   <li>every other character stands for itself, and case matters.</li>
 * </ul>
 */
final class IncludePattern {

    /** The pattern used when {@code includes} is not configured. */
    static final String DEFAULT = "**/*.rapace";

    private final String text;
    private final String[] names;

    private IncludePattern(String text, String[] names) {
        this.text = text;
        this.names = names;
    }

    /** Compiles {@code pattern}; throws {@link IllegalArgumentException} if it is blank or names no file. */
    static IncludePattern compile(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("an include pattern is empty");
        }
        String normalized = pattern.trim().replace('\\', '/');
        if (normalized.endsWith("/")) {
            normalized = normalized + "**";
        }
        List<String> names = new ArrayList<>();
        for (String name : normalized.split("/")) {
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                throw new IllegalArgumentException("the include pattern \"" + pattern
                        + "\" leaves the source directory (`..`)");
            }
            if (name.equals("**") && !names.isEmpty() && names.get(names.size() - 1).equals("**")) {
                continue;
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the include pattern \"" + pattern + "\" names no file");
        }
        return new IncludePattern(pattern, names.toArray(String[]::new));
    }

    /** Compiles every pattern of {@code patterns}, or the {@linkplain #DEFAULT default} if there are none. */
    static List<IncludePattern> compileAll(List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) {
            return List.of(compile(DEFAULT));
        }
        List<IncludePattern> compiled = new ArrayList<>(patterns.size());
        for (String pattern : patterns) {
            compiled.add(compile(pattern));
        }
        return compiled;
    }

    /** Whether the file at {@code relativePath} ({@code /} between names, no leading {@code /}) is included. */
    boolean matches(String relativePath) {
        String[] path = relativePath.split("/");
        return matches(0, path, 0);
    }

    private boolean matches(int p, String[] path, int s) {
        while (p < names.length) {
            if (names[p].equals("**")) {
                if (p + 1 == names.length) {
                    return true;
                }
                for (int skip = s; skip < path.length; skip++) {
                    if (matches(p + 1, path, skip)) {
                        return true;
                    }
                }
                return false;
            }
            if (s == path.length || !matchesName(names[p], path[s])) {
                return false;
            }
            p++;
            s++;
        }
        return s == path.length;
    }

    /** {@code *} and {@code ?} within one name, by code point; the classic greedy match with one backtrack point. */
    static boolean matchesName(String pattern, String name) {
        int[] p = pattern.codePoints().toArray();
        int[] n = name.codePoints().toArray();
        int pi = 0;
        int ni = 0;
        int starAt = -1;
        int starMatchedUpTo = 0;
        while (ni < n.length) {
            if (pi < p.length && (p[pi] == '?' || (p[pi] != '*' && p[pi] == n[ni]))) {
                pi++;
                ni++;
            } else if (pi < p.length && p[pi] == '*') {
                starAt = pi++;
                starMatchedUpTo = ni;
            } else if (starAt >= 0) {
                pi = starAt + 1;
                ni = ++starMatchedUpTo;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length;
    }

    @Override
    public String toString() {
        return text;
    }
}
