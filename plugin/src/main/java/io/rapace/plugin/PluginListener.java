package io.rapace.plugin;

/**
 * Hears every state change of every plugin of a {@link PluginHost}, in order per plugin, on the thread that made the
 * change (keep it short; never block).
 */
@FunctionalInterface
public interface PluginListener {

    /**
     * {@code pluginId} moved from {@code from} to {@code to}; {@code pid} is its current process (-1 when it has none);
     * {@code detail} says why, for a log line ("exit code 137", "initialised"). {@code from} is never null: a plugin
     * begins in {@link PluginState#STARTING}, so its first event is {@code Starting -> Connected} (or
     * {@code Starting -> Crashed} when its process does not connect), and a restart goes {@code Crashed -> Starting}.
     */
    void stateChanged(String pluginId, PluginState from, PluginState to, long pid, String detail);
}
