package io.rapace.samples.pluginhost;

import io.rapace.plugin.PluginMain;
import io.rapace.plugin.api.GetRequest;
import io.rapace.plugin.api.HostEvent;
import io.rapace.plugin.api.HostServices;
import io.rapace.plugin.api.LogLevel;
import io.rapace.plugin.api.LogRequest;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.PluginConfig;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.api.ProcessResponse;
import io.rapace.plugin.api.SetRequest;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The "analytics" plugin: {@code count} counts the lines (events) of its data and keeps a running total in the
 * host's storage under {@code cache_key} (a {@code Storage.get} and a {@code Storage.set}, nested in the
 * {@code process} call), answering the new total as 8 bytes. It logs through the host, and from {@code initialize}
 * on it follows the host's events on a thread of its own, logging each one that is not about itself.
 */
public final class AnalyticsPlugin implements Plugin {
    static final String CACHE_KEY = "cache_key";

    private final HostServices host;
    private volatile String pluginId = "analytics";
    private volatile RpcStream<HostEvent> events;
    private int requests;

    AnalyticsPlugin(HostServices host) {
        this.host = host;
    }

    public static void main(String[] args) {
        PluginMain.serve(args, AnalyticsPlugin::new);
    }

    @Override
    public void initialize(PluginConfig config) {
        pluginId = config.pluginId();
        log(LogLevel.INFO, "Initialized with config: " + new String(config.configData(), StandardCharsets.UTF_8));
        Thread follower = new Thread(this::followHostEvents, "analytics-host-events");
        follower.setDaemon(true);
        follower.start();
    }

    /** Subscribes to the host's events (a call of its own, not nested in a handler) and logs them until they end. */
    private void followHostEvents() {
        try {
            RpcStream<HostEvent> stream = host.eventsSubscribe();
            events = stream;
            for (HostEvent event : stream) {
                String about = describe(event);
                if (about != null) {
                    log(LogLevel.INFO, "Host event: " + about);
                }
            }
        } catch (RpcException e) {
            // the subscription was cancelled at shutdown, or the session ended
        }
    }

    /** The event in words, or null for one about this plugin itself. */
    private String describe(HostEvent event) {
        if (event instanceof HostEvent.PluginLoaded loaded) {
            return loaded.pluginId().equals(pluginId) ? null : "PluginLoaded(" + loaded.pluginId() + ")";
        } else if (event instanceof HostEvent.PluginUnloaded unloaded) {
            return unloaded.pluginId().equals(pluginId) ? null : "PluginUnloaded(" + unloaded.pluginId() + ")";
        } else if (event instanceof HostEvent.ConfigUpdated updated) {
            return "ConfigUpdated(" + updated.key() + " = " + updated.value() + ")";
        } else {
            return "Shutdown";
        }
    }

    @Override
    public ProcessResponse process(ProcessRequest request) {
        if (!request.operation().equals("count")) {
            log(LogLevel.WARN, "Unknown operation: " + request.operation());
            return new ProcessResponse(request.requestId(), false, new byte[0]);
        }
        synchronized (this) {
            requests++;
        }
        log(LogLevel.INFO, "Processing started");
        long lines = new String(request.data(), StandardCharsets.UTF_8).lines().count();
        long total = host.storageGet(new GetRequest(CACHE_KEY)).value()
                .map(bytes -> ByteBuffer.wrap(bytes).getLong()).orElse(0L) + lines;
        byte[] result = ByteBuffer.allocate(Long.BYTES).putLong(total).array();
        host.storageSet(new SetRequest(CACHE_KEY, result));
        log(LogLevel.INFO, "Processing finished: counted " + lines + ", total " + total);
        return new ProcessResponse(request.requestId(), true, result);
    }

    @Override
    public void shutdown() {
        RpcStream<HostEvent> stream = events;
        if (stream != null) {
            stream.cancel();
        }
        synchronized (this) {
            log(LogLevel.INFO, "Shutting down after " + requests + " requests");
        }
    }

    private void log(LogLevel level, String message) {
        host.loggerLog(new LogRequest(level, message));
    }
}
