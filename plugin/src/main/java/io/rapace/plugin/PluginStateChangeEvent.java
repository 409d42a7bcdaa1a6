package io.rapace.plugin;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code io.rapace.plugin.PluginStateChange}: a plugin moved from one {@link PluginState} to another. */
@Name("io.rapace.plugin.PluginStateChange")
@Label("Plugin State Change")
@Category({"rapace", "Plugin"})
@Description("A plugin moved from one state to another")
@StackTrace(false)
final class PluginStateChangeEvent extends Event {
    @Label("Plugin Id")
    String pluginId;

    @Label("From")
    @Description("The state before, or empty for a plugin's first state")
    String from;

    @Label("To")
    String to;

    @Label("Process Id")
    @Description("The plugin's process id, or -1 when it has none")
    long pid;
}
