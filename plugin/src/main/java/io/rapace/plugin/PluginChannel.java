package io.rapace.plugin;

import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import java.time.Duration;

/**
 * The channel behind every client of one plugin ({@code handle.client(FooClient::new)}): each call goes to the
 * plugin's current session, so a client keeps working across restarts ({@code docs/plugin-host.md}). A call made
 * while the plugin is starting, restarting, or registered to start on demand (which this call then starts) waits
 * for it to run, within the call's deadline (the host's call timeout when it has none), and goes on with what is
 * left of it; past the deadline it fails with {@link ErrorCode#DEADLINE_EXCEEDED}. Once the plugin stays down (it
 * was stopped, or crashed and its restart policy gave up) a call fails at once with {@link ErrorCode#UNAVAILABLE}.
 */
final class PluginChannel extends ForwardingCallChannel {
    private final PluginSupervisor plugin;
    private final Duration callTimeout;

    PluginChannel(PluginSupervisor plugin, Duration callTimeout) {
        this.plugin = plugin;
        this.callTimeout = callTimeout;
    }

    @Override
    Route route(CallOptions options) {
        Duration budget = options.timeout().orElse(callTimeout);
        long start = System.nanoTime();
        var session = plugin.awaitRunning(start + budget.toNanos(), budget);
        long left = budget.toNanos() - (System.nanoTime() - start);
        if (left <= 0) {
            throw new RpcException(ErrorCode.DEADLINE_EXCEEDED, "plugin " + plugin.id() + " was not running within "
                    + budget.toMillis() + " ms");
        }
        return new Route(session, options.withTimeout(Duration.ofNanos(left)));
    }
}
