package io.rapace.plugin;

import io.rapace.plugin.api.HostEvent;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The orderly stop of a plugin ({@link PluginHost#shutdown}) and of all of a host's plugins ({@link PluginHost#close}),
 * in this order: {@code ShuttingDown}; the Shutdown verb, whose answer is the acknowledgement (waited for up
 * to the shutdown timeout); the end of the plugin's {@code HostEvents} subscriptions; GoAway and drain of the session;
 * a wait for the process to exit (the shutdown timeout again); then SIGTERM, and SIGKILL after 2 s. The plugin is then
 * {@code Stopped}.
 *
 * <p>A stop first ends the wait of a start whose process has not connected yet and waits for a start further along
 * (see {@link PluginSupervisor}), so nothing is left running when it returns.
 */
final class PluginShutdown {
    /** How long a terminated (SIGTERM) process has before it is killed. */
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(2);

    private PluginShutdown() {
    }

    /** Stops every plugin, in parallel (a thread each), and returns once all are stopped. */
    static void stopAll(List<PluginSupervisor> plugins, HostContext host) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (PluginSupervisor plugin : plugins) {
            stops.add(CompletableFuture.runAsync(() -> stop(plugin, host), r -> {
                Thread t = new Thread(r, "rapace-host-stop-" + plugin.id());
                t.setDaemon(true);
                t.start();
            }));
        }
        for (CompletableFuture<Void> stop : stops) {
            stop.join();
        }
    }

    /** Stops one plugin in order; for a plugin that is not active, only makes sure its process is gone. */
    static void stop(PluginSupervisor plugin, HostContext host) {
        stop(plugin, host, null);
    }

    /**
     * As {@link #stop(PluginSupervisor, HostContext)}; with {@code idle} (the reason, "idle for 30000 ms") the plugin
     * ends {@code Dormant} instead of {@code Stopped}, ready to start again on its next call.
     */
    static void stop(PluginSupervisor plugin, HostContext host, String idle) {
        if (idle == null) {
            plugin.shutdownRequested = true; // an idle stop under way now ends Stopped
        }
        plugin.stopLock.lock();
        try {
            stopHeld(plugin, host, idle);
        } finally {
            plugin.stopLock.unlock();
        }
    }

    private static void stopHeld(PluginSupervisor plugin, HostContext host, String idle) {
        if (idle != null && (plugin.shutdownRequested || host.isClosed())) {
            return; // a shutdown or close came first
        }
        plugin.stopping = true;
        RpcSession.Listening waiting = plugin.listening;
        if (waiting != null) {
            PluginLauncher.closeQuietly(waiting); // a start waiting for the plugin to connect fails now
        }
        plugin.awaitStartInProgress(); // a start in progress finishes (or undoes itself) first
        RpcSession rpc = plugin.session;
        PluginProcess p = plugin.process;
        RpcSession c = plugin.callable;
        if (!plugin.isActive()) {
            if (p != null && p.isAlive()) {
                terminate(p);
            }
            return;
        }
        if (plugin.state() == PluginState.DORMANT) {
            if (idle == null) {
                plugin.setState(PluginState.STOPPED, "shut down while dormant");
            } else {
                plugin.stopping = false;
            }
            return;
        }
        Duration shutdownTimeout = host.shutdownTimeout();
        plugin.setState(PluginState.SHUTTING_DOWN, idle != null ? idle : "shutdown requested");
        String detail = "stopped";
        if (c != null) {
            long began = System.nanoTime();
            try {
                rpc.shutdownPeer(shutdownTimeout);
                plugin.metrics.recordCall("shutdown", System.nanoTime() - began, 0, 0, 0);
                detail = "acknowledged shutdown";
            } catch (RpcException e) {
                plugin.metrics.recordCall("shutdown", System.nanoTime() - began, e.rawCode(), 0, 0);
                detail = "shutdown not acknowledged (" + e.code() + ": " + e.getMessage() + ")";
            }
        }
        if (!plugin.quiet) { // (a replaced version's streams were ended by the replace; the id's are the new one's)
            host.events().endSubscriptions(plugin.id()); // its HostEvents streams end now, so the drain does not wait
        }
        if (rpc != null) {
            rpc.close();
        }
        plugin.callable = null;
        if (p != null) {
            boolean interrupted = false;
            try {
                p.onExit().get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
                detail += ", exited with status " + p.onExit().join();
            } catch (TimeoutException | ExecutionException e) {
                detail += ", did not exit within " + shutdownTimeout.toMillis() + " ms, " + terminate(p);
            } catch (InterruptedException e) {
                interrupted = true; // terminate first (it waits), keep the interrupt for the caller after
                detail += ", " + terminate(p);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!plugin.quiet) {
            host.events().publish(new HostEvent.PluginUnloaded(plugin.id()));
        }
        if (idle != null && !plugin.shutdownRequested && !host.isClosed()) {
            plugin.stopping = false; // first: a call that sees Dormant starts the plugin again
            plugin.setState(PluginState.DORMANT, idle + ": " + detail);
        } else {
            plugin.setState(PluginState.STOPPED, detail);
        }
    }

    /** SIGTERM, then SIGKILL after the grace; says how it went, for the plugin's detail. */
    private static String terminate(PluginProcess p) {
        try {
            return "terminated (status " + p.terminate(TERMINATE_GRACE) + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while terminating";
        }
    }
}
