package io.rapace.plugin;

import java.util.regex.Pattern;

/**
 * The rule for plugin ids. An id ends up in a logger name ({@code rapace.plugin.<id>}), in thread names, in JFR events
 * and in the fixed 64-byte id field of the stat file, so it is kept to a short, shell- and file-name-safe ASCII word.
 */
final class PluginId {
    /** The longest id; it fills the stat file's id field exactly. */
    static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private PluginId() {
    }

    /** Returns the id if it is valid, else the message saying why not. */
    static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "plugin id is empty";
        }
        if (VALID.matcher(id).matches()) {
            return null;
        }
        return "plugin id \"" + id + "\" is not valid: use 1 to " + MAX_LENGTH
                + " of the characters A-Z a-z 0-9 . _ -, starting with a letter or a digit";
    }

    /** The id itself, or an {@link IllegalArgumentException} with {@link #problem}'s message. */
    static String check(String id) {
        String problem = problem(id);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return id;
    }
}
