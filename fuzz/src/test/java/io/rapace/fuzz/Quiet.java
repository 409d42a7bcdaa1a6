package io.rapace.fuzz;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences the project's loggers while a target runs: a fuzzer makes every input a peer's fault on purpose, and the
 * warnings they log (once per kind, per transport) would only slow it down.
 */
public final class Quiet {
    /** Held, so the level set stays on this logger (java.util.logging keeps loggers weakly). */
    private static final Logger PROJECT = Logger.getLogger("io.rapace");

    static {
        PROJECT.setLevel(Level.OFF);
    }

    private Quiet() {
    }

    /** Makes sure the loggers are silenced (the first call does it). */
    public static void loggers() {
        PROJECT.getLevel(); // loads the class, whose initializer did the work
    }
}
