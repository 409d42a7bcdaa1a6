package io.rapace.plugin;

import io.rapace.config.SessionConfig;
import io.rapace.rpc.ServiceDispatcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What every plugin of one {@link PluginHost} shares: the host's settings from its builder, the host services it
 * serves, its supervisor thread, and whether it is closed. {@link PluginSupervisor}, {@link PluginLauncher} and
 * {@link PluginShutdown} read it; none of them sees the host itself.
 *
 * @param sessionConfig liveness, wake mode and segment directory of every plugin session
 * @param limits segment geometry, message size, call limits and call timeout of every plugin
 * @param restartPolicy what follows a plugin's crash
 * @param connectTimeout how long a new process has to connect
 * @param shutdownTimeout how long a stopping plugin has to answer {@code shutdown}, and then to exit
 * @param listeners hear every state change
 * @param storageListeners hear every {@code HostStorage} access
 * @param storage the {@code HostStorage} all plugins share
 * @param events the {@code HostEvents} all plugins subscribe to
 * @param hostServices the application's services every plugin may call, besides the seed's host services
 * @param scheduler the host's supervisor thread (restart timers, the stat file)
 * @param closed true once {@link PluginHost#close()} has begun
 */
record HostContext(SessionConfig sessionConfig, PluginLimits limits, RestartPolicy restartPolicy,
                   Duration connectTimeout, Duration shutdownTimeout, List<PluginListener> listeners,
                   List<StorageListener> storageListeners, HostStorage storage, HostEventBus events,
                   List<ServiceDispatcher> hostServices, ScheduledExecutorService scheduler, BooleanSupplier closed) {

    /** The host's log, {@code io.rapace.plugin.PluginHost}: every state change, restart and stop. */
    static final System.Logger LOG = System.getLogger(PluginHost.class.getName());

    boolean isClosed() {
        return closed.getAsBoolean();
    }
}
