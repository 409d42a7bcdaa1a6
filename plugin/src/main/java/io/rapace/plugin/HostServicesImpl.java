package io.rapace.plugin;

import io.rapace.plugin.api.GetRequest;
import io.rapace.plugin.api.GetResponse;
import io.rapace.plugin.api.HostEvent;
import io.rapace.plugin.api.HostServices;
import io.rapace.plugin.api.LogLevel;
import io.rapace.plugin.api.LogRequest;
import io.rapace.plugin.api.SetRequest;
import io.rapace.rpc.RpcStream;
import java.lang.System.Logger.Level;

/**
 * The host services one plugin sees: its log lines go to the host's {@code System.Logger} named
 * {@code rapace.plugin.<id>}, tagged with the plugin's id; storage and events are the host's, shared by all plugins.
 */
final class HostServicesImpl implements HostServices {
    private final String pluginId;
    private final System.Logger logger;
    private final HostStorage storage;
    private final HostEventBus events;

    HostServicesImpl(String pluginId, HostStorage storage, HostEventBus events) {
        this.pluginId = pluginId;
        this.logger = System.getLogger("rapace.plugin." + pluginId);
        this.storage = storage;
        this.events = events;
    }

    @Override
    public void loggerLog(LogRequest request) {
        logger.log(level(request.level()), "[" + pluginId + "] " + request.message());
    }

    static Level level(LogLevel level) {
        return switch (level) {
            case TRACE -> Level.TRACE;
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARNING;
            case ERROR -> Level.ERROR;
        };
    }

    @Override
    public GetResponse storageGet(GetRequest request) {
        return new GetResponse(storage.get(request.key()));
    }

    @Override
    public void storageSet(SetRequest request) {
        storage.set(request.key(), request.value());
    }

    @Override
    public RpcStream<HostEvent> eventsSubscribe() {
        return events.subscribe();
    }

    @Override
    public String toString() {
        return "HostServices[" + pluginId + "]";
    }
}
