package io.rapace.plugin;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event {@code io.rapace.plugin.PluginStats}: one plugin's counters and process figures, emitted periodically (every
 * second unless the recording's settings say otherwise) while a {@link PluginHost} runs, one event per plugin.
 */
@Name("io.rapace.plugin.PluginStats")
@Label("Plugin Statistics")
@Category({"rapace", "Plugin"})
@Description("A plugin's counters, latency and process figures")
@StackTrace(false)
@Period("1 s")
final class PluginStatsEvent extends Event {
    @Label("Plugin Id")
    String pluginId;

    @Label("State")
    String state;

    @Label("Process Id")
    long pid;

    @Label("Calls")
    long calls;

    @Label("Errors")
    long errors;

    @Label("Rejected Calls")
    @Description("Calls a limit refused with RESOURCE_EXHAUSTED")
    long rejected;

    @Label("Bytes In")
    @DataAmount
    long bytesIn;

    @Label("Bytes Out")
    @DataAmount
    long bytesOut;

    @Label("Latency p50")
    @Timespan
    long p50;

    @Label("Latency p99")
    @Timespan
    long p99;

    @Label("Restarts")
    long restarts;

    @Label("CPU Time")
    @Timespan
    long cpuTime;

    @Label("Resident Memory")
    @DataAmount
    long residentBytes;
}
