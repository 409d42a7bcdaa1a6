package io.rapace.plugin.stat;

import java.io.IOException;

/**
 * A stat file that cannot be read: missing, too short, not a stat file, or inconsistent. The message names the file
 * and the values that do not fit.
 */
public final class StatFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public StatFileException(String message) {
        super(message);
    }

    public StatFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
