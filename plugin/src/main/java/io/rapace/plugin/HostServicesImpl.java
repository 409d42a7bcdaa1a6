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
import java.util.List;
import java.util.Optional;

/**
 * The host services one plugin sees: its log lines go to the host's {@code System.Logger} named
 * {@code rapace.plugin.<id>}, tagged with the plugin's id; storage and events are the host's, shared by all plugins.
 * Each storage call, once answered by the store, reaches the host's {@link StorageListener}s.
 */
final class HostServicesImpl implements HostServices {
    private final String pluginId;
    private final System.Logger logger;
    private final HostStorage storage;
    private final HostEventBus events;
    private final List<StorageListener> storageListeners;

    HostServicesImpl(String pluginId, HostStorage storage, HostEventBus events,
            List<StorageListener> storageListeners) {
        this.pluginId = pluginId;
        this.logger = System.getLogger("rapace.plugin." + pluginId);
        this.storage = storage;
        this.events = events;
        this.storageListeners = List.copyOf(storageListeners);
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
        Optional<byte[]> value = storage.get(request.key());
        for (StorageListener listener : storageListeners) {
            try {
                listener.read(pluginId, request.key(), value.map(byte[]::clone));
            } catch (RuntimeException e) {
                logger.log(Level.WARNING, "storage listener failed", e);
            }
        }
        return new GetResponse(value);
    }

    @Override
    public void storageSet(SetRequest request) {
        storage.set(request.key(), request.value());
        for (StorageListener listener : storageListeners) {
            try {
                listener.written(pluginId, request.key(), request.value().clone());
            } catch (RuntimeException e) {
                logger.log(Level.WARNING, "storage listener failed", e);
            }
        }
    }

    @Override
    public RpcStream<HostEvent> eventsSubscribe() {
        return events.subscribe(pluginId);
    }

    @Override
    public String toString() {
        return "HostServices[" + pluginId + "]";
    }
}
