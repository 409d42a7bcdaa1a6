package io.rapace.plugin;

import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The channel behind every client of one plugin ({@code handle.client(FooClient::new)}): each call goes to the
 * plugin's current session, so a client keeps working across restarts ({@code docs/plugin-host.md}). A call made
 * while the plugin is starting, restarting, or registered to start on demand (which this call then starts) waits
 * for it to run, within the call's deadline (the host's call timeout when it has none), and goes on with what is
 * left of it; past the deadline it fails with {@link ErrorCode#DEADLINE_EXCEEDED}. Once the plugin stays down (it
 * was stopped, or crashed and its restart policy gave up) a call fails at once with {@link ErrorCode#UNAVAILABLE}.
 */
final class PluginChannel extends ForwardingCallChannel {
    private final Supplier<PluginSupervisor> current;
    private final Duration callTimeout;

    /**
     * @param current the plugin's current version (a replace swaps it)
     * @param callTimeout the deadline of a call that has none
     */
    PluginChannel(Supplier<PluginSupervisor> current, Duration callTimeout) {
        this.current = current;
        this.callTimeout = callTimeout;
    }

    @Override
    Route route(CallOptions options) {
        Duration budget = options.timeout().orElse(callTimeout);
        long start = System.nanoTime();
        PluginSupervisor plugin;
        RpcSession session;
        do {
            plugin = current.get();
            session = plugin.awaitRunning(start + budget.toNanos(), budget);
        } while (session == null); // that version was replaced meanwhile: the handle names the new one
        long left = budget.toNanos() - (System.nanoTime() - start);
        if (left <= 0) {
            plugin.routeDone();
            throw new RpcException(ErrorCode.DEADLINE_EXCEEDED, "plugin " + plugin.id() + " was not running within "
                    + budget.toMillis() + " ms");
        }
        PluginSupervisor routed = plugin;
        return new Route(session, options.withTimeout(Duration.ofNanos(left)), routed::routeDone);
    }
}
