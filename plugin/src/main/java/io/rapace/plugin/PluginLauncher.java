package io.rapace.plugin;

import static io.rapace.plugin.HostContext.LOG;

import io.rapace.config.SessionConfig;
import io.rapace.plugin.api.HostEvent;
import io.rapace.plugin.api.HostServicesDispatcher;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import io.rapace.rpc.SchemaMismatch;
import io.rapace.rpc.ServiceDispatcher;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts one incarnation of a plugin, from {@code Starting} to {@code Running}: listens on a new segment (serving the
 * host services under the host's limits), starts the process with the segment on its command line, accepts its
 * session, watches the process, and initialises it (the Initialize verb, answered by the plugin main's hook). Runs under the {@link PluginSupervisor}'s start lock;
 * a failure along the way is reported to the supervisor as the end of the incarnation ({@code Crashed}, or
 * {@code Stopped} when a stop ended the wait) and thrown as one sentence naming the plugin.
 *
 * <p>Nothing of a failed start stays in the segment directory: the listening half is closed on every path (after a
 * successful accept that does nothing).
 */
final class PluginLauncher {
    private final HostContext host;
    private final PluginSupervisor plugin;

    PluginLauncher(HostContext host, PluginSupervisor plugin) {
        this.host = host;
        this.plugin = plugin;
    }

    /**
     * Starts incarnation {@code mine} and returns once it is {@code Running}; {@code why} is the {@code Starting}
     * state's detail (null: "launching" or "restarting").
     */
    void start(int mine, String why) throws IOException {
        String id = plugin.id();
        PluginLimits limits = host.limits();
        SessionConfig sessionConfig = host.sessionConfig();
        plugin.process = null;
        plugin.setState(PluginState.STARTING, why != null ? why : mine == 1 ? "launching" : "restarting");
        RpcSession.Builder builder = RpcSession.builder()
                .config(SessionConfig.builder()
                        .peerId("host")
                        .geometry(limits.geometry())
                        .maxMessageSize(limits.maxMessageSize())
                        .heartbeatInterval(sessionConfig.heartbeatInterval())
                        .peerTimeout(sessionConfig.peerTimeout())
                        .wakeMode(sessionConfig.wakeMode())
                        .directory(sessionConfig.directory())
                        .frameChecksums(sessionConfig.frameChecksums())
                        .build())
                .serve(new HostServicesDispatcher(
                        new HostServicesImpl(id, host.storage(), host.events(), host.storageListeners())))
                .maxCallsInFlight(limits.maxCallsInFlight())
                .maxCallsPerSecond(limits.maxCallsPerSecond())
                .observer(plugin::observe);
        for (ServiceDispatcher service : host.hostServices()) {
            builder.serve(service);
        }
        RpcSession.Listening listening;
        try {
            listening = builder.listen();
        } catch (IOException | RuntimeException e) {
            plugin.crashed(mine, "could not create its segment: " + e.getMessage());
            throw new IOException("plugin " + id + " could not be started: its segment could not be created: "
                    + e.getMessage(), e);
        }
        plugin.listening = listening;
        if (plugin.stopping) {
            closeQuietly(listening); // the stop may have looked before this was set: the accept below fails at once
        }
        PluginProcess started;
        try {
            started = PluginProcess.start(id, plugin.spec().command(), List.of(
                    PluginMain.SEGMENT, listening.segmentPath().toString(),
                    PluginMain.SOCKET, listening.socketPath().toString(),
                    PluginMain.PLUGIN_ID, id,
                    PluginMain.MAX_MESSAGE_SIZE, Integer.toString(limits.maxMessageSize())),
                    // a plugin's PluginMain offers frame checksums when its host does
                    sessionConfig.frameChecksums() ? Map.of(SessionConfig.FRAME_CHECKSUMS_ENV, "true") : Map.of());
        } catch (IOException | RuntimeException e) {
            plugin.listening = null;
            closeQuietly(listening);
            plugin.crashed(mine, "could not start: " + e.getMessage());
            throw e;
        }
        plugin.process = started;
        RpcSession rpc;
        try {
            rpc = acceptWhileAlive(listening, started);
        } catch (IOException e) {
            if (plugin.stopping) {
                plugin.ended(mine, PluginState.STOPPED, "shut down before it connected", false);
            } else {
                plugin.crashed(mine, e.getMessage());
            }
            throw e;
        } finally {
            plugin.listening = null;
            closeQuietly(listening); // after a successful accept this does nothing
        }
        plugin.session = rpc;
        plugin.schemaMismatches = rpc.schemaMismatches();
        plugin.metrics.schemaMismatches(plugin.schemaMismatches.size());
        for (SchemaMismatch mismatch : plugin.schemaMismatches) {
            LOG.log(Level.WARNING, "plugin " + id + ": schema mismatch: " + mismatch.detail()
                    + "; its calls fail with FAILED_PRECONDITION");
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(started.pid());
        if (handle.isEmpty()) {
            plugin.crashed(mine, "process exited as it connected" + plugin.exitDetail());
            throw new IOException("plugin " + id + " (pid " + started.pid() + ") exited as it connected");
        }
        rpc.watch(handle.get());
        plugin.callable = rpc;
        plugin.setState(PluginState.CONNECTED, "session up (pid " + started.pid() + ", backend "
                + rpc.backend() + ")");
        rpc.closed().thenAccept(cause -> plugin.sessionEnded(mine, rpc, cause));
        byte[] config = plugin.spec().config();
        plugin.setState(PluginState.INITIALIZING, "initialize(" + config.length + " bytes of config)");
        long began = System.nanoTime();
        try {
            rpc.initializePeer(config, limits.callTimeout());
            plugin.metrics.recordCall("initialize", System.nanoTime() - began, 0, 0, config.length);
        } catch (RpcException e) {
            plugin.metrics.recordCall("initialize", System.nanoTime() - began, e.rawCode(), 0, config.length);
            plugin.crashed(mine, "initialize failed: " + e.getMessage());
            throw new IOException("plugin " + id + " failed to initialise: " + e.getMessage(), e);
        }
        if (!rpc.isOpen() || !plugin.isCurrent(mine)) {
            throw new IOException("plugin " + id + " went away right after initialising");
        }
        plugin.setState(PluginState.RUNNING, "initialised");
        host.events().publish(new HostEvent.PluginLoaded(id));
    }

    /**
     * Accepts the plugin's connection. The process's exit closes the listening, so a plugin that ends before it
     * connects (a bad command, a class it cannot load) fails the start at once rather than at the connect timeout;
     * a stop closes it too. Each failure is one sentence naming the plugin; the cause keeps the details.
     */
    private RpcSession acceptWhileAlive(RpcSession.Listening listening, PluginProcess started) throws IOException {
        String id = plugin.id();
        // a look every 50 ms ends the wait once the process is gone (Process.onExit was seen, on Temurin 25, to learn
        // of a plugin killed early in its start only at the connect timeout: the kill campaign, docs/reliability.md)
        java.util.concurrent.ScheduledFuture<?> watch = host.scheduler().scheduleWithFixedDelay(() -> {
            if (!started.isAlive()) {
                closeQuietly(listening);
            }
        }, 50, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            return listening.accept(host.connectTimeout());
        } catch (IOException e) {
            if (plugin.stopping) {
                throw new IOException("plugin " + id + " was shut down before it connected", e);
            }
            if (!started.isAlive()) {
                throw new IOException("plugin " + id + " exited with status " + PluginSupervisor.exitStatus(started)
                        + " before it connected (its output is in the log " + PluginProcess.loggerName(id) + ")", e);
            }
            if (e.getMessage() != null && e.getMessage().startsWith("no plugin connected")) {
                throw new IOException("plugin " + id + " did not connect within "
                        + host.connectTimeout().toMillis() + " ms", e);
            }
            throw new IOException("plugin " + id + " could not connect: " + e.getMessage(), e);
        } finally {
            watch.cancel(false);
        }
    }

    /** Closes the waiting half of a session, deleting its segment and socket; never throws. */
    static void closeQuietly(RpcSession.Listening listening) {
        try {
            listening.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove the files of a session that never connected: " + e.getMessage());
        }
    }
}
