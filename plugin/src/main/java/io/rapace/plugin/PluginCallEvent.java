package io.rapace.plugin;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event {@code io.rapace.plugin.PluginCall}: one finished call between the host and a plugin. The call is timed
 * by the RPC layer, so its latency is a field rather than the event's own duration; no stack trace, as the event is
 * committed on the host's call path.
 */
@Name("io.rapace.plugin.PluginCall")
@Label("Plugin Call")
@Category({"rapace", "Plugin"})
@Description("A finished call between the host and a plugin")
@StackTrace(false)
final class PluginCallEvent extends Event {
    @Label("Plugin Id")
    String pluginId;

    @Label("Method")
    String method;

    @Label("Latency")
    @Timespan(Timespan.NANOSECONDS)
    long latency;

    @Label("Code")
    @Description("rapace error code: 0 OK, 1 CANCELLED, 2 DEADLINE_EXCEEDED, ..., 100 PEER_DIED")
    int code;

    @Label("Bytes In")
    @DataAmount
    long bytesIn;

    @Label("Bytes Out")
    @DataAmount
    long bytesOut;
}
