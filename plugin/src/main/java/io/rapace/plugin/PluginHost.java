package io.rapace.plugin;

import io.rapace.plugin.api.HostEvent;
import io.rapace.plugin.api.HostServicesDescriptor;
import io.rapace.plugin.api.HostServicesDispatcher;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.PluginClient;
import io.rapace.plugin.api.PluginConfig;
import io.rapace.plugin.api.PluginDescriptor;
import io.rapace.plugin.stat.StatFileWriter;
import io.rapace.registry.MethodDescriptor;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.rpc.CallObserver;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import io.rapace.session.CloseCause;
import io.rapace.session.SessionConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Launches plugin processes, gives each its own segment and session (the host is PeerA), serves them the host
 * services, calls their {@code Plugin} service, supervises them, restarts them under a {@link RestartPolicy}, and
 * shuts them down (DESIGN section 8).
 *
 * <pre>{@code
 * try (PluginHost host = PluginHost.builder().restartPolicy(RestartPolicy.onFailure()).build()) {
 *     PluginHandle analytics = host.launch(PluginSpec.java("analytics", "com.example.Analytics", classPath, config));
 *     ProcessResponse answer = analytics.plugin().process(new ProcessRequest(1, "count", data));
 * }   // every plugin shut down in order, nothing left running, nothing left in /dev/shm
 * }</pre>
 *
 * <p>A plugin's life: {@code Starting} while its process starts, {@code Connected} when its session is up,
 * {@code Initializing} while {@code initialize(config)} runs, {@code Running}, then {@code ShuttingDown} and
 * {@code Stopped} when the host stops it, or {@code Crashed} when its process exits, its session dies (no heartbeat
 * for the peer timeout, as when it is frozen by SIGSTOP) or its initialisation fails; a crashed plugin's process is
 * killed, and the policy may start it again (a new process, a new segment, {@code Crashed -> Starting}). Each change reaches the {@link PluginListener}s, the log and a
 * {@code io.rapace.plugin.PluginStateChange} JFR event. A host keeps every plugin it launched until {@link #remove}.
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
    private static final System.Logger LOG = System.getLogger(PluginHost.class.getName());
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SessionConfig sessionConfig;
    private final PluginLimits limits;
    private final RestartPolicy restartPolicy;
    private final Duration connectTimeout;
    private final Duration shutdownTimeout;
    private final List<PluginListener> listeners;
    private final List<StorageListener> storageListeners;
    private final List<String> jvmOptions;
    private final HostStorage storage;
    private final HostEventBus events = new HostEventBus();
    private final Map<String, PluginHandle> plugins = new LinkedHashMap<>();
    private final Map<Integer, String> methodNames = new HashMap<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final StatFileWriter statFile;
    private final ScheduledFuture<?> statTask;
    private final Thread shutdownHook;
    private final Map<Path, PluginDiscovery> discoveries = new HashMap<>();
    private final Runnable statsHook = this::emitStatsEvents;
    private volatile boolean closed;

    private PluginHost(Builder b) throws IOException {
        // The first use of the segment directory: on a system without /dev/shm, one sentence says what to set.
        io.rapace.shm.Segment.checkDirectory(b.sessionConfig.directory());
        if (b.statDirectory != null && !java.nio.file.Files.isDirectory(b.statDirectory)) {
            throw new IOException(io.rapace.shm.Segment.missingDirectory(b.statDirectory,
                    "PluginHost.Builder.statDirectory"));
        }
        this.sessionConfig = b.sessionConfig;
        this.storage = new HostStorage(b.storageLimit);
        this.limits = b.limits;
        this.restartPolicy = b.restartPolicy;
        this.connectTimeout = b.connectTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.listeners = List.copyOf(b.listeners);
        this.storageListeners = List.copyOf(b.storageListeners);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        for (ServiceDescriptor service : List.of(new HostServicesDescriptor(), new PluginDescriptor())) {
            for (MethodDescriptor method : service.methods()) {
                methodNames.put(method.id(), method.name());
            }
        }
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "rapace-host-" + instance + "-supervisor-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        if (b.statDirectory != null) {
            this.statFile = StatFileWriter.create(b.statDirectory, ProcessHandle.current().pid(),
                    io.rapace.plugin.stat.StatFileLayout.MAX_ROWS);
            this.statTask = scheduler.scheduleWithFixedDelay(this::publishStats, 0, b.statInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            this.statFile = null;
            this.statTask = null;
        }
        jdk.jfr.FlightRecorder.addPeriodicEvent(PluginStatsEvent.class, statsHook);
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
        return storage;
    }

    /** The host's events; {@link HostEventBus#publish} a {@code ConfigUpdated} to tell every subscribed plugin. */
    public HostEventBus events() {
        return events;
    }

    /** The stat file this host publishes, if it publishes one. */
    public Optional<Path> statFile() {
        return statFile == null ? Optional.empty() : Optional.of(statFile.file());
    }

    /** The plugin with this id, if the host has one (in any state). */
    public synchronized Optional<PluginHandle> plugin(String id) {
        return Optional.ofNullable(plugins.get(id));
    }

    /** Every plugin, in launch order. */
    public synchronized List<PluginHandle> plugins() {
        return List.copyOf(plugins.values());
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
        Objects.requireNonNull(spec, "spec");
        PluginHandle handle;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the plugin host is closed");
            }
            PluginHandle existing = plugins.get(spec.id());
            if (existing != null) {
                if (existing.isActive()) {
                    throw new IllegalStateException("plugin " + spec.id() + " is already "
                            + existing.state().displayName());
                }
                existing.retire(); // the new handle replaces it: no restart of the old one may follow
            }
            handle = new PluginHandle(spec, restartPolicy.newTracker());
            plugins.put(spec.id(), handle);
        }
        handle.startIncarnation();
        return handle;
    }

    /**
     * Launches every plugin found in {@code directory} (jars naming {@code Rapace-Plugin-Id} and
     * {@code Rapace-Plugin-Main-Class} in their manifest) that this host has not launched from it yet; call again to
     * pick up jars added since. Plugins start with an empty configuration. A jar that cannot be used, or a plugin that
     * fails to start, is logged and reported in the result; the others still start.
     */
    public DiscoveryResult loadDirectory(Path directory) throws IOException {
        PluginDiscovery discovery;
        synchronized (this) {
            discovery = discoveries.computeIfAbsent(directory.toAbsolutePath().normalize(), PluginDiscovery::new);
        }
        PluginDiscovery.Result found = discovery.rescan();
        List<PluginHandle> launched = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (PluginDiscovery.Problem problem : found.problems()) {
            LOG.log(Level.WARNING, "plugin discovery: " + problem);
            problems.add(problem.toString());
        }
        for (DiscoveredPlugin plugin : found.found()) {
            try {
                launched.add(launch(new PluginSpec(plugin.id(), plugin.command(jvmOptions), new byte[0])));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "plugin " + plugin.id() + " from " + plugin.jar() + " did not start: "
                        + e.getMessage());
                problems.add(plugin.jar() + ": " + e.getMessage());
            }
        }
        return new DiscoveryResult(List.copyOf(launched), List.copyOf(problems));
    }

    /** What {@link #loadDirectory} started, and what it could not use or start (each naming its jar). */
    public record DiscoveryResult(List<PluginHandle> launched, List<String> problems) {
    }

    // =====================================================================================================
    // stopping

    /**
     * Shuts one plugin down in order: {@code shutdown()} (waiting for its answer up to the shutdown timeout), GoAway
     * and drain, then waits for the process to exit, terminates it (SIGTERM) and at last kills it (SIGKILL).
     * Returns once the process is gone; the plugin is {@code Stopped}. Does nothing for a plugin that is not active.
     */
    public void shutdown(String pluginId) {
        PluginHandle handle = plugin(pluginId).orElseThrow(() -> new IllegalArgumentException(
                "no plugin " + pluginId + " on this host"));
        handle.stop();
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
        PluginHandle handle;
        synchronized (this) {
            handle = plugins.get(pluginId);
            if (handle == null) {
                throw new IllegalArgumentException("no plugin " + pluginId + " on this host");
            }
            handle.retire();
            plugins.remove(pluginId);
        }
        if (statFile != null) {
            synchronized (statFile) { // publishStats writes under the same lock and skips retired handles
                statFile.remove(pluginId);
            }
        }
    }

    /**
     * Shuts every plugin down (in parallel, each as {@link #shutdown}), after telling subscribers with the
     * {@code Shutdown} event; removes the stat file. Idempotent; also run by the JVM shutdown hook.
     */
    @Override
    public void close() {
        List<PluginHandle> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(plugins.values());
        }
        events.publish(new HostEvent.Shutdown());
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (PluginHandle handle : all) {
            stops.add(CompletableFuture.runAsync(handle::stop, r -> {
                Thread t = new Thread(r, "rapace-host-stop-" + handle.id());
                t.setDaemon(true);
                t.start();
            }));
        }
        for (CompletableFuture<Void> stop : stops) {
            stop.join();
        }
        jdk.jfr.FlightRecorder.removePeriodicEvent(statsHook);
        if (statTask != null) {
            statTask.cancel(false);
        }
        scheduler.shutdownNow();
        if (statFile != null) {
            try {
                statFile.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not remove the stat file: " + e.getMessage());
            }
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    /** Emits one {@code PluginStats} JFR event per plugin, when a recording asks for them. */
    private void emitStatsEvents() {
        for (PluginHandle handle : plugins()) {
            PluginStatsEvent event = new PluginStatsEvent();
            if (!event.isEnabled()) {
                return;
            }
            PluginMetrics.Snapshot m = handle.metrics.snapshot();
            event.pluginId = handle.id();
            event.state = m.state().displayName();
            event.pid = m.pid();
            event.calls = m.calls();
            event.errors = m.errors();
            event.rejected = handle.rejectedCalls();
            event.bytesIn = m.bytesIn();
            event.bytesOut = m.bytesOut();
            event.p50 = m.p50Nanos();
            event.p99 = m.p99Nanos();
            event.restarts = m.restarts();
            event.cpuTime = handle.cpuTimeNanos();
            event.residentBytes = handle.residentBytes();
            event.commit();
        }
    }

    private void publishStats() {
        long now = System.currentTimeMillis();
        for (PluginHandle handle : plugins()) {
            try {
                PluginProcess process = handle.process;
                long cpu = process == null ? -1 : process.cpuTimeNanos();
                long rss = process == null ? -1 : process.residentBytes();
                synchronized (statFile) {
                    if (!handle.retired) { // a removed plugin's row stays gone
                        statFile.update(handle.metrics.snapshot().toStatRow(cpu, rss, now));
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "could not publish the stats of " + handle.id() + ": " + e);
            }
        }
    }

    private static void closeQuietly(RpcSession.Listening listening) {
        try {
            listening.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove the files of a session that never connected: " + e.getMessage());
        }
    }

    private String methodName(int id) {
        String name = methodNames.get(id);
        return name != null ? name : Integer.toUnsignedString(id);
    }

    // =====================================================================================================
    // one plugin

    /** One plugin of this host, across its restarts: its state, its current process and session, its metrics. */
    public final class PluginHandle {
        private final PluginSpec spec;
        private final RestartPolicy.Tracker tracker;
        private final PluginMetrics metrics;
        private final AtomicLong rejected = new AtomicLong();
        private final Object lock = new Object();
        private volatile PluginProcess process;
        private volatile RpcSession session;
        /** The session user calls go to: set once the session is up, null when it ended. */
        private volatile RpcSession callable;
        /** The waiting half of a start in progress, which {@link #stop} closes to end the wait at once. */
        private volatile RpcSession.Listening listening;
        /** The client users get: stable across restarts, failing with UNAVAILABLE while there is no session. */
        private final Plugin client;
        private volatile boolean stopping;
        /** Removed from the host or replaced by a new launch of its id: it never starts again. */
        private volatile boolean retired;
        private volatile String lastDetail = "";
        private int incarnation;
        /** The incarnation whose end was already reported (under {@link #lock}). */
        private int crashedIncarnation;
        private final java.util.concurrent.locks.ReentrantLock startLock =
                new java.util.concurrent.locks.ReentrantLock();

        private PluginHandle(PluginSpec spec, RestartPolicy.Tracker tracker) {
            this.spec = spec;
            this.tracker = tracker;
            this.metrics = new PluginMetrics(spec.id());
            this.client = new PluginClient(new CurrentSessionChannel(() -> callable,
                    () -> "plugin " + id() + " is " + state().displayName() + " and has no session"),
                    CallOptions.DEFAULT.withTimeout(limits.callTimeout()));
        }

        public String id() {
            return spec.id();
        }

        public PluginSpec spec() {
            return spec;
        }

        public PluginState state() {
            return metrics.state();
        }

        /** The current process's id, or -1 when there is none. */
        public long pid() {
            PluginProcess p = process;
            return p == null || !p.isAlive() ? -1 : p.pid();
        }

        /** Why the plugin is in its state, in words ("exit code 137", "initialised", ...). */
        public String detail() {
            return lastDetail;
        }

        /**
         * The plugin's service; each call has the host's call timeout as its deadline and goes to the plugin's current
         * session, so the client keeps working across restarts. Every failure is an {@link RpcException} with a
         * code: while the plugin has no session (it is starting, crashed, restarting or stopped) a call fails at once
         * with {@code UNAVAILABLE}; a call in flight when the process dies fails with {@code PEER_DIED}.
         */
        public Plugin plugin() {
            return client;
        }

        /** The current session (introspection: {@code session().fetchRegistry(timeout)}), if connected. */
        public Optional<RpcSession> session() {
            return Optional.ofNullable(session);
        }

        /** Counters, latency and state, as published in the stat file. */
        public PluginMetrics.Snapshot metrics() {
            return metrics.snapshot();
        }

        /** Calls refused by a limit ({@code RESOURCE_EXHAUSTED}), both directions. */
        public long rejectedCalls() {
            return rejected.get();
        }

        /** CPU time of the current process in nanoseconds, -1 when there is none. */
        public long cpuTimeNanos() {
            PluginProcess p = process;
            return p == null ? -1 : p.cpuTimeNanos();
        }

        /** Resident memory of the current process in bytes, -1 when there is none. */
        public long residentBytes() {
            PluginProcess p = process;
            return p == null ? -1 : p.residentBytes();
        }

        /** Waits up to {@code timeout} for the plugin to be in {@code state}; true if it is. */
        public boolean awaitState(PluginState wanted, Duration timeout) throws InterruptedException {
            long until = System.nanoTime() + timeout.toNanos();
            synchronized (lock) {
                while (metrics.state() != wanted) {
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                return true;
            }
        }

        boolean isActive() {
            PluginState s = state();
            return s != PluginState.STOPPED && s != PluginState.CRASHED;
        }

        private void setState(PluginState to, String detail) {
            PluginState from;
            // the current incarnation's process, alive or not: a Crashed or Stopped state names the one that ended
            PluginProcess p = process;
            long pid = p == null ? -1 : p.pid();
            synchronized (lock) {
                from = metrics.changeState(to, pid);
                lastDetail = detail;
                lock.notifyAll();
            }
            if (from == to) {
                return;
            }
            LOG.log(to == PluginState.CRASHED ? Level.WARNING : Level.INFO, "plugin " + id() + ": "
                    + from.displayName() + " -> " + to.displayName() + " (pid " + pid + "): "
                    + detail);
            for (PluginListener listener : listeners) {
                try {
                    listener.stateChanged(id(), from, to, pid, detail);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "plugin listener failed", e);
                }
            }
        }

        /** One process and session of this plugin, from start to Running. */
        private void startIncarnation() throws IOException {
            // One start at a time, and stop() waits for a start in progress (which sees stopping and undoes itself).
            startLock.lock();
            try {
                if (retired) {
                    throw new IOException("plugin " + id() + " was removed from the host");
                }
                if (closed || stopping) {
                    throw new IOException("plugin " + id() + " is being stopped");
                }
                startIncarnationLocked();
            } finally {
                startLock.unlock();
            }
        }

        /** Marks the handle as never to start again; refused while a start runs or the plugin is active. */
        private void retire() {
            if (!startLock.tryLock()) {
                throw new IllegalStateException("plugin " + id() + " is " + state().displayName()
                        + "; shut it down before removing it");
            }
            try {
                if (isActive()) {
                    throw new IllegalStateException("plugin " + id() + " is " + state().displayName()
                            + "; shut it down before removing it");
                }
                retired = true;
            } finally {
                startLock.unlock();
            }
        }

        private void startIncarnationLocked() throws IOException {
            int mine;
            synchronized (lock) {
                mine = ++incarnation;
            }
            process = null;
            setState(PluginState.STARTING, mine == 1 ? "launching" : "restarting");
            RpcSession.Listening listening = RpcSession.builder()
                    .config(SessionConfig.builder()
                            .peerId("host")
                            .geometry(limits.geometry())
                            .maxMessageSize(limits.maxMessageSize())
                            .heartbeatInterval(sessionConfig.heartbeatInterval())
                            .peerTimeout(sessionConfig.peerTimeout())
                            .wakeMode(sessionConfig.wakeMode())
                            .directory(sessionConfig.directory())
                            .build())
                    .serve(new HostServicesDispatcher(
                            new HostServicesImpl(id(), storage, events, storageListeners)))
                    .maxCallsInFlight(limits.maxCallsInFlight())
                    .maxCallsPerSecond(limits.maxCallsPerSecond())
                    .observer(this::observe)
                    .listen();
            this.listening = listening;
            if (stopping) {
                closeQuietly(listening); // stop() may have looked before this was set: the accept below fails at once
            }
            PluginProcess started;
            try {
                started = PluginProcess.start(id(), spec.command(), List.of(
                        PluginMain.SEGMENT, listening.segmentPath().toString(),
                        PluginMain.SOCKET, listening.socketPath().toString(),
                        PluginMain.PLUGIN_ID, id(),
                        PluginMain.MAX_MESSAGE_SIZE, Integer.toString(limits.maxMessageSize())));
            } catch (IOException | RuntimeException e) {
                this.listening = null;
                closeQuietly(listening);
                setState(PluginState.CRASHED, "could not start: " + e.getMessage());
                throw e;
            }
            process = started;
            RpcSession rpc;
            try {
                rpc = acceptWhileAlive(listening, started);
            } catch (IOException e) {
                if (stopping) {
                    ended(mine, PluginState.STOPPED, "shut down before it connected", false);
                } else {
                    crashed(mine, e.getMessage());
                }
                throw e;
            } finally {
                this.listening = null;
                closeQuietly(listening); // after a successful accept this does nothing
            }
            session = rpc;
            java.util.Optional<ProcessHandle> handle = ProcessHandle.of(started.pid());
            if (handle.isEmpty()) {
                crashed(mine, "process exited as it connected" + exitDetail());
                throw new IOException("plugin " + id() + " (pid " + started.pid() + ") exited as it connected");
            }
            rpc.session().watch(handle.get());
            Plugin initializer = new PluginClient(rpc, CallOptions.DEFAULT.withTimeout(limits.callTimeout()));
            callable = rpc;
            setState(PluginState.CONNECTED, "session up (pid " + started.pid() + ", backend "
                    + rpc.session().backend() + ")");
            rpc.closed().thenAccept(cause -> sessionEnded(mine, rpc, cause));
            setState(PluginState.INITIALIZING, "initialize(" + spec.config().length + " bytes of config)");
            try {
                initializer.initialize(new PluginConfig(id(), spec.config()));
            } catch (RpcException e) {
                crashed(mine, "initialize failed: " + e.getMessage());
                throw new IOException("plugin " + id() + " failed to initialise: " + e.getMessage(), e);
            }
            if (!rpc.isOpen()) {
                throw new IOException("plugin " + id() + " went away right after initialising");
            }
            synchronized (lock) {
                if (mine != incarnation || crashedIncarnation == mine) {
                    throw new IOException("plugin " + id() + " went away right after initialising");
                }
            }
            setState(PluginState.RUNNING, "initialised");
            events.publish(new HostEvent.PluginLoaded(id()));
        }

        /**
         * Accepts the plugin's connection. The process's exit closes the listening, so a plugin that ends before it
         * connects (a bad command, a class it cannot load) fails the start at once rather than at the connect timeout;
         * {@link #stop} closes it too. Each failure is one sentence naming the plugin; the cause keeps the details.
         */
        private RpcSession acceptWhileAlive(RpcSession.Listening listening, PluginProcess started)
                throws IOException {
            started.onExit().thenRun(() -> closeQuietly(listening));
            try {
                return listening.accept(connectTimeout);
            } catch (IOException e) {
                if (stopping) {
                    throw new IOException("plugin " + id() + " was shut down before it connected", e);
                }
                if (!started.isAlive()) {
                    throw new IOException("plugin " + id() + " exited with status " + exitStatus(started)
                            + " before it connected (its output is in the log " + PluginProcess.loggerName(id())
                            + ")", e);
                }
                if (e.getMessage() != null && e.getMessage().startsWith("no plugin connected")) {
                    throw new IOException("plugin " + id() + " did not connect within " + connectTimeout.toMillis()
                            + " ms", e);
                }
                throw new IOException("plugin " + id() + " could not connect: " + e.getMessage(), e);
            }
        }

        private void observe(CallObserver.Event event) {
            if (event.rejected() || event.rawCode() == io.rapace.rpc.ErrorCode.RESOURCE_EXHAUSTED.value()) {
                rejected.incrementAndGet(); // a limit refused it: in flight, rate, or message size
            }
            metrics.recordCall(methodName(event.methodId()), event.durationNanos(), event.rawCode(),
                    event.bytesReceived(), event.bytesSent());
        }

        /** The session of incarnation {@code which} ended: a stop, or a crash. */
        private void sessionEnded(int which, RpcSession rpc, CloseCause cause) {
            synchronized (lock) {
                if (which != incarnation) {
                    return;
                }
            }
            if (stopping) {
                return; // stop() reports the end
            }
            String detail = switch (cause) {
                case HEARTBEAT_TIMEOUT -> "no heartbeat for " + sessionConfig.peerTimeout().toMillis()
                        + " ms (frozen or overloaded)";
                case PROCESS_EXIT, END_OF_STREAM -> "process exited" + exitDetail();
                default -> "session ended (" + cause + "): " + rpc.session().closeDetail();
            };
            PluginProcess p = process;
            boolean exitedCleanly = (cause == CloseCause.PROCESS_EXIT || cause == CloseCause.END_OF_STREAM
                    || cause == CloseCause.PEER_GOAWAY) && p != null && exitStatus(p) == 0;
            if (exitedCleanly) {
                ended(which, PluginState.STOPPED, "process ended on its own" + exitDetail(), false);
            } else {
                crashed(which, detail);
            }
        }

        /** The exit status once the process has ended (waiting briefly for it), else -1. */
        private int exitStatus(PluginProcess p) {
            try {
                return p.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                return -1;
            }
        }

        private String exitDetail() {
            PluginProcess p = process;
            if (p == null) {
                return "";
            }
            try {
                return " with status " + p.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                return "";
            }
        }

        /** Marks the plugin Crashed, ends what is left of its process, and restarts it if the policy says so. */
        private void crashed(int which, String detail) {
            ended(which, PluginState.CRASHED, detail, true);
        }

        /**
         * Incarnation {@code which} ended without being stopped: claims that end once (a plugin that dies while it
         * initialises is reported by two paths), ends what is left of it, and asks the policy what follows.
         */
        private void ended(int which, PluginState state, String detail, boolean failed) {
            synchronized (lock) {
                if (which != incarnation || crashedIncarnation == which) {
                    return;
                }
                crashedIncarnation = which;
            }
            callable = null;
            RpcSession rpc = session;
            PluginProcess p = process;
            setState(state, detail);
            events.publish(new HostEvent.PluginUnloaded(id()));
            if (rpc != null) {
                rpc.session().close();
            }
            if (p != null) {
                try {
                    p.terminate(Duration.ZERO); // a frozen (SIGSTOPped) process only goes with SIGKILL
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            RestartPolicy.Decision decision;
            synchronized (lock) {
                decision = tracker.onExit(failed, detail);
            }
            if (decision instanceof RestartPolicy.Restart restart && !closed && !stopping) {
                LOG.log(Level.INFO, "plugin " + id() + ": restarting in " + restart.delay().toMillis() + " ms (attempt "
                        + restart.attempt() + ")");
                try {
                    // the timer only fires; the restart runs on a thread of its own, so a slow start holds up
                    // neither the stat file nor the restarts of other plugins
                    scheduler.schedule(() -> {
                        Thread t = new Thread(this::restart, "rapace-host-restart-" + id());
                        t.setDaemon(true);
                        t.start();
                    }, restart.delay().toNanos(), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the host is closing
                }
            } else if (decision instanceof RestartPolicy.Stay stay) {
                LOG.log(failed ? Level.WARNING : Level.INFO, "plugin " + id() + ": " + stay.reason());
            }
        }

        private void restart() {
            if (closed || stopping || retired) {
                return;
            }
            metrics.recordRestart();
            try {
                startIncarnation();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "plugin " + id() + ": restart failed: " + e.getMessage());
            }
        }

        /** The orderly stop of {@link PluginHost#shutdown}. */
        private void stop() {
            stopping = true;
            RpcSession.Listening waiting = listening;
            if (waiting != null) {
                closeQuietly(waiting); // a start waiting for the plugin to connect fails now, not at the timeout
            }
            startLock.lock(); // a start in progress finishes (or undoes itself) first
            startLock.unlock();
            RpcSession rpc = session;
            PluginProcess p = process;
            RpcSession c = callable;
            if (!isActive()) {
                if (p != null && p.isAlive()) {
                    terminate(p);
                }
                return;
            }
            setState(PluginState.SHUTTING_DOWN, "shutdown requested");
            String detail = "stopped";
            if (c != null) {
                try {
                    new PluginClient(rpc, CallOptions.DEFAULT.withTimeout(shutdownTimeout)).shutdown();
                    detail = "acknowledged shutdown";
                } catch (RpcException e) {
                    detail = "shutdown not acknowledged (" + e.code() + ": " + e.getMessage() + ")";
                }
            }
            events.endSubscriptions(id()); // its HostEvents streams end now, so the drain does not wait for them
            if (rpc != null) {
                rpc.close();
            }
            callable = null;
            if (p != null) {
                boolean interrupted = false;
                try {
                    p.onExit().get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    detail += ", exited with status " + p.onExit().join();
                } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                    detail += ", did not exit within " + shutdownTimeout.toMillis() + " ms, " + terminate(p);
                } catch (InterruptedException e) {
                    interrupted = true; // terminate first (it waits), keep the interrupt for the caller after
                    detail += ", " + terminate(p);
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            setState(PluginState.STOPPED, detail);
            events.publish(new HostEvent.PluginUnloaded(id()));
        }

        private String terminate(PluginProcess p) {
            try {
                return "terminated (status " + p.terminate(Duration.ofSeconds(2)) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while terminating";
            }
        }

        @Override
        public String toString() {
            return "plugin " + id() + " (" + state().displayName() + ", pid " + pid() + ")";
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
        private Path statDirectory = io.rapace.plugin.stat.StatFiles.defaultDirectory();
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
