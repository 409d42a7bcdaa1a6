package io.rapace.plugin;

/**
 * The life cycle of a plugin as the host sees it ({@code docs/plugin-host.md}, plus {@link #STARTING}, the state before the
 * session is up). {@link #displayName()} is the word the design, the stat file, the stat tool and the JFR events use.
 */
public enum PluginState {
    /**
     * A process is being started for the plugin (its first launch, or a restart) and has not connected yet. A
     * plugin's handle begins in this state, so every {@link PluginListener} event has a {@code from}: the first is
     * {@code Starting -> Connected}, or {@code Starting -> Crashed} when the process does not connect.
     */
    STARTING("Starting"),
    /** The process runs and its session is established; it has not been initialised yet. */
    CONNECTED("Connected"),
    /** The Initialize verb was sent; the plugin has not answered yet. */
    INITIALIZING("Initializing"),
    /** The plugin acknowledged its initialisation and serves calls. */
    RUNNING("Running"),
    /** {@code shutdown} was sent; the host waits for the answer, then ends the process. */
    SHUTTING_DOWN("ShuttingDown"),
    /** The process died, hung, or failed on its own; it may be restarted under a {@link RestartPolicy}. */
    CRASHED("Crashed"),
    /** The plugin was shut down, or exited normally, and will not be restarted. */
    STOPPED("Stopped"),
    /**
     * Registered to start on demand ({@link PluginHost#register}) and has no process: never started yet, or shut down
     * after an idle period. Its next call starts it ({@code Dormant -> Starting}).
     */
    DORMANT("Dormant");

    private final String displayName;

    PluginState(String displayName) {
        this.displayName = displayName;
    }

    /** The design's name of the state, for example {@code ShuttingDown}. */
    public String displayName() {
        return displayName;
    }
}
