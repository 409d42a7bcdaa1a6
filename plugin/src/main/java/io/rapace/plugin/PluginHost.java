package io.rapace.plugin;

import io.rapace.config.SessionConfig;
import io.rapace.plugin.api.HostEvent;
import io.rapace.plugin.api.HostServicesDescriptor;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.PluginClient;
import io.rapace.plugin.stat.StatFiles;
import io.rapace.registry.MethodDescriptor;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import io.rapace.rpc.SchemaMismatch;
import io.rapace.rpc.ServerMethod;
import io.rapace.rpc.ServiceDispatcher;
import io.rapace.shm.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Launches plugin processes, gives each its own segment and session (the host is PeerA), serves them the host
 * services, calls their {@code Plugin} service, supervises them, restarts them under a {@link RestartPolicy}, and
 * shuts them down ({@code docs/plugin-host.md}).
 *
 * <pre>{@code
 * try (PluginHost host = PluginHost.builder().restartPolicy(RestartPolicy.onFailure()).build()) {
 *     PluginHandle analytics = host.launch(PluginSpec.java("analytics", "com.example.Analytics", classPath, config));
 *     ProcessResponse answer = analytics.plugin().process(new ProcessRequest(1, "count", data));
 * }   // every plugin shut down in order, nothing left running, nothing left in /dev/shm
 * }</pre>
 *
 * <p>A plugin's life: {@code Starting} while its process starts, {@code Connected} when its session is up,
 * {@code Initializing} while its initialisation (the Initialize verb, with the spec's config) runs, {@code Running}, then {@code ShuttingDown} and
 * {@code Stopped} when the host stops it, or {@code Crashed} when its process exits, its session dies (no heartbeat
 * for the peer timeout, as when it is frozen by SIGSTOP) or its initialisation fails; a crashed plugin's process is
 * killed, and the policy may start it again (a new process, a new segment, {@code Crashed -> Starting}). Each change reaches the {@link PluginListener}s, the log and a
 * {@code io.rapace.plugin.PluginStateChange} JFR event. A host keeps every plugin it launched until {@link #remove}.
 *
 * <p>A plugin may also be {@link #register}ed to start on its first call ({@code Dormant} until then), and to go back
 * to {@code Dormant} after an idle period. Whatever API a plugin serves, {@link PluginHandle#client} gives a typed
 * client of it that outlives its restarts.
 *
 * <p>Inside, one class per concern: {@code PluginSupervisor} (a plugin's state machine and restarts),
 * {@code PluginLauncher} (one process and its session, up to {@code Running}), {@code PluginShutdown} (the orderly
 * stop), {@code StatPublisher} (the stat file and the {@code PluginStats} JFR event) and {@code DirectoryLoader}
 * ({@link #loadDirectory}); this class keeps the plugins by id and the host's own life.
 *
 * <p>Host services: {@code HostLogger.log} lands in {@code System.Logger} {@code rapace.plugin.<id>};
 * {@code HostStorage} is {@link #storage()}, shared by all plugins and kept across restarts (each access reaches the
 * {@link StorageListener}s); {@code HostEvents} streams {@link #events()}: plugin loaded and unloaded, configuration
 * updates the application publishes, and shutdown.
 *
 * <p>While it runs the host publishes each plugin's counters in {@code /dev/shm/rapace-stat-<pid>} for
 * {@code RapaceStat}; the file goes on {@link #close()} (or, if the host is killed, at the next host start). A JVM
 * shutdown hook closes the host too.
 */
public final class PluginHost implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final HostContext context;
    private final Map<String, PluginHandle> plugins = new LinkedHashMap<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final StatPublisher stats;
    private final DirectoryLoader directories;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private PluginHost(Builder b) throws IOException {
        // The first use of the segment directory: on a system without /dev/shm, one sentence says what to set.
        Segment.checkDirectory(b.sessionConfig.directory());
        if (b.statDirectory != null && !Files.isDirectory(b.statDirectory)) {
            throw new IOException(Segment.missingDirectory(b.statDirectory, "PluginHost.Builder.statDirectory"));
        }
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "rapace-host-" + instance + "-supervisor-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.context = new HostContext(b.sessionConfig, b.limits, b.restartPolicy, b.connectTimeout,
                b.shutdownTimeout, List.copyOf(b.listeners), List.copyOf(b.storageListeners),
                new HostStorage(b.storageLimit), new HostEventBus(), List.copyOf(b.hostServices), scheduler,
                () -> closed);
        this.directories = new DirectoryLoader(b.jvmOptions);
        this.stats = new StatPublisher(b.statDirectory, b.statInterval, scheduler, this::supervisors);
        if (b.shutdownHook) {
            this.shutdownHook = new Thread(this::close, "rapace-host-" + instance + "-shutdown-hook");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The key-value store the plugins share ({@code HostStorage}). */
    public HostStorage storage() {
        return context.storage();
    }

    /** The host's events; {@link HostEventBus#publish} a {@code ConfigUpdated} to tell every subscribed plugin. */
    public HostEventBus events() {
        return context.events();
    }

    /** The stat file this host publishes, if it publishes one. */
    public Optional<Path> statFile() {
        return stats.file();
    }

    /** The plugin with this id, if the host has one (in any state). */
    public synchronized Optional<PluginHandle> plugin(String id) {
        return Optional.ofNullable(plugins.get(id));
    }

    /** Every plugin, in launch order. */
    public synchronized List<PluginHandle> plugins() {
        return List.copyOf(plugins.values());
    }

    private List<PluginSupervisor> supervisors() {
        return plugins().stream().map(h -> h.supervisor).toList();
    }

    // =====================================================================================================
    // launching

    /**
     * Starts the plugin's process, connects its session and initialises it; returns once it is {@code Running}.
     *
     * @throws IllegalStateException if a plugin with this id already runs here, or the host is closed
     * @throws IOException if the process cannot start, exits before it connects (reported at once, with its exit
     *                     status), does not connect within the connect timeout, or fails its initialisation; the
     *                     message is one sentence naming the plugin, the cause chain keeps the details. The plugin is
     *                     then {@code Crashed}, restarted if the policy says so, and stays listed until
     *                     {@link #remove}d. Nothing of the failed start is left in the segment directory.
     */
    public PluginHandle launch(PluginSpec spec) throws IOException {
        PluginHandle handle = add(spec, new PluginSupervisor(context, spec));
        handle.supervisor.startIncarnation();
        return handle;
    }

    /**
     * Registers a plugin without starting it: it is {@code Dormant} until its first call, which starts it (that call
     * waits for it to run, within its deadline) and is then answered by it. A host with many plugins pays only for
     * those in use. Shut down or crashed, it follows the same rules as a launched plugin.
     *
     * @throws IllegalStateException as {@link #launch}
     */
    public PluginHandle register(PluginSpec spec) {
        return add(spec, new PluginSupervisor(context, spec, true, null));
    }

    /**
     * As {@link #register(PluginSpec)}, and once running the plugin is shut down gracefully (back to {@code Dormant})
     * after {@code idleTimeout} without a call in either direction; its next call starts it again. A call still open,
     * such as a {@code HostEvents} subscription, keeps it running.
     *
     * @throws IllegalArgumentException if {@code idleTimeout} is not positive
     */
    public PluginHandle register(PluginSpec spec, Duration idleTimeout) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
        }
        PluginHandle handle = add(spec, new PluginSupervisor(context, spec, true, idleTimeout));
        handle.supervisor.watchIdle();
        return handle;
    }

    private PluginHandle add(PluginSpec spec, PluginSupervisor supervisor) {
        Objects.requireNonNull(spec, "spec");
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the plugin host is closed");
            }
            PluginHandle existing = plugins.get(spec.id());
            if (existing != null) {
                if (existing.supervisor.isActive()) {
                    throw new IllegalStateException("plugin " + spec.id() + " is already "
                            + existing.state().displayName());
                }
                existing.supervisor.retire(); // the new handle replaces it: no restart of the old one may follow
                directories.forget(spec.id());
            }
            PluginHandle handle = new PluginHandle(supervisor);
            plugins.put(spec.id(), handle);
            return handle;
        }
    }

    /**
     * Launches every plugin found in {@code directory} (jars naming {@code Rapace-Plugin-Id} and
     * {@code Rapace-Plugin-Main-Class} in their manifest) that this host has not launched from it yet; call again to
     * pick up jars added since. Plugins start with an empty configuration. A jar that cannot be used, or a plugin that
     * fails to start, is logged and reported in the result; the others still start.
     */
    public DiscoveryResult loadDirectory(Path directory) throws IOException {
        return directories.load(directory, this::launch);
    }

    /**
     * Replaces, on request, each running plugin launched by {@link #loadDirectory} from {@code directory} for which
     * the directory now has a newer jar (another jar naming its id, or its own jar modified since), each as
     * {@link PluginHandle#replace} with {@code options}. The result's {@code launched} lists the plugins replaced; a
     * jar that cannot be used, or a replace that fails or is refused (the running version stays), is logged and
     * listed in its problems.
     */
    public DiscoveryResult replaceFromDirectory(Path directory, ReplaceOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        return directories.replaceNewer(directory, this::plugin, options);
    }

    /** What {@link #loadDirectory} started (or {@link #replaceFromDirectory} replaced), and what it could not use. */
    public record DiscoveryResult(List<PluginHandle> launched, List<String> problems) {
    }

    // =====================================================================================================
    // stopping

    /**
     * Shuts one plugin down in order: the Shutdown verb (waiting for its answer up to the shutdown timeout), GoAway
     * and drain, then waits for the process to exit, terminates it (SIGTERM) and at last kills it (SIGKILL).
     * Returns once the process is gone; the plugin is {@code Stopped}. Does nothing for a plugin that is not active.
     */
    public void shutdown(String pluginId) {
        PluginHandle handle = plugin(pluginId).orElseThrow(() -> new IllegalArgumentException(
                "no plugin " + pluginId + " on this host"));
        synchronized (handle.replacing) { // a replace under way finishes first; then its result stops
            PluginShutdown.stop(handle.supervisor, context);
        }
    }

    /**
     * Forgets a plugin that is {@code Stopped} or {@code Crashed}: its handle, metrics and stat-file row go, a restart
     * its policy had scheduled is cancelled, and {@link #plugins()} no longer lists it. A host keeps every plugin it
     * launched until then (a stopped plugin's handle still answers {@code state()}, {@code detail()} and
     * {@code metrics()}), so a host that launches short-lived plugins under fresh ids removes each when done.
     *
     * @throws IllegalArgumentException if the host has no plugin with this id
     * @throws IllegalStateException if the plugin is starting, running or shutting down: shut it down first
     */
    public void remove(String pluginId) {
        plugin(pluginId).ifPresent(found -> found.supervisor.settleFailedStart()); // outside the monitor: it may wait
        synchronized (this) {
            PluginHandle handle = plugins.get(pluginId);
            if (handle == null) {
                throw new IllegalArgumentException("no plugin " + pluginId + " on this host");
            }
            handle.supervisor.retire();
            plugins.remove(pluginId);
            directories.forget(pluginId);
        }
        stats.remove(pluginId);
    }

    /**
     * Shuts every plugin down (in parallel, each as {@link #shutdown}), after telling subscribers with the
     * {@code Shutdown} event; removes the stat file. Idempotent; also run by the JVM shutdown hook.
     */
    @Override
    public void close() {
        List<PluginSupervisor> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>();
            for (PluginHandle h : plugins.values()) {
                synchronized (h) { // the pair a replace swaps under the same monitor
                    all.add(h.supervisor);
                    PluginSupervisor other = h.other;
                    if (other != null) {
                        all.add(other); // a replace in progress: both versions stop
                    }
                }
            }
        }
        context.events().publish(new HostEvent.Shutdown());
        PluginShutdown.stopAll(all, context);
        stats.close();
        scheduler.shutdownNow();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    // =====================================================================================================
    // one plugin

    /**
     * One plugin of this host, across its restarts: its state, its current process and session, its metrics. (The
     * state machine and restarts behind it are {@code PluginSupervisor}'s.)
     */
    public final class PluginHandle {
        /** The plugin's current version: a {@link #replace} swaps it. */
        volatile PluginSupervisor supervisor;
        /** During a replace, the other version (the one starting, then the one draining); else null. */
        volatile PluginSupervisor other;
        /** The channel every client of this plugin calls through: stable across restarts and replaces. */
        private final PluginChannel channel;
        /** The seed's client on {@link #channel}. */
        private final Plugin seedClient;
        /** One replace at a time. */
        private final Object replacing = new Object();

        private PluginHandle(PluginSupervisor supervisor) {
            this.supervisor = supervisor;
            this.channel = new PluginChannel(() -> this.supervisor, context.limits().callTimeout());
            this.seedClient = new PluginClient(channel);
        }

        public String id() {
            return supervisor.id();
        }

        public PluginSpec spec() {
            return supervisor.spec();
        }

        public PluginState state() {
            return supervisor.state();
        }

        /** The current process's id, or -1 when there is none. */
        public long pid() {
            return supervisor.pid();
        }

        /** Why the plugin is in its state, in words ("exit code 137", "initialised", ...). */
        public String detail() {
            return supervisor.detail();
        }

        /**
         * A typed client of a service this plugin serves: {@code handle.client(ThumbnailerClient::new)}, any generated
         * client. Each call goes to the plugin's current session, so the client keeps working across restarts: a call
         * made while the plugin starts or restarts waits for it to run, within the call's deadline (the host's call
         * timeout when the call has none, {@link PluginLimits#callTimeout()}), and fails with
         * {@code DEADLINE_EXCEEDED} past it; once the plugin stays down (stopped, or crashed and its restart policy
         * gave up) a call fails at once with {@code UNAVAILABLE}; a call in flight when the process dies fails with
         * {@code PEER_DIED}. Every failure is an {@link RpcException} with a code.
         */
        public <T> T client(Function<CallChannel, T> factory) {
            return Objects.requireNonNull(factory.apply(channel), "the client factory returned null");
        }

        /** The seed's {@code Plugin} service, as {@link #client}{@code (PluginClient::new)}. */
        public Plugin plugin() {
            return seedClient;
        }

        /** {@link #replace(PluginSpec, ReplaceOptions)} with {@link ReplaceOptions#DEFAULT}. */
        public void replace(PluginSpec newSpec) throws IOException {
            replace(newSpec, ReplaceOptions.DEFAULT);
        }

        /**
         * Replaces the running plugin by a new version without failing a call: starts {@code newSpec}'s process and
         * waits until it runs, compares the schemas it serves with the running version's, routes every new call to
         * it, lets the old version finish its calls in flight within the options' drain timeout, ends what is still
         * open then (streams such as event subscriptions) with {@code UNAVAILABLE} "replaced" so their callers can
         * call again, and shuts the old version down. Clients of this handle go on working throughout; the handle's
         * state, pid, spec and metrics are the new version's once this returns.
         *
         * @throws IllegalArgumentException if {@code newSpec}'s id is not this plugin's
         * @throws IllegalStateException if the plugin is not {@code Running}, or the host is closed
         * @throws IOException if the new version does not start (the old one keeps running), or its schemas differ
         *                     from the running version's and the options do not allow it: the message lists each
         *                     method that changed, and the new version is shut down
         */
        public void replace(PluginSpec newSpec, ReplaceOptions options) throws IOException {
            Objects.requireNonNull(newSpec, "newSpec");
            Objects.requireNonNull(options, "options");
            if (!newSpec.id().equals(id())) {
                throw new IllegalArgumentException("a replacement must have the plugin's id " + id() + ", not "
                        + newSpec.id());
            }
            synchronized (replacing) {
                PluginReplace.replace(this, newSpec, options, context);
            }
        }

        /** The current session (introspection: {@code session().fetchRegistry(timeout)}), if connected. */
        public Optional<RpcSession> session() {
            return Optional.ofNullable(supervisor.session);
        }

        /**
         * The methods whose request or response schema differs between this host and the plugin's current process,
         * found when it connected (and logged then): their calls fail with {@code FAILED_PRECONDITION}. Empty when
         * the two agree.
         */
        public List<SchemaMismatch> schemaMismatches() {
            return supervisor.schemaMismatches;
        }

        /** Counters, latency and state, as published in the stat file. */
        public PluginMetrics.Snapshot metrics() {
            return supervisor.metrics.snapshot();
        }

        /** Calls refused by a limit ({@code RESOURCE_EXHAUSTED}), both directions. */
        public long rejectedCalls() {
            return supervisor.rejectedCalls();
        }

        /** CPU time of the current process in nanoseconds, -1 when there is none. */
        public long cpuTimeNanos() {
            return supervisor.cpuTimeNanos();
        }

        /** Resident memory of the current process in bytes, -1 when there is none. */
        public long residentBytes() {
            return supervisor.residentBytes();
        }

        /** Waits up to {@code timeout} for the plugin to be in {@code state}; true if it is. */
        public boolean awaitState(PluginState wanted, Duration timeout) throws InterruptedException {
            return supervisor.awaitState(wanted, timeout);
        }

        @Override
        public String toString() {
            return supervisor.toString();
        }
    }

    // =====================================================================================================
    // building

    /** Configures a {@link PluginHost}. */
    public static final class Builder {
        private SessionConfig sessionConfig = SessionConfig.defaults();
        private PluginLimits limits = PluginLimits.DEFAULT;
        private RestartPolicy restartPolicy = RestartPolicy.never();
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Duration shutdownTimeout = Duration.ofSeconds(5);
        private final List<PluginListener> listeners = new ArrayList<>();
        private final List<StorageListener> storageListeners = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<ServiceDispatcher> hostServices = new ArrayList<>();
        private Path statDirectory = StatFiles.defaultDirectory();
        private Duration statInterval = Duration.ofMillis(250);
        private boolean shutdownHook = true;
        private long storageLimit = HostStorage.DEFAULT_MAX_BYTES;

        private Builder() {
        }

        /** The most the plugins may keep in {@code HostStorage}, keys and values together (64 MiB by default). */
        public Builder storageLimit(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("storage limit must be positive: " + bytes);
            }
            this.storageLimit = bytes;
            return this;
        }

        /** Liveness (heartbeat interval, peer timeout), wake mode and segment directory of every plugin session. */
        public Builder sessionConfig(SessionConfig config) {
            this.sessionConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Segment geometry, message size, call limits and call timeout of every plugin. */
        public Builder limits(PluginLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** What happens when a plugin crashes; {@link RestartPolicy#never()} unless set. */
        public Builder restartPolicy(RestartPolicy policy) {
            this.restartPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How long a new plugin process has to connect (JVM start included). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long a stopping plugin has to answer {@code shutdown} and then to exit, before it is terminated. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder listener(PluginListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Hears each {@code HostStorage.get} and {@code set} a plugin makes (an audit log, a demo's transcript). */
        public Builder storageListener(StorageListener listener) {
            storageListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Exposes {@code service} (any generated {@code FooDispatcher}) to every plugin, besides the seed's host
         * services (logger, storage, events); a plugin calls it with the generated client on its
         * {@code PluginMain.Setup#host()} channel. A handler learns which plugin calls from
         * {@code CallContext.current().peerId()}.
         *
         * @throws IllegalArgumentException if one of its method ids is already served to plugins (naming both)
         */
        public Builder hostService(ServiceDispatcher service) {
            Objects.requireNonNull(service, "service");
            Map<Integer, String> served = new HashMap<>();
            for (MethodDescriptor m : new HostServicesDescriptor().methods()) {
                served.put(m.id(), HostServicesDescriptor.SERVICE_NAME + "." + m.name());
            }
            for (ServiceDispatcher earlier : hostServices) {
                for (ServerMethod<?, ?> m : earlier.methods()) {
                    served.put(m.id(), earlier.serviceName() + "." + m.name());
                }
            }
            for (ServerMethod<?, ?> m : service.methods()) {
                String other = served.get(m.id());
                if (other != null) {
                    throw new IllegalArgumentException("host service " + service.serviceName() + "." + m.name()
                            + " has method id " + Integer.toUnsignedString(m.id()) + ", which " + other
                            + " already has");
                }
            }
            hostServices.add(service);
            return this;
        }

        /** JVM options for plugins found by {@link PluginHost#loadDirectory}. */
        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /**
         * Where the stat file goes (the directory of the system property {@code rapace.shm.dir}, else
         * {@code /dev/shm}); null for none.
         */
        public Builder statDirectory(Path directory) {
            this.statDirectory = directory;
            return this;
        }

        /** How often the stat file is refreshed. */
        public Builder statInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("stat interval must be positive: " + interval);
            }
            this.statInterval = interval;
            return this;
        }

        /** Whether a JVM shutdown hook closes the host (true by default). */
        public Builder shutdownHook(boolean install) {
            this.shutdownHook = install;
            return this;
        }

        /** Starts the host: removes stat files of dead hosts, creates its own. */
        public PluginHost build() throws IOException {
            return new PluginHost(this);
        }
    }
}
